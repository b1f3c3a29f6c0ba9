"""Reads for the editorial desk. Each list costs a fixed number of queries, whatever its length."""
import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (Count, Exists, F, Max, OuterRef, Prefetch, Q, Subquery, Value,
                              prefetch_related_objects)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, In
from django.utils import dateformat, timezone

from articles.content import ArticleContent
from articles.models import Article, AuditEntry, Publication

from .log import describe
from .models import CommentReply, Review, ReviewComment, ReviewStep
from .permissions import authored_by, group_names, saved_since_last_approval
from .steps import MEDICAL_REVIEWERS, Progress, steps_for


@dataclass(frozen=True)
class DeskList:
    """One list of the dashboard: which articles, and in what order (each order has an index
    behind it). `scope` narrows the articles with an index (a state, an author...) and `condition`
    picks this list's out of them: lists of one scope are counted together, in one aggregate
    query over that scope, never over every article."""

    title: str
    scope: Q
    order_by: tuple[str, ...]
    condition: Q = Q()
    # Counted only up to this many (then shown as "1,000+"), for lists that can hold a large share
    # of every article: walking 30,000 rows to print a number nobody pages through cost 100 ms.
    cap: int | None = None

    def articles(self):
        return desk_rows().filter(self.scope).filter(self.condition).order_by(*self.order_by)


def desk_rows():
    """The columns a dashboard row shows, and no more: an article's body, or a publication's
    (select_related would otherwise carry both through every sort), stays in the table."""
    return (Article.objects.select_related("article_type", "live_publication", "scheduled_publication")
            .only("title", "status", "updated_at", "article_type__name", "live_publication__next_review_due",
                  "scheduled_publication__published_at", "gate_failure_count", "error_finding_count"))


def _open_comments() -> Exists:
    return Exists(ReviewComment.objects.filter(article=OuterRef("pk"), resolved_at__isnull=True))


def writer_lists(user) -> list[DeskList]:
    mine = Q(authored_by(user))
    newest = ("-updated_at", "-pk")
    return [
        DeskList("My drafts", mine, newest, Q(status=Article.Status.DRAFT) & ~Q(_open_comments())),
        DeskList("Sent back to me", mine, newest, Q(_open_comments(), status=Article.Status.DRAFT)),
        DeskList("In review", mine, newest, Q(status=Article.Status.IN_REVIEW)),
    ]


def reviewer_lists(user) -> list[DeskList]:
    """What this reviewer may review now, oldest submission first, and what they reviewed."""
    # Not their own articles, nor ones they saved a revision of since the last approval
    # (reviews.permissions.contributor_ids, asked here in the same query).
    waiting = ~Q(authored_by(user)) & ~Q(saved_since_last_approval(user)) & _may_take_part(user)
    from .desk_lists import assignment_queues  # it builds on DeskList

    return [
        # "Assigned to me", "Overdue", "Unassigned" (reviews.assignments), counted with this scope.
        *assignment_queues(user, waiting),
        DeskList("Awaiting review", Q(status=Article.Status.IN_REVIEW), ("updated_at", "pk"), waiting),
        DeskList("Reviewed by me", Q(Exists(Review.objects.filter(article=OuterRef("pk"), reviewer=user))),
                 ("-updated_at", "-pk")),
    ]


def _may_take_part(user) -> Q:
    """The next step of the current review is signed by one of this person's groups, and they
    signed no earlier one: reviews.steps.Progress (current, signer_ids), asked in SQL so the list
    is paginated and counted by the database however many articles are in review."""
    def current_sign_offs(**more):
        # The approvals of the current submission (reviews.steps.current_submission): of the
        # submitted revision, and of a submission no later "submit" row replaced. Asked from the
        # article's reviews, of which most articles in review have none, rather than by finding
        # each article's latest submission first.
        later_submission = AuditEntry.objects.filter(article=OuterRef("article"), action="submit",
                                                     id__gt=OuterRef("submission_id"))
        return (Review.objects.filter(article=OuterRef("pk"), revision=OuterRef("submitted_revision"),
                                      decision=Review.Decision.APPROVED, **more)
                .exclude(Exists(later_submission)).order_by())

    # Steps are few and signed in order of position: the step waiting after n signatures is the
    # type's (n+1)th. Which n are this person's is worked out here, once.
    groups = group_names(user)
    waits_at, typed = {}, set()
    for type_id, group in (ReviewStep.objects.order_by("article_type", "position")
                           .values_list("article_type", "group__name")):
        position = sum(1 for t in typed if t[0] == type_id)
        typed.add((type_id, position))
        if group in groups:
            waits_at.setdefault(type_id, []).append(position)
    signed = Coalesce(Subquery(current_sign_offs().values("article").annotate(n=Count("pk")).values("n")), Value(0))
    waits = Q(pk__in=[])
    for type_id, positions in waits_at.items():
        waits |= Q(article_type=type_id) & Q(Exact(signed, positions[0]) if len(positions) == 1 else In(signed, positions))
    if MEDICAL_REVIEWERS in groups:
        # A type without steps has the single medical review of reviews.steps.steps_for.
        waits |= ~Q(article_type__in={type_id for type_id, _ in typed}) & ~Q(Exists(current_sign_offs()))
    return waits & ~Q(Exists(current_sign_offs(reviewer=user)))


