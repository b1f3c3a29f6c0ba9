"""python manage.py store_check_counts: fill in the desk's per-row check counts (gate failures,
check errors) of the articles that have none, having been saved before the counts existed
(migration 0017). Every save stores them from then on, so this runs once after that deploy; it
works in batches, each article in its own short transaction, and can be stopped and run again.
"""
from django.core.management.base import BaseCommand

from articles.models import Article
from articles.services import check_counts_store


class Command(BaseCommand):
    help = "Store the gate-failure and check-error counts of articles saved before they were kept."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="Articles read per batch.")

    def handle(self, *args, batch=500, **options):
        done, last = 0, 0
        while True:
            ids = list(Article.objects.filter(pk__gt=last).filter(gate_failure_count__isnull=True)
                       .order_by("pk").values_list("pk", flat=True)[:batch])
            if not ids:
                break
            for article in Article.objects.filter(pk__in=ids).select_related("article_type").order_by("pk"):
                check_counts_store(article=article)
                done += 1
            last = ids[-1]
        self.stdout.write(f"Stored the check counts of {done} article{'s' if done != 1 else ''}.")
