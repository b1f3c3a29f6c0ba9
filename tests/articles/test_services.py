"""Article writes: revisions, history, stale saves, editing rules, reverts, sanitizing, references."""
import dataclasses

import pytest
import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from reversion.models import Version

from articles.content import ArticleContent
from articles.errors import GateFailed, InvalidTransition, StaleEdit
from articles.models import Article, ArticleSection, Publication, Reference, RevisionMeta
from articles.selectors import article_history
from reviews.editing import article_create, article_revert, article_update
from reviews.workflow import article_approve, article_submit
from tests.factories import (
    as_reviewed,
    ALL_YES,
    SECTION_TEXT,
    complete_content,
    content_of,
    edit_article,
    make_draft,
    make_editor,
    make_in_review,
    make_published,
    make_reviewer,
    make_writer,
)


def newest_revision(article):
    """The newest django-reversion revision that holds this article (reversion's own lookup)."""
    return Version.objects.get_for_object(Article.objects.get(pk=article.pk)).first().revision


def versions_of(revision, model):
    content_type = ContentType.objects.get_for_model(model)
    return [v for v in revision.version_set.all() if v.content_type_id == content_type.pk]


def revision_ids(article):
    return [meta.revision_id for meta in article_history(article)]


# --- Every save is a revision with its user and comment ---

def test_creating_an_article_records_a_revision_with_its_user_and_comment():
    writer = make_writer()
    article = article_create(by=writer, content=complete_content(), comment="First draft from interview notes")

    revision = newest_revision(article)
    assert revision.user == writer
    assert revision.comment == "First draft from interview notes"


def test_editing_an_article_records_a_new_revision_with_the_editors_user_and_comment():
    writer = make_writer()
    article = make_draft(writer)
    editor = make_editor()

    edit_article(article, editor, title="A clearer title", comment="Tightened the title")

    revision = newest_revision(article)
    assert revision.user == editor
    assert revision.comment == "Tightened the title"
    assert len(revision_ids(article)) == 2


def stored_content(article, revision):
    return ArticleContent.from_revision(revision, Article.objects.get(pk=article.pk))


def test_a_revision_holds_every_section_of_the_article():
    article = make_draft()

    assert set(stored_content(article, newest_revision(article)).sections) == set(SECTION_TEXT)


def test_a_revision_holds_every_reference_of_the_article():
    article = make_draft()

    dois = sorted(ref["doi"] for ref in stored_content(article, newest_revision(article)).references)

    assert dois == ["10.1000/example.1", "10.1000/example.2", "10.1000/example.3"]


def test_a_revision_after_a_section_is_removed_no_longer_holds_it():
    writer = make_writer()
    article = make_draft(writer)
    sections = {k: v for k, v in content_of(article).sections.items() if k != "alternatives"}

    edit_article(article, writer, sections=sections)

    keys = set(stored_content(article, newest_revision(article)).sections)
    assert "alternatives" not in keys
    assert "side_effects" in keys


def test_a_revision_keeps_its_content_in_two_rows_whatever_the_number_of_sections_and_references():
    references = [{"title": f"Study {n}", "doi": f"10.1000/study.{n}"} for n in range(1, 21)]
    article = make_draft(references=references)

    revision = newest_revision(article)

    assert [v.content_type.model for v in revision.version_set.all()] == ["article"]
    assert len(revision.article_meta.content["references"]) == 20
    assert stored_content(article, revision) == content_of(article)


def legacy_revision(article, by, comment="Legacy import"):
    """A revision as saved before sections and references moved onto RevisionMeta.content: a
    reversion version row for the article, each section and each reference, and no content."""
    article = Article.objects.get(pk=article.pk)
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(by)
        reversion.set_comment(comment)
        reversion.add_to_revision(article)
        for row in [*article.sections.all(), *article.references.all()]:
            reversion.add_to_revision(row)
        reversion.add_meta(RevisionMeta, article=article, status="draft",
                           content_hash=content_of(article).hash(), version=article.version)
    return revision_ids(article)[0]


def test_a_revision_saved_before_content_moved_onto_its_meta_still_reads_and_reverts():
    writer = make_writer()
    article = make_draft(writer)
    before = content_of(article)
    legacy = legacy_revision(article, writer)
    edit_article(article, writer, sections={"side_effects": "<p>Only this now.</p>"}, references=[])

    article_revert(article=article, by=writer, revision_id=legacy)

    assert content_of(article) == before
    assert stored_content(article, RevisionMeta.objects.get(revision_id=legacy).revision).hash() == before.hash()


def test_history_lists_revisions_newest_first_with_who_and_why():
    writer = make_writer()
    editor = make_editor()
    article = article_create(by=writer, content=complete_content(), comment="Created")
    edit_article(article, writer, summary="A first rewrite of the summary.", comment="First pass")
    edit_article(article, editor, summary="A second rewrite of the summary.", comment="Copy edit")

    history = list(article_history(article))

    assert [meta.revision.comment for meta in history] == ["Copy edit", "First pass", "Created"]
    assert [meta.revision.user for meta in history] == [editor, writer, writer]


