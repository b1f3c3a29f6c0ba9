"""The history page tells what happened to each revision: who sent it for review, who sent it back
or approved it, when it went live, and what it is now."""
import datetime

import pytest
from django.urls import reverse

from articles.models import Article
from articles.selectors import article_history
from reviews.editing import correction_add
from reviews.workflow import (article_approve, article_go_live, article_request_changes, article_submit,
                              article_unpublish, article_unschedule, article_withdraw)
from tests.factories import (ALL_YES, as_reviewed, edit_article, make_draft, make_editor, make_in_review,
                             make_published, make_reviewer, make_writer)
from tests.public.html import parse

GO_LIVE = datetime.datetime(2031, 5, 9, 10, 0, tzinfo=datetime.timezone.utc)


def history_page(client, article, person) -> str:
    client.force_login(person)
    response = client.get(reverse("desk:history", args=[article.pk]))
    assert response.status_code == 200
    return response.content.decode()


def row_text(html: str, revision_id: int) -> str:
    return parse(html).find("tr", id=f"revision-{revision_id}").text()


def revisions(article) -> list[int]:
    """Revision ids, oldest first."""
    return [meta.revision_id for meta in article_history(article)][::-1]


def fresh(article) -> Article:
    return Article.objects.get(pk=article.pk)


def test_the_approved_and_published_revision_says_who_approved_it_and_that_it_is_live(client):
    writer = make_writer(first_name="Ann", last_name="Lee")
    article = make_published(writer, reviewer=make_reviewer(first_name="Rita", last_name="Osei"))
    publication = fresh(article).live_publication

    row = row_text(history_page(client, article, writer), publication.revision_id)

    assert "Submitted by Ann Lee" in row
    assert "Approved by Rita Osei, MD" in row
    assert f"Published, {publication.published_at:%-d %b %Y}" in row
    assert "Live now" in row
    assert "Current working copy" in row
    assert "Draft" not in row


def test_a_revision_sent_back_names_the_reviewer_and_keeps_their_note(client):
    writer = make_writer()
    article = make_in_review(writer)
    article_request_changes(**as_reviewed(article), by=make_reviewer(first_name="Rita", last_name="Osei"),
                            comments=[], summary="Cite the 2023 trial on liver injury.")

    row = row_text(history_page(client, article, writer), revisions(article)[0])

    assert "Changes requested by Rita Osei" in row
    assert "Cite the 2023 trial on liver injury." in row
    assert "Approved" not in row and "Live now" not in row


def test_after_an_edit_the_live_revision_and_the_working_copy_are_told_apart(client):
    writer = make_writer()
    article = make_published(writer)
    edit_article(article, writer, title="A title readers have not seen", comment="New title")
    approved, edited = revisions(article)

    html = history_page(client, article, writer)

    assert "Live now" in row_text(html, approved)
    assert "Current working copy" not in row_text(html, approved)
    assert "Current working copy" in row_text(html, edited)
    assert "Live now" not in row_text(html, edited)
    assert "New title" in row_text(html, edited)


def test_a_withdrawn_submission_says_who_withdrew_it(client):
    writer = make_writer(first_name="Ann", last_name="Lee")
    article = make_in_review(writer)
    article_withdraw(article=fresh(article), by=writer, comment="Waiting for a new study")

    row = row_text(history_page(client, article, writer), revisions(article)[0])

    assert "Withdrawn from review by Ann Lee" in row
    assert "Waiting for a new study" in row


def test_an_article_in_review_marks_the_submitted_revision(client):
    writer = make_writer()
    article = make_in_review(writer)

    row = row_text(history_page(client, article, writer), revisions(article)[0])

    assert "In medical review now" in row


def test_a_scheduled_approval_shows_when_it_goes_live_and_then_that_it_went_live(client):
    writer = make_writer()
    article = make_in_review(writer)
    article_approve(**as_reviewed(article), by=make_reviewer(), checklist=dict(ALL_YES), rating=4,
                    go_live_at=GO_LIVE)
    revision = revisions(article)[0]

    scheduled = row_text(history_page(client, article, writer), revision)
    article_go_live(article=fresh(article), now=GO_LIVE + datetime.timedelta(minutes=1))
    live = row_text(history_page(client, article, writer), revision)

    assert "Approved by Rita Osei, MD" in scheduled
    assert "Scheduled for 9 May 2031, 10:00" in scheduled
    assert "Live now" not in scheduled
    assert "Scheduled for" not in live
    assert "Published, 9 May 2031" in live
    assert "Live now" in live


def test_an_unscheduled_approval_says_who_cancelled_it(client):
    writer = make_writer(first_name="Ann", last_name="Lee")
    article = make_in_review(writer)
    article_approve(**as_reviewed(article), by=make_reviewer(), checklist=dict(ALL_YES), rating=4,
                    go_live_at=GO_LIVE)
    article_unschedule(article=fresh(article), by=writer, reason="The trial was retracted")

    row = row_text(history_page(client, article, writer), revisions(article)[0])

    assert "Unscheduled by Ann Lee" in row and "The trial was retracted" in row
    assert "Scheduled for" not in row


