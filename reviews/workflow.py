"""The review workflow: its guards and the transition services over the state table (reviews.states).

Each transition is one transaction that locks the article row, checks the state graph, who may
act, and every guard, then writes one append-only audit row.
"""
from django.db import transaction
from django.utils import timezone

from articles.audit import audit_record
from articles.checks import field_label
from articles.checks.waivers import unanswered_errors
from articles.content import ArticleContent
from articles.errors import Failure, GateFailed, TransitionRefused
from articles.gate import gate_failures
from articles.hygiene import cleaned_for_bulk
from articles.models import Article
from articles.selectors import pending_medical_corrections
from articles.services import latest_revision, live_publication_set, publication_create

from .assignments import assignment_open, assignment_open_first, assignments_end
from .comments import NewComment
from .editing import corrections_publish, refuse_unless_allowed
from .states import Action, Status, next_status
from .steps import progress

# The audit action of one step's signature when more steps follow (the state does not change).
SIGN_OFF = "sign_off"
from .models import CHECKLIST, MANDATORY_CHECKLIST_KEYS, Review, ReviewComment, ReviewerProfile


# --- Guards: each returns the failures it finds, so a refusal can list every reason at once. ---

def guard_gate_passes(article: Article) -> list[Failure]:
    return gate_failures(ArticleContent.of(article), article.article_type)


def guard_check_errors_answered(article: Article) -> list[Failure]:
    """Each error the automated checks report is fixed, or has the writer's recorded reason.
    Warnings never block."""
    return [
        Failure(finding.field, f"{field_label(finding.field)}: {finding.message}"
                + (f' ("{finding.excerpt}")' if finding.excerpt else ""), finding.code)
        for finding in unanswered_errors(article)
    ]


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


def guard_checklist_complete(checklist: dict, mandatory=MANDATORY_CHECKLIST_KEYS) -> list[Failure]:
    questions = {key: question for key, question, _ in CHECKLIST}
    return [
        Failure(f"checklist.{key}", f'Mandatory checklist item not answered yes: "{questions[key]}"',
                "checklist_incomplete")
        for key in mandatory if checklist.get(key) is not True
    ]


def guard_rating_given(rating) -> list[Failure]:
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        return [Failure("rating", "Give an overall quality rating from 1 to 5.", "rating_missing")]
    return []


def _unresolved_comments(article: Article):
    return ReviewComment.objects.filter(article=article, resolved_at__isnull=True).order_by("created_at", "id")


def guard_comments_answered(article: Article) -> list[Failure]:
    """Submission waits for an answer to every comment a reviewer left open."""
    return [
        Failure("comments", f"Comment on {comment.describe()} is not answered yet. The writer answers it "
                            "(\"Mark answered\", in the editor or on the article page), or a reviewer "
                            "resolves it.", "comment_unanswered")
        for comment in _unresolved_comments(article).filter(answered_at__isnull=True)
    ]


def guard_no_unresolved_comments(article: Article) -> list[Failure]:
    """Approval waits until reviewers have resolved every comment, answered or not."""
    return [
        Failure("comments", f"Comment on {comment.describe()} is not resolved"
                            + (" (the writer answered it)" if comment.answered_at else "")
                            + ". A reviewer resolves it on the review page if the answer satisfies them; "
                              "otherwise request changes.", "comment_unresolved")
        for comment in _unresolved_comments(article)
    ]


def guard_reviewing_current_submission(article: Article, reviewed_revision_id, reviewed_hash: str) -> list[Failure]:
    """The decision is about the submission the reviewer had on screen, and no other."""
    if (str(reviewed_revision_id or "") == str(article.submitted_revision_id or "")
            and reviewed_hash == article.submitted_hash and article.submitted_hash):
        return []
    if not reviewed_revision_id or not reviewed_hash:
        message = ("The decision does not name the submitted version it is about. Open the review "
                   "page, read the submission, and decide there.")
    else:
        message = (f"The article was submitted again after you opened it: you reviewed revision "
                   f"#{reviewed_revision_id} (content {reviewed_hash[:12]}), the submission is now revision "
                   f"#{article.submitted_revision_id} (content {article.submitted_hash[:12]}). Nothing was "
                   "decided. Read the new submission on the review page and decide again.")
    return [Failure("reviewed_revision", message, "stale_review")]


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


def _lock(article: Article) -> Article:
    return (Article.objects.select_for_update()
            .select_related("article_type").get(pk=article.pk))


# --- Transitions ---

