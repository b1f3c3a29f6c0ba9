"""The editors' queue of reader feedback at /editorial/feedback/, its actions over HTTP, and the
counts on the dashboard and on the article's page."""
import pytest
from django.urls import reverse

from articles.models import Article, ArticleType
from reviews.feedback import feedback_dismiss, feedback_receive, feedback_send_to_re_review
from reviews.models import ReaderFeedback
from reviews.workflow import article_approve, article_submit
from tests.factories import (ALL_YES, another_reviewer, as_reviewed, make_editor, make_published, make_reviewer,
                             make_writer)
from tests.public.html import parse

QUEUE = reverse("desk:feedback")
State = ReaderFeedback.State


def live(article):
    return Article.objects.select_related("live_publication").get(pk=article.pk).live_publication


def report(article, message="The dose in the table is wrong.", **extra) -> ReaderFeedback:
    return feedback_receive(live=live(article), message=message, **extra)


@pytest.fixture
def editor():
    return make_editor(first_name="Eda", last_name="Ekwueme")


def queue(client, person, url=QUEUE):
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return parse(response.content.decode())


def action(client, person, feedback, name, note="", next_url=QUEUE):
    client.force_login(person)
    return client.post(reverse(f"desk:feedback_{name}", args=[feedback.pk]), {"note": note, "next": next_url})


# --- Who may ---

def test_only_editors_see_the_feedback_queue(client, editor):
    feedback = report(make_published())

    assert client.get(QUEUE).status_code == 302
    assert client.get(QUEUE)["Location"].startswith(reverse("login"))
    for person in (make_writer(), make_reviewer()):
        client.force_login(person)
        assert client.get(QUEUE).status_code == 403
        for name in ("dismiss", "note", "re_review"):
            assert action(client, person, feedback, name, note="Mine now.").status_code == 403
    client.force_login(editor)
    assert client.get(QUEUE).status_code == 200
    assert ReaderFeedback.objects.get().state == State.NEW


# --- What the queue shows ---

def test_the_queue_groups_reports_per_article_with_their_new_counts(client, editor):
    older, newer = make_published(title="Melatonin"), make_published(title="Ibuprofen")
    report(older, "First about melatonin.")
    dismissed = report(older, "Second about melatonin.")
    feedback_dismiss(feedback=dismissed, by=editor)
    report(newer, "About ibuprofen.")

    page = queue(client, editor, QUEUE + "?show=all")

    groups = page.find_all("section", cls="feedback-group")
    assert [g.find("h2").text() for g in groups] == ["Ibuprofen", "Melatonin"]
    assert groups[1].find("h2").find("a").attrs["href"] == reverse("desk:article", args=[older.pk])
    assert groups[1].find("p", cls="meta").text().startswith("1 new · 2 reports shown")
    assert [p.text() for p in groups[1].find_all("p", cls="feedback-message")] == [
        "Second about melatonin.", "First about melatonin."]


def test_a_report_shows_its_message_escaped_its_time_its_publication_and_its_email(client, editor):
    article = make_published()
    report(article, "<b>bold</b> & <script>alert(1)</script>", email="reader@example.org")

    client.force_login(editor)
    html = client.get(QUEUE).content.decode()
    item = parse(html).find("article", cls="feedback-item")

    assert "<script>alert(1)</script>" not in html
    assert item.find("p", cls="feedback-message").text() == "<b>bold</b> & <script>alert(1)</script>"
    assert item.find("time").attrs["datetime"]
    assert "still the live version" in item.text()
    assert item.find("a", href="mailto:reader@example.org")


def test_a_report_about_a_replaced_publication_says_so(client, editor):
    article = make_published()
    report(article)
    article_submit(article=Article.objects.get(pk=article.pk), by=editor)
    article_approve(**as_reviewed(article), by=another_reviewer(), checklist=dict(ALL_YES), rating=4)

    item = queue(client, editor).find("article", cls="feedback-item")

    assert "no longer the live version" in item.text()


def test_the_filters_show_new_handled_or_all_reports(client, editor):
    article = make_published()
    report(article, "Still new.")
    feedback_dismiss(feedback=report(article, "Dismissed one."), by=editor)

    def messages(show):
        return [p.text() for p in queue(client, editor, f"{QUEUE}?show={show}").find_all("p", cls="feedback-message")]

    assert messages("new") == ["Still new."]
    assert messages("handled") == ["Dismissed one."]
    assert sorted(messages("all")) == ["Dismissed one.", "Still new."]
    nav = queue(client, editor).find("nav", cls="feedback-filter")
    assert [a.text() for a in nav.find_all("a")] == ["New (1)", "Handled (1)", "All (2)"]


def test_each_article_shows_its_newest_reports_and_links_to_the_rest(client, editor):
    article = make_published()
    for n in range(7):
        report(article, f"Report {n}.")

    group = queue(client, editor).find("section", cls="feedback-group")

    assert len(group.find_all("article", cls="feedback-item")) == 5
    more = group.find("a", href=f"?article={article.pk}")
    assert more and "2 more reports" in group.text()
    own = queue(client, editor, f"{QUEUE}?article={article.pk}")
    assert len(own.find_all("article", cls="feedback-item")) == 7


