"""Who hears about review assignments (issue 15): the assignee and the editors, in the inbox and by
mail; a step nobody holds is still announced to its group; reminders go once before the due date
and once when it has passed, from the daily review_due run."""
import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from reviews.assignments import assignment_assign, assignment_claim, assignment_due_set
from reviews.models import InboxMessage, NotificationOptOut
from reviews.notifications import notify
from reviews.workflow import article_submit
from tests.factories import make_draft, make_editor, make_in_review, make_reviewer, make_writer

START = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)


def day(n: int):
    return time_machine.travel(START + datetime.timedelta(days=n), tick=False)


def told(category: str) -> set[str]:
    """Everyone with an inbox line of the category; the mails must go to the same people."""
    inboxed = {m.recipient.email for m in InboxMessage.objects.filter(category=category).select_related("recipient")}
    return inboxed


@pytest.fixture
def desk():
    people = {"writer": make_writer(email="writer@example.org"),
              "rita": make_reviewer(email="rita@example.org"),
              "other": make_reviewer(email="other@example.org", first_name="Omar", last_name="Haddad"),
              "editor": make_editor(email="editor@example.org"),
              "chief": make_editor(email="chief@example.org")}
    return people


def test_an_assignment_tells_only_the_assignee_and_the_other_editors(desk, django_capture_on_commit_callbacks):
    article = make_in_review(desk["writer"], title="Kava & anxiety")
    InboxMessage.objects.all().delete()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assignment_assign(article=article, to=desk["rita"], by=desk["editor"])

    assert told("assigned") == {"rita@example.org", "chief@example.org"}
    assert sorted(m.to[0] for m in mail.outbox) == ["chief@example.org", "rita@example.org"]
    assert mail.outbox[0].subject == "Medical review assigned to Rita Osei: Kava & anxiety"
    line = InboxMessage.objects.get(recipient=desk["rita"]).text
    assert f'{desk["editor"].username} assigned the Medical review of "Kava & anxiety" to Rita Osei' in line


def test_a_claim_tells_the_editors_who_took_it(desk, django_capture_on_commit_callbacks):
    article = make_in_review(desk["writer"], title="Ginseng")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assignment_claim(article=article, by=desk["other"])
    assert sorted(m.to[0] for m in mail.outbox) == ["chief@example.org", "editor@example.org"]
    assert mail.outbox[0].subject == "Medical review taken by Omar Haddad: Ginseng"


def test_while_unassigned_a_submission_tells_the_steps_group_as_before(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article_submit(article=make_draft(desk["writer"]), by=desk["writer"])
    assert sorted(m.to[0] for m in mail.outbox) == ["other@example.org", "rita@example.org"]


def test_once_assigned_the_submission_news_goes_to_the_assignee_and_the_editors_only(desk):
    article = make_in_review(desk["writer"])
    assignment_assign(article=article, to=desk["rita"], by=desk["editor"])
    InboxMessage.objects.all().delete()
    mail.outbox.clear()

    notify("submitted", article_id=article.pk, actor_id=desk["writer"].pk)

    assert told("submitted") == {"rita@example.org", "editor@example.org", "chief@example.org"}
    assert "other@example.org" not in [m.to[0] for m in mail.outbox]


def _review_due():
    mail.outbox.clear()
    call_command("review_due", stdout=None)
    return sorted((m.to[0], m.subject) for m in mail.outbox)


def test_the_assignee_is_reminded_once_before_the_due_date_and_once_when_it_is_overdue(desk):
    with day(0):
        article = make_in_review(desk["writer"], title="Ashwagandha")  # due on day 7
        assignment_claim(article=article, by=desk["rita"])
    with day(4):
        assert _review_due() == []
    with day(5):
        assert _review_due() == [("rita@example.org", "Review due 8 Mar 2027: Ashwagandha")]
        assert _review_due() == []
    with day(7):
        assert _review_due() == []
    with day(8):
        assert _review_due() == [("chief@example.org", "Review overdue since 8 Mar 2027: Ashwagandha"),
                                 ("editor@example.org", "Review overdue since 8 Mar 2027: Ashwagandha"),
                                 ("rita@example.org", "Review overdue since 8 Mar 2027: Ashwagandha")]
    with day(9):
        assert _review_due() == []
    assert InboxMessage.objects.filter(recipient=desk["rita"], category="assignment_due").count() == 2


def test_a_new_due_date_is_reminded_in_its_turn(desk):
    with day(0):
        article = make_in_review(desk["writer"], title="Valerian")
        assignment_claim(article=article, by=desk["rita"])
    with day(6):
        assert len(_review_due()) == 1
        assignment_due_set(article=article, due_on=datetime.date(2027, 3, 20), by=desk["editor"])
        assert _review_due() == []
    with day(17):
        assert _review_due() == [("rita@example.org", "Review due 20 Mar 2027: Valerian")]


def test_a_step_nobody_holds_is_reminded_to_the_editors(desk):
    with day(0):
        make_in_review(desk["writer"], title="Melatonin")
    with day(6):
        assert [to for to, _ in _review_due()] == ["chief@example.org", "editor@example.org"]


def test_a_person_who_turned_reminders_off_hears_none(desk):
    NotificationOptOut.objects.create(user=desk["rita"], category="assignment_due")
    with day(0):
        article = make_in_review(desk["writer"])
        assignment_claim(article=article, by=desk["rita"])
    with day(6):
        assert _review_due() == []


def test_a_dry_run_sends_no_reminder_and_keeps_them_owed(desk):
    with day(0):
        make_in_review(desk["writer"], title="Turmeric")
    with day(6):
        call_command("review_due", "--dry-run", stdout=None)
        assert mail.outbox == []
        assert len(_review_due()) == 2
