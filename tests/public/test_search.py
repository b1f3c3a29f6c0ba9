"""Public search: words in any part of a live article, best match first, highlighted snippets,
pagination that keeps the query, and a fixed number of queries whatever the number of articles,
one query only when the same search was asked since the last publish."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from public import search
from reviews.workflow import article_unpublish
from tests.factories import SECTION_TEXT, another_reviewer, make_draft, make_editor, make_published

from .html import parse


def sections_with(**extra) -> dict:
    """The factory's complete safety sections, with a sentence added to some."""
    return {key: f"<p>{text}</p>" + (f"<p>{extra[key]}</p>" if key in extra else "")
            for key, text in SECTION_TEXT.items()}


def titles_on(html: str) -> list[str]:
    return [card.find("h2").text() for card in parse(html).find_all("article", cls="card")]


def snippets_on(html: str) -> list[str]:
    """The snippets' raw HTML, as the page sends it."""
    return re.findall(r'<p class="snippet">(.*?)</p>', html)


def get(client, q, **params):
    return client.get("/search/", {"q": q, **params}).content.decode()


def publish(title, **content):
    return make_published(title=title, reviewer=another_reviewer(), **content)


def test_search_finds_a_word_only_in_a_safety_section(client):
    publish("Valerian", sections=sections_with(side_effects="Rare cases of jaundice have been reported."))
    publish("Chamomile")

    assert titles_on(get(client, "valerian jaundice")) == ["Valerian"]
    assert titles_on(get(client, "jaundice")) == ["Valerian"]


def test_search_ranks_a_title_match_above_matches_in_the_summary_and_the_sections(client):
    publish("Kava and anxiety")
    publish("Passionflower", summary="Sometimes taken with kava for sleep.")
    publish("Hops", sections=sections_with(interactions="Do not combine with kava."))  # newest

    assert titles_on(get(client, "kava")) == ["Kava and anxiety", "Passionflower", "Hops"]


def test_search_shows_a_snippet_with_the_matched_words_highlighted(client):
    publish("Valerian", sections=sections_with(side_effects="Rare cases of jaundice have been reported."))

    [snippet] = snippets_on(get(client, "jaundice"))

    assert "<mark>jaundice</mark>" in snippet
    assert "<p>" not in snippet and "</p>" not in snippet


def test_search_snippets_escape_the_article_text(client):
    publish("Valerian", body="<p>Labels that say &lt;b&gt;jaundice&lt;/b&gt; &amp; more.</p>")

    [snippet] = snippets_on(get(client, "jaundice"))

    assert "&lt;b&gt;<mark>jaundice</mark>&lt;/b&gt; &amp; more" in snippet
    assert "<b>" not in snippet


def test_a_snippet_is_escaped_except_for_its_own_marks():
    headline = f'<script>alert("x")</script> {search.MARK_START}valerian{search.MARK_END} & hops'

    assert search.marked(headline) == ("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
                                       "<mark>valerian</mark> &amp; hops")


def test_search_never_finds_drafts_or_unpublished_articles_by_their_sections(client):
    secret = sections_with(side_effects="Reports of xerostomia.")
    make_draft(title="Draft", sections=secret)
    withdrawn = publish("Withdrawn", sections=secret)
    article_unpublish(article=Article.objects.get(pk=withdrawn.pk), by=make_editor(), reason="Withdrawn")

    html = get(client, "xerostomia")

    assert titles_on(html) == []
    assert "No articles found for “xerostomia”." in html


def test_search_pages_keep_the_query_in_their_links(client, monkeypatch):
    monkeypatch.setattr(search, "PER_PAGE", 2)
    for n in range(5):
        publish(f"Zinc note {n}")

    first, third = get(client, "zinc"), get(client, "zinc", page=3)

    assert titles_on(first) == ["Zinc note 4", "Zinc note 3"]
    assert titles_on(third) == ["Zinc note 0"]
    assert "5 articles found for “zinc”." in first
    assert 'href="?q=zinc&amp;page=2" rel="next"' in first
    assert 'href="?q=zinc&amp;page=2" rel="prev"' in third


def test_search_says_when_more_articles_match_than_it_ranks(client, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 2)
    for n in range(3):
        publish(f"Iron note {n}")

    html = get(client, "iron")

    assert titles_on(html) == ["Iron note 2", "Iron note 1"]  # the newest matches
    assert "More than 2 articles found for “iron”" in html


def test_a_repeated_search_is_served_from_the_cache_with_one_query(client, django_assert_max_num_queries,
                                                                     monkeypatch):
    monkeypatch.setattr(search, "PER_PAGE", 2)
    for n in range(3):
        publish(f"Zinc note {n}")
    get(client, "zinc")

    with django_assert_max_num_queries(1):  # the cards of the page, with their snippets
        html = get(client, "Zinc ", page=2)  # the same search: any case, any spacing, any page

    assert titles_on(html) == ["Zinc note 0"]


def test_a_new_publication_is_found_by_a_search_asked_before(client, django_capture_on_commit_callbacks):
    publish("Zinc for colds")
    get(client, "zinc")

    with django_capture_on_commit_callbacks(execute=True):  # the change stamp moves on commit
        publish("Zinc and copper")

    assert titles_on(get(client, "zinc")) == ["Zinc and copper", "Zinc for colds"]


def uncached_search_queries(client) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        html = get(client, "zinc")
    assert titles_on(html)
    return len(queries)


def test_a_search_needs_the_same_number_of_queries_for_3_and_30_live_articles(client):
    for n in range(3):
        publish(f"Zinc note {n}")
    few = uncached_search_queries(client)
    for n in range(3, 30):
        publish(f"Zinc note {n}")

    # The ids, the cards, and on PostgreSQL the planner's estimate that picks the index.
    assert uncached_search_queries(client) == few <= 4


@pytest.mark.postgres
def test_postgres_search_stores_the_vector_when_a_publication_is_inserted(client):
    article = publish("Sleeping tablets", sections=sections_with(side_effects="Dizziness."))

    vector = str(Article.objects.get(pk=article.pk).live_publication.search_vector)

    assert "'sleep':1A" in vector and "'dizzi'" in vector and "strong" not in vector


@pytest.mark.postgres
def test_postgres_search_reads_websearch_syntax(client):
    publish("Melatonin for jet lag")
    publish("Melatonin for sleep")

    assert titles_on(get(client, 'melatonin -"jet lag"')) == ["Melatonin for sleep"]
    assert titles_on(get(client, '"for jet"')) == ["Melatonin for jet lag"]
