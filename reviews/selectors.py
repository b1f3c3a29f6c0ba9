"""Reads for the editorial desk. Each list costs a fixed number of queries, whatever its length."""
import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone

from articles.content import ArticleContent
from articles.models import Article, AuditEntry, Publication, RevisionMeta

from .models import CommentReply, Review, ReviewComment, ReviewStep
from .permissions import group_names
from .steps import Progress, steps_for


def desk_articles():
    open_comments = Count("review_comments", filter=Q(review_comments__resolved_at__isnull=True), distinct=True)
    return (Article.objects.select_related("article_type", "live_publication", "scheduled_publication")
            .prefetch_related("authors")
            .annotate(open_comments=open_comments))


def writer_lists(user) -> dict:
    mine = desk_articles().filter(authors=user).order_by("-updated_at")
    return {
        "My drafts": mine.filter(status=Article.Status.DRAFT, open_comments=0),
        "Sent back to me": mine.filter(status=Article.Status.DRAFT, open_comments__gt=0),
        "In review": mine.filter(status=Article.Status.IN_REVIEW),
    }


def reviewer_lists(user) -> dict:
    """What this reviewer may review now, oldest submission first, and what they reviewed."""
    # Not their own articles, nor ones they saved a revision of since the last approval
    # (reviews.permissions.contributor_ids, asked here in the same query). RevisionMeta is written
    # with every save, so it stands in for reversion's Versions.
    last_approved = Coalesce(Subquery(
        Publication.objects.filter(article=OuterRef("article")).order_by("-revision_id").values("revision_id")[:1]
    ), Value(0))
    saved_since_approval = Exists(RevisionMeta.objects.filter(
        article=OuterRef("pk"), revision__user=user, revision_id__gt=last_approved))
    waiting = (desk_articles().filter(status=Article.Status.IN_REVIEW)
               .exclude(authors=user).exclude(saved_since_approval).order_by("updated_at"))
    return {
        "Awaiting review": [article for article in with_review_stage(waiting) if _may_take_part(user, article)],
        "Reviewed by me": (desk_articles().filter(reviews__reviewer=user).distinct()
                           .order_by("-updated_at")),
    }


def _may_take_part(user, article) -> bool:
    """The next step is signed by one of this person's groups, and they signed no earlier one."""
    step = article.review_progress.current
    return (step is not None and step.group.name in group_names(user)
            and user.pk not in article.review_progress.signer_ids)


def with_review_stage(articles) -> list:
    """The articles, each with review_progress (reviews.steps.Progress) for the submission under
    review: "2 of 3: awaiting Pharmacist review". Three queries for the whole list."""
    articles = list(articles)
    in_review = [article for article in articles
                 if article.status == Article.Status.IN_REVIEW and not hasattr(article, "review_progress")]
    if not in_review:
        return articles
    steps = {}
    for step in ReviewStep.objects.filter(article_type__in={a.article_type_id for a in in_review}).select_related("group"):
        steps.setdefault(step.article_type_id, []).append(step)
    latest_submit = dict(AuditEntry.objects.filter(article__in=in_review, action="submit")
                         .values("article_id").annotate(last=Max("id")).values_list("article_id", "last"))
    signed = {}
    for review in (Review.objects.filter(submission_id__in=latest_submit.values(), decision=Review.Decision.APPROVED)
                   .order_by("created_at", "pk")):
        signed.setdefault(review.submission_id, []).append(review)
    for article in in_review:
        type_steps = sorted(steps.get(article.article_type_id, []), key=lambda step: step.position)
        if not type_steps:
            type_steps = steps_for(article.article_type)
        article.review_progress = Progress(steps=type_steps, signed=signed.get(latest_submit.get(article.pk), []))
    return articles


def editor_list(filters: dict):
    articles = desk_articles().order_by("-updated_at")
    if filters.get("status"):
        articles = articles.filter(status=filters["status"])
    if filters.get("article_type"):
        articles = articles.filter(article_type=filters["article_type"])
    if filters.get("topic"):
        articles = articles.filter(topics=filters["topic"])
    if filters.get("person"):
        articles = articles.filter(authors__username=filters["person"])
    return articles.distinct()


