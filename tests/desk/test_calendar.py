"""The desk calendar (/editorial/calendar/): go-lives and medical reviews due, by month or as a list,
filtered, and only for the articles each person may see."""
import datetime

import pytest
import time_machine
from django.urls import reverse

from articles.models import Article
from reviews.permissions import EDITORS, REVIEWERS, WRITERS
from reviews.workflow import article_approve
from tests.factories import (ALL_YES, another_reviewer, as_reviewed, make_editor, make_in_review, make_published,
                             make_reviewer, make_topic, make_user, make_writer)
from tests.public.html import parse

UTC = datetime.timezone.utc
# "Now" in every test here: a Sunday in March 2026 (TIME_ZONE is UTC).
TODAY = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
GO_LIVE = datetime.datetime(2026, 3, 20, 9, 30, tzinfo=UTC)
CALENDAR = reverse("desk:calendar")



@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def published_on(day: datetime.date, writer=None, reviewer=None, **content) -> Article:
    """An article approved and live since `day`; a substance article's review falls due 12 months on."""
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=UTC), tick=False):
        return make_published(writer, reviewer=reviewer, **content)


def scheduled_for(go_live: datetime.datetime, writer=None, reviewer=None, **content) -> Article:
    article = make_in_review(writer, **content)
    article_approve(**as_reviewed(article), by=reviewer or make_reviewer(), checklist=dict(ALL_YES), rating=4,
                    go_live_at=go_live)
    return Article.objects.get(pk=article.pk)


def day_cell(page, day: str):
    """The month grid's cell of `day` (YYYY-MM-DD)."""
    for cell in page.find_all("td", cls="calendar-day"):
        if cell.find("time").attrs.get("datetime") == day:
            return cell
    raise AssertionError(f"no cell for {day}")


def titles(page) -> set[str]:
    return {event.find("a").text() for event in page.find_all(cls="event")}


def get(client, person, query=""):
    client.force_login(person)
    response = client.get(CALENDAR + query)
    return response, parse(response.content.decode())


@pytest.fixture
def month():
    """A writer's article going live on 20 March at 09:30, and another whose medical review fell
    due on 5 March (overdue on the 15th)."""
    writer, reviewer = make_writer(), make_reviewer(first_name="Amara", last_name="Okafor", credentials="PharmD")
    return {
        "writer": writer, "reviewer": reviewer,
        "scheduled": scheduled_for(GO_LIVE, writer, reviewer, title="Melatonin for jet lag"),
        "overdue": published_on(datetime.date(2025, 3, 5), writer, reviewer, title="Kava and the liver"),
    }


def test_the_month_view_shows_a_scheduled_go_live_and_an_overdue_review_on_their_days(client, month):
    response, page = get(client, make_editor(), "?month=2026-03")

    assert response.status_code == 200
    go_live = day_cell(page, "2026-03-20").text()
    assert "Goes live 09:30" in go_live and "Melatonin for jet lag" in go_live
    assert "Approved by Amara Okafor, PharmD" in go_live
    overdue = day_cell(page, "2026-03-05")
    assert "Medical review overdue" in overdue.text() and "Kava and the liver" in overdue.text()
    assert "Last reviewed by Amara Okafor, PharmD" in overdue.text()
    assert overdue.find(cls="event-overdue")
    assert "Kava" not in day_cell(page, "2026-03-20").text()


def test_each_event_links_to_the_articles_desk_page(client, month):
    _, page = get(client, make_editor(), "?month=2026-03")

    link = day_cell(page, "2026-03-20").find(cls="event").find("a")
    assert link.attrs["href"] == reverse("desk:article", kwargs={"pk": month["scheduled"].pk})


def test_the_month_grid_starts_on_monday_and_marks_today(client, month):
    _, page = get(client, make_editor())

    headings = [th.text() for th in page.find("table", cls="calendar-month").find_all("th")]
    assert headings == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    today = page.find("td", **{"aria-current": "date"})
    assert today.find("time").attrs["datetime"] == "2026-03-15"
    assert "Today" in today.text()
    assert page.find("h1").text() == "Calendar: March 2026"


def test_a_go_live_that_happened_stays_on_its_day(client, month):
    published_on(datetime.date(2026, 3, 2), title="Magnesium and sleep")

    _, page = get(client, make_editor(), "?month=2026-03")

    assert "Went live 10:00" in day_cell(page, "2026-03-02").text()


