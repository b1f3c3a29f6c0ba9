"""Where a review stands: the type's steps, the sign-offs of the current submission, the next step.

A review is the sign-offs of one submission (its "submit" audit row). A withdrawal, an edit and a
new submission start a new review, so an edit always restarts from the first step.
"""
from dataclasses import dataclass, field

from articles.models import Article, AuditEntry

from .models import Review, ReviewStep

MEDICAL_REVIEWERS = "Medical reviewers"


def steps_for(article_type) -> list[ReviewStep]:
    """The type's steps in order. A type an editor added without steps gets today's single
    medical review, so no article can be published with no review at all."""
    steps = list(ReviewStep.objects.filter(article_type=article_type).select_related("group").order_by("position"))
    if steps:
        return steps
    from django.contrib.auth.models import Group

    return [ReviewStep(article_type=article_type, position=1, name="Medical review",
                       group=Group.objects.get_or_create(name=MEDICAL_REVIEWERS)[0], credentials_required=True)]


def current_submission(article: Article) -> AuditEntry | None:
    """The audit row of the submission under review, or None when the article is not in review."""
    if article.status != Article.Status.IN_REVIEW:
        return None
    return article.audit_entries.filter(action="submit").order_by("-id").first()


@dataclass
class Progress:
    steps: list[ReviewStep]
    signed: list[Review] = field(default_factory=list)
    submission: AuditEntry | None = None

    @property
    def current(self) -> ReviewStep | None:
        """The step waiting for a signature, or None when every step is signed."""
        return self.steps[len(self.signed)] if len(self.signed) < len(self.steps) else None

    @property
    def is_last(self) -> bool:
        return len(self.signed) == len(self.steps) - 1

    @property
    def signer_ids(self) -> set[int]:
        return {review.reviewer_id for review in self.signed}

    def describe(self) -> str:
        """ "2 of 3: awaiting Pharmacist review" """
        if self.current is None:
            return "every step signed"
        return f"{len(self.signed) + 1} of {len(self.steps)}: awaiting {self.current.name}"


def progress(article: Article, *, fresh: bool = False) -> Progress:
    """The review of the current submission: three queries, once per page or transition (kept on
    the article object; `fresh` after a signature, which changes no field of the article)."""
    cached = getattr(article, "_review_progress", None)
    if not fresh and cached is not None and cached[0] == (article.status, article.submitted_revision_id):
        return cached[1]
    steps = steps_for(article.article_type)
    submission = current_submission(article)
    signed = []
    if submission is not None:
        signed = list(Review.objects.filter(article=article, submission=submission,
                                            decision=Review.Decision.APPROVED)
                      .select_related("reviewer", "step").order_by("created_at", "pk"))
    result = Progress(steps=steps, signed=signed, submission=submission)
    article._review_progress = ((article.status, article.submitted_revision_id), result)
    return result


def reviewer_group_names() -> set[str]:
    """Every group that signs a step of some type, and the medical reviewers."""
    return set(ReviewStep.objects.values_list("group__name", flat=True)) | {MEDICAL_REVIEWERS}
