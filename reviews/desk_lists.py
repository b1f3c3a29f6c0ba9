"""Reads for the desk's lists beyond reviews.selectors: search and sorting of "All articles", the
counts per state and per review step, the reviewer's assignment queues, and each row's review
assignment. Each costs a fixed number of queries, whatever the number of articles.
"""
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (Case, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When)
from django.db.models.functions import Coalesce, Concat, Lower
from django.utils import timezone

from articles.models import Article

from .models import ReviewAssignment, ReviewComment, ReviewStep
from .selectors import DeskList, desk_rows
from .steps import MEDICAL_REVIEWERS

Status = Article.Status


@dataclass(frozen=True)
class SortedDeskList(DeskList):
    """A DeskList whose order needs values computed per row (a subquery): `annotations` are
    (name, expression) pairs added before the order applies. `kind` tells the template which
    controls the list's rows get ("all": sortable headers and bulk selection; "unassigned": a
    button to take the review)."""

    annotations: tuple = ()
    kind: str = ""

    def articles(self):
        return (desk_rows().annotate(**dict(self.annotations))
                .filter(self.scope).filter(self.condition).order_by(*self.order_by))


# --- Search and sort of "All articles" ---

# Longer input is cut: a search box is for a few words, and the query compares every row.
SEARCH_LIMIT = 100


def search_condition(text: str) -> Q:
    """Articles whose title or slug holds `text`, or one of whose authors' name or username does
    (ignoring case). Each word must be found somewhere, so "kava tan" finds Wes Tan's article on
    kava. No index serves a substring search; at 50,000 articles the scan costs tens of ms."""
    condition = Q()
    for word in (text or "").split()[:5]:
        word = word[:SEARCH_LIMIT]
        author = Article.authors.through.objects.annotate(
            full_name=Concat("user__first_name", Value(" "), "user__last_name")
        ).filter(Q(full_name__icontains=word) | Q(user__username__icontains=word), article=OuterRef("pk"))
        condition &= Q(title__icontains=word) | Q(slug__icontains=word) | Q(Exists(author))
    return condition


def _first_author():
    return Subquery(Article.authors.through.objects.filter(article=OuterRef("pk")).annotate(
        key=Lower(Concat("user__first_name", Value(" "), "user__last_name", Value(" "), "user__username"))
    ).order_by("key").values("key")[:1])


def _open_comments():
    return Coalesce(Subquery(ReviewComment.objects.filter(article=OuterRef("pk"), resolved_at__isnull=True)
                             .order_by().values("article").annotate(n=Count("pk")).values("n")), Value(0))


def step_due_on():
    """The due date of the review step the article waits for (null when not in review)."""
    return Subquery(ReviewAssignment.objects.filter(article=OuterRef("pk"), ended_at__isnull=True)
                    .values("due_on")[:1])


_LIFECYCLE_ORDER = Case(*(When(status=status, then=Value(n)) for n, status in enumerate(
    [Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED, Status.PUBLISHED])), output_field=IntegerField())

# (key, column heading, the value sorted by): the columns of the desk's article table, in order.
COLUMNS = (
    ("title", "Article", Lower("title")),
    ("type", "Type", F("article_type__name")),
    ("state", "State", _LIFECYCLE_ORDER),
    ("authors", "Authors", None),  # a subquery, made when asked for
    ("comments", "Open comments", None),
    ("gate", "Gate failures", F("gate_failure_count")),
    ("errors", "Check errors", F("error_finding_count")),
    ("due", "Review step due", None),
    ("updated", "Updated", F("updated_at")),
)
SORT_KEYS = tuple(key for key, _, _ in COLUMNS)
DEFAULT_SORT = "-updated"
_COMPUTED = {"authors": _first_author, "comments": _open_comments, "due": step_due_on}


def sort_order(sort: str) -> tuple[tuple, tuple]:
    """(annotations, order_by) for "key" (ascending) or "-key" (descending); unknown: newest first.
    Empty values (no author, no count yet, not in review) sort last either way; id breaks ties."""
    descending = (sort or "").startswith("-")
    key = (sort or "").lstrip("-")
    if key not in SORT_KEYS:
        descending, key = True, "updated"
    expression = dict((k, value) for k, _, value in COLUMNS)[key]
    annotations = ()
    if expression is None:
        annotations = ((f"sort_{key}", _COMPUTED[key]()),)
        expression = F(f"sort_{key}")
    ordered = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return annotations, (ordered, "-pk" if descending else "pk")


