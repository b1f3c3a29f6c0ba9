"""Public pages (people pages: public.people; sitemap: public.sitemaps). They read publications only: nothing here touches a working copy.

Every page here answers through caching.public_page or public_response (ETag, Last-Modified,
304, Cache-Control: public) and runs a fixed number of queries, whatever the number of references,
sections, topics or articles: a publication carries them in its snapshot. Through public_page a
page read before and unchanged since (same generation) answers from the cache with no query.
"""
import datetime

from django.core.paginator import Paginator
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from .caching import Page, public_changed_at, public_page, public_response, versions
from .feeds import LatestPublicationsFeed
from articles.models import Publication, Topic
from .search import clean_query, search as search_publications
from .selectors import (CARD_FIELDS, live_publication_by_slug, live_publications_in_topic, moved_to, public_cards,
                        visible_corrections)
from .structured_data import article_dates, json_ld_script, medical_web_page

HOME_LATEST = 20
PER_PAGE = 20
FEED_LENGTH = 20


def article_context(request, publication: Publication, corrections=()) -> dict:
    """What the article template needs; the bench's baseline view renders the same context."""
    dates = article_dates(publication)
    return {
        "publication": publication,
        "dates": dates,
        "review_overdue": publication.next_review_due < timezone.localdate(),
        "corrections": list(corrections),
        "json_ld": json_ld_script(medical_web_page(publication, dates=dates, corrections=list(corrections),
                                                   absolute=request.build_absolute_uri)),
        "canonical_url": request.build_absolute_uri(publication.get_absolute_url()),
    }


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def page_number(request, name: str = "page") -> int:
    """The page a list is asked for, as Paginator.get_page reads it (anything not a number is
    page 1), so that the cache keeps one version per page, not one per spelling of it."""
    try:
        return int(request.GET.get(name, 1))
    except (TypeError, ValueError):
        return 1


def article_detail(request, slug):
    # The snapshot (body included) is read only to render: a 304 or a page from the cache is
    # answered from the version kept under the slug, which every change to what is live, and every
    # correction shown or withdrawn, makes stale.
    def load() -> Page:
        publication = live_publication_by_slug(slug)
        corrections = list(visible_corrections(publication))
        # The overdue notice appears on the day after the due date: the page changes then.
        overdue_on = publication.next_review_due + datetime.timedelta(days=1)
        review_overdue = timezone.localdate() >= overdue_on
        return Page(
            etag_parts=("article", versions([publication]), publication.content_hash, review_overdue,
                        [(c.pk, c.published_at.isoformat()) for c in corrections]),
            changed=[publication.published_at, _start_of_day(overdue_on) if review_overdue else None,
                     *(c.published_at for c in corrections)],
            render=lambda: render(request, "public/article_detail.html",
                                  article_context(request, publication, corrections)),
            until=None if review_overdue else overdue_on,
        )

    try:
        return public_page(request, f"article:{slug}", load)
    except Http404:
        # Not a live address: a former slug of a live article moves permanently to where it is
        # now. Asked only here, after the miss, so a live page costs nothing more. The redirect
        # is cacheable for as long as a page (not forever, as browsers keep a bare 301): the
        # article may move again, or take this slug back.
        target = moved_to(slug)
        if target is None:
            raise
        response = HttpResponsePermanentRedirect(reverse("public:detail", kwargs={"slug": target}))
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        return response


def home(request):
    def load() -> Page:
        publications = list(public_cards()[:HOME_LATEST])
        topics = list(Topic.objects.only("slug", "name"))
        return Page(
            etag_parts=("home", versions(publications), [(t.slug, t.name) for t in topics]),
            changed=[public_changed_at()],
            render=lambda: render(request, "public/home.html", {"publications": publications, "topics": topics}),
        )

    return public_page(request, "home", load)


def topic_detail(request, slug):
    number = page_number(request)

    def load() -> Page:
        # A topic's rows change only through saves that move the generation (caching.connect_signals).
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            raise Http404("No topic found.")
        page = Paginator(live_publications_in_topic(slug).only(*CARD_FIELDS), PER_PAGE).get_page(number)
        return Page(
            etag_parts=("topic", topic.slug, topic.name, topic.description, page.number, page.paginator.count,
                        versions(page)),
            changed=[public_changed_at()],
            render=lambda: render(request, "public/topic_detail.html", {"topic": topic, "page": page}),
        )

    return public_page(request, f"topic:{slug}:{number}", load)


def search(request):
    query = clean_query(request.GET.get("q", ""))
    # Ranked ids come from the cache when the query was asked since the last publish; the cards
    # (with their highlighted snippets) are one query either way.
    results = search_publications(query, request.GET.get("page"))
    page = results.page if results else None
    return public_response(
        request,
        etag_parts=("search", query, page.number if page else 0, results.count if results else 0,
                    results.more if results else False, versions(page.object_list if page else [])),
        changed=[public_changed_at()],
        render=lambda: render(request, "public/search.html", {"query": query, "results": results, "page": page}),
    )


def feed(request):
    """RSS 2.0 of the latest publications."""
    def load() -> Page:
        publications = list(public_cards().only(
            "slug", "title", "summary", "published_at", "first_published_at", "authors", "topics",
        )[:FEED_LENGTH])
        return Page(etag_parts=("feed", versions(publications)), changed=[public_changed_at()],
                    render=lambda: LatestPublicationsFeed(publications)(request))

    return public_page(request, "feed", load)


def robots_txt(request):
    """Crawlers may read the public site, not the desk or the back office; the sitemap lists it."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('desk:dashboard')}",
        f"Disallow: {reverse('admin:index')}",
        f"Disallow: {reverse('login')}",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('public:sitemap'))}",
    ]
    return public_response(
        request, etag_parts=("robots",), changed=[],
        render=lambda: HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"),
    )
