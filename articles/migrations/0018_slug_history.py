# Issue 15: former slugs of published articles (public redirects), and files uploaded for import on
# the desk, kept between their preview and their drafts.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0017_desk_row_counts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleSlugHistory",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.SlugField(max_length=200, unique=True)),
                ("changed_at", models.DateTimeField(auto_now_add=True)),
                ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="former_slugs",
                                              to="articles.article")),
            ],
            options={
                "verbose_name_plural": "article slug history",
                "ordering": ["-changed_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ImportUpload",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("batch", models.CharField(max_length=32)),
                ("position", models.PositiveSmallIntegerField()),
                ("name", models.CharField(max_length=255)),
                ("format", models.CharField(choices=[("text", "Plain text"), ("html", "HTML")], max_length=4)),
                ("source", models.TextField(blank=True)),
                ("problem", models.TextField(blank=True)),
                ("refusal", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("article", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                              related_name="+", to="articles.article")),
                ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                            to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["batch", "position"],
                "indexes": [models.Index(fields=["owner", "batch"], name="import_upload_owner_batch"),
                            models.Index(fields=["created_at"], name="import_upload_created")],
                "constraints": [models.UniqueConstraint(fields=("batch", "position"),
                                                        name="import_upload_position_once")],
            },
        ),
    ]