def test_an_unpublished_revision_is_no_longer_called_live(client):
    editor = make_editor(first_name="Ed", last_name="Park")
    article = make_published()
    article_unpublish(article=fresh(article), by=editor, reason="Dosing guidance withdrawn")

    row = row_text(history_page(client, article, editor), revisions(article)[0])

    assert "Approved by Rita Osei, MD" in row
    assert "Unpublished by Ed Park" in row and "Dosing guidance withdrawn" in row
    assert "Live now" not in row


def test_a_correction_note_is_told_on_the_revision_readers_had_when_it_was_made(client):
    writer = make_writer(first_name="Ann", last_name="Lee")
    article = make_published(writer)
    edit_article(article, writer, comment="Working on the next version")
    correction_add(article=fresh(article), by=writer, kind="minor", note="Fixed a broken link to the NHS page.")
    live, working = revisions(article)

    html = history_page(client, article, writer)

    assert "Minor correction noted by Ann Lee" in row_text(html, live)
    assert "Fixed a broken link to the NHS page." in row_text(html, live)
    assert "correction" not in row_text(html, working)


def test_a_re_review_of_unchanged_content_is_told_on_the_same_revision(client):
    writer = make_writer()
    article = make_published(writer)
    article_submit(article=fresh(article), by=writer)
    article_approve(**as_reviewed(article), by=make_reviewer(first_name="Sam", last_name="Kerr",
                                                             credentials="PharmD"),
                    checklist=dict(ALL_YES), rating=5)

    row = row_text(history_page(client, article, writer), revisions(article)[0])

    assert row.index("Approved by Rita Osei, MD") < row.index("Approved by Sam Kerr, PharmD")
    assert row.count("Submitted by") == 2


def test_every_revision_keeps_who_saved_it_when_and_why(client):
    writer = make_writer(first_name="Ann", last_name="Lee")
    co_writer = make_editor(first_name="Ben", last_name="Ode")
    article = make_draft(writer)
    edit_article(article, co_writer, comment="Tightened the dosing statement")
    edit_article(article, writer, comment="Added the 2024 review")
    html = history_page(client, article, writer)

    for meta in article_history(article):
        row = row_text(html, meta.revision_id)
        assert meta.revision.comment in row
        assert meta.revision.user.get_full_name() in row
        assert f"{meta.revision.date_created:%-d %b %Y %H:%M}" in row
    assert "Ben Ode" in row_text(html, revisions(article)[1])


@pytest.mark.parametrize("state,person,offered", [
    ("draft", "writer", True),
    ("draft", "editor", True),
    ("published", "writer", True),
    ("published", "reviewer", False),
    ("in_review", "writer", False),
    ("scheduled", "writer", False),
    ("scheduled", "editor", False),
])
def test_restore_as_draft_is_offered_only_when_the_person_may_edit_and_the_article_is_not_read_only(
        client, state, person, offered):
    people = {"writer": make_writer(), "editor": make_editor(), "reviewer": make_reviewer("second_opinion")}
    article = make_draft(people["writer"])
    edit_article(article, people["writer"], comment="Second version")
    if state != "draft":
        article_submit(article=fresh(article), by=people["writer"])
    if state == "published":
        article_approve(**as_reviewed(article), by=make_reviewer(), checklist=dict(ALL_YES), rating=4)
    if state == "scheduled":
        article_approve(**as_reviewed(article), by=make_reviewer(), checklist=dict(ALL_YES), rating=4,
                        go_live_at=GO_LIVE)
    assert fresh(article).status == state

    html = history_page(client, article, people[person])

    assert ("Restore as draft" in html) is offered


def _article_with_revisions(count: int) -> Article:
    """An article whose history holds `count` revisions and a review event for most of them."""
    writer = make_writer()
    reviewer = make_reviewer()
    article = make_published(writer, reviewer=reviewer)
    for n in range(2, count + 1):
        edit_article(article, writer, comment=f"Edit {n}")
        article_submit(article=fresh(article), by=writer)
        if n % 2:
            article_approve(**as_reviewed(article), by=reviewer, checklist=dict(ALL_YES), rating=4)
        else:
            article_withdraw(article=fresh(article), by=writer)
    return fresh(article)


QUERY_LIMIT = 13


@pytest.mark.parametrize("count", [3, 30])
def test_the_history_page_costs_the_same_queries_however_long_the_history(client, django_assert_max_num_queries,
                                                                           count):
    article = _article_with_revisions(count)
    client.force_login(article.authors.first())

    with django_assert_max_num_queries(QUERY_LIMIT):
        response = client.get(reverse("desk:history", args=[article.pk]))

    assert response.status_code == 200
    assert response.content.decode().count('class="revision-events"') == count
