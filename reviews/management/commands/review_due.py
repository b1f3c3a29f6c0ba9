"""python manage.py review_due: list published articles whose medical review is overdue or due
within 30 days, and email the editors and each article's last reviewer.

Safe for cron daily: each publication's "due soon" and "overdue" reminders are sent once
(ReviewReminder), however often the command runs. --dry-run prints without sending.
"""
import datetime

from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.selectors import live_publications
from reviews.models import ReviewReminder
from reviews.notifications import notify

DUE_SOON_DAYS = 30


class Command(BaseCommand):
    help = "Print articles due for medical review and send each reminder once."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print, send nothing.")

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        due = (live_publications().filter(next_review_due__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
               .order_by("next_review_due"))
        count = 0
        for publication in due:
            kind = ReviewReminder.Kind.OVERDUE if publication.next_review_due < today else ReviewReminder.Kind.DUE_SOON
            label = "OVERDUE " if kind == ReviewReminder.Kind.OVERDUE else "due soon"
            self.stdout.write(f"{label} {publication.next_review_due:%Y-%m-%d} {publication.slug} "
                              f"(last reviewed by {publication.reviewer_name})")
            count += 1
            if dry_run:
                continue
            try:
                with transaction.atomic():
                    ReviewReminder.objects.create(publication=publication, kind=kind)
            except IntegrityError:
                continue  # already reminded: cron runs daily, people hear once
            notify("review_due", article_id=publication.article_id, publication=publication)
        self.stdout.write(f"{count} article{'s' if count != 1 else ''} due for medical review.")
