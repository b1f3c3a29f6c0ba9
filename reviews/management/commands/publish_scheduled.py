"""python manage.py publish_scheduled: make approved, scheduled articles live when their time comes.

Safe for cron every minute, and safe when two copies run at once: each article is switched under
its row lock after checking it is still scheduled, so it goes live once.
"""
from django.core.management.base import BaseCommand

from reviews.workflow import article_go_live, due_scheduled_articles


class Command(BaseCommand):
    help = "Publish every scheduled article whose go-live time has come. Idempotent."

    def handle(self, *args, **options):
        published = 0
        for article in due_scheduled_articles():
            if article_go_live(article=article):
                published += 1
                self.stdout.write(f"published {article.pk} {article.slug}")
        self.stdout.write(f"{published} article{'s' if published != 1 else ''} published.")
