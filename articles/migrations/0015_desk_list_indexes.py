"""Indexes for the desk's lists (the editorial lists): every article newest first, and the same by
state and by type, each ending with id, the lists' tie-break. A dashboard page of 25 is read off
an index instead of sorting every matching article.

Also publication_review_due on Publication.next_review_due, for the desk's "medical review overdue"
and "due within 30 days" lists (live publications due by a date, soonest first): without it every
publication is read to find the few due. Like 0013's GIN indexes it is not declared on the model
(Publication's Meta is another module's), so it is plain SQL, the same on SQLite and PostgreSQL.
"""
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_revision_content")]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["-updated_at", "-id"], name="article_newest_first"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["status", "-updated_at", "-id"], name="article_status_newest"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["article_type", "-updated_at", "-id"], name="article_type_newest"),
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS publication_review_due ON articles_publication (next_review_due)",
            "DROP INDEX IF EXISTS publication_review_due",
        ),
    ]
