"""The review workflow: the state graph in one table, its guards, and the transition services.

Each transition is one transaction that locks the article row, checks the state graph, who may
act, and every guard, then writes one append-only audit row.
"""
import enum

from django.db import transaction
from django.utils import timezone

from articles.audit import audit_record
from articles.content import ArticleContent
from articles.errors import Failure, GateFailed, InvalidTransition, NotAllowed, TransitionRefused
from articles.gate import gate_failures
from articles.models import Article
from articles.services import latest_revision, publication_create

from .models import CHECKLIST, MANDATORY_CHECKLIST_KEYS, COMMENT_TARGETS, Review, ReviewComment, ReviewerProfile

Status = Article.Status


class Action(enum.StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    UNPUBLISH = "unpublish"
    # Not transitions of the graph, but answered by available_actions alongside them.
    EDIT = "edit"
    REVERT = "revert"
    COMMENT = "comment"


TRANSITIONS: dict[tuple[str, Action], str] = {
    (Status.DRAFT, Action.SUBMIT): Status.IN_REVIEW,
    (Status.IN_REVIEW, Action.WITHDRAW): Status.DRAFT,
    (Status.IN_REVIEW, Action.REQUEST_CHANGES): Status.DRAFT,
    (Status.IN_REVIEW, Action.APPROVE): Status.PUBLISHED,
    # Unpublishing withdraws the live publication; the working copy keeps its place in the graph,
    # except that a working copy identical to the withdrawn publication becomes a draft again.
    (Status.PUBLISHED, Action.UNPUBLISH): Status.DRAFT,
    (Status.DRAFT, Action.UNPUBLISH): Status.DRAFT,
    (Status.IN_REVIEW, Action.UNPUBLISH): Status.IN_REVIEW,
}


def next_status(current: str, action: Action) -> str:
    """The state after `action`, or InvalidTransition. Pure: no database."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        label = Status(current).label.lower() if current in Status.values else current
        raise InvalidTransition(f'An article that is {label} cannot be sent to "{action.value}".') from None


# --- Guards: each returns the failures it finds, so a refusal can list every reason at once. ---

def guard_gate_passes(article: Article) -> list[Failure]:
    return gate_failures(ArticleContent.of(article), article.article_type)


def guard_has_live_publication(article: Article) -> list[Failure]:
    if article.live_publication_id is None:
        return [Failure("status", "The article has no live publication to withdraw.", "not_live")]
    return []


def guard_reviewer_has_credentials(user) -> list[Failure]:
    profile = ReviewerProfile.objects.filter(user=user).first()
    if profile is None or not profile.credentials.strip():
        return [Failure("reviewer", "Approval needs a reviewer profile with credentials "
                                    "(for example MD or PharmD).", "no_credentials")]
    return []


def guard_checklist_complete(checklist: dict) -> list[Failure]:
    questions = {key: question for key, question, _ in CHECKLIST}
    return [
        Failure(f"checklist.{key}", f'Mandatory checklist item not answered yes: "{questions[key]}"',
                "checklist_incomplete")
        for key in MANDATORY_CHECKLIST_KEYS if checklist.get(key) is not True
    ]


def guard_rating_given(rating) -> list[Failure]:
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        return [Failure("rating", "Give an overall quality rating from 1 to 5.", "rating_missing")]
    return []


def guard_no_unresolved_comments(article: Article) -> list[Failure]:
    open_count = ReviewComment.objects.filter(article=article, resolved_at__isnull=True).count()
    if open_count:
        return [Failure("comments", f"{open_count} review comment{'s are' if open_count > 1 else ' is'} "
                                    "still unresolved.", "comments_unresolved")]
    return []


def guard_content_unchanged_since_submission(article: Article) -> list[Failure]:
    # Hashes, not revision ids: a revert can recreate identical content under a new revision,
    # and a write that skipped the services would change content without a new revision.
    current = ArticleContent.of(article).hash()
    latest = latest_revision(article)
    if (current != article.submitted_hash or latest is None
            or latest.pk != article.submitted_revision_id):
        return [Failure("content", "The content changed after it was submitted; it must be "
                                   "submitted again before it can be approved.", "content_changed")]
    return []


def _refuse_unless_allowed(user, article: Article, action: Action) -> None:
    from .permissions import role_refusal

    reason = role_refusal(user, article, action)
    if reason:
        raise NotAllowed(reason)


def _lock(article: Article) -> Article:
    return (Article.objects.select_for_update()
            .select_related("article_type").get(pk=article.pk))


# --- Transitions ---

@transaction.atomic
def article_submit(*, article: Article, by, comment: str = "") -> Article:
    article = _lock(article)
    to_status = next_status(article.status, Action.SUBMIT)
    _refuse_unless_allowed(by, article, Action.SUBMIT)
    failures = guard_gate_passes(article)
    if failures:
        raise GateFailed(failures)
    revision = latest_revision(article)
    from_status = article.status
    article.status = to_status
    article.submitted_hash = ArticleContent.of(article).hash()
    article.submitted_revision = revision
    article.submitted_by = by
    article.save(update_fields=["status", "submitted_hash", "submitted_revision", "submitted_by", "updated_at"])
    audit_record(article=article, actor=by, action=Action.SUBMIT, from_status=from_status,
                 to_status=to_status, revision=revision, comment=comment)
    return article


def _back_to_draft(article: Article, by, action: Action, comment: str) -> Article:
    from_status = article.status
    article.status = next_status(article.status, action)
    revision = article.submitted_revision
    article.submitted_hash = ""
    article.submitted_revision = None
    article.submitted_by = None
    article.save(update_fields=["status", "submitted_hash", "submitted_revision", "submitted_by", "updated_at"])
    audit_record(article=article, actor=by, action=action, from_status=from_status,
                 to_status=article.status, revision=revision, comment=comment)
    return article


@transaction.atomic
def article_withdraw(*, article: Article, by, comment: str = "") -> Article:
    article = _lock(article)
    next_status(article.status, Action.WITHDRAW)
    _refuse_unless_allowed(by, article, Action.WITHDRAW)
    return _back_to_draft(article, by, Action.WITHDRAW, comment)


@transaction.atomic
def article_request_changes(*, article: Article, by, comments: list[tuple[str, str]],
                            summary: str = "") -> Review:
    """Send the article back to its writer with comments, each tied to a section."""
    article = _lock(article)
    next_status(article.status, Action.REQUEST_CHANGES)
    _refuse_unless_allowed(by, article, Action.REQUEST_CHANGES)
    targets = {key for key, _ in COMMENT_TARGETS}
    comments = [(section, text.strip()) for section, text in comments if text.strip()]
    failures = [Failure("comments", f'"{section}" is not a part of the article a comment can point to.',
                        "comment_target_unknown") for section, _ in comments if section not in targets]
    already_open = ReviewComment.objects.filter(article=article, resolved_at__isnull=True).exists()
    if not comments and not already_open:
        failures.append(Failure("comments", "Say what needs to change: add at least one comment.",
                                "comments_missing"))
    if failures:
        raise TransitionRefused(failures, summary="Changes could not be requested")
    review = Review.objects.create(
        article=article, revision=article.submitted_revision, content_hash=article.submitted_hash,
        reviewer=by, decision=Review.Decision.CHANGES_REQUESTED, comment=summary,
    )
    ReviewComment.objects.bulk_create([
        ReviewComment(article=article, review=review, section=section, text=text, author=by)
        for section, text in comments
    ])
    _back_to_draft(article, by, Action.REQUEST_CHANGES, summary or f"{len(comments)} comment(s)")
    return review


@transaction.atomic
def article_approve(*, article: Article, by, checklist: dict, rating: int | None,
                    comment: str = "") -> Review:
    """Approve the exact submitted revision and publish it as an immutable snapshot."""
    article = _lock(article)
    next_status(article.status, Action.APPROVE)
    _refuse_unless_allowed(by, article, Action.APPROVE)
    failures = [
        *guard_reviewer_has_credentials(by),
        *guard_content_unchanged_since_submission(article),
        *guard_gate_passes(article),
        *guard_checklist_complete(checklist),
        *guard_rating_given(rating),
        *guard_no_unresolved_comments(article),
    ]
    if failures:
        raise TransitionRefused(failures, summary="The article cannot be approved")
    reviewed_at = timezone.now()
    review = Review.objects.create(
        article=article, revision=article.submitted_revision, content_hash=article.submitted_hash,
        reviewer=by, decision=Review.Decision.APPROVED, checklist=checklist, rating=rating,
        comment=comment,
    )
    profile = by.reviewer_profile
    submission = article.audit_entries.filter(action=Action.SUBMIT).order_by("-id").first()
    publication = publication_create(
        article=article, revision=article.submitted_revision, submission=submission,
        content_hash=article.submitted_hash,
        reviewer=by, reviewer_name=profile.display_name, reviewer_credentials=profile.credentials,
        reviewed_at=reviewed_at,
    )
    from_status = article.status
    article.status = next_status(article.status, Action.APPROVE)
    article.live_publication = publication
    article.submitted_hash = ""
    article.submitted_by = None
    revision = article.submitted_revision
    article.submitted_revision = None
    article.save(update_fields=["status", "live_publication", "submitted_hash", "submitted_revision",
                                "submitted_by", "updated_at"])
    audit_record(article=article, actor=by, action=Action.APPROVE, from_status=from_status,
                 to_status=article.status, revision=revision, comment=comment)
    return review


@transaction.atomic
def article_unpublish(*, article: Article, by, reason: str) -> Article:
    """Take the live publication down. The working copy and every revision are kept."""
    article = _lock(article)
    to_status = next_status(article.status, Action.UNPUBLISH)
    _refuse_unless_allowed(by, article, Action.UNPUBLISH)
    failures = guard_has_live_publication(article)
    if not reason.strip():
        failures.append(Failure("reason", "Say why the article is being unpublished.", "reason_missing"))
    if failures:
        raise TransitionRefused(failures, summary="The article cannot be unpublished")
    from_status = article.status
    publication = article.live_publication
    article.status = to_status
    article.live_publication = None
    article.save(update_fields=["status", "live_publication", "updated_at"])
    audit_record(article=article, actor=by, action=Action.UNPUBLISH, from_status=from_status,
                 to_status=to_status, revision=publication.revision, comment=reason)
    return article
