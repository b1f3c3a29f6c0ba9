"""The article editor over HTTP: creating, saving, refusing with every reason, keeping the text."""
import datetime
import re

from django.urls import reverse

from articles.models import Article
from articles.selectors import article_history
from reviews.workflow import article_approve
from tests.factories import (ALL_YES, SECTION_TEXT, as_reviewed, edit_article, make_draft, make_in_review,
                             make_published, make_reviewer, make_writer)


def editor_post(article=None, **overrides):
    """A full editor submission, as the browser sends it without JavaScript."""
    data = {
        "title": "Valerian for sleep",
        "summary": "What valerian root is and what the evidence says.",
        "article_type": "substance",
        "body": "<p>Valerian is a plant whose root is sold as a sleep aid.</p>",
        "version": article.version if article else "",
        "comment": "",
        "refs-TOTAL_FORMS": "3", "refs-INITIAL_FORMS": "0", "refs-MIN_NUM_FORMS": "0", "refs-MAX_NUM_FORMS": "100",
        "refs-0-title": "A trial of valerian", "refs-0-doi": "10.1000/valerian.1", "refs-0-ORDER": "2",
        "refs-1-title": "A review of herbal sleep aids", "refs-1-pmid": "12345678", "refs-1-ORDER": "1",
        "refs-2-title": "Herbal medicines regulation", "refs-2-url": "https://example.org/herbal", "refs-2-ORDER": "3",
    }
    for key, text in SECTION_TEXT.items():
        data[f"section_{key}"] = f"<p>{text}</p>"
    data.update(overrides)
    return data


def test_a_writer_creates_a_draft_in_the_editor(client):
    writer = make_writer()
    client.force_login(writer)
    response = client.post(reverse("desk:new"), editor_post())
    article = Article.objects.get(title="Valerian for sleep")
    assert response.status_code == 302
    assert response.url == reverse("desk:article", args=[article.pk])
    assert article.status == "draft"
    assert list(article.authors.all()) == [writer]
    # References keep the order the writer gave, not the order of the rows.
    assert [ref.title for ref in article.references.all()] == ["A review of herbal sleep aids", "A trial of valerian",
                                                                   "Herbal medicines regulation"]


def test_the_editor_stores_only_sanitized_html(client):
    client.force_login(make_writer())
    client.post(reverse("desk:new"), editor_post(
        body='<p style="color:red" class="MsoNormal">Kept text<script>alert(1)</script><o:p></o:p></p>'))
    body = Article.objects.get(title="Valerian for sleep").body
    assert body == "<p>Kept text</p>"


def test_a_malformed_doi_is_refused_and_everything_typed_is_kept(client):
    client.force_login(make_writer())
    response = client.post(reverse("desk:new"), editor_post(**{"refs-0-doi": "doi:not-a-doi",
                                                                   "title": "My unsaved title"}))
    page = response.content.decode()
    assert response.status_code == 200
    assert not Article.objects.exists()
    assert "is not a DOI" in page
    assert 'value="My unsaved title"' in page
    assert "doi:not-a-doi" in page
    assert "Valerian is a plant whose root is sold as a sleep aid." in page


def test_the_error_summary_links_to_each_field_with_an_error(client):
    client.force_login(make_writer())
    page = client.post(reverse("desk:new"), editor_post(title="", **{"refs-1-pmid": "PMID99"})).content.decode()
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_title"' in summary
    assert 'href="#id_refs-1-pmid"' in summary