def all_articles_list(condition: Q, filters: dict) -> SortedDeskList:
    """ "All articles": the editor's filters, the search, and the chosen order."""
    annotations, order_by = sort_order(filters.get("sort") or DEFAULT_SORT)
    return SortedDeskList("All articles", condition & search_condition(filters.get("q", "")), order_by,
                          annotations=annotations, kind="all")


# --- The reviewer's queues ---

def _open(**more) -> Exists:
    return Exists(ReviewAssignment.objects.filter(article=OuterRef("pk"), ended_at__isnull=True, **more))


def assignment_queues(user, may_review: Q, today=None) -> list[SortedDeskList]:
    """ "Assigned to me", "Overdue" (mine, or unassigned ones they may take) and "Unassigned"
    (ones they may take: `may_review` is reviews.selectors' answer for "this person may sign the
    step it waits for"), soonest due first. One scope with "Awaiting review", so one count."""
    today = today or timezone.localdate()
    in_review = Q(status=Article.Status.IN_REVIEW)
    by_due = ((("review_due_on", step_due_on()),), (F("review_due_on").asc(nulls_last=True), "pk"))

    def queue(title, condition, kind=""):
        return SortedDeskList(title, in_review, by_due[1], condition, annotations=by_due[0], kind=kind)

    unassigned = Q(_open(assignee__isnull=True)) & may_review
    return [
        queue("Assigned to me", Q(_open(assignee=user))),
        queue("Overdue", Q(_open(assignee=user, due_on__lt=today))
              | (Q(_open(assignee__isnull=True, due_on__lt=today)) & may_review), kind="unassigned"),
        queue("Unassigned", unassigned, kind="unassigned"),
    ]


# --- Per row, and counts ---

def with_assignments(articles) -> list:
    """Each article with `.assignment`, its open review assignment (with the assignee) or None:
    one query for the whole page."""
    articles = list(articles)
    ids = {article.pk for article in articles if article.status == Status.IN_REVIEW}
    found = {}
    if ids:
        found = {assignment.article_id: assignment for assignment in ReviewAssignment.objects.filter(
            article__in=ids, ended_at__isnull=True).select_related("assignee").only(
            "article_id", "step_name", "due_on", "assignee__username", "assignee__first_name",
            "assignee__last_name")}
    today = timezone.localdate()
    for article in articles:
        article.assignment = found.get(article.pk)
        if article.assignment is not None:
            article.assignment.overdue = article.assignment.due_on < today
    return articles


@dataclass(frozen=True)
class StepCount:
    name: str
    total: int
    unassigned: int
    overdue: int


def state_counts() -> list[tuple[str, str, int]]:
    """(state, label, how many articles) for every state, in lifecycle order: one query."""
    counts = Article.objects.aggregate(**{status: Count("pk", filter=Q(status=status)) for status in Status.values})
    return [(status, Status(status).label, counts[status]) for status in
            (Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED, Status.PUBLISHED)]


def step_counts(today=None) -> list[StepCount]:
    """The articles in review by the step they wait for (steps of one name across types counted
    together), each with how many nobody holds and how many are overdue: one query over the open
    assignments."""
    today = today or timezone.localdate()
    rows = (ReviewAssignment.objects.filter(ended_at__isnull=True).values("step_name")
            .annotate(total=Count("pk"), unassigned=Count("pk", filter=Q(assignee__isnull=True)),
                      overdue=Count("pk", filter=Q(due_on__lt=today)))
            .order_by("step_name"))
    return [StepCount(row["step_name"], row["total"], row["unassigned"], row["overdue"]) for row in rows]


def possible_assignees():
    """Everyone who may sign some review step (an active member of a group that signs one, or of
    the medical reviewers), by name: whom an editor can pick to assign. Whether they may take a
    given article's step is asked when it is assigned (reviews.permissions.step_taker_refusal)."""
    return (get_user_model().objects.filter(is_active=True).filter(
        Q(groups__in=ReviewStep.objects.values("group")) | Q(groups__name=MEDICAL_REVIEWERS))
        .distinct().order_by("first_name", "last_name", "username"))


def eligible_assignees(article: Article):
    """Who may take the step the article waits for now, by name: the step's group, less the
    contributors and the earlier signers (the answer of step_taker_refusal, for a whole group)."""
    from .permissions import contributor_ids
    from .steps import progress

    review = progress(article)
    if review.current is None or article.status != Status.IN_REVIEW:
        return get_user_model().objects.none()
    return (get_user_model().objects.filter(is_active=True, groups=review.current.group_id)
            .exclude(pk__in=contributor_ids(article) | review.signer_ids)
            .order_by("first_name", "last_name", "username"))

