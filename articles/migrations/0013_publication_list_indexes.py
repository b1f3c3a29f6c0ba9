"""Indexes for the public lists.

- publication_newest_first (published_at DESC, id DESC): the home page, the feed and every
  paginated list read live publications newest first, LIMIT 20; with this index PostgreSQL walks
  the newest rows and stops, instead of sorting every publication.
- On PostgreSQL only, GIN indexes (jsonb_path_ops) on topics, authors and sign_offs: topic and
  people pages filter with JSON containment (topics @> '[{"slug": ...}]'), which no btree serves.
  jsonb_path_ops indexes only @>, the one operator used, and is a third of the size of the default
  opclass. They are not declared on the model: SQLite has no GIN, and the public lists walk the
  lists with json_each there.
"""
from django.db import migrations, models

GIN_COLUMNS = ("topics", "authors", "sign_offs")


def _gin_name(column: str) -> str:
    return f"publication_{column}_gin"


def create_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("articles", "Publication")._meta.db_table)
    for column in GIN_COLUMNS:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {_gin_name(column)} ON {table} "
                              f"USING gin ({schema_editor.quote_name(column)} jsonb_path_ops)")


def drop_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in GIN_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_gin_name(column)}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_publication_search")]

    operations = [
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(fields=["-published_at", "-id"], name="publication_newest_first"),
        ),
        migrations.RunPython(create_gin_indexes, drop_gin_indexes),
    ]
