"""Reads for the editorial desk. Each list costs a fixed number of queries, whatever its length."""
import datetime

from django.db.models import Count, Q
from django.utils import timezone

from articles.content import ArticleContent
from articles.models import Article, AuditEntry, Publication

from .models import ReviewComment


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
    return {
        "Awaiting review": (desk_articles().filter(status=Article.Status.IN_REVIEW)
                            .exclude(authors=user).order_by("updated_at")),
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
    return (ReviewComment.objects.filter(article=article)
            .select_related("author", "resolved_by").order_by("resolved_at", "created_at"))


def recent_audit(article, limit=10):
    return AuditEntry.objects.filter(article=article).select_related("actor")[:limit]


def last_approved_content(article) -> tuple[Publication | None, ArticleContent | None]:
    """The most recently approved revision's content: what the reviewer's diff starts from."""
    publication = article.publications.order_by("-published_at").first()
    if publication is None:
        return None, None
    return publication, ArticleContent.from_revision(publication.revision, article)


