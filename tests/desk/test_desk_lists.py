"""The desk's lists (issue 15): the reviewer's assignment queues, search, sortable columns, counts
per state and step, per-row check counts, and an editor's bulk actions, over HTTP."""
import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from reviews.assignments import assignment_assign, open_assignment
from reviews.permissions import EDITORS, REVIEWERS, WRITERS
from tests.desk.test_query_counts import HEADER_QUERIES, DASHBOARD_QUERIES
from tests.factories import (make_draft, make_editor, make_in_review, make_published, make_reviewer, make_user,
                             make_writer)
from tests.public.html import parse


def dashboard(client, person, query=""):
    client.force_login(person)
    response = client.get(reverse("desk:dashboard") + query)
    assert response.status_code == 200
    return parse(response.content.decode())


def section(page, title):
    return next(s for s in page.find_all("section", cls="desk-list") if s.find("h2").text().startswith(title))


def titles(list_section):
    return [row.find("td", **{"data-label": "Article"}).text()
            for body in list_section.find_all("tbody") for row in body.find_all("tr")]


def flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- The reviewer's queues ---

def test_a_reviewer_sees_what_is_assigned_to_them_what_is_unassigned_and_what_is_overdue(client):
    rita, editor = make_reviewer(), make_editor()
    mine = make_in_review(title="Assigned to Rita")
    open_one = make_in_review(title="Nobody has this")
    someone_elses = make_in_review(title="Assigned to Omar")
    assignment_assign(article=mine, to=rita, by=editor)
    assignment_assign(article=someone_elses, to=make_reviewer(), by=editor)

    page = dashboard(client, rita)
    assert titles(section(page, "Assigned to me")) == ["Assigned to Rita"]
    assert titles(section(page, "Unassigned")) == ["Nobody has this"]
    assert titles(section(page, "Overdue")) == []
    due = section(page, "Assigned to me").find("td", **{"data-label": "Review step due"})
    assert due.find("time").attrs["datetime"] == open_assignment(mine).due_on.isoformat()

    with time_machine.travel(timezone.now() + datetime.timedelta(days=10)):
        page = dashboard(client, rita)
    assert sorted(titles(section(page, "Overdue"))) == ["Assigned to Rita", "Nobody has this"]
    assert "overdue" in section(page, "Overdue").find("tbody").text()
    assert open_one.pk  # the unassigned one is overdue for everyone who may take it


def test_a_reviewer_does_not_see_their_own_article_as_one_to_take(client):
    writer_reviewer = make_user(groups=[WRITERS, REVIEWERS], credentials="MD")
    make_in_review(writer_reviewer, title="My own article")
    assert titles(section(dashboard(client, writer_reviewer), "Unassigned")) == []


def test_a_reviewer_takes_an_unassigned_review_from_the_dashboard(client):
    rita = make_reviewer()
    article = make_in_review(title="Take me")
    page = dashboard(client, rita)
    form = section(page, "Unassigned").find("form")

    response = client.post(form.attrs["action"], {"next": reverse("desk:dashboard")})

    assert response.status_code == 302 and response["Location"] == reverse("desk:dashboard")
    assert open_assignment(article).assignee == rita
    assert flash(response)[0].startswith("The Medical review of “Take me” is yours, due")
    assert titles(section(dashboard(client, rita), "Assigned to me")) == ["Take me"]


def test_an_editor_assigns_and_moves_the_due_date_on_the_assignment_page(client):
    editor, rita = make_editor(), make_reviewer()
    article = make_in_review()
    client.force_login(editor)
    page = parse(client.get(reverse("desk:assignment", args=[article.pk])).content.decode())
    options = [o.text() for o in page.find("select").find_all("option")]
    assert any("Rita Osei" in option for option in options)

    client.post(reverse("desk:assignment_assign", args=[article.pk]), {"assignee": rita.pk})
    due = timezone.localdate() + datetime.timedelta(days=30)
    client.post(reverse("desk:assignment_due", args=[article.pk]), {"due_on": due.isoformat()})

    assignment = open_assignment(article)
    assert (assignment.assignee, assignment.due_on) == (rita, due)


