"""A save on top of someone else's leads to the merge view, over HTTP: theirs and yours side by
side, keep mine or theirs per field, the result editable, saved against the current revision, and
nothing typed lost at any step."""
import pytest
from django.urls import reverse

from articles.models import Article, RevisionMeta
from reviews.models import EditingDraft
from tests.factories import edit_article, make_draft, make_writer
from tests.public.html import parse

from .test_editorial_views import editor_post


@pytest.fixture
def story():
    """Wes opens version 1; meanwhile Amira saves version 2 with a new title and summary."""
    wes = make_writer("wes", first_name="Wes", last_name="Tan")
    amira = make_writer("amira", first_name="Amira", last_name="Patel")
    article = make_draft(wes, title="Kava and anxiety", summary="The summary both started from.")
    article.authors.add(amira)
    opened = editor_post(article, title="Kava and anxiety", summary="The summary both started from.")
    edit_article(article, amira, title="Kava for anxiety: the evidence", summary="Amira's sharper summary.")
    return {"wes": wes, "amira": amira, "article": article, "opened": opened}


def stale_save(client, story, **typed):
    client.force_login(story["wes"])
    return client.post(reverse("desk:edit", args=[story["article"].pk]), {**story["opened"], **typed})


def merge_post(client, story, **data):
    article = Article.objects.get(pk=story["article"].pk)
    return client.post(reverse("desk:merge", args=[article.pk]),
                       {"version": article.version, "comment": "", **data})


def test_a_stale_save_shows_both_versions_side_by_side_and_keeps_the_typed_text(client, story):
    response = stale_save(client, story, title="Kava: what Wes found", body="<p>Wes's new paragraph.</p>")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Merge your changes with theirs" in page
    assert "saved by someone else" in page
    title = parse(page).find("section", id="merge-title")
    assert "Kava for anxiety: the evidence" in title.text() and "Kava: what Wes found" in title.text()
    assert title.find("button", value="mine:title") and title.find("button", value="theirs:title")
    assert title.find("del") and title.find("ins")  # the differences are marked
    # Both changed the title: the result starts as his, to keep or replace.
    assert 'value="Kava: what Wes found"' in page
    # What he typed is kept as his draft, based on the version he opened.
    draft = EditingDraft.objects.get(user=story["wes"], article=story["article"])
    assert draft.fields["title"] == ["Kava: what Wes found"] and draft.base_version == 1
    assert Article.objects.get(pk=story["article"].pk).title == "Kava for anxiety: the evidence"


def test_a_field_only_they_changed_starts_as_theirs(client, story):
    page = stale_save(client, story, title="Kava: what Wes found").content.decode()

    summary = parse(page).find("section", id="merge-summary")
    assert "Only they changed this" in summary.text()
    assert "Amira's sharper summary." in summary.find("textarea").text()


def test_saving_the_merge_creates_a_revision_based_on_the_current_one(client, story):
    stale_save(client, story, title="Kava: what Wes found", body="<p>Wes's new paragraph.</p>")
    current = Article.objects.get(pk=story["article"].pk).version

    response = merge_post(client, story, result_title="Kava: what Wes and Amira found",
                          result_summary="Amira's sharper summary.", result_body="<p>Wes's new paragraph.</p>",
                          comment="Merged the title")

    article = Article.objects.get(pk=story["article"].pk)
    assert response.status_code == 302
    assert response.url == reverse("desk:article", args=[article.pk])
    assert article.version == current + 1
    assert (article.title, article.summary) == ("Kava: what Wes and Amira found", "Amira's sharper summary.")
    assert article.body == "<p>Wes's new paragraph.</p>"
    latest = RevisionMeta.objects.filter(article=article).select_related("revision").latest("revision_id")
    assert latest.version == current + 1
    assert latest.revision.user == story["wes"] and latest.revision.comment == "Merged the title"
    assert not EditingDraft.objects.exists()


def test_keep_theirs_without_javascript_puts_their_text_in_the_result_and_saves_nothing(client, story):
    stale_save(client, story, title="Kava: what Wes found")
    version = Article.objects.get(pk=story["article"].pk).version

    response = merge_post(client, story, take="theirs:title", result_title="Kava: what Wes found",
                          result_summary="Something Wes typed into the result")

    page = response.content.decode()
    assert response.status_code == 200
    assert parse(page).find("input", id="id_result_title").attrs["value"] == "Kava for anxiety: the evidence"
    # The other result stays as he left it.
    assert "Something Wes typed into the result" in page
    assert Article.objects.get(pk=story["article"].pk).version == version


def test_a_merge_that_goes_stale_again_keeps_the_merged_text_as_the_draft(client, story):
    stale_save(client, story, title="Kava: what Wes found")
    version_seen = Article.objects.get(pk=story["article"].pk).version
    edit_article(story["article"], story["amira"], body="<p>Amira saved again.</p>")

    response = client.post(reverse("desk:merge", args=[story["article"].pk]),
                           {"version": version_seen, "result_title": "The merged title",
                            "result_summary": "Amira's sharper summary.", "comment": ""})

    assert response.status_code == 302
    assert response.url == reverse("desk:merge", args=[story["article"].pk])
    draft = EditingDraft.objects.get(user=story["wes"])
    assert draft.fields["title"] == ["The merged title"] and draft.base_version == version_seen
    page = client.get(response.url).content.decode()
    assert "saved the article again while you were merging" in page
    assert "Amira saved again." in page and "The merged title" in page


def test_continuing_in_the_editor_keeps_the_merge_as_a_draft_of_the_current_version(client, story):
    stale_save(client, story, title="Kava: what Wes found")

    response = merge_post(client, story, to_editor="1", result_title="The merged title",
                          result_summary="Amira's sharper summary.")

    assert response.status_code == 302
    assert response.url == reverse("desk:edit", args=[story["article"].pk])
    page = client.get(response.url).content.decode()
    assert 'value="The merged title"' in page
    assert "Restored your unsaved changes" in page and "The article changed since" not in page
    assert Article.objects.get(pk=story["article"].pk).title == "Kava for anxiety: the evidence"


def test_a_merge_the_service_refuses_shows_why_and_keeps_the_result(client, story):
    stale_save(client, story, title="Kava: what Wes found")

    response = merge_post(client, story, result_title="   ", result_summary="Kept summary text")

    page = response.content.decode()
    assert response.status_code == 200
    assert "The article needs a title." in page
    assert "Kept summary text" in page
    assert EditingDraft.objects.filter(user=story["wes"]).exists()


def test_whole_fields_are_chosen_mine_or_theirs(client, story):
    stale_save(client, story, title="Kava: what Wes found", **{"refs-0-title": "Wes's new trial"})

    page = parse(client.get(reverse("desk:merge", args=[story["article"].pk])).content.decode())
    references = page.find("section", id="merge-references")
    assert references.find("input", value="mine") and references.find("input", value="theirs")
    merge_post(client, story, keep_references="theirs", result_title="Kava: what Wes found",
               result_summary="Amira's sharper summary.")

    titles = list(Article.objects.get(pk=story["article"].pk).references.values_list("title", flat=True))
    assert "Wes's new trial" not in titles


def test_the_merge_view_is_only_for_who_may_edit_and_has_unsaved_changes(client, story):
    client.force_login(make_writer("outsider"))
    assert client.get(reverse("desk:merge", args=[story["article"].pk])).status_code == 404

    client.force_login(story["amira"])
    response = client.get(reverse("desk:merge", args=[story["article"].pk]))
    assert response.status_code == 302 and response.url == reverse("desk:edit", args=[story["article"].pk])
