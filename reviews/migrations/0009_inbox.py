# The desk inbox (issue 15): every notification also lands here, unread until opened.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0008_reader_feedback"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="InboxMessage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("category", models.CharField(choices=[
                    ("submitted", "An article is submitted for medical review (to reviewers)"),
                    ("changes_requested", "A reviewer asks for changes to my article"),
                    ("approved", "My article is approved and scheduled to go live"),
                    ("published", "My article is published"),
                    ("unpublished", "An editor unpublishes my article"),
                    ("review_due", "A published article is due for its medical review (to editors and its last reviewer)"),
                ], max_length=30)),
                ("text", models.CharField(max_length=500)),
                ("path", models.CharField(help_text="A path on this site, such as /editorial/articles/7/.",
                                          max_length=500)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("read_at", models.DateTimeField(blank=True, null=True)),
                ("article", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                              related_name="+", to="articles.article")),
                ("recipient", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                                related_name="inbox_messages", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(fields=["recipient", "-created_at", "-id"], name="inbox_newest_first"),
                    models.Index(condition=models.Q(("read_at__isnull", True)),
                                 fields=["recipient", "-created_at", "-id"], name="inbox_unread_newest_first"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("path__startswith", "/"),
                                           models.Q(("path__startswith", "//"), _negated=True),
                                           models.Q(("path__startswith", "/\\"), _negated=True)),
                        name="inbox_path_is_on_this_site"),
                ],
            },
        ),
    ]
