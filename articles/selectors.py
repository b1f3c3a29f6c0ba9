"""Reads of article content and its history. Public pages have reads of their own over publications."""
import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Subquery, When

from .models import Article, AuditEntry, Correction, Publication, RevisionMeta


def live_publications():
    """Publications that are the live version of their article.

    An EXISTS on Article.live_publication (unique, so indexed), not a join on the article: the
    planner estimates the join's two-column condition at one row and sorts every publication,
    where the semi-join walks the newest-first index and stops after a page (migration 0013).
    """
    return Publication.objects.filter(Exists(Article.objects.filter(live_publication=OuterRef("pk"))))


def article_history(article):
    """Every revision of the article, newest first, with who, when and comment."""
    return (RevisionMeta.objects.filter(article=article)
            .select_related("revision", "revision__user")
            # What the page shows of each revision; not its content, which can be the whole article.
            .only("article_id", "revision_id", "version", "status", "revision__date_created", "revision__comment",
                  "revision__user__username", "revision__user__first_name", "revision__user__last_name")
            .order_by("-revision_id"))


@dataclass(frozen=True)
class RevisionEvent:
    """One thing that happened to a revision, as the history page labels it."""

    label: str
    # A class from the stylesheet's status colours: "in_review", "published", or "" for plain.
    tone: str = ""
    at: datetime.datetime | None = None
    comment: str = ""
    # A go-live still to come is named by its hour too ("Scheduled for 9 May 2025, 10:00").
    to_come: bool = False

    @property
    def date_format(self) -> str:
        return "j M Y, H:i" if self.to_come else "j M Y"


@dataclass
class HistoryRow:
    meta: RevisionMeta
    events: list[RevisionEvent] = field(default_factory=list)
    # The revision saved just before this one (on the next page for a page's last row), for "what
    # changed"; None for the first revision.
    previous_revision_id: int | None = None
    is_working_copy: bool = False


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "someone"


