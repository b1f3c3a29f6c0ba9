"""Every public page runs at most four queries, whatever the number of references, sections,
topics, authors or articles: publications carry them in their snapshots. The same page with 3 or
30 articles runs the same queries; from the cache, or as a 304, it reads no snapshot."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from public.caching import STAMP_KEY
from articles.models import Article
from reviews.editing import article_update
from reviews.workflow import article_approve, article_submit
from tests.factories import (
    as_reviewed,
    ALL_YES,
    another_reviewer,
    content_of,
    make_draft,
    make_published,
    make_topic,
    make_writer,
)

MAX_QUERIES = 4


@pytest.fixture
def big_site():
    """Articles with every section, many references, many topics and several writers."""
    topics = [make_topic(f"Topic {n}") for n in range(10)]
    writers = [make_writer(f"writer{n}", first_name="Writer", last_name=f"Number {n}") for n in range(3)]
    references = [{"title": f"Study {n}", "doi": f"10.1000/study.{n}", "pmid": str(4000000 + n),
                   "url": f"https://example.org/study/{n}", "source": "Journal of Examples", "year": 2020}
                  for n in range(12)]
    reviewer = another_reviewer()
    articles = []
    for n in range(6):
        draft = make_draft(writers[0], title=f"Sleep article {n}", references=references, topics=topics)
        article_update(article=draft, by=writers[0], expected_version=draft.version, content=content_of(draft),
                       authors=writers)
        article = article_submit(article=Article.objects.get(pk=draft.pk), by=writers[0])
        article_approve(**as_reviewed(article), by=reviewer, checklist=dict(ALL_YES), rating=4)
        articles.append(article)
    assert len(Article.objects.get(pk=articles[0].pk).live_publication.authors) == 3
    cache.delete(STAMP_KEY)  # the first request after a cache loss still counts
    return {"article": articles[0], "writer": writers[0], "reviewer": reviewer}


def pages(site):
    return {
        "home": "/",
        "article": site["article"].get_absolute_url(),
        "topic": "/topics/topic-3/",
        "search": "/search/?q=sleep",
        "search page 2": "/search/?q=article&page=2",
        "writer": f"/people/{site['writer'].username}/",
        "reviewer": f"/people/{site['reviewer'].reviewer_profile.slug}/",
        "feed": "/feed/",
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
        "404": "/articles/no-such-article/",
    }


@pytest.mark.parametrize("name", ["home", "article", "topic", "search", "search page 2", "writer", "reviewer",
                                  "feed", "sitemap", "robots", "404"])
def test_a_public_page_needs_at_most_four_queries(client, big_site, name, django_assert_max_num_queries):
    path = pages(big_site)[name]

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(path)

    assert response.status_code == (404 if name == "404" else 200)


@pytest.mark.parametrize("name", ["home", "article", "topic", "writer", "sitemap"])
def test_a_304_needs_no_more_queries_than_the_page(client, big_site, name, django_assert_max_num_queries):
    path = pages(big_site)[name]
    etag = client.get(path)["ETag"]

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(path, headers={"if-none-match": etag})

    assert response.status_code == 304


def test_the_article_page_reads_the_snapshot_and_its_corrections_only_to_render_it(
        client, big_site, django_assert_num_queries):
    path = big_site["article"].get_absolute_url()
    with django_assert_num_queries(2):
        assert client.get(path).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(path).status_code == 200


# --- The same queries with 3 or 30 articles; none from the cache ---

# The most queries each page runs when it renders; from the cache, or as a 304, it runs none,
# except a person's page, which reads the person (name and profile change without a publish).
RENDER_QUERIES = {
    "home": 2,            # the latest cards, the topics
    "topic": 3,           # the topic, the count, the page
    "topic page 2": 3,
    "article": 2,         # the snapshot, its corrections
    "writer": 4,          # the person, both counts (one query), a page of each list
    "writer page 2": 4,
    "reviewer": 4,
    "feed": 1,
    "sitemap": 3,         # article pages, topic pages, people pages
    "sitemap of articles": 1,
    "sitemap of topics": 1,
}
CACHED_QUERIES = {name: 1 if name.startswith(("writer", "reviewer")) else 0 for name in RENDER_QUERIES}


def sized_paths(site):
    return {
        "home": "/",
        "topic": "/topics/sleep/",
        "topic page 2": "/topics/sleep/?page=2",
        "article": site["article"].get_absolute_url(),
        "writer": f"/people/{site['writer'].username}/",
        "writer page 2": f"/people/{site['writer'].username}/?written=2",
        "reviewer": f"/people/{site['reviewer'].reviewer_profile.slug}/",
        "feed": "/feed/",
        "sitemap": "/sitemap.xml",
        "sitemap of articles": "/sitemap-articles-1.xml",
        "sitemap of topics": "/sitemap-topics.xml",
    }


@pytest.fixture
def growing_site():
    """A writer and a reviewer, a topic, and grow(n): publish until they share n live articles."""
    site = {"writer": make_writer("grace", first_name="Grace", last_name="Writer"),
            "reviewer": another_reviewer(), "topic": make_topic("Sleep"), "articles": []}

    def grow(size):
        while len(site["articles"]) < size:
            site["articles"].append(make_published(site["writer"], site["reviewer"], topics=[site["topic"]],
                                                   title=f"Sleep article {len(site['articles'])}"))
        site["article"] = site["articles"][0]
        cache.clear()  # a first request, as after a cache loss
        return site

    return grow


def queries_at_sizes(client, grow, name, django_assert_max_num_queries) -> dict[str, list[int]]:
    """The queries of the page rendered, from the cache and as a 304, with 3 and then 30 articles."""
    counts = {"rendered": [], "from the cache": [], "304": []}
    for size in (3, 30):
        path, etag = sized_paths(grow(size))[name], None
        for kind, limit, status in (("rendered", RENDER_QUERIES[name], 200),
                                    ("from the cache", CACHED_QUERIES[name], 200),
                                    ("304", CACHED_QUERIES[name], 304)):
            headers = {"if-none-match": etag} if kind == "304" else None
            with django_assert_max_num_queries(limit) as captured:
                response = client.get(path, headers=headers)
            assert response.status_code == status, (path, size, kind)
            etag = response["ETag"]
            counts[kind].append(len(captured))
    return counts


@pytest.mark.parametrize("name", RENDER_QUERIES)
def test_a_public_page_runs_the_same_queries_with_3_or_30_articles_and_none_of_them_from_the_cache(
        client, growing_site, name, django_assert_max_num_queries):
    counts = queries_at_sizes(client, growing_site, name, django_assert_max_num_queries)

    assert counts["rendered"][0] == counts["rendered"][1], counts
    assert counts["from the cache"] == counts["304"] == [CACHED_QUERIES[name]] * 2, counts


def test_a_cached_article_page_and_its_304_select_no_body(client, growing_site):
    path = growing_site(3)["article"].get_absolute_url()
    etag = client.get(path)["ETag"]

    with CaptureQueriesContext(connection) as cached:
        assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as revalidated:
        assert client.get(path, headers={"if-none-match": etag}).status_code == 304

    selected = [query["sql"] for query in (*cached.captured_queries, *revalidated.captured_queries)]
    assert not [sql for sql in selected if '"body"' in sql]
    assert selected == []