def test_the_queue_is_paginated_by_article(client, editor):
    for n in range(21):
        report(make_published(title=f"Article {n}"))

    first = queue(client, editor)
    second = queue(client, editor, QUEUE + "?page=2")

    assert len(first.find_all("section", cls="feedback-group")) == 20
    assert len(second.find_all("section", cls="feedback-group")) == 1
    assert first.find("nav", cls="pagination").find("a", rel="next")


# --- Acting on a report ---

def test_an_editor_dismisses_a_report_with_a_note(client, editor):
    feedback = report(make_published())

    response = action(client, editor, feedback, "dismiss", note="Not about this article.")

    feedback.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert (feedback.state, feedback.editor_note, feedback.handled_by) == (
        State.DISMISSED, "Not about this article.", editor)


def test_an_editor_keeps_a_note_and_an_empty_note_is_refused(client, editor):
    feedback = report(make_published())

    client.force_login(editor)
    refused = action(client, editor, feedback, "note", note=" ")
    assert "Write the note" in client.get(refused["Location"]).content.decode()
    action(client, editor, feedback, "note", note="Fix with the next edit.")

    feedback.refresh_from_db()
    assert (feedback.state, feedback.editor_note) == (State.NOTED, "Fix with the next edit.")


def test_an_action_returns_only_to_a_page_of_this_site(client, editor):
    feedback = report(make_published())

    response = action(client, editor, feedback, "dismiss", next_url="https://evil.example/")

    assert response["Location"] == QUEUE


def test_start_re_review_attaches_the_message_for_the_reviewer(client, editor):
    article = make_published()
    feedback = report(article, "The interactions section misses grapefruit.", email="reader@example.org")

    response = action(client, editor, feedback, "re_review", note="Please check the interactions.")

    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW
    assert "Re-review started" in client.get(response["Location"]).content.decode()
    client.force_login(another_reviewer())
    review_page = client.get(reverse("desk:review", args=[article.pk])).content.decode()
    reports = parse(review_page).find("section", cls="reader-reports")
    assert "The interactions section misses grapefruit." in reports.text()
    assert "Please check the interactions." in reports.text()
    assert "reader@example.org" not in review_page  # the reporter's address is for editors only


def test_a_refused_re_review_says_why_and_leaves_the_report_new(client, editor):
    article = make_published()
    feedback = report(article)
    ArticleType.objects.filter(pk=article.article_type_id).update(min_references=10)

    response = action(client, editor, feedback, "re_review")

    page = client.get(response["Location"]).content.decode()
    assert "The re-review did not start" in page
    feedback.refresh_from_db()
    assert feedback.state == State.NEW


def test_the_re_review_button_says_what_it_will_do(client, editor):
    article = make_published()
    report(article)
    assert "Start a re-review" in queue(client, editor).find("article", cls="feedback-item").text()

    feedback_send_to_re_review(feedback=report(article), by=editor)

    assert "Send to the review under way" in queue(client, editor).find("article", cls="feedback-item").text()


# --- Counts ---

def test_the_dashboard_shows_editors_how_many_reports_wait(client, editor):
    article = make_published()
    report(article)
    report(article)

    link = queue(client, editor, reverse("desk:dashboard")).find("a", href=QUEUE)

    assert link.text() == "Reader feedback: 2 new"
    client.force_login(make_writer())
    assert QUEUE not in client.get(reverse("desk:dashboard")).content.decode()


def test_the_article_page_shows_its_count_and_links_to_its_queue(client, editor):
    article = make_published()
    report(article)
    feedback_dismiss(feedback=report(article), by=editor)

    page = queue(client, editor, reverse("desk:article", args=[article.pk]))

    link = page.find("a", href=f"{QUEUE}?article={article.pk}&show=new")
    assert link.text() == "Reader feedback: 1 new of 2"


# --- Query counts ---

def _reports(count: int) -> None:
    """`count` articles with reports in every state, three each."""
    editor = make_editor()
    for n in range(count):
        article = make_published(title=f"Article {n}")
        report(article, "New report.", email="reader@example.org")
        feedback_dismiss(feedback=report(article, "Dismissed."), by=editor)
        report(article, "Another new report.")


# The session, the person and their groups, the header's unread count; the counts; the page's
# articles (a count and a page); their titles, their new counts and their newest reports (three).
QUEUE_QUERIES = 10
# The session, the person and their groups, the header's unread count; the article; the counts; a
# count and a page of reports.
ARTICLE_QUEUE_QUERIES = 9


@pytest.mark.parametrize("count", [2, 12])
def test_the_queue_query_count_does_not_grow_with_reports(client, editor, django_assert_max_num_queries, count):
    _reports(count)
    client.force_login(editor)
    article = Article.objects.order_by("pk").first()

    for show in ("new", "handled", "all"):
        with django_assert_max_num_queries(QUEUE_QUERIES):
            assert client.get(f"{QUEUE}?show={show}").status_code == 200
    with django_assert_max_num_queries(ARTICLE_QUEUE_QUERIES):
        assert client.get(f"{QUEUE}?show=all&article={article.pk}").status_code == 200