@transaction.atomic
def article_submit(*, article: Article, by, comment: str = "") -> Article:
    article = _lock(article)
    to_status = next_status(article.status, Action.SUBMIT)
    refuse_unless_allowed(by, article, Action.SUBMIT)
    failures = guard_gate_passes(article)
    if failures:
        raise GateFailed(failures)
    # The gate first: its failures are answered by writing, and the writing changes what the
    # checks see. Once it passes, each error finding needs a fix or a recorded reason.
    failures = guard_check_errors_answered(article)
    if failures:
        raise TransitionRefused(failures, summary="The automated checks found errors that need a fix "
                                                  "or a recorded reason")
    failures = guard_comments_answered(article)
    if failures:
        raise TransitionRefused(failures, summary="Reviewer comments wait for an answer")
    revision = latest_revision(article)
    from_status = article.status
    article.status = to_status
    article.submitted_hash = ArticleContent.of(article).hash()
    article.submitted_revision = revision
    article.submitted_by = by
    article.save(update_fields=["status", "submitted_hash", "submitted_revision", "submitted_by", "updated_at"])
    submission = audit_record(article=article, actor=by, action=Action.SUBMIT, from_status=from_status,
                              to_status=to_status, revision=revision, comment=comment)
    # The first step waits for someone, due the type's turnaround from today (reviews.assignments).
    assignment_open_first(article=article, submission=submission)
    _notify_after_commit("submitted", article, actor=by)
    return article


def _back_to_draft(article: Article, by, action: Action, comment: str) -> Article:
    from_status = article.status
    article.status = next_status(article.status, action)
    revision = article.submitted_revision
    article.submitted_hash = ""
    article.submitted_revision = None
    article.submitted_by = None
    article.save(update_fields=["status", "submitted_hash", "submitted_revision", "submitted_by", "updated_at"])
    assignments_end(article=article)
    audit_record(article=article, actor=by, action=action, from_status=from_status,
                 to_status=article.status, revision=revision, comment=comment)
    return article


@transaction.atomic
def article_withdraw(*, article: Article, by, comment: str = "") -> Article:
    article = _lock(article)
    next_status(article.status, Action.WITHDRAW)
    refuse_unless_allowed(by, article, Action.WITHDRAW)
    return _back_to_draft(article, by, Action.WITHDRAW, comment)


@transaction.atomic
def article_request_changes(*, article: Article, by, reviewed_revision_id, reviewed_hash: str,
                            comments: list[NewComment], summary: str = "") -> Review:
    """Send the submission the reviewer read back to its writer, with comments.

    Comments the writer answered but no reviewer resolved are open again: sending the article back
    says the answer was not enough.
    """
    article = _lock(article)
    next_status(article.status, Action.REQUEST_CHANGES)
    refuse_unless_allowed(by, article, Action.REQUEST_CHANGES)
    _refuse_unless_current(article, reviewed_revision_id, reviewed_hash)
    comments = [comment.cleaned() for comment in comments]
    comments = [comment for comment in comments if comment.text or comment.quote]
    failures = [failure for comment in comments for failure in comment.failures()]
    if not comments and summary.strip() and not _unresolved_comments(article).exists():
        # A note alone still says what to change: it becomes a comment on the whole article,
        # which the writer answers like any other.
        comments = [NewComment(section="general", text=summary.strip())]
    if not comments and not _unresolved_comments(article).exists():
        failures.append(Failure("comments", "Say what needs to change: add a comment, or write a note to the writer.",
                                "comments_missing"))
    if failures:
        raise TransitionRefused(failures, summary="Changes could not be requested")
    review = Review.objects.create(
        article=article, revision=article.submitted_revision, content_hash=article.submitted_hash,
        reviewer=by, decision=Review.Decision.CHANGES_REQUESTED, comment=summary,
    )
    ReviewComment.objects.bulk_create(cleaned_for_bulk([
        comment.row(article=article, review=review, revision=article.submitted_revision, author=by)
        for comment in comments
    ]))
    reopened = _unresolved_comments(article).filter(answered_at__isnull=False).count()
    # QuerySet.update is safe here: comments are not versioned, and nothing else holds them.
    _unresolved_comments(article).filter(answered_at__isnull=False).update(answered_at=None, answered_by=None)
    note = summary or f"{len(comments)} comment(s)"
    if reopened:
        note += f"; {reopened} answered comment(s) reopened"
    _back_to_draft(article, by, Action.REQUEST_CHANGES, note)
    _notify_after_commit("changes_requested", article, actor=by, reason=summary)
    return review


