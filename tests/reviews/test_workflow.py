"""The review workflow: the state graph, the audit log, who may approve, and what approval publishes."""
import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from reversion.models import Version

from articles.errors import InvalidTransition, NotAllowed, TransitionRefused
from articles.models import Article, ArticleSection, AuditEntry, Publication, Reference
from reviews.permissions import REVIEWERS, WRITERS
from articles.selectors import article_history
from reviews.models import Review, ReviewComment, ReviewerProfile
from reviews.services import comment_add, comment_answer, comment_resolve
from reviews.workflow import (
    Action,
    article_approve,
    article_request_changes,
    article_submit,
    article_unpublish,
    article_withdraw,
    next_status,
)
from reviews.comments import NewComment
from tests.factories import (
    as_reviewed,
    ALL_YES,
    content_of,
    edit_article,
    make_draft,
    make_editor,
    make_in_review,
    make_published,
    make_reviewer,
    make_user,
    make_writer,
)

# DESIGN.md's lifecycle. The last two rows: editing a published article leaves a draft (or a new
# submission) beside a live publication, and an editor can still take that publication down.
EXPECTED_TRANSITIONS = {
    ("draft", "submit"): "in_review",
    ("in_review", "withdraw"): "draft",
    ("in_review", "request_changes"): "draft",
    ("in_review", "approve"): "published",
    ("published", "unpublish"): "draft",
    ("draft", "unpublish"): "draft",
    ("in_review", "unpublish"): "in_review",
    # Re-review of an unchanged published article; approval with a go-live time; its go-live.
    ("published", "submit"): "in_review",
    ("in_review", "schedule"): "scheduled",
    ("scheduled", "go_live"): "published",
    ("scheduled", "unschedule"): "draft",
    ("scheduled", "unpublish"): "scheduled",
    # Saving content: a published article gets a new draft; in review or scheduled, read-only.
    ("draft", "edit"): "draft",
    ("published", "edit"): "draft",
    ("draft", "revert"): "draft",
    ("published", "revert"): "draft",
    ("draft", "waive_finding"): "draft",
    ("published", "waive_finding"): "published",
    # A reviewer's comment decides nothing.
    ("in_review", "comment"): "in_review",
}
STATES = ("draft", "in_review", "scheduled", "published")


def test_the_read_only_states_are_those_where_content_cannot_be_saved():
    from reviews.states import READ_ONLY_STATES

    assert READ_ONLY_STATES == {"in_review", "scheduled"}


MANDATORY_CHECKLIST = ("accuracy", "claims_substantiated", "sources_adequate", "safety_sections_complete",
                       "dosing_safe", "regulatory_framing", "no_commercial_content")
NOT_ALLOWED_PAIRS = [(state, action) for state, action in itertools.product(STATES, list(Action))
                     if (state, action.value) not in EXPECTED_TRANSITIONS]


def approve(article, reviewer=None, **overrides):
    values = {"checklist": dict(ALL_YES), "rating": 4, **overrides}
    return article_approve(**as_reviewed(article), by=reviewer or make_reviewer(), **values)


def newest_revision(article):
    return Version.objects.get_for_object(Article.objects.get(pk=article.pk)).first().revision


def new_audit_rows(article, act):
    before = set(AuditEntry.objects.filter(article=article).values_list("pk", flat=True))
    act()
    return list(AuditEntry.objects.filter(article=article).exclude(pk__in=before))


def reload(article):
    return Article.objects.get(pk=article.pk)


# --- The state graph is pure ---

@pytest.mark.parametrize("state, action", EXPECTED_TRANSITIONS)
def test_each_transition_in_the_lifecycle_leads_to_its_state(state, action):
    assert next_status(state, Action(action)) == EXPECTED_TRANSITIONS[(state, action)]


@pytest.mark.parametrize("state, action", NOT_ALLOWED_PAIRS)
def test_an_action_outside_the_lifecycle_is_an_invalid_transition(state, action):
    with pytest.raises(InvalidTransition):
        next_status(state, action)


def test_an_unknown_state_is_an_invalid_transition():
    with pytest.raises(InvalidTransition):
        next_status("archived", Action.SUBMIT)


def test_approving_a_draft_is_refused_as_an_invalid_transition():
    article = make_draft()

    with pytest.raises(InvalidTransition):
        approve(article)

    assert not Publication.objects.filter(article=article).exists()


