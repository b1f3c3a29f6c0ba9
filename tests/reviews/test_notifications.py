"""Email notifications: who hears about what, only after the transition commits, as plain text,
and never to someone who turned the category off."""
import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from reviews.models import NotificationOptOut
from reviews.workflow import article_approve, article_request_changes, article_submit
from reviews.comments import NewComment
from tests.factories import as_reviewed, ALL_YES, make_draft, make_in_review, make_reviewer, make_writer


def test_submitting_emails_the_reviewers_after_the_transaction_commits(django_capture_on_commit_callbacks):
    reviewer = make_reviewer(email="doctor@example.org")
    writer = make_writer(email="writer@example.org")
    article = make_draft(writer, title="Ginseng and fatigue")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article_submit(article=article, by=writer)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert mail.outbox[0].subject == "Submitted for medical review: Ginseng and fatigue"


def test_a_transition_that_rolls_back_sends_nothing(django_capture_on_commit_callbacks):
    make_reviewer(email="doctor@example.org")
    writer = make_writer()
    article = make_draft(writer)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                article_submit(article=article, by=writer)
                raise RuntimeError("something later in the request failed")
    assert mail.outbox == []


def test_authors_hear_when_changes_are_requested_and_when_it_is_published(django_capture_on_commit_callbacks):
    writer = make_writer(email="writer@example.org")
    reviewer = make_reviewer(email="doctor@example.org")
    article = make_in_review(writer)
    with django_capture_on_commit_callbacks(execute=True):
        article_request_changes(**as_reviewed(article), by=reviewer, comments=[NewComment("side_effects", "Add liver risks.")])
    assert [m.to for m in mail.outbox] == [["writer@example.org"]]
    assert mail.outbox[0].subject.startswith("Changes requested")
    mail.outbox.clear()
    from reviews.models import ReviewComment
    from reviews.services import comment_answer, comment_resolve

    comment_answer(comment=ReviewComment.objects.get(article=article), by=writer)
    with django_capture_on_commit_callbacks(execute=True):
        article_submit(article=article, by=writer)
        comment_resolve(comment=ReviewComment.objects.get(article=article), by=reviewer)
        article_approve(**as_reviewed(article), by=reviewer, checklist=dict(ALL_YES), rating=4)
    published = [m for m in mail.outbox if m.subject.startswith("Published")]
    assert [m.to for m in published] == [["writer@example.org"]]


def test_nobody_gets_mail_about_their_own_action(django_capture_on_commit_callbacks):
    editor_reviewer = make_reviewer(email="both@example.org")
    from django.contrib.auth.models import Group

    editor_reviewer.groups.add(Group.objects.get(name="Editors"))
    article = make_draft(make_writer())
    with django_capture_on_commit_callbacks(execute=True):
        article_submit(article=article, by=editor_reviewer)
    assert mail.outbox == []


def test_a_person_who_turned_a_category_off_gets_none_of_it(django_capture_on_commit_callbacks):
    reviewer = make_reviewer(email="doctor@example.org")
    NotificationOptOut.objects.create(user=reviewer, category="submitted")
    writer = make_writer()
    with django_capture_on_commit_callbacks(execute=True):
        article_submit(article=make_draft(writer), by=writer)
    assert mail.outbox == []


def test_user_text_in_a_message_is_plain_text_as_typed(django_capture_on_commit_callbacks):
    """Mail is text/plain: markup in a title is shown as typed, never HTML-escaped nor rendered
    (tests/reviews/test_mail_plain_text.py has the rest)."""
    make_reviewer(email="doctor@example.org")
    writer = make_writer()
    article = make_draft(writer, title='<a href="https://evil.example">Click</a> here')
    with django_capture_on_commit_callbacks(execute=True):
        article_submit(article=article, by=writer)
    message = mail.outbox[0]
    assert message.content_subtype == "plain" and not getattr(message, "alternatives", None)
    assert '"<a href="https://evil.example">Click</a> here"' in message.body
    assert "&lt;" not in message.body
    assert "\n" not in message.subject


def test_people_turn_categories_off_and_on_from_the_desk(client):
    reviewer = make_reviewer(email="doctor@example.org")
    client.force_login(reviewer)
    page = client.get(reverse("desk:notifications")).content.decode()
    assert "submitted for medical review" in page
    form = {key: "on" for key in ("changes_requested", "approved", "published", "review_due", "unpublished",
                                  "assigned", "assignment_due")}
    client.post(reverse("desk:notifications"), form)
    assert set(reviewer.notification_opt_outs.values_list("category", flat=True)) == {"submitted"}
    client.post(reverse("desk:notifications"), {**form, "submitted": "on"})
    assert not reviewer.notification_opt_outs.exists()


def test_the_notification_page_needs_a_login(client):
    response = client.get(reverse("desk:notifications"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