def _refuse_unless_current(article: Article, reviewed_revision_id, reviewed_hash: str) -> None:
    failures = guard_reviewing_current_submission(article, reviewed_revision_id, reviewed_hash)
    if failures:
        raise TransitionRefused(failures, summary="This is not the submission you reviewed")


@transaction.atomic
def article_approve(*, article: Article, by, reviewed_revision_id, reviewed_hash: str, checklist: dict,
                    rating: int | None, comment: str = "", go_live_at=None, signature=None) -> Review:
    """Approve the exact submitted revision as an immutable snapshot, and publish it now or, with a
    go-live time still to come, schedule it for publish_scheduled.

    `reviewed_revision_id` and `reviewed_hash` name the submission the reviewer read; approval of
    anything else is refused, so a resubmission while the review page was open never goes live
    unread.

    `signature` (reviews.accounts.Signature) is the reviewer's electronic signature: the meaning
    they confirmed and how they re-authenticated. The audit row of the sign-off records it with
    the signer, their credentials, the time and the content hash signed.
    """
    article = _lock(article)
    reviewed_at = timezone.now()
    action = Action.SCHEDULE if go_live_at is not None and go_live_at > reviewed_at else Action.APPROVE
    to_status = next_status(article.status, action)
    refuse_unless_allowed(by, article, Action.APPROVE)
    _refuse_unless_current(article, reviewed_revision_id, reviewed_hash)
    review_so_far = progress(article)
    step = review_so_far.current
    failures = [
        *(guard_reviewer_has_credentials(by) if step.credentials_required else []),
        *guard_content_unchanged_since_submission(article),
        *guard_gate_passes(article),
        *guard_checklist_complete(checklist, step.mandatory_keys()),
        *guard_rating_given(rating),
        *guard_no_unresolved_comments(article),
    ]
    if failures:
        raise TransitionRefused(failures, summary="The article cannot be approved")
    review = Review.objects.create(
        article=article, revision=article.submitted_revision, content_hash=article.submitted_hash,
        reviewer=by, decision=Review.Decision.APPROVED, checklist=checklist, rating=rating,
        comment=comment, step=step if step.pk else None, submission=review_so_far.submission,
    )
    signed = [*review_so_far.signed, review]
    signed_record = _signature_record(by, signature, step, article, reviewed_at)
    if not review_so_far.is_last:
        # One step of several: the signature is recorded; the article stays in review for the next.
        audit_record(article=article, actor=by, action=SIGN_OFF, from_status=article.status,
                     to_status=article.status, revision=article.submitted_revision,
                     comment=f"{step.name} signed ({len(signed)} of {len(review_so_far.steps)}). {comment}".strip(),
                     details=signed_record)
        assignment_open(article=article, submission=review_so_far.submission,
                        step=review_so_far.steps[len(signed)])
        _notify_after_commit("submitted", article, actor=by)
        return review
    signer = _signer(by)
    publication = publication_create(
        article=article, revision=article.submitted_revision, submission=review_so_far.submission,
        content_hash=article.submitted_hash,
        reviewer=by, reviewer_name=signer["name"], reviewer_credentials=signer["credentials"],
        reviewer_slug=signer["slug"], sign_offs=[
            {**_signer(r.reviewer), "step": (r.step or step).name, "signed_at": r.created_at.isoformat()}
            for r in signed],
        reviewed_at=reviewed_at, published_at=go_live_at if action == Action.SCHEDULE else reviewed_at,
    )
    from_status = article.status
    article.status = to_status
    if action == Action.SCHEDULE:
        article.scheduled_publication = publication
    else:
        live_publication_set(article=article, publication=publication)
        corrections_publish(article=article, publication=publication, when=reviewed_at)
    article.submitted_hash = ""
    article.submitted_by = None
    revision = article.submitted_revision
    article.submitted_revision = None
    article.save(update_fields=["status", "live_publication", "scheduled_publication", "submitted_hash",
                                "submitted_revision", "submitted_by", "updated_at"])
    assignments_end(article=article)
    audit_record(article=article, actor=by, action=action, from_status=from_status,
                 to_status=article.status, revision=revision,
                 comment=comment if action == Action.APPROVE
                 else f"Goes live {timezone.localtime(go_live_at):%Y-%m-%d %H:%M %Z}. {comment}".strip(),
                 details=signed_record)
    _notify_after_commit("published" if action == Action.APPROVE else "approved", article, actor=by,
                         publication=publication)
    return review


