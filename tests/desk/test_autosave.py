"""The editor's private autosave over HTTP: kept for its writer only, restored on return with a
notice, discarded on request or by a save, refused to whoever may not edit and past the
sanitizer's limits."""
import re

import pytest
from django.urls import reverse

from articles.models import Article, RevisionMeta
from articles.sanitize import MAX_HTML_CHARS, MAX_NESTING_DEPTH
from reviews.models import EditingDraft
from tests.factories import edit_article, make_draft, make_editor, make_in_review, make_published, make_reviewer, make_writer

from .test_editorial_views import editor_post


@pytest.fixture
def writer():
    return make_writer("amira", first_name="Amira", last_name="Patel")


@pytest.fixture
def article(writer):
    return make_draft(writer, title="Kava and anxiety")


def autosave(client, article, **overrides):
    url = reverse("desk:autosave", args=[article.pk]) if article else reverse("desk:autosave_new")
    return client.post(url, editor_post(article, **overrides))


def edit_page(client, article) -> str:
    return client.get(reverse("desk:edit", args=[article.pk])).content.decode()


def test_an_autosave_keeps_the_typed_fields_as_a_private_draft_and_not_as_a_revision(client, writer, article):
    revisions = RevisionMeta.objects.filter(article=article).count()
    client.force_login(writer)

    response = autosave(client, article, title="Kava: what the trials found")

    assert response.status_code == 200
    assert response.json()["kept"] is True
    draft = EditingDraft.objects.get(user=writer, article=article)
    assert draft.fields["title"] == ["Kava: what the trials found"]
    assert draft.base_version == article.version
    assert "csrfmiddlewaretoken" not in draft.fields
    assert Article.objects.get(pk=article.pk).title == "Kava and anxiety"
    assert RevisionMeta.objects.filter(article=article).count() == revisions


def test_returning_to_the_editor_restores_the_draft_with_a_notice_and_a_discard_action(client, writer, article):
    client.force_login(writer)
    autosave(client, article, title="Kava: what the trials found",
             section_side_effects="<p>Liver injury has been reported.</p>")

    page = edit_page(client, article)

    assert 'value="Kava: what the trials found"' in page
    assert "Liver injury has been reported." in page
    assert re.search(r"Restored your unsaved changes from \d\d:\d\d \(based on version 1\)", page)
    assert f'action="{reverse("desk:discard_draft", args=[article.pk])}"' in page
    assert "The article changed since" not in page


def test_typed_html_is_sanitized_before_it_goes_back_into_the_rich_text_editor(client, writer, article):
    client.force_login(writer)
    autosave(client, article, body='<p onclick="steal()">Kept words<script>alert(1)</script></p>')

    page = edit_page(client, article)

    assert "Kept words" in page
    assert "alert(1)" not in page and "steal()" not in page
    # Kept as typed all the same: it is the writer's text, shown back only to them.
    assert "<script>" in EditingDraft.objects.get(user=writer).fields["body"][0]


def test_discarding_the_draft_brings_back_the_saved_article(client, writer, article):
    client.force_login(writer)
    autosave(client, article, title="Kava: what the trials found")

    response = client.post(reverse("desk:discard_draft", args=[article.pk]))

    assert response.status_code == 302
    assert response.url == reverse("desk:edit", args=[article.pk])
    assert not EditingDraft.objects.exists()
    page = edit_page(client, article)
    assert 'value="Kava and anxiety"' in page
    assert "Restored your unsaved changes" not in page


def test_another_person_never_sees_someone_elses_draft(client, writer, article):
    colleague, editor = make_writer("colleague"), make_editor()
    article.authors.add(colleague)
    client.force_login(writer)
    autosave(client, article, title="Amira's unsaved title")

    for other in (colleague, editor):
        client.force_login(other)
        page = edit_page(client, article)
        assert "Amira's unsaved title" not in page and "Amira&#x27;s unsaved title" not in page
        assert "Restored your unsaved changes" not in page
    # Their own autosaves are drafts of their own, beside hers.
    autosave(client, article, title="The editor's unsaved title")
    assert EditingDraft.objects.get(user=writer).fields["title"] == ["Amira's unsaved title"]
    assert EditingDraft.objects.count() == 2


