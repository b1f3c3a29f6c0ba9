# Issue 15: the desk's per-row check counts, and each type's review turnaround.
#
# Existing articles keep null counts (the desk shows a dash) until their next save, or until
# `manage.py store_check_counts` fills them in batches: running the checks over every article here
# would hold a deploy for minutes on a large site.
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("articles", "0016_live_listings")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="error_finding_count",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="article",
            name="gate_failure_count",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="articletype",
            name="review_turnaround_days",
            field=models.PositiveSmallIntegerField(
                default=7, help_text="Days a reviewer has for each review step of a submission, by default; "
                                     "an editor can change one review's due date on the desk."),
        ),
        migrations.AddConstraint(
            model_name="articletype",
            constraint=models.CheckConstraint(condition=models.Q(("review_turnaround_days__gte", 1)),
                                              name="articletype_review_turnaround_positive"),
        ),
    ]
