"""Each person's private calendar feed (/editorial/calendar/feed/<token>.ics): RFC 5545 that calendar
apps read, holding that person's own events, opened by a token they can reset, and never cached."""
import datetime

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from articles.models import Article
from reviews.calendar import (CalendarFilters, as_events, desk_articles, event_list, feed_events,
                              feed_window)
from reviews.calendar_feed import feed_token_issue
from reviews.models import CalendarFeedToken
from reviews.permissions import EDITORS, REVIEWERS, WRITERS
from reviews.workflow import article_go_live, article_submit
from tests.factories import (another_reviewer, edit_article, make_editor, make_in_review, make_reviewer, make_user,
                             make_writer)
from tests.public.html import parse

from .test_calendar import GO_LIVE, TODAY, _busy_month, published_on, scheduled_for

UTC = datetime.timezone.utc
CALENDAR = reverse("desk:calendar")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def feed_url(person) -> str:
    return reverse("desk:calendar_feed", kwargs={"token": feed_token_issue(user=person).token})


def fetch(client, url) -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def summaries(calendar) -> set[str]:
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


@pytest.fixture
def writer_and_articles():
    """A writer's article going live on 20 March at 09:30 and another overdue for review since
    5 March, both approved by one reviewer."""
    writer, reviewer = make_writer(first_name="Wes", last_name="Tan"), make_reviewer()
    return {
        "writer": writer, "reviewer": reviewer,
        "scheduled": scheduled_for(GO_LIVE, writer, reviewer, title="Melatonin for jet lag"),
        "overdue": published_on(datetime.date(2025, 3, 5), writer, reviewer, title="Kava, alcohol; and the liver"),
    }


def test_the_feed_with_a_valid_token_parses_and_holds_the_persons_events(client, writer_and_articles):
    calendar = fetch(client, feed_url(writer_and_articles["writer"]))

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Health CMS//Editorial calendar//EN"
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    # The review's go-live a year ago is before the feed's window.
    assert set(events) == {"Goes live: Melatonin for jet lag", "Medical review due: Kava, alcohol; and the liver"}
    go_live = events["Goes live: Melatonin for jet lag"]
    assert go_live["DTSTART"].dt == GO_LIVE and go_live["DTSTART"].dt.utcoffset() == datetime.timedelta(0)
    assert "DTEND" not in go_live  # a moment: RFC 5545 ends it where it starts
    due = events["Medical review due: Kava, alcohol; and the liver"]
    assert due["DTSTART"].dt == datetime.date(2026, 3, 5) and due["DTSTART"].params["VALUE"] == "DATE"
    assert due["DTEND"].dt == datetime.date(2026, 3, 6) and due["DTEND"].params["VALUE"] == "DATE"
    assert "Overdue." in str(due["DESCRIPTION"])
    for event in events.values():
        assert event["DTSTAMP"].dt == TODAY
        assert event["TRANSP"] == "TRANSPARENT"
    article_url = settings.SITE_URL + reverse("desk:article", kwargs={"pk": writer_and_articles["scheduled"].pk})
    assert str(go_live["URL"]) == article_url
    assert len({str(event["UID"]) for event in events.values()}) == 2


def test_the_feed_is_rfc_5545_text_escaped_and_folded(client, writer_and_articles):
    body = client.get(feed_url(writer_and_articles["writer"])).content

    lines = body.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2:] == [b"END:VCALENDAR", b""]
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the long descriptions are folded
    assert b"SUMMARY:Medical review due: Kava\\, alcohol\\; and the liver" in body
    assert b"DTSTART;VALUE=DATE:20260305" in body and b"DTSTART:20260320T093000Z" in body


def test_long_titles_in_any_script_fold_between_characters_and_read_back_whole(client):
    writer = make_writer()
    title = "Ибупрофен и беременность: что показывают исследования — 布洛芬与怀孕, ça dépend; \\ vraiment"
    scheduled_for(GO_LIVE, writer, title=title)

    body = client.get(feed_url(writer)).content

    lines = body.split(b"\r\n")
    assert all(len(line) <= 75 and line.decode("utf-8") for line in lines[:-1])
    assert summaries(icalendar.Calendar.from_ical(body)) == {f"Goes live: {title}"}


