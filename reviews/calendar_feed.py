"""A person's private calendar feed address: issue it, reset it, and find whose it is.

The address is the only key a calendar app has, so it carries 256 random bits (secrets), and a
reset replaces it in the same row: the old address stops working at once.
"""
import secrets

from django.db import transaction
from django.utils import timezone

from .models import CalendarFeedToken


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def feed_token_issue(*, user) -> CalendarFeedToken:
    """This person's feed token, made on their first request for it; the same one afterwards."""
    token, _ = CalendarFeedToken.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return token


@transaction.atomic
def feed_token_reset(*, user) -> CalendarFeedToken:
    """A new address for this person's feed: the old one answers 404 from now on."""
    token = CalendarFeedToken.objects.select_for_update().filter(user=user).first()
    if token is None:
        return CalendarFeedToken.objects.create(user=user, token=_new_token())
    token.token, token.created_at = _new_token(), timezone.now()
    token.save(update_fields=["token", "created_at"])
    return token


def feed_token_of(user) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user).first()


def feed_owner(token: str):
    """The active person whose feed this token opens, or None (unknown, replaced, or inactive)."""
    found = CalendarFeedToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    return found.user if found else None