# --- Stale saves lose nothing ---

def test_a_stale_save_is_refused_and_the_newer_text_stays_in_the_database():
    writer = make_writer()
    article = make_draft(writer, title="The original title")
    loaded_version = article.version
    edit_article(article, make_editor(), title="The editor's title")
    mine = dataclasses.replace(content_of(article), title="The writer's title")

    with pytest.raises(StaleEdit):
        article_update(article=article, by=writer, expected_version=loaded_version, content=mine)

    assert Article.objects.get(pk=article.pk).title == "The editor's title"


def test_a_stale_save_leaves_the_callers_text_in_hand_to_save_again():
    writer = make_writer()
    article = make_draft(writer)
    loaded_version = article.version
    edit_article(article, make_editor(), title="The editor's title")
    mine = dataclasses.replace(content_of(article), title="The writer's title",
                               sections={"evidence_summary": "<p>My careful rewrite.</p>"})

    with pytest.raises(StaleEdit) as refused:
        article_update(article=article, by=writer, expected_version=loaded_version, content=mine)

    assert mine.title == "The writer's title"
    assert mine.sections == {"evidence_summary": "<p>My careful rewrite.</p>"}
    assert refused.value.current_version == loaded_version + 1


def test_a_stale_save_writes_no_revision():
    writer = make_writer()
    article = make_draft(writer)
    loaded_version = article.version
    edit_article(article, make_editor(), title="The editor's title")
    before = revision_ids(article)

    with pytest.raises(StaleEdit):
        article_update(article=article, by=writer, expected_version=loaded_version,
                       content=dataclasses.replace(content_of(article), title="Mine"))

    assert revision_ids(article) == before


# --- Editing rules by state ---

def test_editing_an_article_in_review_is_refused_and_changes_nothing():
    article = make_in_review()
    before = content_of(article)

    with pytest.raises(InvalidTransition):
        article_update(article=article, by=article.authors.first(), expected_version=article.version,
                       content=dataclasses.replace(before, title="Sneaked-in title"))

    assert content_of(article) == before
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_editing_a_published_article_makes_the_working_copy_a_draft():
    article = make_published()

    edit_article(article, article.authors.first(), title="A rewritten title")

    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_editing_a_published_article_keeps_the_live_publication(client):
    article = make_published(title="What readers see today")
    live_id = article.live_publication_id

    edit_article(article, article.authors.first(), title="Unreviewed new title")

    assert Article.objects.get(pk=article.pk).live_publication_id == live_id
    page = client.get(f"/articles/{article.slug}/").content.decode()
    assert "What readers see today" in page
    assert "Unreviewed new title" not in page


# --- Reverts ---

def test_reverting_restores_the_earlier_content_as_a_new_draft_revision():
    writer = make_writer()
    article = make_draft(writer, title="First wording")
    first = revision_ids(article)[0]
    edit_article(article, writer, title="Second wording")

    article_revert(article=article, by=writer, revision_id=first)

    assert Article.objects.get(pk=article.pk).title == "First wording"
    history = revision_ids(article)
    assert len(history) == 3
    assert history[0] != first
    assert content_of(article).hash() == RevisionMeta.objects.get(revision_id=first).content_hash


def test_reverting_records_a_draft_revision_by_the_person_who_reverted():
    writer = make_writer()
    editor = make_editor()
    article = make_draft(writer)
    first = revision_ids(article)[0]
    edit_article(article, writer, title="Second wording")

    article_revert(article=article, by=editor, revision_id=first)

    newest = article_history(article).first()
    assert newest.revision.user == editor
    assert "revert" in newest.revision.comment.lower()
    assert newest.status == Article.Status.DRAFT


def test_reverting_brings_back_a_section_removed_since():
    writer = make_writer()
    article = make_draft(writer)
    first = revision_ids(article)[0]
    edit_article(article, writer, sections={k: v for k, v in content_of(article).sections.items()
                                            if k != "interactions"})

    article_revert(article=article, by=writer, revision_id=first)

    assert content_of(article).sections["interactions"] == f"<p>{SECTION_TEXT['interactions']}</p>"


def test_reverting_a_published_article_never_publishes_it():
    writer = make_writer()
    article = make_published(writer)
    approved = Article.objects.get(pk=article.pk).live_publication.revision_id
    live_id = article.live_publication_id
    edit_article(article, writer, title="A later draft title")

    article_revert(article=article, by=writer, revision_id=approved)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.live_publication_id == live_id
    assert Publication.objects.filter(article=article).count() == 1


def test_reverting_to_an_incomplete_revision_cannot_then_be_submitted():
    writer = make_writer()
    incomplete = {k: v for k, v in complete_content().sections.items() if k != "side_effects"}
    article = article_create(by=writer, content=complete_content(sections=incomplete))
    first = revision_ids(article)[0]
    edit_article(article, writer, sections=complete_content().sections)
    article_submit(article=article, by=writer)
    article_approve(**as_reviewed(article), by=make_reviewer(), checklist=dict(ALL_YES), rating=4)
    live_id = Article.objects.get(pk=article.pk).live_publication_id

    article_revert(article=article, by=writer, revision_id=first)

    with pytest.raises(GateFailed) as refused:
        article_submit(article=article, by=writer)
    assert "side_effects" in refused.value.by_field()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.live_publication_id == live_id


