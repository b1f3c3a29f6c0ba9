from .models import Article, AuditEntry


def audit_record(*, article: Article, actor, action: str, from_status: str, to_status: str,
                 revision=None, comment: str = "") -> AuditEntry:
    """Append one row to the audit log. Rows are never edited or deleted (AuditEntry refuses)."""
    return AuditEntry.objects.create(
        article=article, actor=actor, action=action, from_status=from_status,
        to_status=to_status, revision=revision, comment=comment,
    )
