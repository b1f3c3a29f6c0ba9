"""/sitemap.xml is an index of child sitemaps of at most SITEMAP_PAGE_SIZE URLs each, every one
read with a fixed number of queries and cached until something is published or unpublished."""
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from public.caching import STAMP_KEY
from reviews.workflow import article_unpublish
from tests.factories import make_draft, make_editor, make_in_review, make_published, make_reviewer, make_topic, make_writer

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOST = "http://testserver"


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.SITEMAP_PAGE_SIZE = 2


def parse(response, root):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    tree = ET.fromstring(response.content)
    assert tree.tag == f"{NS}{root}"
    return tree


def index(client) -> dict[str, str | None]:
    tree = parse(client.get("/sitemap.xml"), "sitemapindex")
    return {entry.findtext(f"{NS}loc").removeprefix(HOST): entry.findtext(f"{NS}lastmod")
            for entry in tree.findall(f"{NS}sitemap")}


def urls(client, path) -> dict[str, str | None]:
    tree = parse(client.get(path), "urlset")
    return {url.findtext(f"{NS}loc").removeprefix(HOST): url.findtext(f"{NS}lastmod")
            for url in tree.findall(f"{NS}url")}


def live(article):
    return Article.objects.get(pk=article.pk).live_publication


@pytest.fixture
def site():
    sleep, pain = make_topic("Sleep"), make_topic("Pain")
    wes, ana = make_writer("wes"), make_writer("ana")
    reviewer = make_reviewer("rita")
    articles = [make_published(wes if n < 3 else ana, reviewer=reviewer, topics=[sleep] if n % 2 else [pain])
                for n in range(5)]
    # Never listed: a draft, an article in review, and an unpublished one.
    make_draft(title="A draft")
    make_in_review(title="In review")
    withdrawn = make_published(title="Withdrawn", reviewer=reviewer, topics=[sleep])
    article_unpublish(article=Article.objects.get(pk=withdrawn.pk), by=make_editor(), reason="Withdrawn")
    publications = [live(article) for article in articles]
    return {"articles": articles, "publications": publications, "reviewer": reviewer}


def test_the_index_lists_each_article_page_then_topics_and_people_with_the_newest_lastmod(client, site):
    pubs = site["publications"]
    newest = lambda *ps: max(p.published_at for p in ps).isoformat()

    assert index(client) == {
        "/sitemap-articles-1.xml": newest(pubs[0], pubs[1]),
        "/sitemap-articles-2.xml": newest(pubs[2], pubs[3]),
        "/sitemap-articles-3.xml": newest(pubs[4]),
        "/sitemap-topics.xml": newest(*pubs),
        "/sitemap-people.xml": newest(*pubs),  # wes and ana; the reviewer is on the second page
        "/sitemap-people-2.xml": newest(*pubs),
    }


def test_each_article_page_lists_exactly_its_live_articles_in_publication_order(client, site):
    pubs = site["publications"]
    expected = [{p.get_absolute_url(): p.published_at.date().isoformat() for p in pubs[start:start + 2]}
                for start in (0, 2, 4)]

    pages = [urls(client, f"/sitemap-articles-{n}.xml") for n in (1, 2, 3)]

    assert pages == expected
    listed = "".join(client.get(f"/sitemap-articles-{n}.xml").content.decode() for n in (1, 2, 3))
    for slug in ("a-draft", "in-review", "withdrawn"):
        assert f"/articles/{slug}" not in listed


def test_topics_and_people_list_their_pages_with_the_newest_publication_naming_them(client, site):
    pubs = site["publications"]
    day = lambda *ps: max(p.published_at for p in ps).date().isoformat()

    assert urls(client, "/sitemap-topics.xml") == {
        "/topics/pain/": day(pubs[0], pubs[2], pubs[4]),
        "/topics/sleep/": day(pubs[1], pubs[3]),
    }
    # Three people, two to a page: the writers and the reviewer, by user id.
    assert urls(client, "/sitemap-people.xml") == {"/people/wes/": day(*pubs[:3]), "/people/ana/": day(*pubs[3:])}
    assert urls(client, "/sitemap-people-2.xml") == {
        f"/people/{site['reviewer'].reviewer_profile.slug}/": day(*pubs)}


@pytest.mark.parametrize("path", ["/sitemap-articles-4.xml", "/sitemap-articles-0.xml", "/sitemap-topics-2.xml",
                                  "/sitemap-topics-1.xml", "/sitemap-people-3.xml", "/sitemap-people-1.xml"])
def test_a_page_past_the_end_is_404(client, site, path):
    assert client.get(path).status_code == 404


def test_an_empty_site_still_has_a_valid_index_and_empty_first_pages(client):
    assert set(index(client)) == {"/sitemap-articles-1.xml", "/sitemap-topics.xml", "/sitemap-people.xml"}
    assert urls(client, "/sitemap-articles-1.xml") == {}
    assert client.get("/sitemap-articles-2.xml").status_code == 404


def _publish(count):
    reviewer, writer, topic = make_reviewer(), make_writer(), make_topic(f"Topic {count}")
    for _ in range(count):
        make_published(writer, reviewer=reviewer, topics=[topic])


def _queries(client, path) -> int:
    cache.clear()  # the rendering, not the page cache, is what is counted
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-articles-2.xml", "/sitemap-topics.xml",
                                  "/sitemap-people.xml"])
def test_the_query_count_does_not_grow_with_the_number_of_articles(client, path):
    _publish(5)
    few = _queries(client, path)
    _publish(15)
    many = _queries(client, path)

    assert few == many <= 3  # the index: article pages, topic pages, people pages


def test_every_sitemap_is_served_from_the_cache_until_something_is_published_or_unpublished(
        client, site, django_assert_num_queries, django_capture_on_commit_callbacks):
    paths = ["/sitemap.xml", "/sitemap-articles-1.xml", "/sitemap-articles-3.xml", "/sitemap-topics.xml"]
    first = {path: client.get(path) for path in paths}

    with django_assert_num_queries(0):
        again = {path: client.get(path) for path in paths}
    for path in paths:
        assert again[path].content == first[path].content, path
        assert again[path]["ETag"] == first[path]["ETag"], path
        assert client.get(path, headers={"if-none-match": first[path]["ETag"]}).status_code == 304, path

    with django_capture_on_commit_callbacks(execute=True):  # the publish stamp moves on commit
        newest = make_published(title="A newly published article", reviewer=site["reviewer"])

    assert client.get("/sitemap-articles-3.xml", headers={"if-none-match": first["/sitemap-articles-3.xml"]["ETag"]}
                      ).status_code == 200
    assert newest.get_absolute_url() in client.get("/sitemap-articles-3.xml").content.decode()
    assert "/sitemap-articles-3.xml" in index(client)

    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(article=Article.objects.get(pk=newest.pk), by=make_editor(), reason="Withdrawn")

    assert newest.get_absolute_url() not in client.get("/sitemap-articles-3.xml").content.decode()


def test_a_lost_publish_stamp_renders_afresh(client, site):
    etag = client.get("/sitemap.xml")["ETag"]
    cache.delete(STAMP_KEY)

    assert client.get("/sitemap.xml", headers={"if-none-match": etag}).status_code == 200