def editor_schedule_lists(today=None) -> dict:
    """What needs an editor's eye by date: reviews overdue or due soon, and scheduled go-lives."""
    today = today or timezone.localdate()
    live = desk_articles().filter(live_publication__isnull=False)
    return {
        "Medical review overdue": live.filter(live_publication__next_review_due__lt=today)
                                      .order_by("live_publication__next_review_due"),
        "Medical review due within 30 days": live.filter(
            live_publication__next_review_due__gte=today,
            live_publication__next_review_due__lte=today + datetime.timedelta(days=30),
        ).order_by("live_publication__next_review_due"),
        "Scheduled to go live": (desk_articles().filter(status=Article.Status.SCHEDULED)
                                 .order_by("scheduled_publication__published_at")),
    }


def comments_for(article):
    """Every comment on the article with its thread: unresolved first, each group oldest first."""
    return (ReviewComment.objects.filter(article=article)
            .select_related("author", "answered_by", "resolved_by")
            .prefetch_related(Prefetch("replies", queryset=CommentReply.objects.select_related("author")))
            .order_by(F("resolved_at").asc(nulls_first=True), "created_at", "id"))


def recent_audit(article, limit=10):
    return AuditEntry.objects.filter(article=article).select_related("actor")[:limit]


@dataclass(frozen=True)
class Baseline:
    """What a review diff starts from: a label for the reviewer, and the revision (None: nothing,
    so the whole article shows as new)."""

    key: str
    label: str
    revision: object = None
    at: datetime.datetime | None = None

    def content(self, article) -> ArticleContent | None:
        return ArticleContent.from_revision(self.revision, article) if self.revision else None


def _day(moment) -> str:
    return dateformat.format(timezone.localtime(moment), "j M Y")


def review_baselines(article, user) -> dict[str, Baseline]:
    """The starting points a reviewer can pick, in the order offered: since the last approval,
    since the last review round (this reviewer's, else the latest since that approval), the whole
    article. Only the ones that exist."""
    baselines = {}
    publication = (article.publications.select_related("revision")
                   .order_by("-reviewed_at", "-pk").first())
    if publication is not None:
        baselines["approved"] = Baseline(
            "approved", f"Since the last approval ({publication.reviewer_name}, "
                        f"{_day(publication.reviewed_at)})",
            publication.revision, publication.reviewed_at)
    # A round on the very revision now submitted stays a baseline: "no changes since your round"
    # is what the reviewer needs to know when the writer answered without editing.
    rounds = (Review.objects.filter(article=article, decision=Review.Decision.CHANGES_REQUESTED)
              .select_related("revision", "reviewer").order_by("-created_at", "-pk"))
    if publication is not None:
        rounds = rounds.filter(created_at__gt=publication.reviewed_at)
    mine = rounds.filter(reviewer=user).first()
    latest = mine or rounds.first()
    if latest is not None:
        who = "your" if mine else f"{latest.reviewer.get_full_name() or latest.reviewer.get_username()}'s"
        baselines["round"] = Baseline(
            "round", f"Since {who} last round ({_day(latest.created_at)})",
            latest.revision, latest.created_at)
    baselines["whole"] = Baseline("whole", "The whole article")
    return baselines


def default_baseline(baselines: dict[str, Baseline]) -> str:
    """After a round of changes, what changed since it; on a published article, since its approval."""
    for key in ("round", "approved"):
        if key in baselines:
            return key
    return "whole"


def last_approved_content(article) -> tuple[Publication | None, ArticleContent | None]:
    """The most recently approved revision's content: what the reviewer's diff starts from."""
    publication = article.publications.order_by("-published_at").first()
    if publication is None:
        return None, None
    return publication, ArticleContent.from_revision(publication.revision, article)


