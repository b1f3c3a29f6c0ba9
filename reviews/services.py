"""Review comments: added by reviewers while an article is in review, resolved by its writers."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.errors import NotAllowed
from articles.models import Article
from articles.permissions import can_edit

from .models import COMMENT_TARGETS, ReviewComment
from .permissions import role_refusal
from .workflow import Action


@transaction.atomic
def comment_add(*, article: Article, by, section: str, text: str) -> ReviewComment:
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status != Article.Status.IN_REVIEW:
        raise ValidationError("Comments are added while the article is in review.")
    reason = role_refusal(by, article, Action.COMMENT)
    if reason:
        raise NotAllowed(reason)
    if section not in {key for key, _ in COMMENT_TARGETS}:
        raise ValidationError({"section": f'"{section}" is not a part of the article.'})
    if not text.strip():
        raise ValidationError({"text": "The comment is empty."})
    return ReviewComment.objects.create(article=article, section=section, text=text.strip(), author=by)


@transaction.atomic
def comment_resolve(*, comment: ReviewComment, by, reply: str = "") -> ReviewComment:
    comment = ReviewComment.objects.select_for_update().select_related("article").get(pk=comment.pk)
    if not (can_edit(by, comment.article) or by.pk == comment.author_id):
        raise NotAllowed("Only the article's writers, editors or the comment's author can resolve it.")
    if comment.resolved_at is not None:
        raise ValidationError("This comment is already resolved.")
    comment.resolved_at = timezone.now()
    comment.resolved_by = by
    comment.reply = reply.strip()
    comment.save(update_fields=["resolved_at", "resolved_by", "reply"])
    return comment