def test_a_reviewer_cannot_assign_or_move_a_due_date_over_http(client):
    article, rita = make_in_review(), make_reviewer()
    client.force_login(rita)
    assert client.post(reverse("desk:assignment_assign", args=[article.pk]), {"assignee": rita.pk}).status_code == 403
    assert client.post(reverse("desk:assignment_due", args=[article.pk]), {"due_on": "2099-01-01"}).status_code == 403
    assert open_assignment(article).assignee is None


# --- Search, sort, counts ---

@pytest.fixture
def library():
    wes = make_writer(first_name="Wes", last_name="Tan")
    ana = make_writer(first_name="Ana", last_name="Lima")
    return {
        "wes": wes, "ana": ana, "editor": make_editor(),
        "kava": make_draft(wes, title="Kava and anxiety"),
        "melatonin": make_in_review(ana, title="Melatonin for sleep"),
        "zinc": make_published(ana, title="Zinc and colds"),
    }


def all_articles(page):
    return section(page, "All articles")


def test_search_finds_by_title_slug_and_author_and_keeps_its_words(client, library):
    editor = library["editor"]
    assert titles(all_articles(dashboard(client, editor, "?q=melatonin"))) == ["Melatonin for sleep"]
    assert titles(all_articles(dashboard(client, editor, f"?q={library['zinc'].slug}"))) == ["Zinc and colds"]
    page = dashboard(client, editor, "?q=Wes+Tan")
    assert titles(all_articles(page)) == ["Kava and anxiety"]
    assert page.find("input", name="q").attrs["value"] == "Wes Tan"
    assert titles(all_articles(dashboard(client, editor, f"?q={library['ana'].username}"))) == [
        "Zinc and colds", "Melatonin for sleep"]
    assert "All articles (0)" in all_articles(dashboard(client, editor, "?q=nothing-like-this")).find("h2").text()


def test_every_column_sorts_both_ways_and_says_so_with_aria_sort(client, library):
    editor = library["editor"]
    page = dashboard(client, editor)
    headings = all_articles(page).find("thead").find_all("th")
    links = {th.text().strip(" ▲▼"): th.find("a").attrs["href"] for th in headings if th.find_all("a")}
    assert set(links) == {"Article", "Type", "State", "Authors", "Open comments", "Gate failures", "Check errors",
                          "Review step due", "Updated"}
    for label, href in links.items():
        sorted_page = dashboard(client, editor, href.split("#")[0])
        assert len(titles(all_articles(sorted_page))) == 3, label

    ascending = dashboard(client, editor, "?sort=title")
    assert titles(all_articles(ascending)) == ["Kava and anxiety", "Melatonin for sleep", "Zinc and colds"]
    heading = next(th for th in all_articles(ascending).find_all("th") if th.text().startswith("Article"))
    assert heading.attrs["aria-sort"] == "ascending"
    assert "sort=-title" in heading.find("a").attrs["href"]
    descending = dashboard(client, editor, "?sort=-title")
    assert titles(all_articles(descending)) == ["Zinc and colds", "Melatonin for sleep", "Kava and anxiety"]
    by_state = dashboard(client, editor, "?sort=state&q=a")
    assert titles(all_articles(by_state))[0] == "Kava and anxiety"  # drafts come first in the lifecycle


def test_the_desk_counts_articles_per_state_and_per_review_step(client, library):
    make_in_review(type_key="medicine", title="Ibuprofen")
    text = " ".join(dashboard(client, library["editor"]).find("section", cls="desk-counts").text().split())
    assert "1 draft" in text and "2 in medical review" in text and "1 published" in text
    assert "2 awaiting Medical review (2 unassigned, 0 overdue)" in text


