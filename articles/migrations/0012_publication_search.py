"""Search over publications: a stored, weighted tsvector and a GIN index on PostgreSQL.

Publication.search_vector holds the title (weight A), the summary (B), and the body and the safety
sections' titles and text (C), HTML tags stripped, in the 'english' configuration. A BEFORE INSERT
trigger sets it: publications are never updated, and a trigger also covers bulk_create and raw
inserts. Existing rows are filled here, with the append-only trigger (0010) disabled around that
one UPDATE, since it rewrites every publication (about a minute per 50,000 long articles).

articles_publication_text(body, sections) is the plain text the vector's C part is built from.

SQLite gets the column (always null) and no index: the site search falls back to matching the text.
"""
import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

TEXT_FUNCTION = "articles_publication_text"
DOCUMENT_FUNCTION = "articles_publication_document"
TRIGGER_FUNCTION = "articles_publication_set_search_vector"
TRIGGER = "articles_publication_search_vector"
APPEND_ONLY_TRIGGER = "articles_publication_append_only"  # 0010
INDEX = "publication_search"

# Tags become spaces (so "</p><p>" still parts words); the entities bleach writes become characters.
# U+E000 and U+E001 are removed: the site search marks the highlighted words with them.
CREATE_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION {TEXT_FUNCTION}(body text, sections jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT translate(
        replace(replace(replace(replace(replace(replace(replace(
            regexp_replace(
                coalesce(body, '') || ' ' || coalesce((
                    SELECT string_agg(coalesce(section->>'title', '') || '. ' || coalesce(section->>'html', ''),
                                      ' ')
                    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(sections) = 'array'
                                                   THEN sections ELSE '[]'::jsonb END) AS section), ''),
                '<[^>]*>', ' ', 'g'),
            '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&#x27;', ''''),
            '&amp;', '&'),
        E'\\uE000\\uE001', '')
$$;

CREATE OR REPLACE FUNCTION {DOCUMENT_FUNCTION}(title text, summary text, body text, sections jsonb)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, {TEXT_FUNCTION}(body, sections)), 'C')
$$;

CREATE OR REPLACE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := {DOCUMENT_FUNCTION}(NEW.title, NEW.summary, NEW.body, NEW.sections);
    RETURN NEW;
END
$$;
"""


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("articles", "Publication")._meta.db_table)
    schema_editor.execute(CREATE_FUNCTIONS, params=None)  # None: no placeholders in the bodies
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
    schema_editor.execute(f"CREATE TRIGGER {TRIGGER} BEFORE INSERT ON {table} "
                          f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER_FUNCTION}()")
    # The one rewrite of publications: every existing row gets its vector.
    schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {APPEND_ONLY_TRIGGER}")
    schema_editor.execute(f"UPDATE {table} SET search_vector = "
                          f"{DOCUMENT_FUNCTION}(title, summary, body, sections)")
    schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {APPEND_ONLY_TRIGGER}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON {table} USING gin (search_vector)")


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("articles", "Publication")._meta.db_table)
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER_FUNCTION}()")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {DOCUMENT_FUNCTION}(text, text, text, jsonb)")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {TEXT_FUNCTION}(text, jsonb)")


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_correction_review")]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.SeparateDatabaseAndState(
            # The index is PostgreSQL's alone; the state holds it on every database, so
            # makemigrations sees the model and the migrations agree.
            state_operations=[
                migrations.AddIndex(
                    model_name="publication",
                    index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name=INDEX),
                ),
            ],
            database_operations=[migrations.RunPython(create_search, drop_search)],
        ),
    ]
