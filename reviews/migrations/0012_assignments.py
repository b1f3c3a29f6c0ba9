# Issue 15: review assignments and due dates, and their two notification categories.
#
# Articles already in review get the open assignment of the step they wait for, unassigned, due
# their type's turnaround after they were submitted, so the queues and counts hold every review.
import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

CATEGORIES = [
    ("submitted", "An article is submitted for medical review (to reviewers)"),
    ("changes_requested", "A reviewer asks for changes to my article"),
    ("approved", "My article is approved and scheduled to go live"),
    ("published", "My article is published"),
    ("unpublished", "An editor unpublishes my article"),
    ("review_due", "A published article is due for its medical review (to editors and its last reviewer)"),
    ("assigned", "A review step is assigned to me, or someone takes one (to the assignee and editors)"),
    ("assignment_due", "A review step I am assigned is due soon or overdue (overdue: to editors too)"),
]


def open_assignments_for_reviews_under_way(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    AuditEntry = apps.get_model("articles", "AuditEntry")
    Review = apps.get_model("reviews", "Review")
    ReviewStep = apps.get_model("reviews", "ReviewStep")
    ReviewAssignment = apps.get_model("reviews", "ReviewAssignment")
    Group = apps.get_model("auth", "Group")
    steps = {}
    for step in ReviewStep.objects.order_by("article_type", "position"):
        steps.setdefault(step.article_type_id, []).append(step)
    medical = None
    rows = []
    for article in Article.objects.filter(status="in_review").select_related("article_type").iterator(chunk_size=500):
        submission = AuditEntry.objects.filter(article=article, action="submit").order_by("-id").first()
        if submission is None:
            continue
        signed = Review.objects.filter(article=article, submission=submission, decision="approved").count()
        type_steps = steps.get(article.article_type_id)
        if type_steps:
            if signed >= len(type_steps):
                continue
            step = type_steps[signed]
            fields = {"step": step, "step_position": step.position, "step_name": step.name, "group_id": step.group_id}
        else:
            if signed:
                continue
            medical = medical or Group.objects.get_or_create(name="Medical reviewers")[0]
            fields = {"step": None, "step_position": 1, "step_name": "Medical review", "group": medical}
        due = submission.at.date() + datetime.timedelta(days=article.article_type.review_turnaround_days)
        rows.append(ReviewAssignment(article=article, submission=submission, due_on=due, **fields))
        if len(rows) >= 500:
            ReviewAssignment.objects.bulk_create(rows)
            rows = []
    ReviewAssignment.objects.bulk_create(rows)


class Migration(migrations.Migration):

    dependencies = [("reviews", "0011_editing_drafts"), ("articles", "0017_desk_row_counts")]

    operations = [
        migrations.AlterField(
            model_name="inboxmessage",
            name="category",
            field=models.CharField(choices=CATEGORIES, max_length=30),
        ),
        migrations.AlterField(
            model_name="notificationoptout",
            name="category",
            field=models.CharField(choices=CATEGORIES, max_length=30),
        ),
        migrations.CreateModel(
            name="ReviewAssignment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("step_position", models.PositiveSmallIntegerField()),
                ("step_name", models.CharField(max_length=100)),
                ("assigned_at", models.DateTimeField(blank=True, null=True)),
                ("due_on", models.DateField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("ended_at", models.DateTimeField(blank=True, null=True)),
                ("reminded_soon_at", models.DateTimeField(blank=True, null=True)),
                ("reminded_overdue_at", models.DateTimeField(blank=True, null=True)),
                ("article", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                              related_name="review_assignments", to="articles.article")),
                ("assigned_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                                  related_name="+", to=settings.AUTH_USER_MODEL)),
                ("assignee", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                               related_name="review_assignments", to=settings.AUTH_USER_MODEL)),
                ("group", models.ForeignKey(help_text="Members of this group may sign the step, and take it.",
                                            on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                            to="auth.group")),
                ("step", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                           related_name="+", to="reviews.reviewstep")),
                ("submission", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                 to="articles.auditentry")),
            ],
            options={
                "ordering": ["due_on", "id"],
                "indexes": [
                    models.Index(condition=models.Q(("ended_at__isnull", True)), fields=["assignee", "due_on"],
                                 name="assignment_open_by_assignee"),
                    models.Index(condition=models.Q(("ended_at__isnull", True)), fields=["due_on"],
                                 name="assignment_open_by_due"),
                ],
                "constraints": [
                    models.UniqueConstraint(condition=models.Q(("ended_at__isnull", True)), fields=("article",),
                                            name="one_open_assignment_per_article"),
                    models.UniqueConstraint(fields=("submission", "step_position"), name="one_assignment_per_step"),
                    models.CheckConstraint(
                        condition=models.Q(models.Q(("assigned_at__isnull", True), ("assignee__isnull", True)),
                                           models.Q(("assigned_at__isnull", False), ("assignee__isnull", False)),
                                           _connector="OR"),
                        name="assignment_assignee_has_a_time"),
                ],
            },
        ),
        migrations.RunPython(open_assignments_for_reviews_under_way, migrations.RunPython.noop),
    ]
