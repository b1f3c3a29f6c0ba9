"""Review assignments and due dates: who reviews the step a submission waits for, and by when.

A submission entering a step (the submit, then each sign-off but the last) opens one assignment,
unassigned, due the article type's turnaround later (ArticleType.review_turnaround_days). An
editor gives it to a member of the step's group, or one of them takes it; an editor can move its
due date. It ends when the step is signed or the submission ends (withdrawn, sent back, replaced).
The workflow (reviews.workflow) opens and ends them inside its transitions; the writes people
ask for are assignment_assign, assignment_claim and assignment_due_set, each one transaction
with one audit row. Who may is reviews.permissions' answer; an assignment routes the work and the
mail (reviews.notifications), it never decides who may sign.
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.audit import audit_record
from articles.errors import InvalidTransition, NotAllowed
from articles.models import Article, AuditEntry

from .models import ReviewAssignment
from .permissions import may_assign_reviews, step_taker_refusal
from .steps import steps_for

# Audit actions (reviews.log puts them in words). They change no state.
ASSIGN = "assign"
CLAIM = "claim"
DUE_DATE = "review_due_date"


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


# --- Inside the workflow's transitions (the caller holds the article's row lock) ---

def assignment_open(*, article: Article, submission: AuditEntry, step) -> ReviewAssignment:
    """The unassigned assignment of `step` (a ReviewStep, unsaved for a type without steps) for
    `submission`, due the type's turnaround from today. Any other open one of the article ends."""
    assignments_end(article=article)
    return ReviewAssignment.objects.create(
        article=article, submission=submission, step=step if step.pk else None, step_position=step.position,
        step_name=step.name, group_id=step.group_id,
        due_on=timezone.localdate() + datetime.timedelta(days=article.article_type.review_turnaround_days))


def assignment_open_first(*, article: Article, submission: AuditEntry) -> ReviewAssignment:
    """A new submission: the first step's assignment."""
    return assignment_open(article=article, submission=submission, step=steps_for(article.article_type)[0])


def assignments_end(*, article: Article) -> int:
    """End the article's open assignment (a step signed, a submission ended); returns how many."""
    # QuerySet.update is safe here: assignments are not versioned, and the row lock is held.
    return ReviewAssignment.objects.filter(article=article, ended_at__isnull=True).update(ended_at=timezone.now())


# --- Reads ---

def open_assignment(article: Article) -> ReviewAssignment | None:
    return (ReviewAssignment.objects.filter(article=article, ended_at__isnull=True)
            .select_related("assignee", "assigned_by", "group").first())


def latest_assignment(article: Article) -> ReviewAssignment | None:
    """The open assignment, else the one that ended last (what a notification is about)."""
    return (ReviewAssignment.objects.filter(article=article)
            .select_related("assignee", "assigned_by", "group")
            .order_by(F("ended_at").desc(nulls_first=True), "-id").first())


# --- Writes people ask for ---

def _locked(article: Article) -> tuple[Article, ReviewAssignment]:
    """The article's row locked (as every transition locks it, so a sign-off and an assignment
    never cross), with its open assignment, locked too."""
    article = Article.objects.select_for_update().select_related("article_type").get(pk=article.pk)
    # of=("self",): PostgreSQL locks no row on the nullable side of the join to the assignee.
    assignment = (ReviewAssignment.objects.select_for_update(of=("self",))
                  .filter(article=article, ended_at__isnull=True).select_related("assignee").first())
    if article.status != Article.Status.IN_REVIEW or assignment is None:
        raise InvalidTransition("The article is not in review, so there is no review step to assign.")
    return article, assignment


def _notify_after_commit(article: Article, *, actor) -> None:
    # As the workflow's notifications: only once committed, and a failure to notify never turns
    # the committed change into an error page.
    from .notifications import notify

    transaction.on_commit(lambda: notify("assigned", article_id=article.pk, actor_id=actor.pk), robust=True)


def _give(article: Article, assignment: ReviewAssignment, *, to, by, action: str) -> ReviewAssignment:
    previous = assignment.assignee
    assignment.assignee, assignment.assigned_by, assignment.assigned_at = to, by, timezone.now()
    # A new person is reminded in their turn.
    assignment.reminded_soon_at = assignment.reminded_overdue_at = None
    assignment.save(update_fields=["assignee", "assigned_by", "assigned_at", "reminded_soon_at",
                                   "reminded_overdue_at"])
    comment = (f"{assignment.step_name} taken by {person_name(to)}" if action == CLAIM
               else f"{assignment.step_name} assigned to {person_name(to)}"
               + (f" (was {person_name(previous)})" if previous else ""))
    audit_record(article=article, actor=by, action=action, from_status=article.status, to_status=article.status,
                 revision=article.submitted_revision, comment=f"{comment}, due {assignment.due_on:%Y-%m-%d}.",
                 details={"assignment": {"step": assignment.step_name, "assignee": to.get_username(),
                                         "assignee_name": person_name(to), "due_on": assignment.due_on.isoformat()}})
    _notify_after_commit(article, actor=by)
    return assignment


