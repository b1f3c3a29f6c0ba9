"""A save costs the same whatever the article holds and however long its history (issue: scale).

Statements are counted without SAVEPOINT/RELEASE: in production the service's transaction is the
outermost one, so those are the test's own nesting.
"""
import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import RevisionMeta
from reviews.editing import article_update
from tests.factories import content_of, edit_article, make_draft, words

pytestmark = pytest.mark.django_db

MAX_SAVE_QUERIES = 15


def references(count):
    return [{"title": f"Trial {n}", "source": "Journal of Examples", "year": 2020,
             "doi": f"10.1000/trial.{n}", "url": f"https://example.org/trial/{n}"} for n in range(1, count + 1)]


def save_statements(article, writer, body) -> list[str]:
    current = type(article).objects.get(pk=article.pk)
    writer = type(writer).objects.get(pk=writer.pk)  # as a request has it: roles not yet read
    content = dataclasses.replace(content_of(current), body=body)
    with CaptureQueriesContext(connection) as captured:
        article_update(article=current, by=writer, expected_version=current.version, content=content)
    return [q["sql"] for q in captured.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def test_a_save_runs_the_same_bounded_number_of_queries_with_three_or_thirty_references():
    small = make_draft(references=references(3))
    large = make_draft(references=references(30))
    writer_small, writer_large = small.authors.get(), large.authors.get()

    few = save_statements(small, writer_small, f"<p>{words(40)}</p>")
    many = save_statements(large, writer_large, f"<p>{words(40)}</p>")

    assert len(few) <= MAX_SAVE_QUERIES, "\n".join(few)
    assert len(many) == len(few), "\n".join(many)


def test_a_save_costs_the_same_after_forty_revisions_as_after_one():
    article = make_draft(references=references(5))
    writer = article.authors.get()

    first = save_statements(article, writer, "<p>The first edit.</p>")
    for n in range(40):
        edit_article(article, writer, summary=f"Summary number {n}.")
    later = save_statements(article, writer, "<p>The forty-second edit.</p>")

    assert len(later) == len(first), "\n".join(q[:90] for q in first) + "\n----\n" + "\n".join(q[:90] for q in later)


def test_a_revision_stores_sections_and_references_as_one_value_that_matches_its_hash():
    article = make_draft(references=references(12))

    meta = RevisionMeta.objects.filter(article=article).latest("revision_id")

    assert len(meta.content["references"]) == 12
    assert set(meta.content["sections"]) == set(content_of(article).sections)
    assert meta.content_hash == content_of(article).hash()
