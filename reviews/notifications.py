"""Notifications: a line in each recipient's inbox on the desk (reviews.inbox), and the same news
by email. Sent after the transition commits (see workflow._notify_after_commit).

Who hears about what is decided in one place, recipients_for. Then, for both channels at once: a
category the person turned off (NotificationOptOut) stops the line and the mail, nobody hears
about their own action, and a person without an email address still gets the line. The lines are
written before the mail goes, so a mail outage loses none of them.

Everything is rendered once per event from plain-text templates: reviews/email/<event>.txt and
<event>_subject.txt for the mail, reviews/inbox/<event>.txt for the line. Autoescaping is off,
since plain text has no markup to escape, and a title such as "Sleep & stress" would otherwise
reach its reader as "Sleep &amp; stress". The desk escapes a stored line when it shows it, like
any other text. Links name settings.SITE_URL in mail (it is read outside any request, by cron
too); a line stores only the path, so it follows whatever address the desk is reached at.
"""
import contextlib
import contextvars
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q, QuerySet
from django.template import Context, engines
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from articles.models import Article, Publication
from reviews.permissions import EDITORS, contributor_ids

from .assignments import latest_assignment, open_assignment, person_name
from .inbox import inbox_deliver
from .models import NOTIFICATION_CATEGORIES, InboxMessage, NotificationOptOut
from .steps import progress

logger = logging.getLogger(__name__)
CATEGORY_KEYS = tuple(key for key, _ in NOTIFICATION_CATEGORIES)
LINE_LENGTH = InboxMessage._meta.get_field("text").max_length
# The mail connection of a mail_connection block; None: settings.EMAIL_BACKEND's.
_connection = contextvars.ContextVar("notification_mail_connection", default=None)


@contextlib.contextmanager
def mail_connection(connection):
    """Send notification mail through `connection` inside the block (the inbox lines are written
    as always). seed_demo sends its demo news through a quiet one: it is for the demo inboxes, and
    the console backend would print every message before the demo password."""
    token = _connection.set(connection)
    try:
        yield connection
    finally:
        _connection.reset(token)


def _active() -> QuerySet:
    return get_user_model().objects.filter(is_active=True)


def recipients_for(event: str, article: Article, *, publication: Publication | None = None) -> QuerySet:
    """Everyone an event concerns, before opt-outs and the actor are taken out (_wanted):

    - submitted: while the step the article now waits for is unassigned, who may sign it: its
      group, less anyone who wrote or changed the article (they may not review it) and anyone who
      signed an earlier step of this review (each step is signed by a different person); once it
      is assigned (reviews.assignments), the assignee and the editors only;
    - assigned: the assignee of the article's review step, and the editors, who hand reviews out
      and learn who took one;
    - assignment_due: the assignee; and the editors too when the step is overdue or nobody holds it;
    - changes_requested, approved, published: the article's authors;
    - unpublished: the authors, and the editors, who answer for what readers lose;
    - review_due: the editors, and the reviewer who signed `publication` (notify_review_due reads
      these same two for many publications at once).
    A new category adds its branch here, its templates, and its NOTIFICATION_CATEGORIES entry.
    """
    if event in ("assigned", "assignment_due"):
        assignment = latest_assignment(article)
        assignee = Q(pk=assignment.assignee_id) if assignment and assignment.assignee_id else Q(pk__in=[])
        if event == "assigned" or assignment is None or not assignment.assignee_id or (
                assignment.due_on < timezone.localdate()):
            return _active().filter(assignee | Q(groups__name=EDITORS))
        return _active().filter(assignee)
    if event == "submitted":
        review = progress(article)
        if review.current is None:
            return _active().none()
        assignment = open_assignment(article)
        if assignment is not None and assignment.assignee_id:
            return _active().filter(Q(pk=assignment.assignee_id) | Q(groups__name=EDITORS))
        return (_active().filter(groups=review.current.group_id)
                .exclude(pk__in=contributor_ids(article) | review.signer_ids))
    if event in ("changes_requested", "approved", "published"):
        return _active().filter(pk__in=article.authors.values("pk"))
    if event == "unpublished":
        return _active().filter(Q(pk__in=article.authors.values("pk")) | Q(groups__name=EDITORS))
    if event == "review_due":
        publication = publication or article.live_publication
        reviewer = Q(pk=publication.reviewer_id) if publication is not None else Q(pk__in=[])
        return _active().filter(Q(groups__name=EDITORS) | reviewer)
    raise ValueError(f"Unknown notification event {event!r}")


def _wanted(people: QuerySet, category: str, *, actor_id=None) -> list:
    """`people` less those who turned the category off and the actor, each once, in a stable order."""
    people = people.exclude(pk__in=NotificationOptOut.objects.filter(category=category).values("user_id"))
    if actor_id is not None:
        people = people.exclude(pk=actor_id)
    return list(people.distinct().order_by("pk"))


def render_text(template_name: str, context: dict) -> str:
    """A template rendered as plain text: with the project's template settings, autoescaping off."""
    template = engines["django"].engine.get_template(template_name)
    return template.render(Context(context, autoescape=False))


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _publication_of(event: str, article: Article) -> Publication | None:
    """The publication an event is about when the caller did not name it: an approval that
    schedules is about the scheduled one, which the live one (an older approval, by someone else,
    live since another time) must not stand in for."""
    if event == "approved":
        return article.scheduled_publication or article.live_publication
    return article.live_publication or article.scheduled_publication