@transaction.atomic
def assignment_assign(*, article: Article, to, by) -> ReviewAssignment:
    """An editor gives the step the review waits for to `to`, who must be allowed to sign it.
    Reassigning is allowed; assigning it to its assignee again changes nothing."""
    if not may_assign_reviews(by):
        raise NotAllowed("Only editors assign reviews; a reviewer can take an unassigned one.")
    article, assignment = _locked(article)
    refusal = step_taker_refusal(to, article)
    if refusal:
        raise NotAllowed(refusal)
    if assignment.assignee_id == to.pk:
        return assignment
    return _give(article, assignment, to=to, by=by, action=ASSIGN)


@transaction.atomic
def assignment_claim(*, article: Article, by) -> ReviewAssignment:
    """A member of the step's group who may sign it takes the unassigned step."""
    article, assignment = _locked(article)
    refusal = step_taker_refusal(by, article, yourself=True)
    if refusal:
        raise NotAllowed(refusal)
    if assignment.assignee_id == by.pk:
        return assignment
    if assignment.assignee_id is not None:
        raise NotAllowed(f"The {assignment.step_name} is assigned to {person_name(assignment.assignee)}; "
                         "an editor can reassign it.")
    return _give(article, assignment, to=by, by=by, action=CLAIM)


@transaction.atomic
def assignment_due_set(*, article: Article, due_on: datetime.date, by) -> ReviewAssignment:
    """An editor moves the due date of the step the review waits for (today or later)."""
    if not may_assign_reviews(by):
        raise NotAllowed("Only editors change when a review is due.")
    if not isinstance(due_on, datetime.date):
        raise ValidationError({"due_on": "Give the due date as a date."})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "A due date is today or later."})
    article, assignment = _locked(article)
    if assignment.due_on == due_on:
        return assignment
    previous = assignment.due_on
    assignment.due_on = due_on
    # The new date is reminded in its turn.
    assignment.reminded_soon_at = assignment.reminded_overdue_at = None
    assignment.save(update_fields=["due_on", "reminded_soon_at", "reminded_overdue_at"])
    audit_record(article=article, actor=by, action=DUE_DATE, from_status=article.status, to_status=article.status,
                 revision=article.submitted_revision,
                 comment=f"{assignment.step_name} due {due_on:%Y-%m-%d} (was {previous:%Y-%m-%d}).",
                 details={"assignment": {"step": assignment.step_name, "due_on": due_on.isoformat(),
                                         "was": previous.isoformat()}})
    return assignment


# --- Reminders (the daily review_due run) ---

# The assignee is reminded this many days before the due date, and once more when it has passed.
REMIND_DAYS_BEFORE = 2


def assignment_reminders_due(today: datetime.date | None = None, *, days_before: int = REMIND_DAYS_BEFORE):
    """The open assignments a reminder is owed for now, each with `.reminder` "due_soon" or
    "overdue", soonest first: overdue and not reminded overdue, or due within `days_before` days
    and not reminded at all."""
    today = today or timezone.localdate()
    rows = []
    candidates = (ReviewAssignment.objects.filter(ended_at__isnull=True, due_on__lte=today + datetime.timedelta(
        days=days_before)).select_related("article", "assignee").order_by("due_on", "pk"))
    for assignment in candidates:
        if assignment.due_on < today:
            if assignment.reminded_overdue_at is None:
                assignment.reminder = "overdue"
                rows.append(assignment)
        elif assignment.reminded_soon_at is None and assignment.reminded_overdue_at is None:
            assignment.reminder = "due_soon"
            rows.append(assignment)
    return rows


def assignment_reminders_send(today: datetime.date | None = None, *, days_before: int = REMIND_DAYS_BEFORE,
                              dry_run: bool = False) -> list[ReviewAssignment]:
    """Send each owed reminder once, however often (or however many at once) the run goes: the
    rows are locked and marked in one transaction, and the news goes out once it commits. Returns
    the assignments reminded (or, dry, that would be)."""
    from .notifications import notify

    due = assignment_reminders_due(today, days_before=days_before)
    if dry_run or not due:
        return due
    sent = []
    with transaction.atomic():
        locked = {row.pk: row for row in ReviewAssignment.objects.select_for_update(skip_locked=True)
                  .filter(pk__in=[row.pk for row in due], ended_at__isnull=True)}
        now = timezone.now()
        for assignment in due:
            row = locked.get(assignment.pk)
            field = "reminded_overdue_at" if assignment.reminder == "overdue" else "reminded_soon_at"
            # Another run marked it meanwhile, or the date moved: not ours to send.
            if row is None or getattr(row, field) is not None or row.due_on != assignment.due_on:
                continue
            setattr(row, field, now)
            row.save(update_fields=[field])
            sent.append(assignment)
    # Sent once the marks are committed (the command runs outside any transaction): a run that
    # fails before this point sends nothing and leaves the reminders owed. notify logs a mail
    # failure rather than raising, so one bad address does not stop the others.
    for assignment in sent:
        notify("assignment_due", article_id=assignment.article_id)
    return sent