def revision_story(article, page=None) -> list[HistoryRow]:
    """The revisions of `page` (a Paginator page of article_history; by default every revision),
    newest first, each with what happened to it: submitted, sent back, approved, published,
    unpublished, and what it is now (working copy, in review, live, scheduled).

    Three queries whatever the length of the history or of the page: the page's revisions (and
    the one before them, for "what changed"), and only the audit rows and publications about these
    revisions; the rest is worked out here by replaying those audit rows in order.
    """
    if page is None:
        metas, older, first_page = list(article_history(article)), [], True
    elif not page.paginator.count:
        return []
    else:
        # The paginator's own queryset, one row longer than the page (page.object_list would be
        # a query of its own).
        start, size = page.start_index() - 1, page.end_index() - page.start_index() + 1
        metas = list(page.paginator.object_list[start:start + size + 1])
        metas, older, first_page = metas[:size], metas[size:], page.number == 1
    if not metas:
        return []
    rows = [HistoryRow(meta) for meta in metas]
    by_revision = {row.meta.revision_id: row.events for row in rows}
    for row, before in zip(rows, [*metas[1:], *older]):
        row.previous_revision_id = before.revision_id
    publications = list(Publication.objects.filter(article=article, revision_id__in=list(by_revision)).only(
        "revision_id", "submission_id", "reviewer_name", "reviewer_credentials", "reviewed_at", "published_at"))
    # An approval publishes the submission it consumed (Publication.submission), which is always
    # the latest submit before it, on the same revision: the same rule article_approve follows.
    by_submission = {publication.submission_id: publication for publication in publications}
    by_pk = {publication.pk: publication for publication in publications}

    if first_page:
        rows[0].is_working_copy = True
        rows[0].events.append(RevisionEvent("Current working copy", tone="draft"))
    if article.status == Article.Status.IN_REVIEW and article.submitted_revision_id in by_revision:
        by_revision[article.submitted_revision_id].append(RevisionEvent("In medical review now", tone="in_review"))
    live = by_pk.get(article.live_publication_id)
    if live is not None:
        by_revision[live.revision_id].append(RevisionEvent("Live now", tone="published"))
    scheduled = by_pk.get(article.scheduled_publication_id)
    if scheduled is not None:
        by_revision[scheduled.revision_id].append(
            RevisionEvent("Scheduled for", tone="in_review", at=scheduled.published_at, to_come=True))

    last_submission = None
    awaiting_go_live = None
    for entry in _entries_about(article, list(by_revision)):
        action, who = entry.action, _name(entry.actor)
        events = []
        if action == "submit":
            last_submission = entry.pk
            events.append(RevisionEvent(f"Submitted by {who}", "in_review", entry.at, entry.comment))
        elif action == "withdraw":
            events.append(RevisionEvent(f"Withdrawn from review by {who}", "", entry.at, entry.comment))
        elif action == "request_changes":
            events.append(RevisionEvent(f"Changes requested by {who}", "", entry.at, entry.comment))
        elif action in ("approve", "schedule"):
            publication = by_submission.get(last_submission)
            approver = (f"{publication.reviewer_name}, {publication.reviewer_credentials}"
                        if publication is not None else who)
            events.append(RevisionEvent(f"Approved by {approver}", "published",
                                        publication.reviewed_at if publication else entry.at, entry.comment))
            if action == "approve":
                events.append(RevisionEvent("Published", "published",
                                            publication.published_at if publication else entry.at))
            else:
                awaiting_go_live = publication
        elif action == "go_live":
            # Dated as readers see it: the publication's go-live time, not when the job ran.
            went_live = awaiting_go_live.published_at if awaiting_go_live is not None else entry.at
            events.append(RevisionEvent("Published", "published", went_live))
        elif action == "unschedule":
            events.append(RevisionEvent(f"Unscheduled by {who}", "", entry.at, entry.comment))
        elif action == "unpublish":
            events.append(RevisionEvent(f"Unpublished by {who}", "", entry.at, entry.comment))
        elif action.startswith("correction_"):
            kind = action.removeprefix("correction_").replace("_", " ")
            events.append(RevisionEvent(f"{kind.capitalize()} correction noted by {who}", "", entry.at,
                                        entry.comment))
        else:
            events.append(RevisionEvent(f"{action.replace('_', ' ').capitalize()} by {who}", "", entry.at,
                                        entry.comment))
        by_revision.get(entry.about_revision_id, []).extend(events)
    return rows


LIVE_CHANGES = ("approve", "go_live", "unpublish")


def _entries_about(article, revision_ids: list[int]):
    """The audit rows told on these revisions, oldest first, each with about_revision_id.

    A row is about the revision it names; a correction note has no revision of its own: it is
    about the version readers had when it was made (the last approval or go-live, unless an
    unpublish came after), else the newest revision saved by then. Both are worked out by the
    database, so a page reads only its own rows, however long the article's audit log.
    """
    live_change = AuditEntry.objects.filter(article=article, id__lt=OuterRef("id"),
                                            action__in=LIVE_CHANGES).order_by("-id")
    saved_by_then = (RevisionMeta.objects.filter(article=article, revision__date_created__lte=OuterRef("at"))
                     .order_by("-revision_id").values("revision_id")[:1])
    return (AuditEntry.objects.filter(article=article).exclude(action__in=["edit", "revert"])
            .alias(last_live_change=Subquery(live_change.values("action")[:1]))
            .annotate(about_revision_id=Case(
                When(~Q(action__startswith="correction_"), then=F("revision_id")),
                When(last_live_change__in=["approve", "go_live"], then=Subquery(live_change.values("revision_id")[:1])),
                default=Subquery(saved_by_then), output_field=IntegerField()))
            .filter(about_revision_id__in=revision_ids)
            .select_related("actor").defer("details", "prev_hash", "hash")
            .order_by("id"))


def pending_medical_corrections(article):
    return Correction.objects.filter(article=article, kind=Correction.Kind.MEDICAL, published_at__isnull=True,
                                     withdrawn_at__isnull=True)