def test_an_events_uid_stays_the_same_from_fetch_to_fetch_and_when_it_goes_live(client, writer_and_articles):
    url = feed_url(writer_and_articles["writer"])
    scheduled = "Goes live: Melatonin for jet lag"
    before = {str(e["SUMMARY"]): str(e["UID"]) for e in fetch(client, url).walk("VEVENT")}
    assert before == {str(e["SUMMARY"]): str(e["UID"]) for e in fetch(client, url).walk("VEVENT")}

    with time_machine.travel(GO_LIVE + datetime.timedelta(minutes=1), tick=False):
        article_go_live(article=Article.objects.get(pk=writer_and_articles["scheduled"].pk))
        after = {str(e["SUMMARY"]): str(e["UID"]) for e in fetch(client, url).walk("VEVENT")}

    assert after["Went live: Melatonin for jet lag"] == before[scheduled]


def test_an_unknown_token_is_404(client, writer_and_articles):
    feed_token_issue(user=writer_and_articles["writer"])

    response = client.get(reverse("desk:calendar_feed", kwargs={"token": "not-a-token-anyone-was-given"}))

    assert response.status_code == 404


def test_resetting_the_address_makes_the_old_token_404(client, writer_and_articles):
    writer = writer_and_articles["writer"]
    old = feed_url(writer)
    assert client.get(old).status_code == 200

    client.force_login(writer)
    response = client.post(reverse("desk:calendar_feed_reset"))
    client.logout()

    assert response.status_code == 302
    new = reverse("desk:calendar_feed", kwargs={"token": CalendarFeedToken.objects.get(user=writer).token})
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_an_inactive_persons_feed_is_404(client, writer_and_articles):
    writer = writer_and_articles["writer"]
    url = feed_url(writer)
    writer.is_active = False
    writer.save(update_fields=["is_active"])

    assert client.get(url).status_code == 404


def test_the_feed_is_kept_by_no_cache(client, writer_and_articles):
    response = client.get(feed_url(writer_and_articles["writer"]))

    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag") and not response.has_header("Last-Modified")
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_writers_feed_holds_their_articles_only(client, writer_and_articles):
    scheduled_for(GO_LIVE, make_writer(), title="Another writer's article")

    calendar = fetch(client, feed_url(writer_and_articles["writer"]))

    assert "Goes live: Another writer's article" not in summaries(calendar)


def test_a_reviewers_feed_holds_what_they_reviewed_and_what_waits_for_their_review(client, writer_and_articles):
    """Not every live article a reviewer may open: the ones they reviewed, and those in review
    (a live article being re-reviewed has a date) whose next step they may sign."""
    reviewer = writer_and_articles["reviewer"]
    scheduled_for(GO_LIVE, reviewer=another_reviewer(), title="Someone else's review")
    re_review = published_on(datetime.date(2025, 6, 1), reviewer=another_reviewer(), title="Being reviewed again")
    make_in_review(re_review.authors.first(), title="Unrelated draft in review")
    edit_article(re_review, re_review.authors.first(), summary="A clearer summary for readers.")
    article_submit(article=Article.objects.get(pk=re_review.pk), by=re_review.authors.first())

    found = summaries(fetch(client, feed_url(reviewer)))

    assert {"Goes live: Melatonin for jet lag", "Medical review due: Kava, alcohol; and the liver"} <= found
    assert "Medical review due: Being reviewed again" in found
    assert "Goes live: Someone else's review" not in found


def test_an_editors_feed_holds_every_article(client, writer_and_articles):
    scheduled_for(GO_LIVE, make_writer(), title="Another writer's article")

    found = summaries(fetch(client, feed_url(make_editor())))

    assert {"Goes live: Melatonin for jet lag", "Goes live: Another writer's article"} <= found


def test_a_person_without_a_desk_role_gets_an_empty_feed(client, writer_and_articles):
    calendar = fetch(client, feed_url(make_user()))

    assert calendar.walk("VEVENT") == []


