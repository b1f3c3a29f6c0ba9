"""The desk inbox: each person's notifications, newest first, unread until opened or marked read.

reviews.notifications writes the lines (inbox_deliver), beside the mail. Everything else here is
a person reading their own lines: each function takes the person and touches only their rows, so
someone else's line answers 404, like one that does not exist.
"""
import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import InboxMessage


def inbox_messages(user, *, unread_only: bool = False) -> QuerySet:
    """This person's lines, newest first (the order of both inbox indexes)."""
    messages = InboxMessage.objects.filter(recipient_id=user.pk).order_by("-created_at", "-id")
    return messages.filter(read_at__isnull=True) if unread_only else messages


def unread_count(user) -> int:
    """The number in the header: a count over the partial index of unread lines."""
    return InboxMessage.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def inbox_counts(user) -> tuple[int, int]:
    """(all lines, unread lines) in one query, for the inbox page's paginator and its header."""
    counts = InboxMessage.objects.filter(recipient_id=user.pk).aggregate(
        total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True)))
    return counts["total"], counts["unread"]


def inbox_deliver(messages: list[InboxMessage]) -> list[InboxMessage]:
    """Write the lines of one or many notifications in one insert."""
    return InboxMessage.objects.bulk_create(messages)


def inbox_message_mark_read(*, message_id, by) -> InboxMessage:
    """Mark one of this person's lines read (opening it does too); returns it. A line read before
    keeps the time it was first read."""
    message = InboxMessage.objects.filter(pk=message_id, recipient_id=by.pk).first()
    if message is None:
        raise Http404("No such message in your inbox.")
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


def inbox_mark_all_read(*, by, shown_at: datetime.datetime | None = None) -> int:
    """Mark this person's unread lines read; returns how many. With `shown_at` (when the inbox
    page with the button was drawn), only the lines that had arrived by then: one arriving while
    the page was open stays unread, since its reader has not seen it."""
    unread = InboxMessage.objects.filter(recipient_id=by.pk, read_at__isnull=True)
    if shown_at is not None:
        unread = unread.filter(created_at__lte=shown_at)
    # QuerySet.update is safe here: inbox lines are not versioned, and only their reader changes them.
    return unread.update(read_at=timezone.now())
