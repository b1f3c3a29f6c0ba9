"""The audit log: one row per workflow transition, append-only, chained by hashes.

Each row stores `prev_hash`, the hash of the row before it (64 zeros for the first row), and
`hash`, the sha256 of its own content together with `prev_hash`. A row edited behind the ORM no
longer matches its hash; a row deleted or inserted breaks the link of the row after it.
`python manage.py verify_audit` walks the chain in id order.
"""
import datetime
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .hygiene import strip_control
from .models import Article, AuditEntry

GENESIS = "0" * 64
# The content a row's hash covers, besides prev_hash. Changing this list or canonical_json()
# changes every hash: old rows would then need re-chaining by a migration.
HASHED_FIELDS = ("article_id", "actor_id", "at", "action", "from_status", "to_status", "revision_id",
                 "comment", "details")
# Taken (on PostgreSQL) for the rest of the transaction by whoever appends a row. Any constant
# works as long as nothing else in the database takes the same advisory lock.
CHAIN_LOCK = 0x61756469745F6C6F  # "audit_lo"


def canonical_json(fields: dict, prev_hash: str) -> str:
    """The bytes a hash covers: sorted-key JSON, ASCII only, `at` in UTC with microseconds."""
    payload = {name: fields[name] for name in HASHED_FIELDS}
    payload["at"] = payload["at"].astimezone(datetime.timezone.utc).isoformat(timespec="microseconds")
    payload["prev_hash"] = prev_hash
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def chain_hash(fields: dict, prev_hash: str) -> str:
    """sha256 hex of a row's content (HASHED_FIELDS, by name) and the hash of the row before it."""
    return hashlib.sha256(canonical_json(fields, prev_hash).encode("ascii")).hexdigest()


def entry_hash(entry: AuditEntry) -> str:
    return chain_hash({name: getattr(entry, name) for name in HASHED_FIELDS}, entry.prev_hash)


def plain_details(details: dict | None) -> dict:
    """`details` as both databases read it back, so its hash holds: dates and decimals become
    strings (DjangoJSONEncoder), keys become strings, and floats are refused, because
    PostgreSQL's jsonb rewrites some of them (1e20 reads back as the integer 100000000000000000000)."""
    if details is None:
        return {}
    if not isinstance(details, dict):
        raise TypeError(f"Audit details are a dict, not {type(details).__name__}.")
    plain = json.loads(json.dumps(details, cls=DjangoJSONEncoder, allow_nan=False))
    _refuse_floats(plain)
    return plain


def _refuse_floats(value, path="details") -> None:
    if isinstance(value, float):
        raise ValueError(f"{path} is a float ({value!r}); audit details keep numbers as integers or strings.")
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_floats(item, f"{path}[{key!r}]")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_floats(item, f"{path}[{index}]")


def audit_record(*, article: Article, actor, action: str, from_status: str, to_status: str,
                 revision=None, comment: str = "", details: dict | None = None) -> AuditEntry:
    """Append one row to the audit log, chained to the last one. Rows are never edited or deleted
    (AuditEntry refuses; on PostgreSQL a trigger refuses too)."""
    # Text is cleaned here as articles.hygiene would clean it on save, so the hash covers the
    # text the database keeps.
    entry = AuditEntry(article=article, actor=actor, action=strip_control(str(action)),
                       from_status=strip_control(str(from_status)), to_status=strip_control(str(to_status)),
                       revision=revision, comment=strip_control(comment), details=plain_details(details))
    # Every caller is a transition inside its own transaction; savepoint=False adds none inside
    # one, and opens one for a caller outside any.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            # Two transitions at once must not both read the same last row and fork the chain.
            # SQLite needs no lock: it lets one writer at a time hold the database.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        entry.prev_hash = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        # After the lock, so times follow the chain; microseconds, which both databases keep.
        entry.at = timezone.now()
        entry.hash = entry_hash(entry)
        entry.save(force_insert=True)
        if entry_hash(entry) != entry.hash:
            # A pre_save receiver changed the row after it was hashed: refuse rather than store a
            # row that verify_audit would call tampered with.
            raise RuntimeError("An audit row changed as it was saved; its hash would not match it.")
    return entry