def test_submitting_an_article_already_in_review_is_refused_as_an_invalid_transition():
    article = make_in_review()

    with pytest.raises(InvalidTransition):
        article_submit(article=article, by=article.authors.first())


# --- One audit row per transition ---

def test_submitting_writes_one_audit_row_with_the_submitter_states_and_revision():
    writer = make_writer()
    article = make_draft(writer)
    revision = newest_revision(article)

    rows = new_audit_rows(article, lambda: article_submit(article=article, by=writer, comment="Ready"))

    assert [(r.actor, r.action, r.from_status, r.to_status, r.revision, r.comment) for r in rows] == [
        (writer, "submit", "draft", "in_review", revision, "Ready")]


def test_withdrawing_writes_one_audit_row_and_keeps_the_content():
    writer = make_writer()
    article = make_in_review(writer)
    revision = newest_revision(article)
    before = content_of(article)

    rows = new_audit_rows(article, lambda: article_withdraw(article=article, by=writer))

    assert [(r.actor, r.action, r.from_status, r.to_status, r.revision) for r in rows] == [
        (writer, "withdraw", "in_review", "draft", revision)]
    assert content_of(article) == before


def test_requesting_changes_writes_one_audit_row():
    article = make_in_review()
    revision = newest_revision(article)
    reviewer = make_reviewer()

    rows = new_audit_rows(article, lambda: article_request_changes(**as_reviewed(article), by=reviewer, comments=[NewComment("side_effects", "Give the rate of liver injury.")]))

    assert [(r.actor, r.action, r.from_status, r.to_status, r.revision) for r in rows] == [
        (reviewer, "request_changes", "in_review", "draft", revision)]


def test_approving_writes_one_audit_row():
    article = make_in_review()
    revision = newest_revision(article)
    reviewer = make_reviewer()

    rows = new_audit_rows(article, lambda: approve(article, reviewer))

    assert [(r.actor, r.action, r.from_status, r.to_status, r.revision) for r in rows] == [
        (reviewer, "approve", "in_review", "published", revision)]


def test_unpublishing_writes_one_audit_row_naming_the_withdrawn_revision():
    article = make_published()
    revision = reload(article).live_publication.revision
    editor = make_editor()

    rows = new_audit_rows(article, lambda: article_unpublish(article=article, by=editor, reason="Legal hold"))

    assert [(r.actor, r.action, r.from_status, r.to_status, r.revision, r.comment) for r in rows] == [
        (editor, "unpublish", "published", "draft", revision, "Legal hold")]


def test_an_audit_entry_cannot_be_edited():
    entry = AuditEntry.objects.get(article=make_in_review())
    entry.comment = "Rewritten history"

    with pytest.raises(ValidationError):
        entry.save()

    assert AuditEntry.objects.get(pk=entry.pk).comment == ""


def test_an_audit_entry_cannot_be_deleted():
    entry = AuditEntry.objects.get(article=make_in_review())

    with pytest.raises(ValidationError):
        entry.delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_audit_entries_cannot_be_deleted_in_bulk():
    article = make_in_review()

    try:
        with transaction.atomic():
            AuditEntry.objects.filter(article=article).delete()
    except (ValidationError, DatabaseError):
        pass

    assert AuditEntry.objects.filter(article=article).count() == 1


# --- No one approves content they changed ---

def test_an_author_who_is_a_credentialled_reviewer_cannot_approve_their_own_article():
    author = make_user(groups=[WRITERS, REVIEWERS], credentials="MD")
    article = make_in_review(author)

    with pytest.raises(NotAllowed):
        approve(article, author)

    assert reload(article).status == Article.Status.IN_REVIEW
    assert not Publication.objects.filter(article=article).exists()


def test_a_superuser_reviewer_who_saved_a_revision_since_the_last_approval_cannot_approve():
    writer = make_writer()
    article = make_published(writer)
    root = make_user(groups=[REVIEWERS], credentials="MD", is_superuser=True, is_staff=True)
    edit_article(article, root, summary="A summary the superuser rewrote.")
    article_submit(article=article, by=writer)

    with pytest.raises(NotAllowed):
        approve(article, root)

    assert reload(article).status == Article.Status.IN_REVIEW


