"""LiveListing: the names each live publication is found under (its writers, the reviewers who
signed it, its topics), for the people pages, the topic pages and the sitemaps; and an index of
publications by id with their date and slug, from which the article sitemaps are read.

The rows of the publications live now are filled by one INSERT ... SELECT that walks their JSON in
the database (jsonb_array_elements on PostgreSQL, json_each on SQLite), without reading a
snapshot into Python. The indexes and constraints come after the rows, so they are built once
rather than kept up row by row. From here on, articles.services.live_publication_set keeps the rows as publications go live and stop
being live.
"""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _fill_sql(vendor: str, table: str, publication: str, article: str) -> str:
    """INSERT ... SELECT of every listing row of the live publications; UNION drops a name given
    twice (the last signer is also in sign_offs)."""
    if vendor == "postgresql":
        def elements(column):
            return f"jsonb_array_elements(p.{column}) AS e(value)"

        def key(name, integer=False):
            return f"((e.value ->> '{name}')::integer)" if integer else f"(e.value ->> '{name}')"
    else:
        def elements(column):
            return f"json_each(p.{column}) AS e"

        def key(name, integer=False):
            return f"json_extract(e.value, '$.{name}')"
    live = (f"(SELECT p.id, p.published_at, p.reviewer_id, p.authors, p.sign_offs, p.topics "
            f"FROM {publication} p INNER JOIN {article} a ON a.live_publication_id = p.id)")
    writer, signer, slug = key("id", integer=True), key("id", integer=True), key("slug")
    return (
        f"INSERT INTO {table} (publication_id, role, person_id, topic, published_at) "
        f"SELECT p.id, 'writer', {writer}, '', p.published_at FROM {live} p, {elements('authors')} "
        f"WHERE {writer} IS NOT NULL "
        f"UNION SELECT p.id, 'reviewer', p.reviewer_id, '', p.published_at FROM {live} p "
        f"UNION SELECT p.id, 'reviewer', {signer}, '', p.published_at FROM {live} p, {elements('sign_offs')} "
        f"WHERE {signer} IS NOT NULL "
        f"UNION SELECT p.id, 'topic', NULL, {slug}, p.published_at FROM {live} p, {elements('topics')} "
        f"WHERE COALESCE({slug}, '') <> ''"
    )


def fill_live_listings(apps, schema_editor):
    table, publication, article = (schema_editor.quote_name(apps.get_model("articles", name)._meta.db_table)
                                   for name in ("LiveListing", "Publication", "Article"))
    vendor = schema_editor.connection.vendor
    schema_editor.execute(_fill_sql(vendor, table, publication, article))
    if vendor == "postgresql":
        # Statistics now, so the first public pages are planned for a full table, not an empty one.
        schema_editor.execute(f"ANALYZE {table}")


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0015_desk_list_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LiveListing",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(choices=[("writer", "Writer"), ("reviewer", "Reviewer"), ("topic", "Topic")],
                                          max_length=10)),
                ("topic", models.SlugField(blank=True, db_index=False, max_length=100)),
                ("published_at", models.DateTimeField()),
                ("person", models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True,
                                             on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                             to=settings.AUTH_USER_MODEL)),
                ("publication", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                                  related_name="listings", to="articles.publication")),
            ],
        ),
        migrations.RunPython(fill_live_listings, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="livelisting",
            index=models.Index(condition=models.Q(("person__isnull", False)),
                               fields=["person", "role", "-published_at", "-publication"],
                               name="listing_person_newest"),
        ),
        migrations.AddIndex(
            model_name="livelisting",
            index=models.Index(condition=models.Q(("role", "topic")), fields=["topic", "-published_at", "-publication"],
                               name="listing_topic_newest"),
        ),
        migrations.AddConstraint(
            model_name="livelisting",
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(("person__isnull", True), ("role", "topic"),
                                            models.Q(("topic", ""), _negated=True)),
                                   models.Q(("person__isnull", False), ("role__in", ["writer", "reviewer"]),
                                            ("topic", "")), _connector="OR"),
                name="listing_names_a_person_or_a_topic"),
        ),
        migrations.AddConstraint(
            model_name="livelisting",
            constraint=models.UniqueConstraint(fields=("publication", "role", "person"), name="listing_person_once"),
        ),
        migrations.AddConstraint(
            model_name="livelisting",
            constraint=models.UniqueConstraint(condition=models.Q(("role", "topic")), fields=("publication", "topic"),
                                               name="listing_topic_once"),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(fields=["id", "published_at", "slug"], name="publication_sitemap"),
        ),
    ]
