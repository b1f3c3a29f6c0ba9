"""Every desk page costs the same number of queries with a few articles, people or revisions as with
many: each is asked at two sizes under one bound."""
import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.selectors import article_history
from reviews.comments import NewComment
from reviews.permissions import EDITORS, REVIEWERS, WRITERS
from reviews.workflow import article_approve, article_request_changes, article_submit, article_withdraw
from tests.factories import (ALL_YES, as_reviewed, edit_article, make_draft, make_editor, make_in_review,
                             make_published, make_reviewer, make_user, make_writer)
from tests.public.html import parse

SIZES = [3, 30]


def fresh(article) -> Article:
    return Article.objects.get(pk=article.pk)


def _desk(count: int) -> dict:
    """`count` articles by one writer, in every state the dashboard lists: drafts, drafts sent back
    with an open comment, in review, published, scheduled."""
    people = {"writer": make_writer(), "reviewer": make_reviewer(), "editor": make_editor()}
    writer, reviewer = people["writer"], people["reviewer"]
    go_live = timezone.now() + datetime.timedelta(days=20)
    articles = []
    for n in range(count):
        kind = n % 5
        if kind == 0:
            article = make_draft(writer)
        elif kind == 1:
            article = make_in_review(writer)
            article_request_changes(**as_reviewed(article), by=reviewer, summary="See the comment.",
                                    comments=[NewComment(section="general", text="Cite the 2023 trial.")])
        elif kind == 2:
            article = make_in_review(writer)
        elif kind == 3:
            article = make_published(writer, reviewer=reviewer)
        else:
            article = make_in_review(writer)
            article_approve(**as_reviewed(article), by=reviewer, checklist=dict(ALL_YES), rating=4,
                            go_live_at=go_live)
        articles.append(fresh(article))
    return {**people, "articles": articles}


# On top of each page's own: the header's unread inbox count (desk.context_processors), on every page.
HEADER_QUERIES = 1