def test_a_reviewer_who_saved_only_before_the_last_approval_may_approve_the_next_revision():
    writer = make_writer()
    root = make_user(groups=[REVIEWERS], credentials="MD", is_superuser=True, is_staff=True)
    article = make_draft(writer)
    edit_article(article, root, summary="Fixed before the first review.")
    article_submit(article=article, by=writer)
    approve(article)
    edit_article(article, writer, summary="The writer's update after publication.")
    article_submit(article=article, by=writer)

    approve(article, root)

    assert reload(article).status == Article.Status.PUBLISHED


def test_an_editor_who_is_not_a_reviewer_cannot_approve():
    article = make_in_review()

    with pytest.raises(NotAllowed):
        approve(article, make_editor())


@pytest.mark.parametrize("credentials", [None, "   "])
def test_approval_needs_a_reviewer_profile_with_credentials(credentials):
    reviewer = make_user(groups=[REVIEWERS])
    if credentials is not None:
        ReviewerProfile.objects.create(user=reviewer, credentials=credentials)
    article = make_in_review()

    with pytest.raises(TransitionRefused) as refused:
        approve(article, reviewer)

    assert list(refused.value.by_field()) == ["reviewer"]
    assert reload(article).status == Article.Status.IN_REVIEW


def test_two_reviewers_with_the_same_name_can_both_approve():
    make_reviewer(first_name="Sam", last_name="Lee")
    second = make_reviewer(first_name="Sam", last_name="Lee", credentials="RN")
    article = make_in_review()

    approve(article, second)

    assert reload(article).live_publication.reviewer_credentials == "RN"


# --- Approval guards ---

@pytest.mark.parametrize("key", MANDATORY_CHECKLIST)
def test_approval_is_refused_when_a_mandatory_checklist_item_is_not_yes(key):
    article = make_in_review()

    with pytest.raises(TransitionRefused) as refused:
        approve(article, checklist={**ALL_YES, key: False})

    assert list(refused.value.by_field()) == [f"checklist.{key}"]
    assert reload(article).status == Article.Status.IN_REVIEW


@pytest.mark.parametrize("key", MANDATORY_CHECKLIST)
def test_approval_is_refused_when_a_mandatory_checklist_item_is_unanswered(key):
    article = make_in_review()
    checklist = {k: v for k, v in ALL_YES.items() if k != key}

    with pytest.raises(TransitionRefused) as refused:
        approve(article, checklist=checklist)

    assert list(refused.value.by_field()) == [f"checklist.{key}"]


@pytest.mark.parametrize("key", ["balance", "uncertainty_stated", "alternatives", "dates_current"])
def test_an_optional_checklist_item_answered_no_does_not_block_approval(key):
    article = make_in_review()

    approve(article, checklist={**ALL_YES, key: False})

    assert reload(article).status == Article.Status.PUBLISHED


@pytest.mark.parametrize("rating", [None, 0, 6])
def test_approval_is_refused_without_a_rating_from_1_to_5(rating):
    article = make_in_review()

    with pytest.raises(TransitionRefused) as refused:
        approve(article, rating=rating)

    assert list(refused.value.by_field()) == ["rating"]


def test_approval_is_refused_while_a_comment_is_unresolved():
    article = make_in_review()
    reviewer = make_reviewer()
    comment_add(article=article, by=reviewer, comment=NewComment("interactions", "Mention grapefruit juice."))

    with pytest.raises(TransitionRefused) as refused:
        approve(article, reviewer)

    assert list(refused.value.by_field()) == ["comments"]


def test_resolving_the_last_comment_lets_approval_through():
    writer = make_writer()
    article = make_in_review(writer)
    reviewer = make_reviewer()
    comment = comment_add(article=article, by=reviewer, comment=NewComment("interactions", "Mention grapefruit."))

    comment_answer(comment=comment, by=writer, reply="Grapefruit is covered under foods.")
    comment_resolve(comment=comment, by=reviewer)
    approve(article, reviewer)

    assert reload(article).status == Article.Status.PUBLISHED


def test_approval_refusal_lists_every_reason_at_once():
    article = make_in_review()
    reviewer = make_reviewer()
    comment_add(article=article, by=reviewer, comment=NewComment("general", "One open question."))

    with pytest.raises(TransitionRefused) as refused:
        approve(article, reviewer, checklist={**ALL_YES, "accuracy": False, "dosing_safe": False}, rating=None)

    assert set(refused.value.by_field()) == {"checklist.accuracy", "checklist.dosing_safe", "rating", "comments"}