def test_every_field_has_a_label(client):
    client.force_login(make_writer())
    page = client.get(reverse("desk:new")).content.decode()
    ids = set(re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', page))
    ids -= {i for i in ids if "__prefix__" in i}
    labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', page))
    hidden = set(re.findall(r'<input type="hidden"[^>]*id="([^"]+)"', page))
    assert ids - hidden - labelled == set()


def test_the_editor_marks_the_required_sections_of_the_articles_type(client):
    writer = make_writer()
    article = make_draft(writer, type_key="condition")
    client.force_login(writer)
    page = client.get(reverse("desk:edit", args=[article.pk])).content.decode()
    marked = set(re.findall(r'data-section="(\w+)">\s*<div[^>]*>\s*<label[^>]*>[^<]*<span class="required-tag"', page))
    assert marked == {"evidence_summary", "alternatives", "when_to_seek_help"}


def test_the_editor_shows_which_sections_still_fail_the_gate(client):
    writer = make_writer()
    article = make_draft(writer, sections={"evidence_summary": "<p>TBD</p>"})
    client.force_login(writer)
    page = client.get(reverse("desk:edit", args=[article.pk])).content.decode()
    gate = page.split('data-gate-panel')[1].split("</section>")[0]
    assert "Side effects" in gate and "is empty" in gate
    assert "placeholder" in gate


def test_the_live_gate_check_judges_unsaved_text(client):
    client.force_login(make_writer())
    data = editor_post(section_side_effects="<p>N/A</p>")
    failures = client.post(reverse("desk:gate"), data).json()["failures"]
    assert [f["field"] for f in failures] == ["side_effects"]
    data = editor_post()
    assert client.post(reverse("desk:gate"), data).json()["failures"] == []


def test_a_stale_save_is_refused_with_the_text_kept_and_a_link_to_the_changes(client):
    writer, colleague = make_writer(), make_writer()
    article = make_draft(writer)
    article.authors.add(colleague)
    opened_version = article.version
    client.force_login(colleague)
    assert client.post(reverse("desk:edit", args=[article.pk]),
                       editor_post(article, title="The colleague's title")).status_code == 302
    client.force_login(writer)
    response = client.post(reverse("desk:edit", args=[article.pk]),
                           editor_post(article, version=opened_version, title="The writer's title"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "saved by someone else" in page
    assert 'value="The writer\'s title"' in page or "value=\"The writer&#x27;s title\"" in page
    assert reverse("desk:compare", args=[article.pk]) + "?from=" in page
    assert Article.objects.get(pk=article.pk).title == "The colleague's title"


def test_editing_a_published_article_keeps_the_live_page_until_approval(client):
    writer = make_writer()
    article = make_published(writer, title="The reviewed title")
    client.force_login(writer)
    client.post(reverse("desk:edit", args=[article.pk]), editor_post(article, title="An unreviewed title"))
    client.logout()
    page = client.get(f"/articles/{article.slug}/").content.decode()
    assert "The reviewed title" in page
    assert "An unreviewed title" not in page


def test_history_lists_revisions_newest_first_and_compare_marks_changed_words(client):
    writer = make_writer()
    article = make_draft(writer)
    client.force_login(writer)
    client.post(reverse("desk:edit", args=[article.pk]),
                editor_post(article, title="Valerian root and sleep", comment="Sharper title"))
    history = client.get(reverse("desk:history", args=[article.pk])).content.decode()
    assert history.index("Sharper title") < history.index("Created")
    new, old = [meta.revision_id for meta in article_history(article)]
    compare = client.get(reverse("desk:compare", args=[article.pk]) + f"?from={old}&to={new}").content.decode()
    assert '<del data-change="1">An article about topic' in compare
    assert "<ins>Valerian root and sleep</ins>" in compare


def test_the_compare_page_counts_the_changes_and_collapses_the_unchanged_fields(client):
    writer = make_writer()
    article = make_draft(writer)
    client.force_login(writer)
    edit_article(article, writer, title="Valerian root and sleep")
    new, old = [meta.revision_id for meta in article_history(article)]

    page = client.get(reverse("desk:compare", args=[article.pk]) + f"?from={old}&to={new}").content.decode()

    assert "<strong>1 change</strong> in 1 field" in page
    assert '<section class="diff-field changed" id="diff-title" data-section="title">' in page
    assert 'Summary <span class="unchanged">(unchanged)</span>' in page
    assert "What it is, what the evidence shows" not in page
    assert "Previous change</button>" in page and "Side by side</button>" in page


def test_reverting_from_the_history_makes_a_new_draft_and_never_publishes(client):
    writer = make_writer()
    article = make_published(writer, title="First approved title")
    client.force_login(writer)
    client.post(reverse("desk:edit", args=[article.pk]), editor_post(article, title="Second title"))
    oldest = list(article_history(article))[-1].revision_id
    response = client.post(reverse("desk:revert", args=[article.pk, oldest]))
    article.refresh_from_db()
    assert response.status_code == 302
    assert article.status == "draft"
    assert article.title == "First approved title"
    assert article.live_publication.title == "First approved title"
    assert len(article_history(article)) == 3


def test_the_preview_shows_the_draft_as_readers_would_and_is_never_cached(client):
    writer = make_writer()
    article = make_draft(writer, title="A title only in the draft")
    client.force_login(writer)
    response = client.get(reverse("desk:preview", args=[article.pk]))
    assert "A title only in the draft" in response.content.decode()
    assert "Preview of the working copy (version 1)" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_preview_is_kept_out_of_search_engines(client):
    writer = make_writer()
    article = make_draft(writer)
    client.force_login(writer)
    response = client.get(reverse("desk:preview", args=[article.pk]))
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_reviewer_previews_the_submitted_version_and_the_banner_names_it(client):
    article = make_in_review(title="Kava and the liver")
    revision_id = Article.objects.get(pk=article.pk).submitted_revision_id
    client.force_login(make_reviewer())
    html = client.get(reverse("desk:preview", args=[article.pk])).content.decode()
    assert "Kava and the liver" in html
    assert (f"Preview of the submitted version 1 (revision #{revision_id}), as readers will see it once "
            "approved.") in html


def test_in_review_the_preview_shows_the_submission_even_if_the_working_copy_changed_under_it(client):
    article = make_in_review(title="The title that was submitted")
    # A write that skipped the services (the admin, a shell): approval would refuse it, and the
    # reviewer must still read what was submitted.
    Article.objects.filter(pk=article.pk).update(title="A title nobody submitted")
    client.force_login(make_reviewer())
    html = client.get(reverse("desk:preview", args=[article.pk])).content.decode()
    assert "The title that was submitted" in html
    assert "A title nobody submitted" not in html


def test_the_preview_of_a_scheduled_article_is_the_approved_snapshot_and_says_when_it_goes_live(client):
    go_live = datetime.datetime(2031, 5, 9, 10, 0, tzinfo=datetime.timezone.utc)
    writer = make_writer()
    article = make_in_review(writer, title="Approved for May")
    article_approve(**as_reviewed(article), by=make_reviewer(), checklist=dict(ALL_YES), rating=4,
                    go_live_at=go_live)
    publication = Article.objects.get(pk=article.pk).scheduled_publication
    client.force_login(writer)
    html = client.get(reverse("desk:preview", args=[article.pk])).content.decode()
    assert "Approved for May" in html
    assert (f"Preview of the approved version 1 (revision #{publication.revision_id}), as readers will see "
            "it when it goes live on 9 May 2031, 10:00.") in html


def test_a_reviewer_previews_the_working_copy_of_a_published_article_as_such(client):
    writer = make_writer()
    article = make_published(writer)
    edit_article(article, writer, title="An edit not yet reviewed")
    client.force_login(make_reviewer("second_opinion"))
    html = client.get(reverse("desk:preview", args=[article.pk])).content.decode()
    assert "An edit not yet reviewed" in html
    assert "Preview of the working copy (version 2). It is not published and has not been reviewed" in html


def test_a_blank_new_article_is_not_called_ready_for_review(client):
    client.force_login(make_writer())
    page = client.get(reverse("desk:new")).content.decode()
    gate = page.split("data-gate-panel")[1].split("</section>")[0]
    assert "Every required section holds real content" not in gate
    assert "The required section &quot;Side effects&quot; is empty." in gate


def test_a_refused_save_still_shows_what_the_gate_needs(client):
    client.force_login(make_writer())
    page = client.post(reverse("desk:new"), editor_post(title="", section_interactions="")).content.decode()
    gate = page.split("data-gate-panel")[1].split("</section>")[0]
    assert "The required section &quot;Interactions&quot; is empty." in gate
    assert "The article needs a title." in gate


def test_the_live_gate_names_the_field_of_a_form_error(client):
    client.force_login(make_writer())
    failures = client.post(reverse("desk:gate"), editor_post(title="")).json()["failures"]
    assert {"field": "title", "message": "Title: This field is required."} in failures


def scheduled_article(writer):
    import datetime

    from django.utils import timezone

    from reviews.workflow import article_approve
    from tests.factories import ALL_YES, as_reviewed, make_in_review, make_reviewer

    article = make_in_review(writer)
    article_approve(**as_reviewed(article), by=make_reviewer(), checklist=dict(ALL_YES), rating=4,
                    go_live_at=timezone.now() + datetime.timedelta(days=2))
    return article


def test_a_scheduled_article_offers_no_restore_in_its_history(client):
    writer = make_writer()
    article = scheduled_article(writer)
    client.force_login(writer)

    page = client.get(reverse("desk:history", args=[article.pk])).content.decode()

    assert "Restore as draft" not in page


def test_opening_the_editor_of_a_scheduled_article_says_why_it_is_read_only(client):
    writer = make_writer()
    article = scheduled_article(writer)
    client.force_login(writer)

    response = client.get(reverse("desk:edit", args=[article.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("desk:article", args=[article.pk])
    assert "scheduled to go live, so it is read-only" in response.content.decode()
    assert 'id="article-form"' not in response.content.decode()
