"""Reads of article content and its history. Public pages have reads of their own over publications."""
import datetime
from dataclasses import dataclass, field

from django.db.models import F

from .models import Article, AuditEntry, Correction, Publication, RevisionMeta


def live_publications():
    """Publications that are the live version of their article."""
    return Publication.objects.filter(pk=F("article__live_publication_id"))


def article_history(article):
    """Every revision of the article, newest first, with who, when and comment."""
    return (RevisionMeta.objects.filter(article=article)
            .select_related("revision", "revision__user")
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


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "someone"


def revision_story(article) -> list[HistoryRow]:
    """Every revision, newest first, with what happened to it: submitted, sent back, approved,
    published, unpublished, and what it is now (working copy, in review, live, scheduled).

    Three queries whatever the length of the history: the revisions, the audit log and the
    publications; the rest is worked out here by replaying the audit log in order.
    """
    rows = [HistoryRow(meta) for meta in article_history(article)]
    by_revision = {row.meta.revision_id: row.events for row in rows}
    entries = AuditEntry.objects.filter(article=article).select_related("actor").order_by("id")
    publications = list(Publication.objects.filter(article=article).only(
        "revision_id", "submission_id", "reviewer_name", "reviewer_credentials", "reviewed_at", "published_at"))
    # An approval publishes the submission it consumed (Publication.submission), which is always
    # the latest submit before it: the same rule article_approve follows.
    by_submission = {publication.submission_id: publication for publication in publications}
    by_pk = {publication.pk: publication for publication in publications}

    if rows:
        by_revision[rows[0].meta.revision_id].append(RevisionEvent("Current working copy", tone="draft"))
    if article.status == Article.Status.IN_REVIEW and article.submitted_revision_id in by_revision:
        by_revision[article.submitted_revision_id].append(RevisionEvent("In medical review now", tone="in_review"))
    live = by_pk.get(article.live_publication_id)
    if live is not None and live.revision_id in by_revision:
        by_revision[live.revision_id].append(RevisionEvent("Live now", tone="published"))
    scheduled = by_pk.get(article.scheduled_publication_id)
    if scheduled is not None and scheduled.revision_id in by_revision:
        by_revision[scheduled.revision_id].append(
            RevisionEvent("Scheduled for", tone="in_review", at=scheduled.published_at, to_come=True))

    last_submission = None
    awaiting_go_live = None
    live_revision_id = None
    for entry in entries:
        action, who = entry.action, _name(entry.actor)
        revision_id = entry.revision_id
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
                live_revision_id = revision_id
            else:
                awaiting_go_live = publication
        elif action == "go_live":
            # Dated as readers see it: the publication's go-live time, not when the job ran.
            went_live = awaiting_go_live.published_at if awaiting_go_live is not None else entry.at
            events.append(RevisionEvent("Published", "published", went_live))
            live_revision_id = revision_id
        elif action == "unschedule":
            events.append(RevisionEvent(f"Unscheduled by {who}", "", entry.at, entry.comment))
        elif action == "unpublish":
            events.append(RevisionEvent(f"Unpublished by {who}", "", entry.at, entry.comment))
            live_revision_id = None
        elif action.startswith("correction_"):
            # A correction note has no revision of its own: it is about the version readers had.
            kind = action.removeprefix("correction_").replace("_", " ")
            events.append(RevisionEvent(f"{kind.capitalize()} correction noted by {who}", "", entry.at,
                                        entry.comment))
            revision_id = live_revision_id or _saved_by(rows, entry.at)
        elif action in ("edit", "revert"):
            # The revision's own row already says who saved it, when and why.
            continue
        else:
            events.append(RevisionEvent(f"{action.replace('_', ' ').capitalize()} by {who}", "", entry.at,
                                        entry.comment))
        by_revision.get(revision_id, []).extend(events)
    return rows


def _saved_by(rows: list[HistoryRow], moment) -> int | None:
    """The newest revision saved at or before `moment` (rows are newest first)."""
    for row in rows:
        if row.meta.revision.date_created <= moment:
            return row.meta.revision_id
    return None


def pending_medical_corrections(article):
    return Correction.objects.filter(article=article, kind=Correction.Kind.MEDICAL, published_at__isnull=True,
                                     withdrawn_at__isnull=True)