@transaction.atomic
def article_go_live(*, article: Article, now=None) -> bool:
    """Make a scheduled publication live once its time has come. Idempotent: the row lock and the
    state check mean two runs at once publish it once, and a second run does nothing."""
    article = _lock(article)
    now = now or timezone.now()
    publication = article.scheduled_publication
    if article.status != Status.SCHEDULED or publication is None or publication.published_at > now:
        return False
    article.status = next_status(article.status, Action.GO_LIVE)
    live_publication_set(article=article, publication=publication)
    article.scheduled_publication = None
    article.save(update_fields=["status", "live_publication", "scheduled_publication", "updated_at"])
    corrections_publish(article=article, publication=publication, when=now)
    # The approval is what takes effect, so the log names the approving reviewer as its actor.
    audit_record(article=article, actor=publication.reviewer, action=Action.GO_LIVE,
                 from_status=Status.SCHEDULED, to_status=article.status, revision=publication.revision,
                 comment="Published at its scheduled time.")
    _notify_after_commit("published", article, actor=publication.reviewer, publication=publication)
    return True


def due_scheduled_articles(now=None):
    now = now or timezone.now()
    return Article.objects.filter(status=Status.SCHEDULED,
                                  scheduled_publication__published_at__lte=now).order_by("pk")


@transaction.atomic
def article_unschedule(*, article: Article, by, reason: str = "") -> Article:
    """Cancel a scheduled go-live. The approved snapshot never goes live; the article is a draft."""
    article = _lock(article)
    to_status = next_status(article.status, Action.UNSCHEDULE)
    refuse_unless_allowed(by, article, Action.UNSCHEDULE)
    publication = article.scheduled_publication
    article.status = to_status
    article.scheduled_publication = None
    article.save(update_fields=["status", "scheduled_publication", "updated_at"])
    audit_record(article=article, actor=by, action=Action.UNSCHEDULE, from_status=Status.SCHEDULED,
                 to_status=to_status, revision=publication.revision, comment=reason)
    return article


def _signature_record(user, signature, step, article: Article, when) -> dict:
    """What the audit row keeps of a sign-off: who signed (with credentials), when, which step,
    what exactly (revision and content hash), what it meant, and how they proved it was them."""
    signer = _signer(user)
    return {"signature": {
        "signer": user.get_username(), "name": signer["name"], "credentials": signer["credentials"],
        "step": step.name, "revision": article.submitted_revision_id, "content_hash": article.submitted_hash,
        "signed_at": signature.signed_at if signature else when.isoformat(),
        "meaning": signature.meaning if signature else "",
        "method": signature.method if signature else "none (signed by a script, not on the desk)",
        # The medical correction notes the reviewer signs with the change they describe.
        "corrections": [{"id": note.pk, "note": note.note} for note in pending_medical_corrections(article)],
    }}


def _signer(user) -> dict:
    """How a signature names its signer to readers: from the reviewer profile when there is one."""
    profile = ReviewerProfile.objects.filter(user=user).first()
    if profile is None:
        return {"id": user.pk, "name": user.get_full_name() or user.get_username(), "credentials": "", "slug": ""}
    return {"id": user.pk, "name": profile.display_name, "credentials": profile.credentials, "slug": profile.slug}


def _notify_after_commit(event: str, article: Article, *, actor, publication=None, reason: str = "") -> None:
    # Only once the transition is committed: a rolled-back transition tells nobody. The publication
    # is named, not looked up later: a scheduled approval's is not the live one. Robust: a failure
    # to notify is logged and never turns a committed transition into an error page.
    from .notifications import notify

    transaction.on_commit(lambda: notify(event, article_id=article.pk, actor_id=actor.pk, publication=publication,
                                         reason=reason), robust=True)


@transaction.atomic
def article_unpublish(*, article: Article, by, reason: str) -> Article:
    """Take the live publication down. The working copy and every revision are kept."""
    article = _lock(article)
    to_status = next_status(article.status, Action.UNPUBLISH)
    refuse_unless_allowed(by, article, Action.UNPUBLISH)
    failures = guard_has_live_publication(article)
    if not reason.strip():
        failures.append(Failure("reason", "Say why the article is being unpublished.", "reason_missing"))
    if failures:
        raise TransitionRefused(failures, summary="The article cannot be unpublished")
    from_status = article.status
    publication = article.live_publication
    article.status = to_status
    live_publication_set(article=article, publication=None)
    article.save(update_fields=["status", "live_publication", "updated_at"])
    audit_record(article=article, actor=by, action=Action.UNPUBLISH, from_status=from_status,
                 to_status=to_status, revision=publication.revision, comment=reason)
    _notify_after_commit("unpublished", article, actor=by, publication=publication, reason=reason)
    return article
