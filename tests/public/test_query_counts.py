"""Every public page runs at most four queries, whatever the number of references, sections,
topics, authors or articles: publications carry them in their snapshots."""
import pytest
from django.core.cache import cache

from public.caching import STAMP_KEY
from articles.models import Article
from reviews.editing import article_update
from reviews.workflow import article_approve, article_submit
from tests.factories import as_reviewed, ALL_YES, another_reviewer, content_of, make_draft, make_topic, make_writer

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


def test_the_article_page_reads_the_snapshot_and_its_corrections_whether_rendered_or_cached(
        client, big_site, django_assert_num_queries):
    path = big_site["article"].get_absolute_url()
    for _ in ("rendered", "from the cache"):
        with django_assert_num_queries(2):
            response = client.get(path)
        assert response.status_code == 200