def test_reverting_an_article_in_review_is_refused():
    article = make_in_review()
    first = revision_ids(article)[0]

    with pytest.raises(InvalidTransition):
        article_revert(article=article, by=article.authors.first(), revision_id=first)

    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_reverting_to_another_articles_revision_is_refused():
    writer = make_writer()
    mine = make_draft(writer)
    other = make_draft(writer)

    with pytest.raises(ValidationError):
        article_revert(article=mine, by=writer, revision_id=revision_ids(other)[0])


# --- HTML is sanitized on every write path ---

DIRTY = '<p onclick="steal()" style="color:red">Real text</p><script>steal()</script>'


def test_creating_an_article_sanitizes_its_body_and_sections():
    article = article_create(by=make_writer(), content=complete_content(
        body=DIRTY, sections={**complete_content().sections, "side_effects": DIRTY}))

    stored = content_of(article)
    for html in (stored.body, stored.sections["side_effects"]):
        assert html == "<p>Real text</p>"


def test_editing_an_article_sanitizes_its_body_and_sections():
    writer = make_writer()
    article = make_draft(writer)

    edit_article(article, writer, body=DIRTY, sections={**content_of(article).sections, "interactions": DIRTY})

    stored = content_of(article)
    assert stored.body == "<p>Real text</p>"
    assert stored.sections["interactions"] == "<p>Real text</p>"


def test_reverting_sanitizes_html_stored_in_an_old_revision():
    """A revision written outside the services (an old allow-list, a raw import) is cleaned on revert."""
    writer = make_writer()
    article = make_draft(writer)
    ArticleSection.objects.filter(article=article, key="side_effects").update(content=DIRTY)
    legacy = legacy_revision(article, writer)
    edit_article(article, writer, sections=complete_content().sections)

    article_revert(article=article, by=writer, revision_id=legacy)

    assert content_of(article).sections["side_effects"] == "<p>Real text</p>"


def test_html_past_the_nesting_limit_is_refused_naming_the_field_and_nothing_is_saved():
    writer = make_writer()
    article = make_draft(writer)
    before = content_of(article)

    with pytest.raises(ValidationError) as refused:
        edit_article(article, writer, body="<div>" * 5000)

    assert "body" in refused.value.message_dict
    assert content_of(article) == before


# --- Slugs ---

def test_the_slug_of_a_published_article_can_change_and_its_old_slug_is_kept_to_redirect():
    # Issue 15: a retitled article may move; tests/articles/test_slug_history.py covers the redirect.
    from articles.models import ArticleSlugHistory

    article = make_published()
    original = article.slug

    article_update(article=article, by=article.authors.first(), expected_version=article.version,
                   content=content_of(article), slug="a-brand-new-address")

    assert Article.objects.get(pk=article.pk).slug == "a-brand-new-address"
    assert list(ArticleSlugHistory.objects.filter(article=article).values_list("slug", flat=True)) == [original]


def test_the_slug_of_an_unpublished_draft_can_change():
    writer = make_writer()
    article = make_draft(writer)

    article_update(article=article, by=writer, expected_version=article.version,
                   content=content_of(article), slug="a-better-address")

    assert Article.objects.get(pk=article.pk).slug == "a-better-address"


# --- Reference form ---

@pytest.mark.parametrize("field, value", [
    ("doi", "not-a-doi"),
    ("doi", "https://example.org/paper"),
    ("pmid", "PMC1234567"),
    ("pmid", "12ab"),
])
def test_a_reference_with_a_malformed_identifier_is_refused(field, value):
    references = [{"title": "A study", **{field: value}}]

    with pytest.raises(ValidationError) as refused:
        article_create(by=make_writer(), content=complete_content(references=references))

    assert "references" in refused.value.message_dict
    assert not Article.objects.exists()


def test_every_malformed_reference_is_reported_at_once():
    references = [{"title": "One", "doi": "bad"}, {"title": "Two", "pmid": "bad"}]

    with pytest.raises(ValidationError) as refused:
        article_create(by=make_writer(), content=complete_content(references=references))

    messages = " ".join(refused.value.message_dict["references"])
    assert "Reference 1" in messages
    assert "Reference 2" in messages


def test_a_well_formed_doi_and_pmid_are_stored():
    references = [{"title": "A trial", "doi": "10.1056/NEJMoa2034577", "pmid": "33301246"}]

    article = article_create(by=make_writer(), content=complete_content(references=references))

    stored = Reference.objects.get(article=article)
    assert (stored.doi, stored.pmid) == ("10.1056/NEJMoa2034577", "33301246")


def test_a_malformed_reference_on_edit_leaves_the_stored_references_alone():
    writer = make_writer()
    article = make_draft(writer)

    with pytest.raises(ValidationError):
        edit_article(article, writer, references=[{"title": "Broken", "doi": "doi is missing"}])

    assert Reference.objects.filter(article=article).count() == 3
