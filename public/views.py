"""Public pages (people pages: public.people; sitemap: public.sitemaps). They read publications only: nothing here touches a working copy.

Every page here answers through caching.public_response (ETag, Last-Modified, 304,
Cache-Control: public) and runs a fixed number of queries, whatever the number of references,
sections or topics: a publication carries them in its snapshot.
"""
import datetime

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from .caching import public_changed_at, public_response, versions
from .feeds import LatestPublicationsFeed
from articles.models import Publication, Topic
from .search import clean_query, search_publications
from .selectors import live_publication_by_slug, live_publications_in_topic, public_cards, visible_corrections
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


def article_detail(request, slug):
    # The whole snapshot in one query, even when the page then comes from the cache: reading the
    # few fields the ETag needs first and the rest on a miss costs a second query for little gain.
    publication = live_publication_by_slug(slug)
    review_overdue = publication.next_review_due < timezone.localdate()
    corrections = list(visible_corrections(publication))
    # The overdue notice appears on the day after the due date: the page changed then.
    overdue_since = (_start_of_day(publication.next_review_due + datetime.timedelta(days=1))
                     if review_overdue else None)
    return public_response(
        request,
        etag_parts=("article", versions([publication]), publication.content_hash, review_overdue,
                    [(c.pk, c.published_at.isoformat()) for c in corrections]),
        changed=[publication.published_at, overdue_since, *(c.published_at for c in corrections)],
        render=lambda: render(request, "public/article_detail.html",
                              article_context(request, publication, corrections)),
    )


def home(request):
    publications = list(public_cards()[:HOME_LATEST])
    topics = list(Topic.objects.only("slug", "name"))
    return public_response(
        request,
        etag_parts=("home", versions(publications), [(t.slug, t.name) for t in topics]),
        changed=[public_changed_at()],
        render=lambda: render(request, "public/home.html", {"publications": publications, "topics": topics}),
    )


def topic_detail(request, slug):
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise Http404("No topic found.")
    page = Paginator(public_cards(live_publications_in_topic(slug)), PER_PAGE).get_page(request.GET.get("page"))
    return public_response(
        request,
        etag_parts=("topic", topic.slug, topic.name, topic.description, page.number, page.paginator.count,
                    versions(page)),
        changed=[public_changed_at()],
        render=lambda: render(request, "public/topic_detail.html", {"topic": topic, "page": page}),
    )


def search(request):
    query = clean_query(request.GET.get("q", ""))
    page = Paginator(search_publications(query), PER_PAGE).get_page(request.GET.get("page")) if query else None
    results = list(page) if page else []
    return public_response(
        request,
        etag_parts=("search", query, page.number if page else 0, page.paginator.count if page else 0,
                    versions(results)),
        changed=[public_changed_at()],
        render=lambda: render(request, "public/search.html", {"query": query, "page": page}),
    )


def feed(request):
    """RSS 2.0 of the latest publications."""
    publications = list(public_cards().only(
        "slug", "title", "summary", "published_at", "first_published_at", "authors", "topics",
    )[:FEED_LENGTH])
    return public_response(
        request,
        etag_parts=("feed", versions(publications)),
        changed=[public_changed_at()],
        render=lambda: LatestPublicationsFeed(publications)(request),
    )


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
