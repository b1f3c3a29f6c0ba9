"""The audit log is a hash chain: each row holds the hash of the row before and of its own content,
`manage.py verify_audit` names the first broken link, and on PostgreSQL the database itself refuses
to edit or delete audit rows and publications."""
import datetime
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction

from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.audit import GENESIS, audit_record, entry_hash
from articles.models import AuditEntry, Publication
from reviews.workflow import article_submit, article_unpublish, article_withdraw
from tests.factories import make_draft, make_editor, make_in_review, make_published, make_writer

REFUSED = (IntegrityError, InternalError, ProgrammingError)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite",
                                 reason="on PostgreSQL the trigger refuses the raw edit itself")
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def verify_fails() -> str:
    with pytest.raises(CommandError) as refused:
        call_command("verify_audit", stdout=io.StringIO())
    assert refused.value.returncode == 1
    return str(refused.value)


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def chain() -> list[AuditEntry]:
    return list(AuditEntry.objects.order_by("id"))


def a_log_with_a_withdrawal():
    """submit, withdraw, submit: three rows, the middle one referenced by nothing else."""
    writer = make_writer()
    article = make_in_review(writer)
    article_withdraw(article=article, by=writer)
    article_submit(article=article, by=writer)
    return article


# --- The chain ---

def test_rows_written_by_workflow_actions_each_link_to_the_row_before():
    article = make_published()
    article_unpublish(article=article, by=make_editor(), reason="Legal hold")

    rows = chain()
    assert [row.action for row in rows] == ["submit", "approve", "unpublish"]
    assert rows[0].prev_hash == GENESIS
    assert [row.prev_hash for row in rows[1:]] == [row.hash for row in rows[:-1]]
    assert all(len(row.hash) == 64 and row.hash == entry_hash(row) for row in rows)


def test_a_row_is_hashed_with_its_time_as_the_database_keeps_it():
    row = audit_record(article=make_draft(), actor=make_writer(), action="note", from_status="draft",
                       to_status="draft", comment="Time round trip")

    stored = AuditEntry.objects.get(pk=row.pk)
    assert stored.at == row.at
    assert stored.at.microsecond == row.at.microsecond
    assert entry_hash(stored) == stored.hash


def test_details_are_kept_and_hashed_with_the_row():
    signed_at = datetime.datetime(2026, 12, 3, 12, 0, 30, 123456, tzinfo=datetime.timezone.utc)
    details = {"signer": 7, "credentials": "MD", "meaning": "Medically reviewed", "content_hash": "ab" * 32,
               "signed_at": signed_at, "steps": [1, 2], "reauthenticated": True}
    row = audit_record(article=make_draft(), actor=make_writer(), action="sign_off", from_status="in_review",
                       to_status="in_review", details=details)

    stored = AuditEntry.objects.get(pk=row.pk)
    assert stored.details["meaning"] == "Medically reviewed"
    assert stored.details["signed_at"].startswith("2026-12-03T12:00:30.123")
    assert entry_hash(stored) == stored.hash
    assert "Audit chain intact: 1 rows." in verify()


def test_details_with_a_float_are_refused_because_postgresql_would_rewrite_it():
    with pytest.raises(ValueError, match="float"):
        audit_record(article=make_draft(), actor=make_writer(), action="note", from_status="draft",
                     to_status="draft", details={"score": 1e20})
    assert not AuditEntry.objects.exists()


def test_a_comment_with_control_characters_is_hashed_as_it_is_stored():
    row = audit_record(article=make_draft(), actor=make_writer(), action="note", from_status="draft",
                       to_status="draft", comment="Checked\x01 twice\x7f")

    assert AuditEntry.objects.get(pk=row.pk).comment == "Checked twice"
    assert "Audit chain intact: 1 rows." in verify()


def test_two_rows_cannot_follow_the_same_row():
    article, writer = make_draft(), make_writer()
    first = audit_record(article=article, actor=writer, action="note", from_status="draft", to_status="draft")
    fork = AuditEntry(article=article, actor=writer, action="fork", prev_hash=first.prev_hash, hash="f" * 64)

    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()


# --- verify_audit ---

def test_verify_audit_accepts_an_intact_log():
    a_log_with_a_withdrawal()
    make_published()

    output = verify()

    assert output.startswith("Audit chain intact: 5 rows.\n")
    assert f"hash {chain()[-1].hash}." in output


def test_verify_audit_accepts_an_empty_log():
    assert verify().startswith("Audit chain intact: 0 rows.")


@sqlite_only
def test_a_comment_changed_by_raw_sql_is_named_by_verify_audit():
    a_log_with_a_withdrawal()
    withdrawal = chain()[1]
    raw("UPDATE articles_auditentry SET comment = %s WHERE id = %s", ["Withdrawn by the reviewer", withdrawal.pk])

    message = verify_fails()

    assert f"Row {withdrawal.pk} (" in message
    assert f"withdraw on article {withdrawal.article_id}): its content no longer matches its hash" in message
    assert "after 1 intact rows" in message


