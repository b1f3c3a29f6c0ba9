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

A cache hit reads no snapshot (public_page): what a page's validators need is kept under the
page's own key (a "version": a digest of its ETag parts, its Last-Modified, and the day it stops
holding, if any), tagged with the generation it was read under. The generation is a token in the
cache that every change to what is live, to a topic or to a correction replaces (at once and again
at commit). A hit is one cache round trip and no query: a plain request reads the generation, the
version and the page's bytes together; a conditional one reads the first two and answers 304.
"""
import datetime
import functools
import hashlib
import os
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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

from articles.models import Article, Correction, Topic

STAMP_KEY = "public:change"
GENERATION_KEY = "public:generation"
VERSION_KEY_PREFIX = "public:version:"
ADDRESS_KEY_PREFIX = "public:address:"
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
    """Record that readers may see something new.

    The generation is replaced now and again once the surrounding transaction commits: now, so
    that nothing read inside the transaction (a test, a view that publishes and then renders) is
    answered from versions read before it; at commit, because a request running meanwhile may have
    read the old rows under the new token. A rollback costs only a re-read. The stamp (a time,
    Last-Modified of the lists) moves at commit only, before the generation, so a version read
    under the final generation carries the new stamp.
    """
    _new_generation()

    def committed():
        cache.set(STAMP_KEY, timezone.now(), timeout=None)
        _new_generation()

    transaction.on_commit(committed)


def _new_generation() -> str:
    generation = secrets.token_hex(8)
    cache.set(GENERATION_KEY, generation, timeout=None)
    return generation


def _article_saved(sender, instance, update_fields=None, **kwargs):
    # Every transition that changes what is live (approve, go live, unpublish) saves the article
    # naming live_publication; content saves are full saves and never touch it.
    if update_fields and "live_publication" in update_fields:
        mark_public_change()


def _topic_changed(sender, **kwargs):
    mark_public_change()


def _correction_saved(sender, instance, created=False, **kwargs):
    # A minor note is shown (published_at) or withdrawn by a save of its own, outside any
    # transition; a medical note is shown with the go-live that publishes it, which bumps anyway.
    if not created:
        mark_public_change()


def _address_changed(sender, instance, update_fields=None, **kwargs):
    # People's public addresses (usernames, profile slugs) are listed by the people sitemaps, whose
    # ETag is the stamp. A login saves only last_login: that changes nothing readers see.
    if update_fields is None or {"username", "slug"} & set(update_fields):
        mark_public_change()


def connect_signals() -> None:
    """Called from ArticlesConfig.ready, so management commands (publish_scheduled) bump it too."""
    post_save.connect(_article_saved, sender=Article, dispatch_uid="public.caching.article")
    post_save.connect(_topic_changed, sender=Topic, dispatch_uid="public.caching.topic_saved")
    post_delete.connect(_topic_changed, sender=Topic, dispatch_uid="public.caching.topic_deleted")
    post_save.connect(_correction_saved, sender=Correction, dispatch_uid="public.caching.correction")
    from django.contrib.auth import get_user_model

    from reviews.models import ReviewerProfile
    post_save.connect(_address_changed, sender=get_user_model(), dispatch_uid="public.caching.user")
    post_save.connect(_address_changed, sender=ReviewerProfile, dispatch_uid="public.caching.profile")


def versions(publications) -> list[tuple]:
    """What stands for a list of publications in an ETag: each is immutable, so its id and time
    name its content (the time as well, so ids reused after a database restore cannot collide)."""
    return [(p.pk, p.published_at.isoformat()) for p in publications]


def etag_for(*parts) -> str:
    digest = hashlib.blake2b(repr((release()[0], parts)).encode(), digest_size=12).hexdigest()
    # Weak: the tag stands for what the page says, not for its exact bytes (a proxy may compress).
    return f'W/"{digest}"'


def _digest(parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def _last_modified(changed: Iterable[datetime.datetime | None]) -> float:
    return max([release()[1], *(when for when in changed if when is not None)]).timestamp()


def public_response(request, *, etag_parts: Iterable, changed: Iterable[datetime.datetime | None],
                    render: Callable[[], HttpResponse]) -> HttpResponse:
    """Answer 304 when the client's copy is current, else the page; either way with validators and
    Cache-Control: public, so browsers and a CDN may keep it for PUBLIC_CACHE_SECONDS.

    The page itself is rendered once per ETag and kept in the cache: the ETag names everything the
    page shows, so a new publication, an unpublish, an edited topic or new code is a new ETag and
    the next request renders afresh. A public page must therefore not read the user, the session
    or flash messages (which would also make it differ per visitor while shared caches are told it
    does not), and every view must put into etag_parts whatever non-snapshot data it prints.

    The caller has read what the ETag names; public_page answers without reading it.
    """
    if request.COOKIES.get(CookieStorage.cookie_name):
        return _with_flash_messages(request, render)
    last_modified = _clamped(_last_modified(changed))
    etag = _etag(request, _digest(tuple(etag_parts)), ())
    answer = _conditional(request, etag, last_modified)
    if answer is not None:
        return answer
    return _validated(_rendered(etag, render), etag, last_modified)


@dataclass(frozen=True)
class Page:
    """What a view read for a page: the parts of its ETag, the times it shows (for Last-Modified),
    how to render it, and, for a page that changes by itself on a known day (an article whose
    review falls overdue), that day (compared with timezone.localdate(), as the page is)."""

    etag_parts: tuple
    changed: list = field(default_factory=list)
    render: Callable[[], HttpResponse] | None = None
    until: datetime.date | None = None


_CONDITIONS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def public_page(request, key: str, load: Callable[[], Page], *, extra_parts: tuple = ()) -> HttpResponse:
    """public_response for a page whose content changes only with the generation (what is live,
    the topics, the corrections) and with `extra_parts` (small facts the view reads every time,
    such as a person's name): `load` reads the page's data and runs only when the version kept
    under `key` is missing or stale, or the page itself is not cached.

    `key` names the page without the host: the view and its arguments, page numbers included. A
    version is trusted only under the generation it was read under, and only before its `until`;
    a `load` raising Http404 keeps nothing. The page's bytes are kept beside it, per host (links
    are absolute), with the ETag they were rendered for. A plain request reads the generation, the
    version and the page in one cache round trip; a conditional one reads the page only when it
    is not answered with a 304.
    """
    if request.COOKIES.get(CookieStorage.cookie_name):
        return _with_flash_messages(request, load().render)
    keep = settings.PUBLIC_PAGE_CACHE_SECONDS > 0
    version_key = f"{VERSION_KEY_PREFIX}{release()[0]}:{key}"
    page_key = f"{PAGE_KEY_PREFIX}{version_key}:{request.scheme}://{request.get_host()}"
    conditional = any(name in request.META for name in _CONDITIONS)
    found = cache.get_many([GENERATION_KEY, version_key] if conditional else [GENERATION_KEY, version_key, page_key]
                           ) if keep else {}
    generation, version = found.get(GENERATION_KEY), found.get(version_key)
    if (version is not None and generation is not None and version[0] == generation
            and (version[3] is None or timezone.localdate() < version[3])):
        etag, last_modified = _etag(request, version[1], extra_parts), _clamped(version[2])
        answer = _conditional(request, etag, last_modified)
        if answer is not None:
            return answer
        cached = cache.get(page_key) if conditional else found.get(page_key)
        if cached is not None and cached[0] == etag:
            return _validated(HttpResponse(cached[1], headers=cached[2]), etag, last_modified)
    if keep and generation is None:  # a cache that lost the token (a restart, an eviction)
        cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        generation = cache.get(GENERATION_KEY)
    # The generation was read before the data: a change committed in between leaves this version
    # under an old token, so it is never trusted.
    page = load()
    tag, last_modified = _digest(page.etag_parts), _last_modified(page.changed)
    if keep and generation is not None:
        cache.set(version_key, (generation, tag, last_modified, page.until), timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
    etag, last_modified = _etag(request, tag, extra_parts), _clamped(last_modified)
    if keep and generation is not None and not extra_parts:
        # For not_modified_early: this address's validators, under the same generation.
        cache.set(_address_key(request), (generation, etag, last_modified, page.until),
                  timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
    answer = _conditional(request, etag, last_modified)
    if answer is not None:
        return answer
    response = _finished(page.render())
    if keep and _cacheable(response):
        cache.set(page_key, (etag, response.content, _page_headers(response)),
                  timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
    return _validated(response, etag, last_modified)


def _address_key(request) -> str:
    return f"{ADDRESS_KEY_PREFIX}{release()[0]}:{request.scheme}://{request.get_host()}{request.get_full_path()}"


def not_modified_early(request) -> HttpResponse | None:
    """The 304 for a revalidation of a public page whose validators are known for this exact
    address under the current generation, or None. Asked by public.middleware before sessions,
    authentication, CSRF and messages run: a 304 then costs one cache round trip and almost none
    of Django's per-request work. Pages with per-request parts (people pages) are never answered
    here, nor anyone arriving with a flash message."""
    if (request.method not in ("GET", "HEAD") or "HTTP_IF_NONE_MATCH" not in request.META
            or request.COOKIES.get(CookieStorage.cookie_name) or settings.PUBLIC_PAGE_CACHE_SECONDS <= 0
            # Static files revalidate with WhiteNoise, below: no cache round trip for them.
            or request.path_info.startswith(settings.STATIC_URL)):
        return None
    key = _address_key(request)
    found = cache.get_many([GENERATION_KEY, key])
    generation, known = found.get(GENERATION_KEY), found.get(key)
    if (known is None or generation is None or known[0] != generation
            or (known[3] is not None and timezone.localdate() >= known[3])):
        return None
    answer = _conditional(request, known[1], _clamped(known[2]))
    return answer if answer is not None and answer.status_code == 304 else None


def _clamped(last_modified: float) -> int:
    return int(min(last_modified, time.time()))


def _etag(request, tag: str, extra_parts: tuple) -> str:
    # Absolute links (canonical, JSON-LD, feed, sitemap) name the host, so the host is part of it.
    return etag_for(request.scheme, request.get_host(), tag, *extra_parts)


def _validators(response: HttpResponse, etag: str, last_modified: int) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = (f"public, max-age={settings.PUBLIC_CACHE_SECONDS}, "
                                 f"stale-while-revalidate={settings.PUBLIC_STALE_SECONDS}")


def _conditional(request, etag: str, last_modified: int) -> HttpResponse | None:
    """Django's answer to the request's preconditions (a 304 with the validators and
    Cache-Control, or a 412), or None when the page itself is the answer."""
    answer = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if answer is not None and answer.status_code == 304:
        _validators(answer, etag, last_modified)
    return answer


def _validated(response: HttpResponse, etag: str, last_modified: int) -> HttpResponse:
    if response.status_code == 200:
        _validators(response, etag, last_modified)
    return response


def _finished(response: HttpResponse) -> HttpResponse:
    if hasattr(response, "render") and not response.is_rendered:
        response.render()  # a TemplateResponse (the sitemap) renders lazily
    return response


def _cacheable(response: HttpResponse) -> bool:
    return response.status_code == 200 and not response.streaming and not response.cookies


def _page_headers(response: HttpResponse) -> dict:
    return {name: value for name, value in response.items() if name not in _COPIED_HEADERS}


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
    response = _finished(render())
    if _cacheable(response):
        cache.set(key, (response.content, _page_headers(response)), timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
    return response
