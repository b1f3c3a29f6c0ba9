"""Reads for the desk calendar and the calendar feeds: go-lives and medical reviews falling due.

An event is read from the article it belongs to, so which articles a person may see is decided by
reviews.permissions, as on every other desk page. Three kinds of row make the calendar:

- a scheduled go-live: the approved publication waiting for its time (Article.scheduled_publication);
- a go-live that happened: the publication live now, at the time it went live
  (Article.live_publication), so a scheduled go-live stays on its day once publish_scheduled ran;
- a medical review due: the live publication's next_review_due.

Corrections have no date of their own to put on a calendar: a medical correction goes live with
the publication it was approved with, which is on the calendar as that go-live.

Every read is a range over an indexed date (publication_newest_first on published_at,
publication_review_due on next_review_due, both in articles' migrations), and returns a bounded
number of rows whatever the number of articles: the month view a few a day and a count, the list a
page, a feed at most FEED_MAX_EVENTS.
"""
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (BooleanField, CharField, Count, DateTimeField, Exists, F, IntegerField, OuterRef, Q,
                              QuerySet, TextChoices, Value, Window)
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from articles.models import Article

from .models import Review, ReviewStep
from .permissions import authored_by, is_editor, is_reviewer, is_writer, saved_since_last_approval, viewable_articles
# The "Awaiting review" list's own condition (the next step is signed by one of this person's
# groups), so "articles they may review" in a feed is the dashboard's answer, not a second one.
from .selectors import _may_take_part
from .steps import MEDICAL_REVIEWERS

# The month view shows this many events in a day's cell, then "and N more" (the list view).
EVENTS_PER_DAY = 4
LIST_PAGE_SIZE = 100
# A feed holds the events from FEED_DAYS_BACK days ago to FEED_DAYS_AHEAD days ahead: back far
# enough that the reviews overdue since last month and the go-lives of the past weeks are still in
# the calendar app, ahead far enough (over a year) that every article's next review shows once
# even on the shortest default interval (12 months for substances), with scheduled go-lives months
# out. At most FEED_MAX_EVENTS, the nearest to today: an editor's feed at 50,000 articles would
# otherwise carry some 20,000 due dates (800 KB for 2,000), which calendar apps fetch every few
# hours; there it covers about two weeks either side of today, and the desk's list has them all.
FEED_DAYS_BACK = 60
FEED_DAYS_AHEAD = 400
FEED_MAX_EVENTS = 2000


class EventKind(TextChoices):
    GO_LIVE = "go_live", "Go-lives"
    REVIEW_DUE = "review_due", "Medical reviews due"


@dataclass(frozen=True)
class CalendarFilters:
    """What the person narrowed the calendar to; None or "" is everything."""

    kind: str = ""
    article_type_id: int | None = None
    topic_id: int | None = None
    reviewer_id: int | None = None


@dataclass(frozen=True)
class CalendarEvent:
    kind: str
    day: datetime.date
    # The go-live time; None for a review due, which is a whole day.
    at: datetime.datetime | None
    article_id: int
    publication_id: int
    # The publication's title: what goes live, or what is live and due for review.
    title: str
    # Who approved the go-live, or who last reviewed the publication now due: the last signer.
    reviewer_name: str
    reviewer_credentials: str
    # A go-live still waiting for its time (or for publish_scheduled, when its time has passed).
    scheduled: bool
    overdue: bool

    @property
    def is_go_live(self) -> bool:
        return self.kind == EventKind.GO_LIVE

    @property
    def reviewer(self) -> str:
        return ", ".join(part for part in (self.reviewer_name, self.reviewer_credentials) if part)

    @property
    def key(self) -> str:
        """Stable for as long as the event means the same thing, which a feed's UIDs need: a
        publication goes live once, so a scheduled go-live keeps its key when it happens; a new
        approval is a new publication, so a new key."""
        return f"{self.kind}-{self.publication_id}"


@dataclass
class CalendarDay:
    """One day of the month view: its first events, and how many there are in all."""

    day: datetime.date
    events: list[CalendarEvent]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.events)


# The columns every branch selects, in one order, so the branches can be joined by UNION ALL.
_COLUMNS = ("kind", "day", "at", "sort_rank", "article_id", "publication_id", "publication_title", "reviewer_name",
            "reviewer_credentials", "scheduled")