def notify(event: str, *, article_id: int, actor_id: int | None = None,
           publication: Publication | None = None, reason: str = "") -> int:
    """Tell everyone an event concerns: an inbox line each, and a mail to each with an address.
    Returns how many mails went out. Mail failures are logged, not raised: the transition they
    report on has already committed. `publication` is the one the event is about (workflow
    passes it: a re-approval's, the one just unpublished); `reason` is the actor's own words,
    where the event has them (why an article was unpublished, the reviewer's note)."""
    if event not in CATEGORY_KEYS:
        raise ValueError(f"Unknown notification event {event!r}")
    article = Article.objects.select_related("article_type", "live_publication", "scheduled_publication").get(
        pk=article_id)
    publication = publication or _publication_of(event, article)
    people = _wanted(recipients_for(event, article, publication=publication), event, actor_id=actor_id)
    if not people:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id is not None else None
    return _deliver([(_news(event, article, actor=actor, publication=publication, reason=reason), people)])


def notify_review_due(publications: list[Publication]) -> int:
    """notify("review_due", ...) for many publications at once (review_due's daily run): the same
    people (active editors and each publication's active reviewer, less opt-outs), read once for
    all, and every line written in one insert, so the queries do not grow with the number of
    articles. `publications` come with their articles (select_related)."""
    if not publications:
        return 0
    wanted = _active().exclude(pk__in=NotificationOptOut.objects.filter(category="review_due").values("user_id"))
    editors = list(wanted.filter(groups__name=EDITORS).distinct().order_by("pk"))
    reviewers = {user.pk: user for user in wanted.filter(pk__in={p.reviewer_id for p in publications})}
    batches = []
    for publication in publications:
        people = {user.pk: user for user in editors}
        if publication.reviewer_id in reviewers:
            people[publication.reviewer_id] = reviewers[publication.reviewer_id]
        if people:
            batches.append((_news("review_due", publication.article, publication=publication),
                            [people[pk] for pk in sorted(people)]))
    return _deliver(batches)


@dataclass(frozen=True)
class _News:
    """One event, rendered once for all its recipients."""

    event: str
    article: Article
    subject: str
    body: str
    line: str
    path: str


def _news(event: str, article: Article, *, actor=None, publication=None, reason: str = "") -> _News:
    path = reverse("desk:article", args=[article.pk])
    context = {
        "article": article,
        "actor_name": (actor.get_full_name() or actor.get_username()) if actor else "",
        "reason": reason,
        "publication": publication,
        "desk_url": _site_url(path),
        "preferences_url": _site_url(reverse("desk:notifications")),
        "inbox_url": _site_url(reverse("desk:inbox")),
        "now": timezone.now(),
        "today": timezone.localdate(),
        **(_review_stage(article, actor) if event == "submitted" else {}),
        **(_assignment_facts(article) if event in ("assigned", "assignment_due") else {}),
    }
    line = " ".join(render_text(f"reviews/inbox/{event}.txt", context).split())
    return _News(
        event=event, article=article, path=path,
        subject=" ".join(render_text(f"reviews/email/{event}_subject.txt", context).split()),
        body=render_text(f"reviews/email/{event}.txt", context),
        line=Truncator(line).chars(LINE_LENGTH),
    )


def _review_stage(article: Article, actor) -> dict:
    """For "submitted": the step the article waits for and, when the actor has just signed an
    earlier one (a review of several steps), which."""
    review = progress(article)
    just_signed = review.signed[-1] if review.signed and actor and review.signed[-1].reviewer_id == actor.pk else None
    return {
        "awaiting_step": review.current.name if review.current else "",
        "signed_step": (just_signed.step.name if just_signed.step else "Medical review") if just_signed else "",
    }


def _assignment_facts(article: Article) -> dict:
    """For "assigned" and "assignment_due": the review step, who holds it (and whether they took it
    themselves), when it is due, and whether that has passed."""
    assignment = latest_assignment(article)
    if assignment is None:
        return {"step_name": "medical review", "assignee_name": "", "due_on": None, "overdue": False}
    return {
        "step_name": assignment.step_name,
        "assignee_name": person_name(assignment.assignee) if assignment.assignee_id else "",
        "claimed": assignment.assignee_id is not None and assignment.assigned_by_id == assignment.assignee_id,
        "group_name": assignment.group.name,
        "due_on": assignment.due_on,
        "overdue": assignment.due_on < timezone.localdate(),
    }


def _deliver(batches: list[tuple[_News, list]]) -> int:
    """Every recipient's inbox line in one insert, then the mail of those with an address over one
    connection; returns how many mails went out."""
    inbox_deliver([
        InboxMessage(recipient=person, category=news.event, article=news.article, text=news.line, path=news.path)
        for news, people in batches for person in people
    ])
    messages = [EmailMessage(subject=news.subject, body=news.body, to=[person.email])
                for news, people in batches for person in people if person.email]
    if not messages:
        return 0
    try:
        return (_connection.get() or get_connection()).send_messages(messages) or 0
    except Exception:  # a mail server outage must not undo or hide a committed transition
        logger.exception("Could not send %s notification mail (articles %s)", ", ".join(sorted({
            news.event for news, _ in batches})), ", ".join(str(news.article.pk) for news, _ in batches))
        return 0
