"""Email notifications. Sent after the transition commits (see workflow._notify_after_commit),
rendered from templates/reviews/email/*.txt as plain text: autoescaping off, since a plain-text
mail has no markup to escape, and a title such as "Sleep & stress" would otherwise reach its
reader as "Sleep &amp; stress". Nothing here is ever shown as HTML.
"""
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template import Context, engines
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Publication
from reviews.permissions import EDITORS, REVIEWERS, contributor_ids

from .models import NOTIFICATION_CATEGORIES, NotificationOptOut

logger = logging.getLogger(__name__)
CATEGORY_KEYS = tuple(key for key, _ in NOTIFICATION_CATEGORIES)


def _people_in(group_name):
    return get_user_model().objects.filter(groups__name=group_name, is_active=True)


def recipients_for(event: str, article: Article, *, publication: Publication | None = None):
    """Who hears about this event: reviewers of a submission, authors of their own article's fate,
    editors and the last reviewer of a due review."""
    if event == "submitted":
        # A reviewer who wrote or changed the article cannot review it; they are not asked to.
        return _people_in(REVIEWERS).exclude(pk__in=contributor_ids(article))
    if event in ("changes_requested", "approved", "published", "unpublished"):
        return article.authors.filter(is_active=True)
    if event == "review_due":
        people = _people_in(EDITORS)
        if publication is not None:
            people = people | get_user_model().objects.filter(pk=publication.reviewer_id, is_active=True)
        return people
    raise ValueError(f"Unknown notification event {event!r}")


def _wanted(users, category):
    opted_out = NotificationOptOut.objects.filter(category=category).values_list("user_id", flat=True)
    return [user for user in users.exclude(pk__in=opted_out).exclude(email="").distinct()]


def render_text(template_name: str, context: dict) -> str:
    """A template rendered as plain text: with the project's template settings, autoescaping off."""
    template = engines["django"].engine.get_template(template_name)
    return template.render(Context(context, autoescape=False))


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def notify(event: str, *, article_id: int, actor_id: int | None = None,
           publication: Publication | None = None, reason: str = "") -> int:
    """Send one event's messages; returns how many went out. Mail failures are logged, not raised:
    the transition they report on has already committed. `reason` is the actor's own words, where
    the event has them (why an article was unpublished)."""
    if event not in CATEGORY_KEYS:
        raise ValueError(f"Unknown notification event {event!r}")
    article = Article.objects.select_related("article_type", "live_publication", "scheduled_publication").get(
        pk=article_id)
    users = [user for user in _wanted(recipients_for(event, article, publication=publication), event)
             if user.pk != actor_id]
    if not users:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id is not None else None
    return _send(event, article, users, actor=actor, reason=reason,
                 publication=publication or article.live_publication or article.scheduled_publication)


def notify_review_due(publications: list[Publication]) -> int:
    """notify("review_due", ...) for many publications at once (review_due's daily run): the same
    people (active editors and each publication's active reviewer, less opt-outs and those with
    no address), read once for all, so the queries do not grow with the number of articles.
    `publications` come with their articles (select_related)."""
    wanted = (get_user_model().objects.filter(is_active=True).exclude(email="")
              .exclude(pk__in=NotificationOptOut.objects.filter(category="review_due").values("user_id")))
    editors = list(wanted.filter(groups__name=EDITORS).distinct().order_by("pk"))
    reviewers = {user.pk: user for user in wanted.filter(pk__in={p.reviewer_id for p in publications})}
    sent = 0
    for publication in publications:
        people = {user.pk: user for user in editors}
        if publication.reviewer_id in reviewers:
            people[publication.reviewer_id] = reviewers[publication.reviewer_id]
        if people:
            sent += _send("review_due", publication.article, [people[pk] for pk in sorted(people)],
                          publication=publication)
    return sent


def _send(event: str, article: Article, users, *, actor=None, publication=None, reason: str = "") -> int:
    """Render one event's mail for an article and send it to these people."""
    context = {
        "article": article,
        "actor_name": (actor.get_full_name() or actor.get_username()) if actor else "",
        "reason": reason,
        "publication": publication,
        "desk_url": _site_url(reverse("desk:article", args=[article.pk])),
        "preferences_url": _site_url(reverse("desk:notifications")),
        "today": timezone.localdate(),
    }
    subject = " ".join(render_text(f"reviews/email/{event}_subject.txt", context).split())
    body = render_text(f"reviews/email/{event}.txt", context)
    messages = [EmailMessage(subject=subject, body=body, to=[user.email]) for user in users]
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # a mail server outage must not undo or hide a committed transition
        logger.exception("Could not send %s notification for article %s", event, article.pk)
        return 0