def _branches(articles: QuerySet, start: datetime.date, end: datetime.date,
              filters: CalendarFilters) -> list[QuerySet]:
    """One query a kind of row, over [start, end), each annotated with _COLUMNS: the go-lives
    first (scheduled, then the live versions'), then the reviews due."""
    articles = _narrowed(articles, filters)
    zone = timezone.get_current_timezone()
    start_at = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), zone)
    end_at = timezone.make_aware(datetime.datetime.combine(end, datetime.time.min), zone)
    branches = []
    if filters.kind in ("", EventKind.GO_LIVE):
        for relation, scheduled in (("scheduled_publication", True), ("live_publication", False)):
            branch = articles.filter(**{f"{relation}__published_at__gte": start_at,
                                        f"{relation}__published_at__lt": end_at})
            if scheduled:
                # Implied by the check constraint; said here so the planner may start from the
                # status index, scheduled articles being few.
                branch = branch.filter(status=Article.Status.SCHEDULED)
            branches.append(_annotated(branch, relation, filters, kind=EventKind.GO_LIVE, rank=0,
                                       day=TruncDate(f"{relation}__published_at", tzinfo=zone),
                                       at=F(f"{relation}__published_at"), scheduled=scheduled))
    if filters.kind in ("", EventKind.REVIEW_DUE):
        branch = articles.filter(live_publication__next_review_due__gte=start,
                                 live_publication__next_review_due__lt=end)
        branches.append(_annotated(branch, "live_publication", filters, kind=EventKind.REVIEW_DUE, rank=1,
                                   day=F("live_publication__next_review_due"),
                                   at=Value(None, output_field=DateTimeField()), scheduled=False))
    return branches


def _narrowed(articles: QuerySet, filters: CalendarFilters) -> QuerySet:
    if filters.article_type_id:
        articles = articles.filter(article_type=filters.article_type_id)
    if filters.topic_id:
        # The working copy's topics, as the dashboard filters them; Exists, so an article filed
        # under several topics is one row.
        articles = articles.filter(Exists(Article.topics.through.objects.filter(
            article=OuterRef("pk"), topic=filters.topic_id)))
    return articles


def _annotated(branch: QuerySet, relation: str, filters: CalendarFilters, *, kind: str, rank: int, day, at,
               scheduled: bool) -> QuerySet:
    if filters.reviewer_id:
        # The reviewer of this event's publication: who approved the go-live, who last reviewed
        # the version now due.
        branch = branch.filter(**{f"{relation}__reviewer": filters.reviewer_id})
    return branch.order_by().annotate(
        kind=Value(kind, output_field=CharField()), day=day, at=at,
        sort_rank=Value(rank, output_field=IntegerField()),
        article_id=F("pk"), publication_id=F(f"{relation}_id"), publication_title=F(f"{relation}__title"),
        reviewer_name=F(f"{relation}__reviewer_name"),
        reviewer_credentials=F(f"{relation}__reviewer_credentials"),
        scheduled=Value(scheduled, output_field=BooleanField()),
    )


def _events(rows, today: datetime.date) -> list[CalendarEvent]:
    events = []
    for row in rows:
        day = row["day"]
        events.append(CalendarEvent(
            kind=row["kind"], day=day, at=row["at"], article_id=row["article_id"],
            publication_id=row["publication_id"], title=row["publication_title"],
            reviewer_name=row["reviewer_name"], reviewer_credentials=row["reviewer_credentials"],
            scheduled=bool(row["scheduled"]), overdue=row["kind"] == EventKind.REVIEW_DUE and day < today))
    return events


def _union(branches: list[QuerySet]) -> QuerySet:
    first, *others = (branch.values(*_COLUMNS) for branch in branches)
    return first.union(*others, all=True) if others else first


_ORDER = ("day", "sort_rank", "at", "publication_title", "publication_id")


def desk_articles(user) -> QuerySet:
    """The articles whose events the desk calendar shows this person: those they may see."""
    return viewable_articles(user, Article.objects.all())


def month_days(articles: QuerySet, month: datetime.date, filters: CalendarFilters,
               today: datetime.date | None = None) -> dict[datetime.date, CalendarDay]:
    """The month's days that have events, each with its first EVENTS_PER_DAY (go-lives first, by
    time, then reviews due, by title) and its total. One query a kind of row, each numbering its
    rows within their day and returning the first few of each day with the day's count, so a day
    with thousands of reviews due costs no more to show than a day with five."""
    today = today or timezone.localdate()
    shown: dict[datetime.date, list[CalendarEvent]] = defaultdict(list)
    totals: Counter = Counter()
    for branch in _branches(articles, month.replace(day=1), next_month(month), filters):
        day = branch.query.annotations["day"]
        ranked = branch.annotate(
            nth=Window(RowNumber(), partition_by=[day],
                       order_by=[F("at").asc(), F("publication_title").asc(), F("publication_id").asc()]),
            day_total=Window(Count("pk"), partition_by=[day]),
        ).filter(nth__lte=EVENTS_PER_DAY)
        rows = list(ranked.values(*_COLUMNS, "day_total"))
        counted = set()
        for row, event in zip(rows, _events(rows, today)):
            shown[event.day].append(event)
            if event.day not in counted:  # every row of a day carries the same count
                totals[event.day] += row["day_total"]
                counted.add(event.day)
    return {day: CalendarDay(day=day, events=sorted(events, key=_calendar_order)[:EVENTS_PER_DAY], total=totals[day])
            for day, events in sorted(shown.items())}


