"""Review assignments and due dates (issue 15): each step of a submission waits for one person, who
is assigned by an editor or takes it, by a due date the article type sets and an editor moves."""
import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.errors import InvalidTransition, NotAllowed
from articles.models import ArticleType, AuditEntry
from reviews.assignments import assignment_assign, assignment_claim, assignment_due_set, open_assignment
from reviews.log import describe
from reviews.models import ReviewAssignment
from reviews.permissions import role_refusal, step_taker_refusal
from reviews.states import Action
from reviews.workflow import article_submit, article_withdraw
from tests.factories import edit_article, make_draft, make_editor, make_in_review, make_reviewer, make_writer
from tests.reviews.test_review_steps import make_pharmacist, reload, sign

TODAY = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_a_submission_opens_an_unassigned_step_due_after_the_types_turnaround():
    article = make_in_review()

    assignment = open_assignment(article)
    assert assignment.step_name == "Medical review" and assignment.assignee is None
    assert assignment.due_on == datetime.date(2027, 3, 8)  # seven days, the default turnaround


def test_the_due_date_follows_the_turnaround_an_editor_set_for_the_type():
    ArticleType.objects.filter(key="condition").update(review_turnaround_days=3)

    article = make_in_review(type_key="condition")

    assert open_assignment(article).due_on == datetime.date(2027, 3, 4)


def test_an_editor_moves_the_due_date_and_the_audit_says_so():
    article, editor = make_in_review(), make_editor()

    assignment_due_set(article=article, due_on=datetime.date(2027, 3, 20), by=editor)

    assert open_assignment(article).due_on == datetime.date(2027, 3, 20)
    entry = AuditEntry.objects.filter(article=article).first()
    assert describe(entry).startswith("Moved the Medical review due date to 2027-03-20 by")


def test_a_due_date_in_the_past_is_refused_and_only_editors_move_it():
    article = make_in_review()
    with pytest.raises(ValidationError):
        assignment_due_set(article=article, due_on=datetime.date(2027, 2, 1), by=make_editor())
    with pytest.raises(NotAllowed):
        assignment_due_set(article=article, due_on=datetime.date(2027, 3, 20), by=make_reviewer())
    assert open_assignment(article).due_on == datetime.date(2027, 3, 8)


def test_an_editor_assigns_the_step_to_a_member_of_its_group():
    article, editor, reviewer = make_in_review(), make_editor(), make_reviewer()

    assignment_assign(article=article, to=reviewer, by=editor)

    assignment = open_assignment(article)
    assert (assignment.assignee, assignment.assigned_by) == (reviewer, editor)
    entry = AuditEntry.objects.filter(article=article).first()
    assert entry.action == "assign" and entry.to_status == "in_review"
    assert describe(entry).startswith("Assigned the Medical review to Rita Osei by")


def test_an_author_of_the_article_cannot_be_assigned_its_review():
    writer_reviewer = make_reviewer()
    article = make_in_review(make_writer())
    article.authors.add(writer_reviewer)

    with pytest.raises(NotAllowed, match="wrote or changed this article"):
        assignment_assign(article=reload(article), to=writer_reviewer, by=make_editor())
    assert open_assignment(article).assignee is None


def test_someone_outside_the_steps_group_cannot_be_assigned_it():
    article = make_in_review(type_key="medicine")
    with pytest.raises(NotAllowed, match="is not in Medical reviewers"):
        assignment_assign(article=article, to=make_pharmacist(), by=make_editor())


def test_a_sign_off_ends_the_step_and_opens_the_next_unassigned():
    article, medical, editor = make_in_review(type_key="medicine"), make_reviewer(), make_editor()
    assignment_assign(article=article, to=medical, by=editor)

    sign(article, medical)

    first, second = ReviewAssignment.objects.filter(article=article).order_by("step_position")
    assert first.ended_at is not None and first.assignee == medical
    assert (second.step_name, second.assignee, second.ended_at) == ("Pharmacist review", None, None)
    # The medical reviewer signed the first step, and may not be given the second.
    with pytest.raises(NotAllowed):
        assignment_assign(article=reload(article), to=medical, by=editor)


