"""Reader feedback in the service layer (reviews.feedback): what a report is tied to, what editors
may do with it, and how a re-review carries it to the reviewer."""
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.errors import NotAllowed, TransitionRefused
from articles.models import Article, ArticleType, AuditEntry
from reviews.feedback import (ReReview, feedback_dismiss, feedback_note, feedback_receive,
                              feedback_send_to_re_review, new_feedback_count, reports_for_review)
from reviews.models import FEEDBACK_MESSAGE_LIMIT, ReaderFeedback
from reviews.workflow import article_approve, article_submit
from tests.factories import (ALL_YES, another_reviewer, as_reviewed, edit_article, make_editor, make_published,
                             make_reviewer, make_writer)

State = ReaderFeedback.State


def fresh(article) -> Article:
    return Article.objects.select_related("live_publication").get(pk=article.pk)


def report(article, message="The dose in the second table is ten times too high.", **extra) -> ReaderFeedback:
    return feedback_receive(live=fresh(article).live_publication, message=message, **extra)


def approve_again(article, reviewer=None):
    article_approve(**as_reviewed(article), by=reviewer or another_reviewer(), checklist=dict(ALL_YES), rating=4)


# --- Receiving a report ---

def test_a_report_is_tied_to_the_live_publication_by_default():
    article = make_published()

    feedback = report(article, email="reader@example.org")

    assert (feedback.article_id, feedback.publication_id) == (article.pk, fresh(article).live_publication_id)
    assert (feedback.state, feedback.email, feedback.handled_by) == (State.NEW, "reader@example.org", None)


def test_a_report_names_the_earlier_publication_the_reader_saw():
    article = make_published()
    seen = fresh(article).live_publication_id
    article_submit(article=fresh(article), by=make_editor())
    approve_again(article)

    feedback = report(article, seen_publication_id=str(seen))

    assert feedback.publication_id == seen != fresh(article).live_publication_id


def test_a_publication_of_another_article_is_replaced_by_the_live_one():
    article, other = make_published(), make_published()

    for claimed in (fresh(other).live_publication_id, "999999", "not a number", None):
        feedback = report(article, seen_publication_id=claimed)
        assert feedback.publication_id == fresh(article).live_publication_id, claimed


def test_the_message_is_kept_as_typed_inside_its_surrounding_space():
    article = make_published()
    typed = "<script>alert(1)</script> & the dose\r\nsays 500 mg"

    assert report(article, message=f"  {typed}\n ").message == typed


@pytest.mark.parametrize("message", ["", "   \n\t "])
def test_an_empty_message_is_refused(message):
    article = make_published()

    with pytest.raises(ValidationError) as refused:
        report(article, message=message)

    assert list(refused.value.message_dict) == ["message"]
    assert not ReaderFeedback.objects.exists()


def test_a_message_over_the_limit_is_refused_and_one_at_it_is_kept():
    article = make_published()

    with pytest.raises(ValidationError, match="2,000 characters"):
        report(article, message="x" * (FEEDBACK_MESSAGE_LIMIT + 1))
    assert len(report(article, message="x" * FEEDBACK_MESSAGE_LIMIT).message) == FEEDBACK_MESSAGE_LIMIT


def test_an_address_that_is_not_an_email_is_refused_with_the_message_problem_too():
    article = make_published()

    with pytest.raises(ValidationError) as refused:
        report(article, message=" ", email="not an address")

    assert sorted(refused.value.message_dict) == ["email", "message"]


def test_the_database_refuses_an_empty_message_and_a_handled_report_without_who():
    article = make_published()
    publication = fresh(article).live_publication
    with pytest.raises(IntegrityError), transaction.atomic():
        ReaderFeedback.objects.create(article=article, publication=publication, message="")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReaderFeedback.objects.create(article=article, publication=publication, message="x", state=State.DISMISSED)


# --- Triage ---

def test_only_editors_may_triage_a_report():
    article = make_published()
    feedback = report(article)

    for person in (make_writer(), make_reviewer()):
        with pytest.raises(NotAllowed):
            feedback_dismiss(feedback=feedback, by=person)
        with pytest.raises(NotAllowed):
            feedback_send_to_re_review(feedback=feedback, by=person)
    assert ReaderFeedback.objects.get().state == State.NEW


