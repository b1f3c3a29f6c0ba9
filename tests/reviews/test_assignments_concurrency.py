"""Two reviewers taking one review at once: one gets it, the other is told who has it (PostgreSQL
row locks; issue 15). Two reminder runs at once send each reminder once."""
import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from articles.errors import NotAllowed
from reviews.assignments import assignment_claim, assignment_reminders_send, open_assignment
from tests.factories import another_reviewer, make_editor, make_in_review
from tests.reviews.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_reviewers_taking_one_review_at_once_leave_it_with_one():
    article = make_in_review()
    first, second = another_reviewer(), another_reviewer()

    outcomes = run_together(lambda: assignment_claim(article=article, by=first),
                            lambda: assignment_claim(article=article, by=second))

    assert sum(isinstance(outcome, NotAllowed) for outcome in outcomes) == 1
    assert open_assignment(article).assignee in (first, second)


def test_two_reminder_runs_at_once_send_each_reminder_once():
    make_editor(email="editor@example.org")
    make_in_review()
    later = timezone.localdate() + datetime.timedelta(days=6)
    with time_machine.travel(later, tick=False):
        outcomes = run_together(assignment_reminders_send, assignment_reminders_send)
    assert sum(len(outcome) for outcome in outcomes) == 1
    assert len(mail.outbox) == 1