@pytest.mark.parametrize("bypass", [
    lambda a: ArticleSection.objects.filter(article=a, key="dosing_statement").update(
        content="<p>Take 500 mg twice a day.</p>"),
    lambda a: Article.objects.filter(pk=a.pk).update(title="A title nobody reviewed"),
    lambda a: Reference.objects.filter(article=a, position=1).update(doi="10.1000/swapped"),
], ids=["section", "title", "reference"])
def test_approval_is_refused_when_content_changed_after_submission_outside_the_services(bypass):
    article = make_in_review()
    bypass(article)

    with pytest.raises(TransitionRefused) as refused:
        approve(article)

    assert "content" in refused.value.by_field()
    assert not Publication.objects.filter(article=article).exists()


# --- What approval publishes ---

def test_approval_publishes_a_snapshot_of_the_submitted_content():
    writer = make_writer(first_name="Wes", last_name="Tan")
    article = make_in_review(writer, title="Kava and the liver")
    submitted = content_of(article)

    approve(article)

    publication = reload(article).live_publication
    assert (publication.title, publication.summary, publication.body) == (
        submitted.title, submitted.summary, submitted.body)
    assert [(s["key"], s["html"]) for s in publication.sections] == list(submitted.sections.items())
    assert [(r["title"], r["doi"], r["pmid"]) for r in publication.references] == [
        (r["title"], r["doi"], r["pmid"]) for r in submitted.references]


def test_approval_records_the_reviewer_name_and_credentials():
    article = make_in_review()

    approve(article, make_reviewer(first_name="Amara", last_name="Okafor", credentials="PharmD"))

    publication = reload(article).live_publication
    assert (publication.reviewer_name, publication.reviewer_credentials) == ("Amara Okafor", "PharmD")


def test_approval_records_when_it_was_reviewed():
    article = make_in_review()
    before = timezone.now()
    approve(article)
    after = timezone.now()

    assert before <= reload(article).live_publication.reviewed_at <= after


def test_approval_records_the_approved_revision_and_its_content_hash():
    article = make_in_review()
    submitted_hash = reload(article).submitted_hash
    revision = newest_revision(article)

    approve(article)

    publication = reload(article).live_publication
    assert publication.revision == revision
    assert publication.content_hash == submitted_hash == content_of(article).hash()


@pytest.mark.parametrize("type_key, reviewed_on, due", [
    ("substance", datetime.date(2024, 3, 15), datetime.date(2025, 3, 15)),
    ("condition", datetime.date(2024, 3, 15), datetime.date(2026, 3, 15)),
    ("treatment", datetime.date(2024, 3, 15), datetime.date(2026, 3, 15)),
    ("wellness", datetime.date(2024, 3, 15), datetime.date(2026, 3, 15)),
    ("substance", datetime.date(2024, 2, 29), datetime.date(2025, 2, 28)),
])
def test_the_next_review_falls_due_after_the_types_interval(monkeypatch, type_key, reviewed_on, due):
    article = make_in_review(type_key=type_key)
    noon = datetime.datetime.combine(reviewed_on, datetime.time(12), tzinfo=datetime.timezone.utc)
    monkeypatch.setattr("django.utils.timezone.now", lambda: noon)

    approve(article)

    assert reload(article).live_publication.next_review_due == due


def test_a_publication_cannot_be_edited():
    publication = reload(make_published(title="The approved title")).live_publication
    publication.title = "A quietly changed title"

    with pytest.raises(ValidationError):
        publication.save()

    assert Publication.objects.get(pk=publication.pk).title == "The approved title"


def test_a_publication_cannot_be_deleted():
    publication = reload(make_published()).live_publication

    with pytest.raises(ValidationError):
        publication.delete()

    assert Publication.objects.filter(pk=publication.pk).exists()


def test_a_publication_cannot_be_rewritten_with_a_queryset_update():
    publication = reload(make_published(title="The approved title")).live_publication

    try:
        with transaction.atomic():
            Publication.objects.filter(pk=publication.pk).update(title="Unreviewed title")
    except (ValidationError, DatabaseError):
        pass

    assert Publication.objects.get(pk=publication.pk).title == "The approved title"


