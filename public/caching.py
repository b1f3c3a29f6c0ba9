"""HTTP caching of public pages: ETag and Last-Modified, 304 answers, and Cache-Control.

A page's ETag is a digest of what the page shows: the ids of the publications on it (a
publication is immutable, so its id stands for its whole content), the few things it prints that
are not snapshots (a topic's description, a reviewer's bio, whether a review is overdue, the
corrections), and the code that renders them. A conditional request is therefore answered exactly,
whatever the cache backend holds; publishing, going live and unpublishing change the ids a page
lists, so the next revalidation gets a fresh page.

Last-Modified is the latest of: the times of the publications shown, the last change to the set of
live publications (kept in the cache, bumped when a transition commits), and the release of the
code. Django answers If-Modified-Since only when no If-None-Match came with it.
"""
import datetime
import functools
import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from articles.models import Article, Topic

STAMP_KEY = "public:change"
PAGE_KEY_PREFIX = "public:page:"
# What the rendered pages depend on besides data: templates, styles and the code that builds them.
_CODE_DIRS = ("articles", "reviews", "desk", "public", "cms", "templates", "static")
_CODE_SUFFIXES = {".py", ".html", ".css", ".js", ".txt", ".xml"}
_COPIED_HEADERS = ("ETag", "Last-Modified", "Cache-Control")


@functools.cache
def release() -> tuple[str, datetime.datetime]:
    """(fingerprint, time) of the code that renders pages.

    RELEASE (for example a commit id set by the deploy) names it; otherwise it is a hash of the
    source files, equal on every server that runs the same code, so their ETags agree.
    """
    root = Path(settings.BASE_DIR)
    files = sorted(path for name in _CODE_DIRS for path in (root / name).rglob("*")
                   if path.suffix in _CODE_SUFFIXES and path.is_file() and "migrations" not in path.parts)
    newest = max((path.stat().st_mtime for path in files), default=0.0)
    at = datetime.datetime.fromtimestamp(newest, tz=datetime.timezone.utc)
    name = os.environ.get("RELEASE", "").strip()
    if not name:
        digest = hashlib.blake2b(digest_size=8)
        for path in files:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
        name = digest.hexdigest()
    return name, at


def public_changed_at() -> datetime.datetime:
    """When the set of live publications (or the topics) last changed.

    With a shared cache (REDIS_URL) every process sees the same stamp. A cache that lost it (a
    restart, an eviction) starts again from now, which can only make pages fresher.
    """
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        cache.add(STAMP_KEY, timezone.now(), timeout=None)
        stamp = cache.get(STAMP_KEY) or timezone.now()
    return stamp


def mark_public_change() -> None:
    """Record that readers may see something new, once the surrounding transaction commits."""
    transaction.on_commit(lambda: cache.set(STAMP_KEY, timezone.now(), timeout=None))


def _article_saved(sender, instance, update_fields=None, **kwargs):
    # Every transition that changes what is live (approve, go live, unpublish) saves the article
    # naming live_publication; content saves are full saves and never touch it.
    if update_fields and "live_publication" in update_fields:
        mark_public_change()


def _topic_changed(sender, **kwargs):
    mark_public_change()


def connect_signals() -> None:
    """Called from ArticlesConfig.ready, so management commands (publish_scheduled) bump it too."""
    post_save.connect(_article_saved, sender=Article, dispatch_uid="public.caching.article")
    post_save.connect(_topic_changed, sender=Topic, dispatch_uid="public.caching.topic_saved")
    post_delete.connect(_topic_changed, sender=Topic, dispatch_uid="public.caching.topic_deleted")


def versions(publications) -> list[tuple]:
    """What stands for a list of publications in an ETag: each is immutable, so its id and time
    name its content (the time as well, so ids reused after a database restore cannot collide)."""
    return [(p.pk, p.published_at.isoformat()) for p in publications]


def etag_for(*parts) -> str:
    digest = hashlib.blake2b(repr((release()[0], parts)).encode(), digest_size=12).hexdigest()
    # Weak: the tag stands for what the page says, not for its exact bytes (a proxy may compress).
    return f'W/"{digest}"'


def public_response(request, *, etag_parts: Iterable, changed: Iterable[datetime.datetime | None],
                    render: Callable[[], HttpResponse]) -> HttpResponse:
    """Answer 304 when the client's copy is current, else the page; either way with validators and
    Cache-Control: public, so browsers and a CDN may keep it for PUBLIC_CACHE_SECONDS.

    The page itself is rendered once per ETag and kept in the cache: the ETag names everything the
    page shows, so a new publication, an unpublish, an edited topic or new code is a new ETag and
    the next request renders afresh. A public page must therefore not read the user, the session
    or flash messages (which would also make it differ per visitor while shared caches are told it
    does not), and every view must put into etag_parts whatever non-snapshot data it prints.
    """
    if request.COOKIES.get(CookieStorage.cookie_name):
        return _with_flash_messages(request, render)
    now = timezone.now()
    last_modified = min(max([release()[1], *(when for when in changed if when is not None)]), now)
    # Absolute links (canonical, JSON-LD, feed, sitemap) name the host, so the host is part of it.
    etag = etag_for(request.scheme, request.get_host(), *etag_parts)
    headers = HttpResponse()
    headers["ETag"] = etag
    headers["Last-Modified"] = http_date(int(last_modified.timestamp()))
    patch_cache_control(headers, public=True, max_age=settings.PUBLIC_CACHE_SECONDS,
                        stale_while_revalidate=settings.PUBLIC_STALE_SECONDS)
    # Given a response, Django hands it back when no precondition applies; a 304 (or 412) is new
    # and carries the validators and Cache-Control copied from it.
    answer = get_conditional_response(request, etag=etag, last_modified=int(last_modified.timestamp()),
                                      response=headers)
    if answer is not headers:
        return answer
    response = _rendered(etag, render)
    for name in _COPIED_HEADERS:
        response[name] = headers[name]
    return response


def _with_flash_messages(request, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page for someone arriving from the desk with a flash message (an approval lands on the
    article): shown with the message, for them alone, and kept by no cache. Only this path reads
    the messages; Django keeps small ones in their own cookie, so other requests never touch them."""
    request.show_flash_messages = True
    response = render()
    patch_cache_control(response, private=True, no_store=True)
    return response


def _rendered(etag: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:  # the page cache turned off
        return render()
    key = f"{PAGE_KEY_PREFIX}{etag}"
    cached = cache.get(key)
    if cached is not None:
        content, page_headers = cached
        return HttpResponse(content, headers=page_headers)
    response = render()
    if hasattr(response, "render") and not response.is_rendered:
        response.render()  # a TemplateResponse (the sitemap) renders lazily
    if response.status_code == 200 and not response.streaming and not response.cookies:
        page_headers = {name: value for name, value in response.items() if name not in _COPIED_HEADERS}
        cache.set(key, (response.content, page_headers), timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
    return response