def test_someone_who_may_not_edit_the_article_is_refused_and_nothing_is_kept(client, writer):
    in_review = make_in_review(writer)
    published = make_published(writer)
    cases = [
        (writer, in_review, 403),             # the writer, but the article is read-only in review
        (make_reviewer(), published, 403),    # may read the working copy, may not edit it
        (make_writer("outsider"), published, 404),  # not a contributor: as if it did not exist
    ]
    for person, article, status in cases:
        client.force_login(person)
        response = autosave(client, article, title="Not to be kept")
        assert response.status_code == status, (person, article.status)
        if status == 403:
            assert response.json()["error"].startswith("Not kept:")
    assert not EditingDraft.objects.exists()


def test_an_anonymous_autosave_is_sent_to_log_in(client, article):
    response = autosave(client, article)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_autosave_over_the_sanitizers_size_limit_is_refused_with_a_json_error(client, writer, article):
    client.force_login(writer)

    response = autosave(client, article, section_interactions="<p>" + "x" * MAX_HTML_CHARS + "</p>")

    assert response.status_code == 400
    data = response.json()
    assert data["kept"] is False
    assert "Interactions" in data["error"] and "too long" in data["error"]
    assert list(data["errors"]) == ["section_interactions"]
    assert not EditingDraft.objects.exists()


def test_an_autosave_nested_past_the_sanitizers_limit_is_refused(client, writer, article):
    client.force_login(writer)

    response = autosave(client, article, body="<div>" * (MAX_NESTING_DEPTH + 5) + "deep")

    assert response.status_code == 400
    assert "nests elements" in response.json()["error"]
    assert not EditingDraft.objects.exists()


def test_a_successful_save_deletes_the_draft(client, writer, article):
    client.force_login(writer)
    autosave(client, article, title="Kava: what the trials found")

    response = client.post(reverse("desk:edit", args=[article.pk]),
                           editor_post(article, title="Kava: what the trials found"))

    assert response.status_code == 302
    assert not EditingDraft.objects.exists()
    assert "Restored your unsaved changes" not in edit_page(client, article)


def test_a_refused_save_keeps_the_draft(client, writer, article):
    client.force_login(writer)
    autosave(client, article, title="Kava: what the trials found")

    response = client.post(reverse("desk:edit", args=[article.pk]), editor_post(article, title=""))

    assert response.status_code == 200
    assert 'data-unsaved' in response.content.decode()  # the page autosaves what it shows at once
    assert EditingDraft.objects.filter(user=writer, article=article).exists()


def test_an_autosave_that_holds_only_what_is_saved_keeps_nothing(client, writer, article):
    """As when the last autosave of a page arrives just after the save it belongs to."""
    client.force_login(writer)
    client.post(reverse("desk:edit", args=[article.pk]), editor_post(article, title="Kava: what the trials found"))
    article.refresh_from_db()
    opened_at = article.version - 1

    response = autosave(client, article, title="Kava: what the trials found", version=opened_at)

    assert response.json()["kept"] is False
    assert not EditingDraft.objects.exists()


def test_a_new_articles_draft_is_restored_and_creating_the_article_deletes_it(client, writer):
    client.force_login(writer)
    assert autosave(client, None, title="Valerian, half written").json()["kept"] is True

    page = client.get(reverse("desk:new")).content.decode()
    assert 'value="Valerian, half written"' in page
    assert "Restored your unsaved changes" in page
    assert f'action="{reverse("desk:discard_new_draft")}"' in page

    assert client.post(reverse("desk:new"), editor_post(title="Valerian, finished")).status_code == 302
    assert not EditingDraft.objects.exists()


def test_a_new_article_draft_is_one_per_person(client, writer):
    client.force_login(writer)
    autosave(client, None, title="First try")
    autosave(client, None, title="Second try")

    assert list(EditingDraft.objects.values_list("fields__title", flat=True)) == [["Second try"]]


def test_a_reviewer_cannot_keep_a_draft_of_a_new_article(client):
    client.force_login(make_reviewer())

    response = autosave(client, None, title="Not a writer")

    assert response.status_code == 403
    assert not EditingDraft.objects.exists()


def test_a_draft_of_an_older_version_says_the_article_changed_and_offers_the_merge(client, writer, article):
    colleague = make_writer("colleague")
    article.authors.add(colleague)
    client.force_login(writer)
    autosave(client, article, title="Amira's title")
    edit_article(article, colleague, summary="The colleague's new summary.")

    page = edit_page(client, article)

    assert "The article changed since: it is now at version 2." in page
    assert f'href="{reverse("desk:merge", args=[article.pk])}"' in page
    # The form still says which version the text was typed on, so saving it leads to the merge.
    assert re.search(r'<input type="hidden" name="version" value="1"', page)
