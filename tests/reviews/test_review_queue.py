"""The reviewer's "Awaiting review" list holds only what this person may review now: not their own
articles, nor ones they changed since the last approval (DESIGN.md, invariant 2)."""
import pytest
from django.urls import reverse

from articles.models import Article
from reviews.permissions import EDITORS, REVIEWERS
from reviews.permissions import available_actions
from reviews.workflow import Action, article_approve, article_submit
from tests.factories import (ALL_YES, another_reviewer, as_reviewed, edit_article, make_draft, make_in_review,
                             make_published, make_user, make_writer)
from tests.public.html import parse


def make_reviewing_editor():
    """A clinician who also runs the desk, so may edit any article and review others'."""
    return make_user("dr_desk", groups=[REVIEWERS, EDITORS], credentials="MD", first_name="Dana", last_name="Desk")


def awaiting(client, person) -> list[str]:
    """The titles in the person's "Awaiting review" list, as the dashboard shows them."""
    client.force_login(person)
    page = parse(client.get(reverse("desk:dashboard")).content.decode())
    section = next(s for s in page.find_all("section", cls="desk-list")
                   if s.find("h2").text().startswith("Awaiting review"))
    return [link.text() for link in section.find_all("a") if "/editorial/articles/" in link.attrs.get("href", "")]


def resubmit(article, writer, **changes):
    edit_article(article, writer, **changes)
    return article_submit(article=Article.objects.get(pk=article.pk), by=writer)


def test_an_article_the_reviewer_never_touched_is_awaiting_their_review(client):
    make_in_review(title="Ashwagandha and stress")

    assert awaiting(client, make_reviewing_editor()) == ["Ashwagandha and stress"]


def test_the_reviewers_own_article_is_not_awaiting_their_review(client):
    reviewer = make_reviewing_editor()
    make_in_review(reviewer, title="Written by the reviewer")

    assert awaiting(client, reviewer) == []


def test_an_article_the_reviewer_edited_since_its_last_approval_waits_for_another_reviewer(client):
    reviewer = make_reviewing_editor()
    writer = make_writer()
    article = make_published(writer, title="Melatonin for jet lag")
    edit_article(article, reviewer, summary="A summary the reviewer rewrote as editor.")
    resubmit(article, writer, title="Melatonin and jet lag")

    assert awaiting(client, reviewer) == []
    assert awaiting(client, another_reviewer()) == ["Melatonin and jet lag"]


def test_a_new_article_the_reviewer_edited_waits_for_another_reviewer(client):
    reviewer = make_reviewing_editor()
    writer = make_writer()
    article = make_draft(writer, title="Never approved yet")
    edit_article(article, reviewer, summary="Tightened by the desk before the first review.")
    article_submit(article=Article.objects.get(pk=article.pk), by=writer)

    assert awaiting(client, reviewer) == []


def test_an_edit_before_the_last_approval_no_longer_keeps_the_reviewer_out(client):
    reviewer = make_reviewing_editor()
    writer = make_writer()
    article = make_draft(writer, title="Edited long ago")
    edit_article(article, reviewer, summary="Tightened by the desk before the first review.")
    article_submit(article=Article.objects.get(pk=article.pk), by=writer)
    article_approve(**as_reviewed(article), by=another_reviewer(), checklist=dict(ALL_YES), rating=4)
    resubmit(article, writer, title="Edited long ago, revised since")

    assert awaiting(client, reviewer) == ["Edited long ago, revised since"]


def test_every_article_awaiting_review_is_one_the_reviewer_may_approve_and_no_other(client):
    reviewer = make_reviewing_editor()
    writer = make_writer()
    make_in_review(writer, title="Untouched")
    make_in_review(reviewer, title="Their own")
    touched = make_published(writer, title="Touched")
    edit_article(touched, reviewer, summary="Changed by the reviewer.")
    resubmit(touched, writer)

    listed = set(awaiting(client, reviewer))

    for article in Article.objects.filter(status=Article.Status.IN_REVIEW):
        assert (article.title in listed) is (Action.APPROVE in available_actions(reviewer, article)), article.title
    assert listed == {"Untouched"}


# The editor-reviewer's dashboard: five lists, each with its review stages (three queries a list),
# and the header's unread inbox count. Issue 15 adds at most 7 (tests/desk/test_query_counts.py
# DASHBOARD_QUERIES says which): the assignment queues' pages, the rows' assignments, the counts
# per state and step, and the people the bulk "Assign to…" offers.
QUERY_LIMIT = 22 + 7


@pytest.mark.parametrize("count", [3, 30])
def test_the_review_queue_costs_the_same_queries_however_many_articles_wait(client, django_assert_max_num_queries,
                                                                            count):
    reviewer = make_reviewing_editor()
    writer = make_writer()
    for n in range(count):
        article = make_draft(writer)
        if n % 3 == 0:
            edit_article(article, reviewer, summary="Changed by the reviewer.")
        article_submit(article=Article.objects.get(pk=article.pk), by=writer)
    client.force_login(reviewer)

    with django_assert_max_num_queries(QUERY_LIMIT):
        response = client.get(reverse("desk:dashboard"))

    assert response.status_code == 200
