"""Who has an article open in the editor: a soft lock that says so and never blocks anyone.

The editor's page sends a heartbeat every HEARTBEAT_SECONDS; a person counts as editing while
their last one is under PRESENT_SECONDS old. Kept in the database rather than the cache: it must
be the same answer on every app server, and the default cache is each process's own memory. It
costs one UPDATE of one row per open editor per heartbeat.
"""
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from articles.models import Article

from .drafts import refuse_unless_editable
from .models import EditingPresence

HEARTBEAT_SECONDS = 20
# Three missed heartbeats, not one: browsers slow the timers of a background tab to about once a
# minute, and a writer who switched tabs to read a source still has the article open.
PRESENT_SECONDS = 90


@dataclass(frozen=True)
class PresentEditor:
    user_id: int
    name: str
    since: datetime.datetime


def _recent(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=PRESENT_SECONDS)


@transaction.atomic
def presence_record(*, by, article: Article, now: datetime.datetime | None = None) -> None:
    """This person has the article open in the editor now. Only someone who may edit it counts."""
    refuse_unless_editable(by, article)
    now = now or timezone.now()
    if EditingPresence.objects.filter(article=article, user=by, last_seen__gte=_recent(now)).update(last_seen=now):
        return
    # Back after a break (or the first time): "since" starts again. Rows of people gone for good
    # are cleared here, so the table holds about one row per open editor.
    EditingPresence.objects.filter(article=article, last_seen__lt=_recent(now)).delete()
    EditingPresence.objects.update_or_create(article=article, user=by, defaults={"since": now, "last_seen": now})


@transaction.atomic
def presence_end(*, by, article: Article) -> None:
    """This person closed the editor: others stop seeing them at once rather than after a while."""
    EditingPresence.objects.filter(article=article, user=by).delete()


def editing_now(article: Article, *, besides, now: datetime.datetime | None = None) -> list[PresentEditor]:
    """Everyone but `besides` who has the article open in the editor now, longest there first."""
    now = now or timezone.now()
    rows = (EditingPresence.objects.filter(article=article, last_seen__gte=_recent(now))
            .exclude(user_id=getattr(besides, "pk", None)).select_related("user").order_by("since", "user_id"))
    return [PresentEditor(row.user_id, row.user.get_full_name() or row.user.get_username(), row.since)
            for row in rows]
