"""A revision's sections and references as one value on its RevisionMeta.

Earlier revisions keep theirs in reversion version rows (one per section and reference), which
ArticleContent.from_revision still reads: history is append-only (0010), so nothing is rewritten.
"""
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_publication_list_indexes")]

    operations = [
        migrations.AddField(
            model_name="revisionmeta",
            name="content",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