def test_each_row_shows_its_stored_gate_and_check_error_counts(client, library):
    Article.objects.filter(pk=library["kava"].pk).update(gate_failure_count=None, error_finding_count=None)
    Article.objects.filter(pk=library["zinc"].pk).update(gate_failure_count=3, error_finding_count=2)
    rows = all_articles(dashboard(client, library["editor"], "?sort=title")).find("tbody").find_all("tr")
    cells = [(row.find("td", **{"data-label": "Gate failures"}).text(),
              row.find("td", **{"data-label": "Check errors"}).text()) for row in rows]
    assert cells == [("–not counted yet", "–not counted yet"), ("0", "0"), ("3", "2")]


# --- Bulk actions ---

def test_an_editor_assigns_many_reviews_at_once_and_hears_of_each_refusal_in_one_message(client):
    editor = make_editor()
    rita = make_user(groups=[WRITERS, REVIEWERS], credentials="MD", first_name="Rita", last_name="Osei")
    reviews = [make_in_review(title=f"Review {n}") for n in range(3)]
    own = make_in_review(rita, title="Rita wrote this")
    draft = make_draft(title="Still a draft")
    client.force_login(editor)

    response = client.post(reverse("desk:bulk"), {
        "action": "assign", "assignee": rita.pk, "articles": [a.pk for a in [*reviews, own, draft]],
        "next": reverse("desk:dashboard") + "?q=review"})

    assert response["Location"] == reverse("desk:dashboard") + "?q=review"
    assert [open_assignment(a).assignee for a in reviews] == [rita] * 3
    assert flash(response) == [
        "3 assigned to Rita Osei; 2 refused: Rita wrote this: Rita Osei wrote or changed this article since its "
        "last approval, so may not review it; Still a draft: The article is not in review, so there is no review "
        "step to assign."]


def test_an_editor_starts_many_re_reviews_at_once_and_hears_of_each_refusal_in_one_message(client):
    editor = make_editor()
    published = [make_published(title=f"Live {n}") for n in range(2)]
    draft = make_draft(title="A draft")
    client.force_login(editor)

    response = client.post(reverse("desk:bulk"), {"action": "re_review",
                                                  "articles": [a.pk for a in [*published, draft]]})

    assert [Article.objects.get(pk=a.pk).status for a in published] == ["in_review", "in_review"]
    assert all(open_assignment(a) is not None for a in published)
    assert flash(response) == ["2 started; 1 refused: A draft: A re-review starts from an unchanged published "
                               "article; this one is draft."]


def test_only_editors_act_on_many_articles(client):
    article = make_published()
    client.force_login(make_reviewer())
    assert client.post(reverse("desk:bulk"), {"action": "re_review", "articles": [article.pk]}).status_code == 403
    assert Article.objects.get(pk=article.pk).status == "published"


def test_the_editors_list_offers_a_checkbox_per_row_tied_to_the_bulk_form(client, library):
    page = dashboard(client, library["editor"])
    boxes = all_articles(page).find_all("input", type="checkbox")
    assert len(boxes) == 3 and all(box.attrs["form"] == "bulk-actions" for box in boxes)
    assert page.find("form", id="bulk-actions").attrs["action"] == reverse("desk:bulk")


# --- Cost ---

@pytest.mark.parametrize("count", [3, 30])
def test_the_dashboard_with_full_queues_costs_the_same_at_any_size(client, django_assert_max_num_queries, count):
    everyone = make_user(groups=[WRITERS, REVIEWERS, EDITORS], credentials="MD")
    editor = make_editor()
    for n in range(count):
        article = make_in_review(title=f"Article {n}")
        if n % 3 == 0:
            assignment_assign(article=article, to=everyone, by=editor)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10)):
        client.force_login(everyone)
        with django_assert_max_num_queries(DASHBOARD_QUERIES + HEADER_QUERIES):
            response = client.get(reverse("desk:dashboard") + "?sort=due&q=article")
    page = parse(response.content.decode())
    assert response.status_code == 200, response
    assert titles(section(page, "Assigned to me")) and titles(section(page, "Overdue"))
    assert titles(section(page, "Unassigned"))
