"""Child sitemaps are small by default (SITEMAP_PAGE_SIZE, under the protocol's 50,000), so each is
read and written well within a request's budget; every page holds at most that many URLs, and no
page but the first is ever empty. The index dates each page by what that page lists."""
import xml.etree.ElementTree as ET

from django.core.cache import cache

from articles.models import Article
from public import sitemaps
from reviews.workflow import article_unpublish
from tests.factories import make_editor, make_published, make_reviewer, make_topic, make_writer

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOST = "http://testserver"


def locations(client, path, tag="url") -> dict[str, str | None]:
    response = client.get(path)
    assert response.status_code == 200, path
    return {entry.findtext(f"{NS}loc").removeprefix(HOST): entry.findtext(f"{NS}lastmod")
            for entry in ET.fromstring(response.content).findall(f"{NS}{tag}")}


def test_the_default_page_size_is_well_under_the_protocols_limit(settings):
    if hasattr(settings, "SITEMAP_PAGE_SIZE"):
        del settings.SITEMAP_PAGE_SIZE

    assert sitemaps.page_size() == sitemaps.DEFAULT_PAGE_SIZE <= sitemaps.MAX_PAGE_SIZE // 5


def test_a_page_size_over_the_protocols_limit_is_capped(settings):
    settings.SITEMAP_PAGE_SIZE = 80_000

    assert sitemaps.page_size() == sitemaps.MAX_PAGE_SIZE


def test_each_article_page_holds_at_most_page_size_urls_and_none_but_the_first_is_empty(client, settings):
    settings.SITEMAP_PAGE_SIZE = 3
    reviewer = make_reviewer()
    articles = [make_published(reviewer=reviewer, title=f"Article {n}") for n in range(8)]
    for article in articles[1:3]:  # two of the first page's leave it: the later pages move up
        article_unpublish(article=Article.objects.get(pk=article.pk), by=make_editor(), reason="Withdrawn")
    cache.clear()

    index = locations(client, "/sitemap.xml", tag="sitemap")
    pages = [locations(client, f"/sitemap-articles-{n}.xml") for n in (1, 2)]

    assert [path for path in index if "articles" in path] == ["/sitemap-articles-1.xml", "/sitemap-articles-2.xml"]
    assert [len(page) for page in pages] == [3, 3]
    assert set(pages[0]) | set(pages[1]) == {article.get_absolute_url() for article in [articles[0], *articles[3:]]}
    assert client.get("/sitemap-articles-3.xml").status_code == 404


def test_the_index_dates_each_page_of_topics_and_people_by_what_that_page_lists(client, settings):
    settings.SITEMAP_PAGE_SIZE = 1
    older_writer, newer_writer = make_writer("older"), make_writer("newer")
    reviewer = make_reviewer()
    older = make_published(older_writer, reviewer=reviewer, topics=[make_topic("Alpha")])
    newer = make_published(newer_writer, reviewer=reviewer, topics=[make_topic("Beta")])
    day = {article.pk: Article.objects.get(pk=article.pk).live_publication.published_at for article in (older, newer)}

    index = locations(client, "/sitemap.xml", tag="sitemap")

    # Topics by slug (alpha, beta); people by user id (older, newer, the reviewer).
    assert index["/sitemap-topics.xml"] == day[older.pk].isoformat()
    assert index["/sitemap-topics-2.xml"] == day[newer.pk].isoformat()
    assert index["/sitemap-people.xml"] == day[older.pk].isoformat()
    assert index["/sitemap-people-2.xml"] == day[newer.pk].isoformat()
    assert index["/sitemap-people-3.xml"] == day[newer.pk].isoformat()
    assert "/sitemap-people-4.xml" not in index