def _calendar_order(event: CalendarEvent):
    """The order of _ORDER, for events already read."""
    return (event.day, 0 if event.is_go_live else 1, event.at.timestamp() if event.at else 0.0, event.title,
            event.publication_id)


def event_list(articles: QuerySet, start: datetime.date, end: datetime.date, filters: CalendarFilters) -> QuerySet:
    """Every event in [start, end) in calendar order, as rows for a paginator (the list view): one
    UNION ALL of the kinds of row, so a page is one query. Turn a page of rows into events with
    as_events."""
    return _union(_branches(articles, start, end, filters)).order_by(*_ORDER)


def as_events(rows, today: datetime.date | None = None) -> list[CalendarEvent]:
    return _events(rows, today or timezone.localdate())


def feed_articles(user) -> QuerySet:
    """The articles of this person's own feed: an editor's, every article; a writer's, those they
    write; a reviewer's, those they reviewed and those waiting for their review.

    Only scheduled and live articles have events, and reviews.permissions lets writers see their
    own and reviewers every scheduled or live one, so these are never more than the desk shows
    them (tests/desk/test_calendar_feed.py compares the two for every role).
    """
    if is_editor(user):
        return viewable_articles(user, Article.objects.all())
    sources = []
    if is_writer(user):
        sources.append(Article.authors.through.objects.filter(user=user).order_by().values("article"))
    if is_reviewer(user):
        sources.append(Review.objects.filter(reviewer=user).order_by().values("article"))
        sources.append(Article.objects.filter(
            Q(status=Article.Status.IN_REVIEW) & ~Q(authored_by(user)) & ~Q(saved_since_last_approval(user))
            & _may_take_part(user)).order_by().values("pk"))
    if not sources:
        return Article.objects.none()
    # One IN over the UNION of the person's articles, not an OR of conditions: PostgreSQL then
    # reads them once, into a hash, where the OR made it test every article in the window
    # (a reviewer's feed at 50,000 articles: over 5 s).
    first, *others = sources
    return Article.objects.filter(pk__in=first.union(*others) if others else first)


def feed_window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """[start, end) of the days a feed covers."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=FEED_DAYS_BACK), today + datetime.timedelta(days=FEED_DAYS_AHEAD + 1)


def feed_events(user, today: datetime.date | None = None) -> list[CalendarEvent]:
    """This person's events in the feed window, at most FEED_MAX_EVENTS: the nearest to today,
    before and after it, so a full feed narrows around the weeks that matter rather than filling
    up with the oldest overdue reviews.

    Each kind of row is read twice, outwards from today (back from it, on from it), in the order
    of its date's index and stopped at the limit: six small queries. One UNION ALL sorted as a
    whole read every row in the window first: 20,000 reviews due in an editor's, at 50,000
    articles, for 2,000 kept."""
    today = today or timezone.localdate()
    start, end = feed_window(today)
    articles = feed_articles(user)
    nearest = []
    for since, until, outwards in ((today, end, ""), (start, today, "-")):
        for branch in _branches(articles, since, until, CalendarFilters()):
            # A go-live's time orders its day too (published_at, indexed); a review due has only a day.
            first = "at" if branch.query.annotations["sort_rank"].value == 0 else "day"
            rows = branch.values(*_COLUMNS).order_by(
                *(outwards + name for name in (first, "publication_title", "publication_id")))[:FEED_MAX_EVENTS]
            nearest += _events(rows, today)
    nearest.sort(key=lambda event: (abs((event.day - today).days), _calendar_order(event)))
    return sorted(nearest[:FEED_MAX_EVENTS], key=_calendar_order)


def next_month(day: datetime.date) -> datetime.date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def calendar_reviewers() -> QuerySet:
    """Whom the reviewer filter offers: the members of every group that signs a review step,
    deactivated ones included, since their names stay on the publications they approved."""
    # reviews.steps.reviewer_group_names, as a subquery: the form's queryset stays lazy.
    signs = Q(groups__in=ReviewStep.objects.values("group")) | Q(groups__name=MEDICAL_REVIEWERS)
    return (get_user_model().objects.filter(signs).distinct()
            .select_related("reviewer_profile").order_by("first_name", "last_name", "username"))
