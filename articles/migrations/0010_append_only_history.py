"""History the database itself keeps: the audit chain cannot fork, and on PostgreSQL a trigger
refuses UPDATE and DELETE of audit rows and of publications, whoever sends them (the ORM already
refuses; this covers raw SQL, other clients and bugs). TRUNCATE, and the table's owner dropping or
disabling a trigger, are not refused: the hash chain (verify_audit) is what shows those.

A later migration that must rewrite one of these tables disables the trigger around its update
(ALTER TABLE ... DISABLE TRIGGER ...; ... ENABLE TRIGGER ...) and says why."""
from django.db import migrations, models

FUNCTION = "articles_refuse_history_change"
TRIGGERS = [
    # (model, trigger name, message)
    ("AuditEntry", "articles_auditentry_append_only", "audit rows are append-only"),
    ("Publication", "articles_publication_append_only", "publications are append-only"),
]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '%', TG_ARGV[0]
                USING DETAIL = format('%s of %s row %s refused.', TG_OP, TG_TABLE_NAME, OLD.id);
        END
        $$""", params=None)  # None: the % signs are PL/pgSQL's, not placeholders.
    for model, trigger, message in TRIGGERS:
        table = schema_editor.quote_name(apps.get_model("articles", model)._meta.db_table)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        schema_editor.execute(f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} "
                              f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}('{message}')")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, trigger, _ in TRIGGERS:
        table = schema_editor.quote_name(apps.get_model("articles", model)._meta.db_table)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_audit_chain'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='auditentry',
            constraint=models.UniqueConstraint(fields=('prev_hash',), name='audit_chain_does_not_fork'),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