def test_a_signer_of_an_earlier_step_may_not_take_the_next():
    article = make_in_review(type_key="medicine")
    both = make_pharmacist()
    both.groups.add(*make_reviewer().groups.all())
    sign(article, both)

    assert "signed an earlier step" in step_taker_refusal(both, reload(article))


def test_a_reviewer_takes_an_unassigned_step_but_not_one_assigned_to_someone_else():
    article, first, second = make_in_review(), make_reviewer(), make_reviewer()

    assignment_claim(article=article, by=first)
    assert open_assignment(article).assignee == first
    assert describe(AuditEntry.objects.filter(article=article).first()).startswith("Took the Medical review")

    with pytest.raises(NotAllowed, match="assigned to Rita Osei"):
        assignment_claim(article=article, by=second)


def test_a_writer_cannot_take_a_review_and_a_reviewer_cannot_assign_one():
    article = make_in_review()
    with pytest.raises(NotAllowed, match="You are not in Medical reviewers"):
        assignment_claim(article=article, by=make_writer())
    with pytest.raises(NotAllowed, match="Only editors"):
        assignment_assign(article=article, to=make_reviewer(), by=make_reviewer())


def test_a_withdrawal_ends_the_assignment_and_a_new_submission_opens_a_fresh_one():
    writer = make_writer()
    article, reviewer = make_in_review(writer), make_reviewer()
    assignment_assign(article=article, to=reviewer, by=make_editor())

    article_withdraw(article=article, by=writer)
    assert open_assignment(article) is None
    with pytest.raises(InvalidTransition):
        assignment_claim(article=article, by=reviewer)

    edit_article(article, writer, summary="What it is, and how to stay safe when using it.")
    article_submit(article=reload(article), by=writer)
    assert open_assignment(article).assignee is None
    assert ReviewAssignment.objects.filter(article=article).count() == 2


def test_publication_ends_the_last_steps_assignment():
    article, reviewer = make_in_review(), make_reviewer()
    assignment_claim(article=article, by=reviewer)

    sign(article, reviewer)

    assert open_assignment(article) is None
    assert not ReviewAssignment.objects.filter(ended_at__isnull=True).exists()


@pytest.mark.parametrize("who", ["member", "author", "outsider", "earlier signer"])
def test_who_may_take_a_step_is_who_may_sign_it(who):
    article = make_in_review(type_key="medicine")
    if who == "earlier signer":
        person = make_pharmacist()
        person.groups.add(*make_reviewer().groups.all())
        sign(article, person)
        article = reload(article)
        person = type(person).objects.get(pk=person.pk)
    elif who == "author":
        person = make_reviewer()
        article.authors.add(person)
        article = reload(article)
    else:
        person = make_reviewer() if who == "member" else make_pharmacist()

    assert (step_taker_refusal(person, article) is None) == (role_refusal(person, article, Action.APPROVE) is None)


def test_an_inactive_account_cannot_be_assigned():
    reviewer = make_reviewer()
    reviewer.is_active = False
    reviewer.save()
    with pytest.raises(NotAllowed, match="switched off"):
        assignment_assign(article=make_in_review(), to=reviewer, by=make_editor())


def test_a_draft_has_no_step_to_assign():
    with pytest.raises(InvalidTransition):
        assignment_assign(article=make_draft(), to=make_reviewer(), by=make_editor())
    assert timezone.localdate() == datetime.date(2027, 3, 1)


def test_an_editor_sets_a_types_turnaround_in_the_back_office(client):
    from django.urls import reverse

    from tests.factories import make_user

    admin = make_user(is_staff=True, is_superuser=True)
    client.force_login(admin)
    kind = ArticleType.objects.get(key="wellness")
    page = client.get(reverse("admin:articles_articletype_change", args=[kind.pk])).content.decode()
    assert 'name="review_turnaround_days"' in page