# --- Requesting changes ---

def test_requesting_changes_sends_the_article_back_to_draft():
    article = make_in_review()

    article_request_changes(**as_reviewed(article), by=make_reviewer(),
                            comments=[NewComment("side_effects", "Give the rate of liver injury.")])

    assert reload(article).status == Article.Status.DRAFT


def test_requesting_changes_stores_each_comment_against_its_section():
    article = make_in_review()

    article_request_changes(**as_reviewed(article), by=make_reviewer(), comments=[
        NewComment("side_effects", "Give the rate of liver injury."),
        NewComment("dosing_statement", "Cite the source of the dose."),
    ])

    comments = ReviewComment.objects.filter(article=article).order_by("id")
    assert [(c.section, c.text, c.is_resolved) for c in comments] == [
        ("side_effects", "Give the rate of liver injury.", False),
        ("dosing_statement", "Cite the source of the dose.", False),
    ]


@pytest.mark.parametrize("comments", [[], [NewComment("general", "   ")]], ids=["none", "blank"])
def test_requesting_changes_without_a_comment_is_refused(comments):
    article = make_in_review()

    with pytest.raises(TransitionRefused):
        article_request_changes(**as_reviewed(article), by=make_reviewer(), comments=comments)

    assert reload(article).status == Article.Status.IN_REVIEW
    assert not Review.objects.filter(article=article).exists()


def test_a_comment_on_a_part_the_article_does_not_have_is_refused():
    article = make_in_review()

    with pytest.raises(TransitionRefused):
        article_request_changes(**as_reviewed(article), by=make_reviewer(), comments=[NewComment("horoscope", "Hm.")])

    assert reload(article).status == Article.Status.IN_REVIEW


def test_a_writer_cannot_request_changes():
    article = make_in_review()

    with pytest.raises(NotAllowed):
        article_request_changes(**as_reviewed(article), by=make_writer(), comments=[NewComment("general", "Looks off.")])


# --- Unpublishing ---

def test_unpublishing_takes_the_public_page_down(client):
    article = make_published()
    assert client.get(f"/articles/{article.slug}/").status_code == 200

    article_unpublish(article=article, by=make_editor(), reason="A safety signal is being assessed")

    assert client.get(f"/articles/{article.slug}/").status_code == 404


def test_unpublishing_keeps_the_revisions_publications_and_audit_log():
    article = make_published()
    revisions = [meta.revision_id for meta in article_history(article)]
    publications = list(Publication.objects.filter(article=article).values_list("pk", flat=True))
    audit = list(AuditEntry.objects.filter(article=article).values_list("pk", flat=True))

    article_unpublish(article=article, by=make_editor(), reason="Legal hold")

    assert [meta.revision_id for meta in article_history(article)] == revisions
    assert list(Publication.objects.filter(article=article).values_list("pk", flat=True)) == publications
    assert set(audit) < set(AuditEntry.objects.filter(article=article).values_list("pk", flat=True))


@pytest.mark.parametrize("who", ["author", "reviewer", "other writer"])
def test_only_an_editor_can_unpublish(client, who):
    article = make_published()
    person = {"author": lambda: article.authors.first(),
              "reviewer": lambda: make_reviewer(first_name="Noor", last_name="Haddad"),
              "other writer": make_writer}[who]()

    with pytest.raises(NotAllowed):
        article_unpublish(article=article, by=person, reason="I changed my mind")

    assert client.get(f"/articles/{article.slug}/").status_code == 200


def test_an_unpublished_article_can_be_reviewed_and_published_again(client):
    writer = make_writer()
    article = make_published(writer, title="Back after the legal hold")
    article_unpublish(article=article, by=make_editor(), reason="Legal hold")
    article_submit(article=article, by=writer)

    approve(article, make_reviewer(first_name="Noor", last_name="Haddad"))

    assert reload(article).status == Article.Status.PUBLISHED
    assert "Back after the legal hold" in client.get(f"/articles/{article.slug}/").content.decode()


def test_unpublishing_needs_a_reason():
    article = make_published()

    with pytest.raises(TransitionRefused) as refused:
        article_unpublish(article=article, by=make_editor(), reason="  ")

    assert list(refused.value.by_field()) == ["reason"]
    assert reload(article).live_publication_id is not None
