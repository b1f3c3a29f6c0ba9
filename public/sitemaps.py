"""/sitemap.xml: every live article, every topic and every person with a page, each with lastmod.

Built per request from one read of the live publications (plus topics and people), so the sitemap
costs three queries however large the site is, and its ETag is what it lists.
"""
from django.contrib.auth import get_user_model
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view

from .caching import public_changed_at, public_response
from articles.hygiene import strip_control
from articles.models import Topic
from articles.selectors import live_publications
from .structured_data import person_path


class ListSitemap(Sitemap):
    """A sitemap over (path, lastmod) pairs already computed."""

    def __init__(self, entries):
        self.entries = entries

    def items(self):
        return self.entries

    def location(self, item):
        # Paths come from reverse(), which percent-encodes a control character; stripped again
        # here so that one reaching a path by any other route cannot make the XML invalid.
        return strip_control(item[0])

    def lastmod(self, item):
        return item[1]


def sitemap_entries() -> dict[str, list]:
    publications = list(live_publications().only(
        "slug", "published_at", "topics", "authors", "reviewer_id").order_by("-published_at", "-pk"))
    topic_lastmod, person_lastmod = {}, {}
    for publication in publications:
        for topic in publication.topics:
            topic_lastmod.setdefault(topic["slug"], publication.published_at)
        for user_id in {publication.reviewer_id, *(author.get("id") for author in publication.authors)}:
            person_lastmod.setdefault(user_id, publication.published_at)
    people = (get_user_model().objects.filter(pk__in=person_lastmod)
              .values_list("pk", "username", "reviewer_profile__slug").order_by("pk"))
    topics = Topic.objects.order_by("slug").values_list("slug", flat=True)
    return {
        "articles": [(p.get_absolute_url(), p.published_at) for p in publications],
        "topics": [(Topic(slug=slug).get_absolute_url(), topic_lastmod.get(slug)) for slug in topics],
        "people": [(person_path(profile_slug or username), person_lastmod[pk])
                   for pk, username, profile_slug in people],
    }


def sitemap(request):
    entries = sitemap_entries()
    return public_response(
        request,
        etag_parts=("sitemap", sorted(entries.items())),
        changed=[public_changed_at()],
        render=lambda: sitemap_view(request, {name: ListSitemap(items) for name, items in entries.items()}),
    )
