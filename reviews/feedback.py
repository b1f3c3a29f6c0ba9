"""Reader feedback: a reader's "Report a problem with this page", and what editors do with it.

A report is tied to the publication the reader had on screen. Editors dismiss it, note it, or send
it to the article's medical re-review, where the reviewer reads it beside the submission
(reports_for_review). Who may act on reports is reviews.permissions.may_triage_feedback; each
write below is one transaction. Reads for the queue cost a fixed number of queries whatever the
number of reports.
"""
import enum
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from articles.errors import NotAllowed
from articles.hygiene import strip_control
from articles.models import Article, Publication

from .models import FEEDBACK_MESSAGE_LIMIT, FEEDBACK_NOTE_LIMIT, ReaderFeedback
from .permissions import may_triage_feedback
from .workflow import article_submit

State = ReaderFeedback.State

# What an editor may still do with a report in each state. A dismissed report, or one sent to
# re-review, is settled; a noted one may still be dismissed, noted again or sent on.
TRIAGE: dict[str, frozenset[str]] = {
    State.NEW: frozenset({State.DISMISSED, State.NOTED, State.RE_REVIEW}),
    State.NOTED: frozenset({State.DISMISSED, State.NOTED, State.RE_REVIEW}),
    State.DISMISSED: frozenset(),
    State.RE_REVIEW: frozenset(),
}

# The queue's filters: reports still waiting for an editor, the ones an editor settled, all.
SHOWN = {"new": Q(state=State.NEW), "handled": ~Q(state=State.NEW), "all": Q()}


class ReReview(enum.StrEnum):
    """What sending a report to re-review does, by the state of the article's working copy."""

    # Published and unchanged: submitted again through the workflow, which is a re-review.
    START = "start"
    # Already in review: the report joins that review.
    JOIN = "join"
    # A draft (changes under way, or unpublished) or an approved version waiting to go live: the
    # report waits for the next submission. Submitting someone's unfinished draft for them would
    # send the reviewer text its writer has not finished.
    NEXT = "next"


def re_review_for(article: Article) -> ReReview:
    if article.status == Article.Status.PUBLISHED:
        return ReReview.START
    if article.status == Article.Status.IN_REVIEW:
        return ReReview.JOIN
    return ReReview.NEXT


# --- Writes ---

def _excerpt(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 3].rstrip() + "..."


def _clean_text(text: str, *, field_name: str, limit: int, what: str) -> str:
    """The text as it will be kept: control characters out, surrounding space trimmed. Refused
    when longer than `limit`, so nothing is cut without the writer knowing."""
    text = strip_control(text or "").strip()
    if len(text) > limit:
        raise ValidationError({field_name: f"Keep {what} to {limit:,} characters (it has {len(text):,})."})
    return text


def _publication_seen(live: Publication, seen_publication_id) -> int:
    """The publication the reader had on screen: the one the form names when it is a publication of
    this article (a page kept by a cache may show an earlier one), else the live one. A form can
    name any number; a report is never filed against another article's text."""
    try:
        seen = int(seen_publication_id)
    except (TypeError, ValueError):
        return live.pk
    if seen == live.pk or Publication.objects.filter(pk=seen, article_id=live.article_id).exists():
        return seen
    return live.pk


