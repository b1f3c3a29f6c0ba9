"""What every desk page's header needs: the inbox link's unread count (templates/base.html)."""
from django.utils.functional import cached_property

from reviews.inbox import unread_count


class InboxBadge:
    """The unread count, read on first use and once a page. Public pages draw a header of their own
    (templates/public/base.html) that never asks, so they read neither the person nor the session
    and stay the same for every visitor, as public.caching needs."""

    def __init__(self, request, unread: int | None = None):
        self._request = request
        if unread is not None:
            self.__dict__["unread"] = unread  # the inbox page counted already

    @cached_property
    def unread(self) -> int:
        user = getattr(self._request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user)


def inbox(request) -> dict:
    return {"inbox": InboxBadge(request)}
