"""Reads for the editorial desk. Each list costs a fixed number of queries, whatever its length."""
import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone

from articles.content import ArticleContent
from articles.models import Article, AuditEntry, Publication, RevisionMeta

from .models import CommentReply, Review, ReviewComment


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
    # Only what this person may review now: not their own articles, nor ones they saved a revision
    # of since the last approval (articles.permissions.contributor_ids, asked here in the same
    # query). RevisionMeta is written with every save, so it stands in for reversion's Versions.
    last_approved = Coalesce(Subquery(
        Publication.objects.filter(article=OuterRef("article")).order_by("-revision_id").values("revision_id")[:1]
    ), Value(0))
    saved_since_approval = Exists(RevisionMeta.objects.filter(
        article=OuterRef("pk"), revision__user=user, revision_id__gt=last_approved))
    return {
        "Awaiting review": (desk_articles().filter(status=Article.Status.IN_REVIEW)
                            .exclude(authors=user).exclude(saved_since_approval).order_by("updated_at")),
        "Reviewed by me": (desk_articles().filter(reviews__reviewer=user).distinct()
                           .order_by("-updated_at")),
    }


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