def test_previous_and_next_month_links_keep_the_filters(client, month):
    _, page = get(client, make_editor(), "?month=2026-03&kind=review_due")

    nav = page.find("nav", cls="calendar-nav")
    previous, following = nav.find("a", rel="prev"), nav.find("a", rel="next")
    assert previous.attrs["href"] == "?month=2026-02&kind=review_due"
    assert following.attrs["href"] == "?month=2026-04&kind=review_due"


def test_the_list_view_lists_the_months_events_by_day(client, month):
    response, page = get(client, make_editor(), "?view=list&month=2026-03")

    assert response.status_code == 200
    days = [(section.find("h2").text(), [event.find("a").text() for event in section.find_all(cls="event")])
            for section in page.find_all("section", cls="calendar-list-day")]
    assert days == [("Thursday 5 March 2026", ["Kava and the liver"]),
                    ("Friday 20 March 2026", ["Melatonin for jet lag"])]


@pytest.mark.parametrize(("query", "expected"), [
    ("kind=go_live", {"Melatonin for jet lag", "A condition"}),
    ("kind=review_due", {"Kava and the liver"}),
    ("article_type=condition", {"A condition"}),
    ("topic=sleep", {"Melatonin for jet lag"}),
])
def test_filters_narrow_the_events(client, month, query, expected):
    topic = make_topic("Sleep")
    Article.topics.through.objects.create(article=month["scheduled"], topic=topic)
    scheduled_for(GO_LIVE + datetime.timedelta(days=1), title="A condition", type_key="condition")

    _, page = get(client, make_editor(), f"?month=2026-03&{query}")

    assert titles(page) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("kind=go_live", ["Friday 20 March 2026"]),
    ("kind=review_due", ["Thursday 5 March 2026"]),
    ("kind=review_due&article_type=condition", []),
])
def test_filters_narrow_the_list_view_too(client, month, query, expected):
    _, page = get(client, make_editor(), f"?view=list&month=2026-03&{query}")

    assert [section.find("h2").text() for section in page.find_all("section", cls="calendar-list-day")] == expected


def test_the_reviewer_filter_keeps_the_events_of_that_reviewers_publications(client, month):
    other = another_reviewer(first_name="Sam", last_name="Lee")
    scheduled_for(GO_LIVE, reviewer=other, title="Approved by Sam")

    _, page = get(client, make_editor(), f"?month=2026-03&reviewer={other.username}")

    assert titles(page) == {"Approved by Sam"}


def test_the_filter_form_keeps_its_values(client, month):
    make_topic("Sleep")

    _, page = get(client, make_editor(), "?view=list&month=2026-03&kind=review_due&topic=sleep&article_type=substance")

    form = page.find("form", cls="filters")
    selected = {select.attrs["name"]: [option.attrs.get("value") for option in select.find_all("option")
                                       if "selected" in option.attrs]
                for select in form.find_all("select")}
    assert selected == {"kind": ["review_due"], "article_type": ["substance"], "topic": ["sleep"], "reviewer": [""]}
    hidden = {field.attrs["name"]: field.attrs.get("value") for field in form.find_all("input", type="hidden")}
    assert hidden == {"view": "list", "month": "2026-03", "day": None}


@pytest.mark.parametrize(("query", "message"), [
    ("month=2026-13", "Month: Enter a month as YYYY-MM, for example 2026-12."),
    ("month=March", "Month: Enter a month as YYYY-MM, for example 2026-12."),
    ("month=0001-01", "Month: Choose a month between 1900 and 2999."),
    ("day=2026-02-30", "Day: Enter a day as YYYY-MM-DD, for example 2026-12-07."),
    ("kind=everything", "Show: Choose go-lives, medical reviews due, or every event."),
    ("article_type=poetry", "Type: There is no article type with this key: choose one from the list."),
    ("topic=no-such-topic", "Topic: There is no topic with this address: choose one from the list."),
    ("reviewer=nobody", "Reviewer: No reviewer has this username: choose one from the list."),
    ("view=week", "View: Choose the month view or the list view."),
])
def test_an_invalid_filter_value_is_named_rather_than_failing(client, month, query, message):
    response, page = get(client, make_editor(), f"?{query}")

    assert response.status_code == 400
    assert message in page.find(cls="error-summary").text()
    assert not page.find_all(cls="event")