@transaction.atomic
def feedback_receive(*, live: Publication, seen_publication_id=None, message: str, email: str = "") -> ReaderFeedback:
    """Queue a reader's report about the article `live` is the live publication of.

    The message is plain text, kept as typed (trimmed); an empty or over-long one, or an address
    that is not one, is refused with every reason at once. Checked here rather than with
    full_clean, which would cost a query per key and constraint on an endpoint anyone can post to;
    the table's constraints back these checks.
    """
    failures = {}
    try:
        message = _clean_text(message, field_name="message", limit=FEEDBACK_MESSAGE_LIMIT, what="your report")
        if not message:
            failures["message"] = ["Describe the problem with this page before sending it."]
    except ValidationError as error:
        failures.update(error.message_dict)
    email = strip_control(email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            failures["email"] = ["Enter an email address like name@example.com, or leave it empty."]
    if failures:
        raise ValidationError(failures)
    return ReaderFeedback.objects.create(article_id=live.article_id, message=message, email=email,
                                         publication_id=_publication_seen(live, seen_publication_id))


def _refuse_unless_editor(by) -> None:
    if not may_triage_feedback(by):
        raise NotAllowed("Only editors act on reader feedback.")


def _locked_for(feedback: ReaderFeedback, to_state: str) -> ReaderFeedback:
    """The report, locked, if its state lets it go to `to_state`: two editors acting on one
    report at once act one after the other, and the second sees what the first did."""
    feedback = ReaderFeedback.objects.select_for_update().get(pk=feedback.pk)
    if to_state not in TRIAGE[feedback.state]:
        raise ValidationError(f"This report was already {feedback.get_state_display().lower()}"
                              + (f" by {_name(feedback.handled_by)}" if feedback.handled_by else "") + ".")
    return feedback


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _handled(feedback: ReaderFeedback, *, by, state: str, note: str) -> ReaderFeedback:
    feedback.state = state
    feedback.editor_note = note
    feedback.handled_by = by
    feedback.handled_at = timezone.now()
    feedback.save(update_fields=["state", "editor_note", "handled_by", "handled_at"])
    return feedback


def _clean_note(note: str) -> str:
    return _clean_text(note, field_name="note", limit=FEEDBACK_NOTE_LIMIT, what="the note")


@transaction.atomic
def feedback_dismiss(*, feedback: ReaderFeedback, by, note: str = "") -> ReaderFeedback:
    """Nothing to change on the page (spam, a question, a misreading). A note says why; without
    one, an earlier note stays."""
    _refuse_unless_editor(by)
    note = _clean_note(note)
    feedback = _locked_for(feedback, State.DISMISSED)
    return _handled(feedback, by=by, state=State.DISMISSED, note=note or feedback.editor_note)


@transaction.atomic
def feedback_note(*, feedback: ReaderFeedback, by, note: str) -> ReaderFeedback:
    """Keep the report with the editor's note (a fix planned with the next edit, a reply sent)."""
    _refuse_unless_editor(by)
    note = _clean_note(note)
    if not note:
        raise ValidationError({"note": "Write the note to keep with this report."})
    feedback = _locked_for(feedback, State.NOTED)
    return _handled(feedback, by=by, state=State.NOTED, note=note)


@transaction.atomic
def feedback_send_to_re_review(*, feedback: ReaderFeedback, by, note: str = "") -> ReReview:
    """Put the report before the article's medical reviewer, with the editor's note.

    A published, unchanged article is submitted again through the workflow (reviews.workflow.
    article_submit: the same role check, gate, checks and audit row as any submission; editors may
    submit). In review, the report joins the running review; otherwise it waits for the next
    submission (ReReview). Either way the review page lists it (reports_for_review) until an
    approval follows. A refused submission (the gate, say) leaves the report as it was.
    """
    _refuse_unless_editor(by)
    note = _clean_note(note)
    # The article first, as every transition locks it, then the report: one order, no deadlock.
    article = Article.objects.select_for_update().get(pk=feedback.article_id)
    feedback = _locked_for(feedback, State.RE_REVIEW)
    note = note or feedback.editor_note
    outcome = re_review_for(article)
    if outcome == ReReview.START:
        comment = f'Re-review for a reader\'s report: "{_excerpt(feedback.message)}"'
        article_submit(article=article, by=by, comment=comment + (f" Editor's note: {_excerpt(note)}" if note else ""))
    _handled(feedback, by=by, state=State.RE_REVIEW, note=note)
    return outcome


# --- Reads ---

def new_feedback_count() -> int:
    """Reports waiting for an editor (the dashboard's count): read off the index of new rows."""
    return ReaderFeedback.objects.filter(state=State.NEW).count()


def feedback_counts(article: Article | None = None) -> dict[str, int]:
    """{"new", "handled", "all"}, over every article or one, in one query."""
    reports = ReaderFeedback.objects.all() if article is None else ReaderFeedback.objects.filter(article=article)
    counts = reports.aggregate(new=Count("pk", filter=SHOWN["new"]), all=Count("pk"))
    return {**counts, "handled": counts["all"] - counts["new"]}


# An item's columns: its own, the date of the publication it was about, who handled it.
ITEM_FIELDS = ("article_id", "publication_id", "message", "email", "created_at", "state", "editor_note",
               "handled_at", "publication__reviewed_at", "publication__published_at",
               "handled_by__username", "handled_by__first_name", "handled_by__last_name")


def _items():
    return ReaderFeedback.objects.select_related("publication", "handled_by").only(*ITEM_FIELDS)


@dataclass
class FeedbackGroup:
    """One article's part of the queue: the reports shown (newest first) and their counts."""

    article: Article
    shown: int
    new: int
    items: list = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.shown - len(self.items)

    @property
    def re_review(self) -> ReReview:
        return re_review_for(self.article)


def queue_groups(show: str):
    """The articles with reports under the filter, the one with the latest report first: one row
    per article ({"article", "shown", "latest"}), for a paginator."""
    return (ReaderFeedback.objects.filter(SHOWN[show]).values("article")
            .annotate(shown=Count("pk"), latest=Max("created_at")).order_by("-latest", "-article"))


def with_group_details(rows, show: str, *, per_article: int) -> list[FeedbackGroup]:
    """A page of queue_groups as FeedbackGroups, each with its newest `per_article` reports: three
    queries for the page, however many reports each article has."""
    rows = list(rows)
    if not rows:
        return []
    ids = [row["article"] for row in rows]
    articles = Article.objects.only("title", "status", "live_publication_id").order_by().in_bulk(ids)
    new = dict(ReaderFeedback.objects.filter(article__in=ids, state=State.NEW).values("article")
               .annotate(n=Count("pk")).values_list("article", "n"))
    groups = {row["article"]: FeedbackGroup(article=articles[row["article"]], shown=row["shown"],
                                            new=new.get(row["article"], 0)) for row in rows}
    newest = (_items().filter(SHOWN[show], article__in=ids)
              .annotate(rank=Window(RowNumber(), partition_by=F("article_id"),
                                    order_by=[F("created_at").desc(), F("id").desc()]))
              .filter(rank__lte=per_article).order_by("article_id", "-created_at", "-id"))
    for item in newest:
        group = groups[item.article_id]
        group.items.extend(with_item_details([item], group.article))
    return list(groups.values())


def article_reports(article: Article, show: str):
    """One article's reports under the filter, newest first, for a paginator."""
    return _items().filter(SHOWN[show], article=article).order_by("-created_at", "-id")


def with_item_details(items, article: Article) -> list:
    """The reports (of `article`), each told whether the publication it is about is still the live
    one (about_live) and whether an editor may still act on it (still_open)."""
    items = list(items)
    for item in items:
        item.about_live = item.publication_id == article.live_publication_id
        item.still_open = bool(TRIAGE[item.state])
    return items


def reports_for_review(article: Article) -> list[ReaderFeedback]:
    """The reports sent to the article's re-review that no approval has answered yet, oldest first:
    what the reviewer (and the writer, on the article's page) reads beside the submission. A
    report sent while the article was a draft joins the review of its next submission."""
    approved_since = Publication.objects.filter(article=OuterRef("article"), reviewed_at__gte=OuterRef("handled_at"))
    return list(_items().filter(article=article, state=State.RE_REVIEW).exclude(Exists(approved_since))
                .order_by("handled_at", "id"))