def _get(client, person, url, *, limit, assert_max_queries):
    client.force_login(person)
    with assert_max_queries(limit + HEADER_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    return response


# The session, the person, their groups, the groups that sign steps; the review steps (for
# "awaiting review"); the counts, one aggregate a scope and one a capped list (writer 1, reviewer 2,
# editor 4); one page a list (writer 3, reviewer 2, editor 4); the rows' authors, open comments and
# review stages (three); for editors, the count of new reader feedback.
# Issue 15 adds 7: the rows' open review assignments (one for all lists); for reviewers, one page
# each of "Assigned to me", "Overdue" and "Unassigned" (counted with "Awaiting review", in its
# aggregate); for editors, the counts per state and per review step, and the people the bulk
# "Assign to…" offers.
DASHBOARD_QUERIES = 25 + 7


@pytest.mark.parametrize("count", SIZES)
def test_dashboard_query_count_does_not_grow_with_articles(client, django_assert_max_num_queries, count):
    desk = _desk(count)
    everyone = make_user(groups=[WRITERS, REVIEWERS, EDITORS], credentials="MD")
    for role in ("writer", "reviewer", "editor"):
        _get(client, desk[role], reverse("desk:dashboard"), limit=DASHBOARD_QUERIES,
             assert_max_queries=django_assert_max_num_queries)
    # Two years on, every published article is overdue for its medical review: another list.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=800)):
        page = _get(client, everyone, reverse("desk:dashboard"), limit=DASHBOARD_QUERIES,
                    assert_max_queries=django_assert_max_num_queries).content.decode()
        assert "Medical review overdue" in page
        filtered = reverse("desk:dashboard") + f"?status=published&article_type=substance&person={desk['writer']}"
        _get(client, everyone, filtered, limit=DASHBOARD_QUERIES, assert_max_queries=django_assert_max_num_queries)


def test_every_dashboard_list_counts_all_its_articles_and_shows_one_page(client):
    desk = _desk(30)
    client.force_login(desk["editor"])
    page = parse(client.get(reverse("desk:dashboard")).content.decode())
    everything = page.find("section", **{"aria-labelledby": "list-p3"})
    assert "All articles (30)" in everything.find("h2").text()
    assert len(everything.find("tbody").find_all("tr")) == 25
    assert everything.find("a", **{"rel": "next"}).attrs["href"].startswith("?p3=2")


def test_an_overdue_backlog_above_the_cap_is_counted_as_more_than_the_cap(client, monkeypatch):
    from reviews import selectors

    monkeypatch.setattr(selectors, "DUE_LIST_CAP", 4)
    desk = _desk(30)  # six published, all overdue two years on
    with time_machine.travel(timezone.now() + datetime.timedelta(days=800)):
        client.force_login(desk["editor"])
        page = parse(client.get(reverse("desk:dashboard")).content.decode())
    overdue = page.find("section", **{"aria-labelledby": "list-p0"})
    assert "Medical review overdue (4+)" in overdue.find("h2").text()
    assert len(overdue.find("tbody").find_all("tr")) == 4
    assert "All articles (30)" in page.find("section", **{"aria-labelledby": "list-p3"}).find("h2").text()


def test_the_next_page_of_one_list_keeps_the_filters_and_the_other_lists_pages(client):
    desk = _desk(30)
    client.force_login(desk["editor"])
    page = parse(client.get(reverse("desk:dashboard") + "?p0=1&person=" + desk["writer"].username).content.decode())
    link = page.find("section", **{"aria-labelledby": "list-p3"}).find("a", **{"rel": "next"})
    assert link.attrs["href"] == f"?p0=1&person={desk['writer'].username}&p3=2#list-p3"
    second = parse(client.get(reverse("desk:dashboard") + link.attrs["href"].split("#")[0]).content.decode())
    rows = second.find("section", **{"aria-labelledby": "list-p3"}).find("tbody").find_all("tr")
    assert len(rows) == 5


# The session, the person, their groups and the article, its contributors (authors, last
# approval, revisions since), then what the page itself reads. Editing safety adds who else has
# the article open (desk:article, desk:edit) and the person's private draft (desk:edit). Reader
# feedback adds the readers' reports sent to the article's review (desk:article, desk:review).
PAGE_QUERIES = {
    "desk:article": 19,
    "desk:edit": 22,
    "desk:review": 28,
    "desk:preview": 12,
}


@pytest.mark.parametrize("count", SIZES)
@pytest.mark.parametrize("view", ["desk:article", "desk:edit", "desk:preview"])
def test_an_article_page_query_count_does_not_grow_with_articles(client, django_assert_max_num_queries,
                                                                    count, view):
    desk = _desk(count)
    article = next(a for a in desk["articles"] if a.status == Article.Status.DRAFT)
    _get(client, desk["writer"], reverse(view, args=[article.pk]), limit=PAGE_QUERIES[view],
         assert_max_queries=django_assert_max_num_queries)


@pytest.mark.parametrize("count", SIZES)
def test_the_review_page_query_count_does_not_grow_with_articles(client, django_assert_max_num_queries, count):
    desk = _desk(count)
    article = next(a for a in desk["articles"] if a.status == Article.Status.IN_REVIEW)
    _get(client, make_reviewer("second_opinion"), reverse("desk:review", args=[article.pk]),
         limit=PAGE_QUERIES["desk:review"], assert_max_queries=django_assert_max_num_queries)


def _article_with_revisions(count: int) -> Article:
    """An article with `count` revisions, most of them submitted and then approved or withdrawn."""
    writer = make_writer()
    reviewer = make_reviewer()
    article = make_published(writer, reviewer=reviewer)
    for n in range(2, count + 1):
        edit_article(article, writer, comment=f"Edit {n}")
        if n % 3 == 0:
            article_submit(article=fresh(article), by=writer)
            if n % 2:
                article_approve(**as_reviewed(article), by=reviewer, checklist=dict(ALL_YES), rating=4)
            else:
                article_withdraw(article=fresh(article), by=writer)
    return fresh(article)


HISTORY_QUERIES = 11
COMPARE_QUERIES = 14


@pytest.mark.parametrize("count", [3, 60])
def test_the_history_query_count_does_not_grow_with_revisions(client, django_assert_max_num_queries, count):
    article = _article_with_revisions(count)
    for page in ("", "?page=2"):
        _get(client, article.authors.first(), reverse("desk:history", args=[article.pk]) + page,
             limit=HISTORY_QUERIES, assert_max_queries=django_assert_max_num_queries)


@pytest.mark.parametrize("count", [3, 60])
def test_the_compare_query_count_does_not_grow_with_revisions(client, django_assert_max_num_queries, count):
    article = _article_with_revisions(count)
    newest, *_, oldest = [meta.revision_id for meta in article_history(article)]
    _get(client, article.authors.first(), reverse("desk:compare", args=[article.pk]) + f"?from={oldest}&to={newest}",
         limit=COMPARE_QUERIES, assert_max_queries=django_assert_max_num_queries)


def test_the_history_shows_one_page_of_revisions_and_links_to_the_next(client):
    article = _article_with_revisions(60)
    writer = article.authors.first()
    ids = [meta.revision_id for meta in article_history(article)]
    client.force_login(writer)
    url = reverse("desk:history", args=[article.pk])

    first = parse(client.get(url).content.decode())
    second = parse(client.get(url + "?page=2").content.decode())

    first_rows = first.find("tbody").find_all("tr")
    second_rows = second.find("tbody").find_all("tr")
    assert [row.attrs["id"] for row in first_rows] == [f"revision-{i}" for i in ids[:50]]
    assert [row.attrs["id"] for row in second_rows] == [f"revision-{i}" for i in ids[50:]]
    assert first.find("a", **{"rel": "next"}).attrs["href"] == "?page=2"
    assert second.find("a", **{"rel": "prev"}).attrs["href"] == "?page=1"
    # The last row of a page compares with the first of the next.
    compare = reverse("desk:compare", args=[article.pk])
    assert first_rows[-1].find("a").attrs["href"] == f"{compare}?from={ids[50]}&to={ids[49]}"
    assert client.get(first_rows[-1].find("a").attrs["href"]).status_code == 200
    # Only the newest revision, on the first page, is the working copy: restoring any other is offered.
    assert "Current working copy" in first_rows[0].text() and "Restore as draft" not in first_rows[0].text()
    assert "Restore as draft" in second_rows[0].text()
    assert f'action="{reverse("desk:revert", args=[article.pk, ids[50]])}"' in client.get(url + "?page=2").content.decode()


def test_a_history_page_labels_its_revisions_with_what_happened_to_them(client):
    article = _article_with_revisions(60)
    client.force_login(article.authors.first())
    second = client.get(reverse("desk:history", args=[article.pk]) + "?page=2").content.decode()
    assert "Submitted by" in second and ("Approved by Rita Osei, MD" in second or "Withdrawn" in second)


@pytest.mark.parametrize("count", SIZES)
def test_the_team_query_count_does_not_grow_with_people(client, django_assert_max_num_queries, count):
    for n in range(count):
        make_user(f"person{n:03}", groups=[WRITERS])
    _get(client, make_editor(), reverse("desk:team"), limit=7, assert_max_queries=django_assert_max_num_queries)


@pytest.mark.parametrize("count", SIZES)
def test_the_checks_handbook_query_count_does_not_grow_with_articles(client, django_assert_max_num_queries, count):
    writer = make_writer()
    for _ in range(count):
        make_draft(writer)
    _get(client, writer, reverse("desk:checks"), limit=3, assert_max_queries=django_assert_max_num_queries)