def test_a_feed_never_holds_more_than_the_persons_desk_calendar(writer_and_articles):
    """feed_articles narrows by whose the articles are, without asking viewable_articles again
    (reviews.calendar says why): for every role, its events are among the desk's."""
    scheduled_for(GO_LIVE, make_writer(), reviewer=another_reviewer(), title="Someone else's")
    people = [writer_and_articles["writer"], writer_and_articles["reviewer"], another_reviewer(), make_writer(),
              make_editor(), make_user(groups=[WRITERS, REVIEWERS]), make_user()]
    start, end = feed_window()
    for person in people:
        feed = {event.key for event in feed_events(person)}
        desk = {event.key for event in as_events(event_list(desk_articles(person), start, end, CalendarFilters()))}
        assert feed <= desk, person


def test_the_feed_keeps_to_its_window(client):
    """From 60 days back to 400 days ahead of today (reviews.calendar.FEED_DAYS_*)."""
    writer = make_writer()
    published_on(datetime.date(2025, 1, 13), writer, title="Due 61 days ago")  # due 2026-01-13
    published_on(datetime.date(2025, 1, 14), writer, title="Due 60 days ago")
    scheduled_for(datetime.datetime(2027, 4, 19, 8, tzinfo=UTC), writer, title="400 days ahead")
    scheduled_for(datetime.datetime(2027, 4, 20, 8, tzinfo=UTC), writer, title="401 days ahead")

    found = summaries(fetch(client, feed_url(writer)))

    assert "Medical review due: Due 60 days ago" in found and "Goes live: 400 days ahead" in found
    assert "Medical review due: Due 61 days ago" not in found and "Goes live: 401 days ahead" not in found


def test_a_full_feed_keeps_the_events_nearest_to_today(client, monkeypatch, writer_and_articles):
    monkeypatch.setattr("reviews.calendar.FEED_MAX_EVENTS", 2)
    writer = writer_and_articles["writer"]
    published_on(datetime.date(2025, 1, 20), writer, title="Due 54 days ago")
    scheduled_for(datetime.datetime(2026, 6, 1, 8, tzinfo=UTC), writer, title="78 days ahead")

    found = summaries(fetch(client, feed_url(writer)))

    # 10 days ago and 5 days ahead (the fixture's), not the two further away.
    assert found == {"Medical review due: Kava, alcohol; and the liver", "Goes live: Melatonin for jet lag"}


def test_the_address_is_made_on_request_and_shown_on_the_calendar_page(client, writer_and_articles):
    writer = writer_and_articles["writer"]
    client.force_login(writer)
    before = parse(client.get(CALENDAR).content.decode())
    assert before.find("form", action=reverse("desk:calendar_feed_issue"))
    assert not CalendarFeedToken.objects.filter(user=writer).exists()

    client.post(reverse("desk:calendar_feed_issue"))
    client.post(reverse("desk:calendar_feed_issue"))  # a second press keeps the same address

    token = CalendarFeedToken.objects.get(user=writer).token
    after = parse(client.get(CALENDAR).content.decode())
    shown = after.find("input", id="feed-url").attrs["value"]
    assert shown == settings.SITE_URL + reverse("desk:calendar_feed", kwargs={"token": token})
    assert after.find("form", action=reverse("desk:calendar_feed_reset"))


def test_tokens_are_long_random_and_distinct():
    tokens = {feed_token_issue(user=make_user()).token for _ in range(5)}

    assert len(tokens) == 5 and all(len(token) >= 43 for token in tokens)


def test_issuing_and_resetting_need_a_login_and_a_post(client):
    for name in ("desk:calendar_feed_issue", "desk:calendar_feed_reset"):
        assert client.post(reverse(name))["Location"].startswith(reverse("login"))
        client.force_login(make_writer())
        assert client.get(reverse(name)).status_code == 405
        client.logout()


# The token with its person, their groups, the groups that sign steps (is the person a reviewer?),
# the review steps (which reviews wait for this reviewer), and two queries a kind of event (six:
# back from today and on from it).
FEED_QUERIES = 10


@pytest.mark.parametrize("count", [3, 24])
def test_the_feeds_query_count_does_not_grow_with_articles(client, django_assert_max_num_queries, count):
    _busy_month(count)
    people = [make_writer(), make_reviewer(), make_editor(), make_user(groups=[WRITERS, REVIEWERS, EDITORS])]
    for person in people:
        url = feed_url(person)
        with django_assert_max_num_queries(FEED_QUERIES):
            assert client.get(url).status_code == 200
