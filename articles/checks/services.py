"""Writes for the checks: recording a writer's reason for keeping flagged text."""
from django.core.exceptions import ValidationError
from django.db import transaction

from ..audit import audit_record
from ..models import Article, FindingWaiver
from ..services import latest_revision
from .engine import fingerprint
from .text import field_label
from .waivers import article_findings

MAX_REASON_CHARS = 1000
AUDIT_EXCERPT_CHARS = 120


@transaction.atomic
def waiver_record(*, article: Article, by, code: str, field: str, excerpt: str, reason: str) -> FindingWaiver:
    """Record why flagged text stays as it is. The error then no longer blocks submission, for as
    long as that exact text is unchanged; the reason goes into the audit log for the reviewer.
    The caller holds the row lock and has checked who may, and in which state, through the lifecycle."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why this text should stay as it is."})
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError({"reason": f"Keep the reason under {MAX_REASON_CHARS} characters "
                                         f"(it has {len(reason)})."})
    target = fingerprint(excerpt)
    current = next((checked for checked in article_findings(article)
                    if checked.code == code and checked.field == field and checked.finding.fingerprint == target),
                   None)
    if current is None:
        raise ValidationError("The checks no longer report this in the current text; it may have changed "
                              "since the page was loaded.")
    if not current.is_error:
        raise ValidationError("Only errors need a reason: warnings never block submission.")
    if not current.finding.waivable:
        raise ValidationError(f'{field_label(field)}: this is answered by writing the section, not by a reason.')
    if current.waiver is not None:
        raise ValidationError("A reason is already recorded for this finding.")
    waiver = FindingWaiver(article=article, code=code, field=field, fingerprint=target,
                           excerpt=current.excerpt, reason=reason, created_by=by)
    waiver.full_clean()
    waiver.save()
    quoted = current.excerpt if len(current.excerpt) <= AUDIT_EXCERPT_CHARS else (
        current.excerpt[:AUDIT_EXCERPT_CHARS].rsplit(" ", 1)[0] + "…")
    audit_record(article=article, actor=by, action="waive_finding", from_status=article.status,
                 to_status=article.status, revision=latest_revision(article),
                 comment=f'{code} in {field_label(field)}' + (f' ("{quoted}")' if quoted else "")
                         + f". Reason: {reason}")
    return waiver