def test_a_busy_day_shows_its_first_events_and_links_the_rest(client):
    for n in range(6):
        published_on(datetime.date(2025, 3, 10), title=f"Due article {n}")

    _, page = get(client, make_editor(), "?month=2026-03")

    cell = day_cell(page, "2026-03-10")
    assert len(cell.find_all(cls="event")) == 4
    more = cell.find("a", cls="more")
    assert more.text() == "and 2 more on 10 March"
    assert more.attrs["href"] == "?view=list&day=2026-03-10"
    _, listed = get(client, make_editor(), more.attrs["href"])
    assert titles(listed) == {f"Due article {n}" for n in range(6)}
    assert [h2.text() for h2 in listed.find_all("h2") if h2.attrs.get("id", "").startswith("day-")] == [
        "Tuesday 10 March 2026"]


def test_the_list_view_is_read_a_page_at_a_time(client, monkeypatch):
    monkeypatch.setattr("desk.views.calendar.LIST_PAGE_SIZE", 2)
    for n in range(3):
        published_on(datetime.date(2025, 3, 10 + n), title=f"Due article {n}")

    _, first = get(client, make_editor(), "?view=list&month=2026-03")
    _, second = get(client, make_editor(), "?view=list&month=2026-03&page=2")

    assert titles(first) == {"Due article 0", "Due article 1"}
    assert titles(second) == {"Due article 2"}


def test_a_writer_sees_only_the_articles_they_may_see(client, month):
    """The calendar asks reviews.permissions: a writer's own articles, never another writer's."""
    other_writer = make_writer()
    scheduled_for(GO_LIVE, other_writer, title="Someone else's article")

    _, writers_page = get(client, month["writer"], "?view=list&month=2026-03")
    _, others_page = get(client, other_writer, "?view=list&month=2026-03")
    _, reviewers_page = get(client, another_reviewer(), "?view=list&month=2026-03")

    assert titles(writers_page) == {"Melatonin for jet lag", "Kava and the liver"}
    assert titles(others_page) == {"Someone else's article"}
    # A reviewer may see every scheduled and live article (reviews.permissions.can_view_working_copy).
    assert titles(reviewers_page) == {"Melatonin for jet lag", "Kava and the liver", "Someone else's article"}


def test_a_person_without_a_desk_role_sees_no_events(client, month):
    _, page = get(client, make_user(), "?view=list&month=2026-03")

    assert titles(page) == set()


def test_the_calendar_asks_for_a_login(client):
    response = client.get(CALENDAR)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_desk_navigation_links_the_calendar(client):
    client.force_login(make_writer())

    page = parse(client.get(reverse("desk:dashboard")).content.decode())

    assert page.find("nav", **{"aria-label": "Site"}).find("a", href=CALENDAR).text() == "Calendar"


def _busy_month(count: int) -> None:
    """`count` articles on the March 2026 calendar: reviews falling due (most on one day, the rest
    spread), go-lives that happened and go-lives to come, under several topics and reviewers."""
    writer, topics = make_writer(), [make_topic(f"Topic {n}") for n in range(3)]
    reviewers = [make_reviewer(), another_reviewer()]
    for n in range(count):
        reviewer, topic = reviewers[n % 2], topics[n % 3]
        if n % 3 == 0:
            article = scheduled_for(GO_LIVE + datetime.timedelta(days=n % 10), writer, reviewer)
        else:
            article = published_on(datetime.date(2025, 3, 5 if n % 2 else 1 + n % 28), writer, reviewer)
        Article.topics.through.objects.create(article=article, topic=topic)


# The session, the person, their groups, the groups that sign steps (is the person a reviewer?);
# the inbox link's unread count (base.html); the filter form's choices (types, topics, reviewers);
# the feed address; the events: one query a kind of row in the month view (three), or a count and
# a page in the list view.
CALENDAR_QUERIES = 12


@pytest.mark.parametrize("count", [3, 24])
def test_the_calendars_query_count_does_not_grow_with_articles(client, django_assert_max_num_queries, count):
    _busy_month(count)
    people = [make_writer(), make_reviewer(), make_editor(), make_user(groups=[WRITERS, REVIEWERS, EDITORS])]
    for person in people:
        client.force_login(person)
        for query in ("?month=2026-03", "?view=list&month=2026-03", "?view=list&day=2026-03-05",
                      "?month=2026-03&kind=review_due&topic=topic-1&article_type=substance"):
            with django_assert_max_num_queries(CALENDAR_QUERIES):
                response = client.get(CALENDAR + query)
            assert response.status_code == 200
