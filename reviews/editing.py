"""The lifecycle's writes of content: create, edit, revert, a reason kept for a check finding, and
correction notes. Each is one transaction that locks the article row, asks the state table
(reviews.states) and the one permission answer (reviews.permissions), then has articles write the
content; a change of state writes one audit row.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.audit import audit_record
from articles.checks.services import waiver_record
from articles.content import ArticleContent
from articles.errors import NotAllowed, StaleEdit
from articles.images import image_create
from articles.models import Article, Correction, FindingWaiver, Image, Publication
from articles.services import article_new, content_lock, content_save, latest_revision, revision_content

from .permissions import is_editor, is_reviewer, may_create, role_refusal
from .states import Action, next_status


def refuse_unless_allowed(user, article: Article, action: Action) -> None:
    reason = role_refusal(user, article, action)
    if reason:
        raise NotAllowed(reason)


@transaction.atomic
def article_create(*, by, content: ArticleContent, slug: str = "", topics=(), authors=(),
                   comment: str = "Created") -> Article:
    """A new draft, by a writer or an editor."""
    if not may_create(by):
        raise NotAllowed("Only writers and editors can create articles.")
    return article_new(by=by, content=content, slug=slug, topics=topics, authors=authors, comment=comment)


def _save(article: Article, by, action: Action, **fields) -> Article:
    from_status = article.status
    article = content_save(article=article, by=by, status=next_status(from_status, action), **fields)
    if from_status != article.status:
        audit_record(article=article, actor=by, action=action, from_status=from_status,
                     to_status=article.status, revision=latest_revision(article), comment=fields["comment"])
    return article


@transaction.atomic
def article_update(*, article: Article, by, expected_version: int, content: ArticleContent,
                   slug: str | None = None, topics=None, authors=None, comment: str = "Edited") -> Article:
    """Save an edit as a new revision. A published article gets a new draft and keeps its live
    publication until the next approval. Refused if someone saved since `expected_version`."""
    article = content_lock(article)
    refuse_unless_allowed(by, article, Action.EDIT)
    next_status(article.status, Action.EDIT)
    if article.version != expected_version:
        raise StaleEdit(expected_version, article.version)
    return _save(article, by, Action.EDIT, content=content, comment=comment or "Edited", slug=slug,
                 topics=topics, authors=authors)


@transaction.atomic
def article_revert(*, article: Article, by, revision_id: int) -> Article:
    """Restore an earlier revision's content as a new draft revision. It never publishes."""
    article = content_lock(article)
    refuse_unless_allowed(by, article, Action.REVERT)
    next_status(article.status, Action.REVERT)
    meta, content = revision_content(article, revision_id)
    return _save(article, by, Action.REVERT, content=content,
                 comment=f"Reverted to revision {revision_id} (version {meta.version})")


def image_add(*, upload, by, article: Article | None = None, **fields) -> Image:
    """An uploaded image, for an article this person may edit, or for a new one (writers, editors)."""
    if article is not None:
        refuse_unless_allowed(by, article, Action.EDIT)
    elif not may_create(by):
        raise NotAllowed("Only writers and editors can upload images.")
    return image_create(upload=upload, by=by, article=article, **fields)


@transaction.atomic
def finding_waive(*, article: Article, by, code: str, field: str, excerpt: str, reason: str) -> FindingWaiver:
    """The writer's reason for keeping text a check flags as an error (articles.checks)."""
    article = content_lock(article)
    refuse_unless_allowed(by, article, Action.WAIVE_FINDING)
    next_status(article.status, Action.WAIVE_FINDING)
    return waiver_record(article=article, by=by, code=code, field=field, excerpt=excerpt, reason=reason)


@transaction.atomic
def correction_add(*, article: Article, by, kind: str, note: str) -> Correction:
    """Record a correction note on a published article (see Correction for minor vs medical)."""
    article = content_lock(article)
    # The writer's side of the article, in any state: a note is not a change of content.
    refuse_unless_allowed(by, article, Action.EDIT)
    if not ever_live(article):
        raise ValidationError({"kind": "Corrections are notes on an article readers have seen; this one was "
                                       "never live."})
    if kind not in Correction.Kind.values:
        raise ValidationError({"kind": "Choose a minor change or a medical change."})
    note = " ".join(note.split())
    if not note:
        raise ValidationError({"note": "Say what was corrected, in words a reader understands."})
    if len(note) > 1000:
        raise ValidationError({"note": f"Keep the note under 1,000 characters (it has {len(note):,})."})
    # Nothing reaches readers unread: a minor note waits for a reviewer or an editor (one step),
    # a medical note for the review of the change it describes.
    correction = Correction.objects.create(article=article, kind=kind, note=note, created_by=by)
    audit_record(article=article, actor=by, action=f"correction_{kind}", from_status=article.status,
                 to_status=article.status, comment=note)
    return correction


def ever_live(article: Article) -> bool:
    """Readers have seen the article: a scheduled one that never went live has nothing to correct."""
    return article.live_publication_id is not None or article.publications.filter(
        published_at__lte=timezone.now()).exclude(pk=article.scheduled_publication_id).exists()


def _correction_locked(correction: Correction) -> tuple[Correction, Article]:
    article = content_lock(correction.article)
    return Correction.objects.select_for_update().get(pk=correction.pk), article


@transaction.atomic
def correction_approve(*, correction: Correction, by) -> Correction:
    """The one-step review of a minor note: a reviewer or an editor other than its writer reads
    it, and it is shown to readers. A medical note is signed with its change instead."""
    correction, article = _correction_locked(correction)
    if not (is_reviewer(by) or is_editor(by)):
        raise NotAllowed("Only a reviewer or an editor can approve a correction note.")
    if by.pk == correction.created_by_id:
        raise NotAllowed("A correction note is approved by someone other than its writer.")
    if correction.withdrawn_at or correction.published_at:
        raise ValidationError("This note is no longer waiting for review.")
    if correction.kind != Correction.Kind.MINOR:
        raise ValidationError("A medical correction is signed with the review of the change it describes.")
    now = timezone.now()
    correction.published_at, correction.reviewed_at, correction.reviewed_by = now, now, by
    correction.save(update_fields=["published_at", "reviewed_at", "reviewed_by"])
    audit_record(article=article, actor=by, action="correction_reviewed", from_status=article.status,
                 to_status=article.status, comment=correction.note)
    return correction


@transaction.atomic
def correction_withdraw(*, correction: Correction, by, reason: str) -> Correction:
    """Take a note back (shown or not): readers no longer see it; the row and its audit stay."""
    correction, article = _correction_locked(correction)
    if role_refusal(by, article, Action.EDIT) is not None and not is_editor(by):
        raise NotAllowed("Only the article's writers or an editor can withdraw a correction note.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Say why the note is withdrawn."})
    if correction.withdrawn_at:
        raise ValidationError("This note was withdrawn already.")
    correction.withdrawn_at, correction.withdrawn_by, correction.withdrawal_reason = timezone.now(), by, reason
    correction.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit_record(article=article, actor=by, action="correction_withdrawn", from_status=article.status,
                 to_status=article.status, comment=f"{correction.note} Reason: {reason}")
    return correction


def corrections_publish(*, article: Article, publication: Publication, when) -> int:
    """Show the medical corrections waiting for this review, now that the reviewed version is live.
    Called inside the approval or go-live transaction."""
    return Correction.objects.filter(article=article, kind=Correction.Kind.MEDICAL, published_at__isnull=True,
                                     withdrawn_at__isnull=True).update(
        publication=publication, published_at=when, reviewed_at=when, reviewed_by=publication.reviewer)
