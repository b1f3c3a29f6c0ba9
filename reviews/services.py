"""Review comments: a reviewer opens one (on a passage or a whole section), the writer and
reviewers reply, the writer marks it answered, a reviewer resolves it.

Who may do which is answered by reviews.permissions.comment_refusal; the workflow's guards use the
resulting states (submission waits for answers, approval for resolutions).
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.errors import NotAllowed
from articles.models import Article

from .comments import TEXT_LIMIT, NewComment
from .models import CommentReply, ReviewComment
from .permissions import comment_refusal, role_refusal
from .workflow import Action


def _refuse_unless(reason: str | None) -> None:
    if reason:
        raise NotAllowed(reason)


@transaction.atomic
def comment_add(*, article: Article, by, comment: NewComment) -> ReviewComment:
    """A reviewer's comment while the article is in review, without deciding yet."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status != Article.Status.IN_REVIEW:
        raise ValidationError("Comments are added while the article is in review.")
    _refuse_unless(role_refusal(by, article, Action.COMMENT))
    comment = comment.cleaned()
    failures = comment.failures()
    if failures:
        raise ValidationError([failure.message for failure in failures])
    row = comment.row(article=article, revision=article.submitted_revision, author=by)
    row.save()
    return row


def _lock_comment(comment: ReviewComment) -> ReviewComment:
    return ReviewComment.objects.select_for_update().select_related("article").get(pk=comment.pk)


def _clean_reply(text: str) -> str:
    text = text.strip()
    if len(text) > TEXT_LIMIT:
        raise ValidationError(f"Keep a reply under {TEXT_LIMIT:,} characters (this one has {len(text):,}).")
    return text


@transaction.atomic
def comment_reply(*, comment: ReviewComment, by, text: str) -> CommentReply:
    comment = _lock_comment(comment)
    _refuse_unless(comment_refusal(by, comment.article, "reply"))
    if comment.is_resolved:
        raise ValidationError("This comment is resolved; its thread is closed.")
    text = _clean_reply(text)
    if not text:
        raise ValidationError("The reply is empty.")
    return CommentReply.objects.create(comment=comment, author=by, text=text)


def _mark(comment: ReviewComment, by, verb: str, reply: str) -> ReviewComment:
    """Stamp the comment answered or resolved by this person, with their reply in the thread."""
    comment = _lock_comment(comment)
    _refuse_unless(comment_refusal(by, comment.article, verb))
    if comment.is_resolved:
        raise ValidationError("This comment is already resolved.")
    if verb == "answer" and comment.answered_at is not None:
        raise ValidationError("This comment is already marked answered.")
    reply = _clean_reply(reply)
    if reply:
        CommentReply.objects.create(comment=comment, author=by, text=reply)
    prefix = {"answer": "answered", "resolve": "resolved"}[verb]
    setattr(comment, f"{prefix}_at", timezone.now())
    setattr(comment, f"{prefix}_by", by)
    comment.save(update_fields=[f"{prefix}_at", f"{prefix}_by"])
    return comment


@transaction.atomic
def comment_answer(*, comment: ReviewComment, by, reply: str = "") -> ReviewComment:
    """The writer says the comment is dealt with, with an optional reply. A reviewer still
    resolves it before approval."""
    return _mark(comment, by, "answer", reply)


@transaction.atomic
def comment_resolve(*, comment: ReviewComment, by, reply: str = "") -> ReviewComment:
    """A reviewer closes the comment: the passage is fixed or the answer satisfies them."""
    return _mark(comment, by, "resolve", reply)
