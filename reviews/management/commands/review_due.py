"""python manage.py review_due: list published articles whose medical review is overdue or due
within 30 days, and email the editors and each article's last reviewer.

Safe for cron daily: each publication's "due soon" and "overdue" reminders are sent once
(ReviewReminder), however often the command runs. --dry-run prints without sending.

The same run reminds the people holding review steps of submissions (reviews.assignments): the
assignee a few days before the step is due, and the assignee and the editors once it is overdue,
each once (--days-before sets "a few").

The number of queries does not grow with the number of due articles (tests/reviews/
test_scale_queries.py): the publications come with their articles, the reminders already sent are
read and the new ones written in one go each, and the recipients are read once for all articles.
"""
import datetime

from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.selectors import live_publications
from reviews.assignments import REMIND_DAYS_BEFORE, assignment_reminders_send
from reviews.models import ReviewReminder
from reviews.notifications import notify_review_due

DUE_SOON_DAYS = 30


class Command(BaseCommand):
    help = "Print articles due for medical review and send each reminder once."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print, send nothing.")
        parser.add_argument("--days-before", type=int, default=REMIND_DAYS_BEFORE,
                            help="Remind a review step's assignee this many days before it is due.")

    def handle(self, *args, dry_run=False, days_before=REMIND_DAYS_BEFORE, **options):
        today = timezone.localdate()
        due_qs = live_publications().filter(next_review_due__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
        due = list(due_qs.select_related("article__article_type").order_by("next_review_due"))
        kinds = {}
        for publication in due:
            kind = ReviewReminder.Kind.OVERDUE if publication.next_review_due < today else ReviewReminder.Kind.DUE_SOON
            kinds[publication.pk] = kind
            label = "OVERDUE " if kind == ReviewReminder.Kind.OVERDUE else "due soon"
            self.stdout.write(f"{label} {publication.next_review_due:%Y-%m-%d} {publication.slug} "
                              f"(last reviewed by {publication.reviewer_name})")
        if not dry_run and due:
            notify_review_due(_record_reminders(due, kinds, due_qs))
        count = len(due)
        self.stdout.write(f"{count} article{'s' if count != 1 else ''} due for medical review.")
        # Printed only when there are any, so the lines above read as they always did.
        steps = assignment_reminders_send(today, days_before=days_before, dry_run=dry_run)
        for assignment in steps:
            label = "step OVERDUE " if assignment.reminder == "overdue" else "step due soon"
            holder = assignment.assignee.get_username() if assignment.assignee_id else "unassigned"
            self.stdout.write(f"{label} {assignment.due_on:%Y-%m-%d} {assignment.article.slug} "
                              f"({assignment.step_name}, {holder})")
        if steps:
            self.stdout.write(f"{len(steps)} review step reminder{'s' if len(steps) != 1 else ''}.")


def _record_reminders(due, kinds, due_qs):
    """Record each publication's reminder of its kind, once; returns the publications whose
    reminder this run recorded (the ones to send). Cron runs daily: people hear once."""
    already = set(ReviewReminder.objects.filter(publication__in=due_qs.values("pk"))
                  .values_list("publication_id", "kind"))
    fresh = [publication for publication in due if (publication.pk, kinds[publication.pk]) not in already]
    if not fresh:
        return []
    try:
        with transaction.atomic():
            ReviewReminder.objects.bulk_create(
                [ReviewReminder(publication=publication, kind=kinds[publication.pk]) for publication in fresh])
        return fresh
    except IntegrityError:
        pass  # another run recorded some of them meanwhile: one at a time, keeping only ours
    recorded = []
    for publication in fresh:
        try:
            with transaction.atomic():
                ReviewReminder.objects.create(publication=publication, kind=kinds[publication.pk])
        except IntegrityError:
            continue
        recorded.append(publication)
    return recorded