@sqlite_only
def test_a_row_whose_hash_was_recomputed_after_an_edit_breaks_the_link_of_the_row_after():
    a_log_with_a_withdrawal()
    first, withdrawal, resubmission = chain()
    raw("UPDATE articles_auditentry SET comment = %s WHERE id = %s", ["Edited", withdrawal.pk])
    withdrawal.refresh_from_db()
    raw("UPDATE articles_auditentry SET hash = %s WHERE id = %s", [entry_hash(withdrawal), withdrawal.pk])

    message = verify_fails()

    assert f"Row {resubmission.pk} (" in message
    assert f"it does not follow row {withdrawal.pk}" in message


@sqlite_only
def test_a_middle_row_deleted_by_raw_sql_breaks_the_link_of_the_row_after():
    a_log_with_a_withdrawal()
    first, withdrawal, resubmission = chain()
    raw("DELETE FROM articles_auditentry WHERE id = %s", [withdrawal.pk])

    message = verify_fails()

    assert f"Row {resubmission.pk} (" in message
    assert f"submit on article {resubmission.article_id}): it does not follow row {first.pk}" in message


@sqlite_only
def test_a_first_row_deleted_by_raw_sql_leaves_a_chain_that_does_not_start():
    a_log_with_a_withdrawal()
    first, withdrawal, resubmission = chain()
    # The review assignment opened by that submission names it (issue 15): it goes first, as it
    # would for anyone deleting the row behind the ORM's back.
    raw("DELETE FROM reviews_reviewassignment WHERE submission_id = %s", [first.pk])
    raw("DELETE FROM articles_auditentry WHERE id = %s", [first.pk])

    message = verify_fails()

    assert f"Row {withdrawal.pk} (" in message
    assert "it is the first row but does not start the chain" in message


# --- PostgreSQL refuses the edit itself ---

@postgres_only
@pytest.mark.parametrize("sql", [
    "UPDATE articles_auditentry SET comment = 'Edited' WHERE id = %s",
    "DELETE FROM articles_auditentry WHERE id = %s",
])
def test_postgresql_refuses_to_edit_or_delete_an_audit_row(sql):
    a_log_with_a_withdrawal()
    withdrawal = chain()[1]

    with pytest.raises(REFUSED, match="audit rows are append-only"), transaction.atomic():
        raw(sql, [withdrawal.pk])

    assert AuditEntry.objects.get(pk=withdrawal.pk).comment == withdrawal.comment
    assert "Audit chain intact: 3 rows." in verify()


@postgres_only
@pytest.mark.parametrize("sql", [
    "UPDATE articles_publication SET body = '<p>Unreviewed</p>' WHERE id = %s",
    "UPDATE articles_publication SET reviewer_credentials = 'MD, PhD' WHERE id = %s",
    "DELETE FROM articles_publication WHERE id = %s",
])
def test_postgresql_refuses_to_edit_or_delete_a_publication(sql):
    publication = make_published().live_publication

    with pytest.raises(REFUSED, match="publications are append-only"), transaction.atomic():
        raw(sql, [publication.pk])

    assert Publication.objects.get(pk=publication.pk).body == publication.body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_writers_appending_at_once_keep_one_chain():
    articles = [make_draft(), make_draft()]
    writer = make_writer()
    barrier = threading.Barrier(2)
    errors = []

    def append(article):
        try:
            barrier.wait(timeout=10)
            for number in range(25):
                with transaction.atomic():
                    audit_record(article=article, actor=writer, action="note", from_status="draft",
                                 to_status="draft", comment=f"Note {number}")
        except Exception as exc:  # the outcome under test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(article,)) for article in articles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert AuditEntry.objects.filter(action="note").count() == 50
    assert "Audit chain intact: 50 rows." in verify()


# --- The migration chains the rows already there ---

def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_chains_the_rows_written_before_it_in_id_order():
    old = migrate([("articles", "0008_publication_sign_offs")])
    try:
        User = old.get_model("auth", "User")
        ArticleType = old.get_model("articles", "ArticleType")
        Article = old.get_model("articles", "Article")
        OldAuditEntry = old.get_model("articles", "AuditEntry")
        writer = User.objects.create(username="old-writer")
        article = Article.objects.create(title="Old article", slug="old-article",
                                         article_type=ArticleType.objects.get(key="substance"))
        for action, comment in [("submit", "Ready"), ("withdraw", "Not yet \u00e9t\u00e9"), ("submit", "")]:
            OldAuditEntry.objects.create(article=article, actor=writer, action=action, comment=comment,
                                         from_status="draft", to_status="in_review")
    finally:
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())

    rows = chain()
    assert [row.prev_hash for row in rows] == [GENESIS, rows[0].hash, rows[1].hash]
    assert all(row.details == {} for row in rows)
    assert "Audit chain intact: 3 rows." in verify()
    # The log goes on from the migrated rows.
    audit_record(article=rows[0].article, actor=rows[0].actor, action="note", from_status="draft",
                 to_status="draft", comment=f"After the migration, {timezone.now():%Y}")
    assert "Audit chain intact: 4 rows." in verify()
