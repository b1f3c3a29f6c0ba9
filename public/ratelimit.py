"""A limit on how often one client may do something, counted in the Django cache.

The window opens with a client's first request and lasts `window` seconds; requests after the
`limit`th in it are refused until it closes. Counting uses cache.add and cache.incr, which are
atomic on Redis and on the local-memory cache, so two app servers (or threads) counting at once
never lose a request.
"""
import datetime
import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

KEY_PREFIX = "ratelimit:"


@dataclass(frozen=True)
class RateLimit:
    name: str
    limit: int
    window: int  # seconds

    def _keys(self, client: str) -> tuple[str, str]:
        # Hashed: an address (IPv6 with a zone, say) never makes a key too long or odd for a cache
        # backend, and the cache holds no list of readers' addresses.
        digest = hashlib.blake2b(client.encode(), digest_size=16).hexdigest()
        base = f"{KEY_PREFIX}{self.name}:{digest}"
        return f"{base}:count", f"{base}:opened"

    def hit(self, client: str) -> datetime.datetime | None:
        """Count one request from `client`. None while within the limit; past it, when the
        window closes, the time from which the client may try again."""
        count_key, opened_key = self._keys(client)
        now = time.time()
        cache.add(opened_key, now, timeout=self.window)
        cache.add(count_key, 0, timeout=self.window)
        try:
            count = cache.incr(count_key)
        except ValueError:  # the window closed between add and incr: this request opens a new one
            cache.set(opened_key, now, timeout=self.window)
            cache.set(count_key, 1, timeout=self.window)
            count = 1
        if count <= self.limit:
            return None
        opened = cache.get(opened_key, now)
        return datetime.datetime.fromtimestamp(opened + self.window, tz=datetime.timezone.utc).astimezone(
            timezone.get_current_timezone())