def list_counts(lists: list[DeskList]) -> list[int]:
    """How many articles each list holds: one aggregate query a scope, and one a capped list (at
    most its cap + 1 rows read, so a count above the cap means "more than the cap")."""
    scopes, counts = {}, {}
    for index, desk_list in enumerate(lists):
        if desk_list.cap is not None:
            counts[f"n{index}"] = desk_list.articles().order_by().values("pk")[:desk_list.cap + 1].count()
            continue
        scopes.setdefault(desk_list.scope, []).append(index)
    for scope, indexes in scopes.items():
        counts.update(Article.objects.filter(scope).aggregate(**{
            f"n{index}": Count("pk", filter=lists[index].condition or None) for index in indexes}))
    return [counts[f"n{index}"] for index in range(len(lists))]


def with_row_details(articles: list) -> list:
    """The rows of every list on a page, each with its authors, its open comments and its review
    stage: a fixed number of queries for all of them together."""
    articles = list(articles)
    if not articles:
        return articles
    prefetch_related_objects(articles, Prefetch(
        "authors", queryset=get_user_model().objects.only("username", "first_name", "last_name")))
    open_comments = dict(ReviewComment.objects.filter(article__in={article.pk for article in articles},
                                                      resolved_at__isnull=True)
                         .values("article").annotate(n=Count("pk")).values_list("article", "n"))
    for article in articles:
        article.open_comments = open_comments.get(article.pk, 0)
    return with_review_stage(articles)


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


# A publisher with a backlog of reviews sees "1,000+" overdue: the first pages, oldest due first,
# are what the team works through.
DUE_LIST_CAP = 1_000


def editor_lists(filters: dict, today=None) -> list[DeskList]:
    """What needs an editor's eye by date (reviews overdue or due soon, scheduled go-lives), then
    every article, filtered."""
    from .desk_lists import all_articles_list  # it builds on DeskList

    today = today or timezone.localdate()
    due = ("live_publication__next_review_due", "pk")
    soon = Q(live_publication__next_review_due__lte=today + datetime.timedelta(days=30))
    return [
        DeskList("Medical review overdue", soon, due, Q(live_publication__next_review_due__lt=today),
                 cap=DUE_LIST_CAP),
        DeskList("Medical review due within 30 days", soon, due, Q(live_publication__next_review_due__gte=today),
                 cap=DUE_LIST_CAP),
        DeskList("Scheduled to go live", Q(status=Article.Status.SCHEDULED),
                 ("scheduled_publication__published_at", "pk")),
        # Searched and sorted as the editor asks (filters "q" and "sort"; reviews.desk_lists).
        all_articles_list(_filtered(filters), filters),
    ]


def _filtered(filters: dict) -> Q:
    condition = Q()
    if filters.get("status"):
        condition &= Q(status=filters["status"])
    if filters.get("article_type"):
        condition &= Q(article_type=filters["article_type"])
    if filters.get("topic"):
        condition &= Q(Exists(Article.topics.through.objects.filter(article=OuterRef("pk"), topic=filters["topic"])))
    if filters.get("person"):
        condition &= Q(Exists(Article.authors.through.objects.filter(
            article=OuterRef("pk"), user__username=filters["person"])))
    return condition


def comments_for(article):
    """Every comment on the article with its thread: unresolved first, each group oldest first."""
    return (ReviewComment.objects.filter(article=article)
            .select_related("author", "answered_by", "resolved_by")
            .prefetch_related(Prefetch("replies", queryset=CommentReply.objects.select_related("author")))
            .order_by(F("resolved_at").asc(nulls_first=True), "created_at", "id"))


def recent_audit(article, limit=10):
    """The newest log rows, each with `.sentence` in words (reviews.log.describe)."""
    entries = list(AuditEntry.objects.filter(article=article)
                   .select_related("actor", "actor__reviewer_profile")[:limit])
    for entry in entries:
        entry.sentence = describe(entry)
    return entries


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