def test_dismissing_records_who_and_when_and_settles_the_report():
    editor = make_editor()
    feedback = report(make_published())

    feedback = feedback_dismiss(feedback=feedback, by=editor, note="Spam.")

    assert (feedback.state, feedback.handled_by, feedback.editor_note) == (State.DISMISSED, editor, "Spam.")
    assert feedback.handled_at is not None
    with pytest.raises(ValidationError, match="already dismissed"):
        feedback_note(feedback=feedback, by=make_editor(), note="Second thoughts.")


def test_a_note_needs_text_and_a_noted_report_can_still_be_sent_on():
    editor = make_editor()
    feedback = report(make_published())

    with pytest.raises(ValidationError):
        feedback_note(feedback=feedback, by=editor, note="  ")
    feedback = feedback_note(feedback=feedback, by=editor, note="Replied by email.")
    assert feedback.state == State.NOTED

    assert feedback_send_to_re_review(feedback=feedback, by=editor) == ReReview.START
    feedback.refresh_from_db()
    assert (feedback.state, feedback.editor_note) == (State.RE_REVIEW, "Replied by email.")


def test_the_new_count_counts_only_reports_waiting_for_an_editor():
    article = make_published()
    first = report(article)
    report(article)
    feedback_dismiss(feedback=first, by=make_editor())

    assert new_feedback_count() == 1


# --- Re-review ---

def test_start_re_review_submits_a_published_article_through_the_workflow():
    editor = make_editor()
    article = make_published()
    feedback = report(article)

    outcome = feedback_send_to_re_review(feedback=feedback, by=editor, note="Check the dose table.")

    article = fresh(article)
    submission = AuditEntry.objects.filter(article=article, action="submit").order_by("-id").first()
    assert outcome == ReReview.START
    assert article.status == Article.Status.IN_REVIEW
    assert (submission.actor, submission.from_status) == (editor, "published")
    assert "ten times too high" in submission.comment and "Check the dose table." in submission.comment


def test_start_re_review_attaches_the_message_for_the_reviewer():
    article = make_published()
    feedback = report(article)
    feedback_send_to_re_review(feedback=feedback, by=make_editor(), note="Check the dose table.")

    shown = reports_for_review(fresh(article))

    assert [(r.message, r.editor_note) for r in shown] == [
        ("The dose in the second table is ten times too high.", "Check the dose table.")]


def test_the_reports_leave_the_review_page_once_an_approval_answers_them():
    article = make_published()
    feedback_send_to_re_review(feedback=report(article), by=make_editor())

    approve_again(article)

    assert reports_for_review(fresh(article)) == []


def test_a_report_sent_while_in_review_joins_the_review_under_way():
    editor = make_editor()
    article = make_published()
    feedback_send_to_re_review(feedback=report(article, message="First report."), by=editor)
    submissions = AuditEntry.objects.filter(article=article, action="submit").count()

    outcome = feedback_send_to_re_review(feedback=report(article, message="Second report."), by=editor)

    assert outcome == ReReview.JOIN
    assert AuditEntry.objects.filter(article=article, action="submit").count() == submissions
    assert [r.message for r in reports_for_review(fresh(article))] == ["First report.", "Second report."]


def test_a_report_about_an_article_with_a_draft_under_way_waits_for_its_next_submission():
    writer = make_writer()
    article = make_published(writer)
    edit_article(article, writer, summary="A summary the writer is still working on.")
    feedback = report(article)

    outcome = feedback_send_to_re_review(feedback=feedback, by=make_editor())

    assert outcome == ReReview.NEXT
    assert fresh(article).status == Article.Status.DRAFT  # the writer's draft is not submitted for them
    article_submit(article=fresh(article), by=writer)
    assert [r.pk for r in reports_for_review(fresh(article))] == [feedback.pk]


def test_a_refused_re_review_leaves_the_report_new():
    article = make_published()
    feedback = report(article)
    # The type now asks for more sources than the article cites: the gate refuses the submission.
    ArticleType.objects.filter(pk=article.article_type_id).update(min_references=10)

    with pytest.raises(TransitionRefused):
        feedback_send_to_re_review(feedback=feedback, by=make_editor())

    feedback.refresh_from_db()
    assert feedback.state == State.NEW
    assert fresh(article).status == Article.Status.PUBLISHED
