"""The RSS feed at /feed/: the latest live publications, built by django.contrib.syndication.

Every text it writes goes through strip_control: XML 1.0 cannot carry most control characters, and
Django's XML writer raises on one, so a single stored title holding one (text saved before
articles.hygiene cleaned it on save) would otherwise make the feed fail for every reader.
"""
from django.contrib.syndication.views import Feed
from django.urls import reverse

from articles.hygiene import strip_control


class LatestPublicationsFeed(Feed):
    """Made per request around publications already read, so the view decides the queries."""

    title = "Health articles, medically reviewed"
    description = "The latest articles, each checked by a medical reviewer before it was published."

    def __init__(self, publications):
        self.publications = publications

    def link(self):
        return reverse("public:home")

    def items(self):
        return self.publications

    def item_title(self, item):
        return strip_control(item.title)

    def item_description(self, item):
        return strip_control(item.summary)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return strip_control(", ".join(author["name"] for author in item.authors)) or None

    def item_categories(self, item):
        return [strip_control(topic["name"]) for topic in item.topics]
