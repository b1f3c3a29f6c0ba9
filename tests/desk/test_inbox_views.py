"""The inbox on the desk, over HTTP: the header's unread count, the list (newest first, unread
marked, paginated, filtered), mark read, mark all read, and opening a line."""
import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import InboxMessage
from tests.factories import make_published, make_topic, make_writer
from tests.public.html import parse

INBOX = "/editorial/inbox/"  # reverse("desk:inbox"); a literal, as reversing at import would load every view


def line(recipient, text="Something happened.", *, minutes_ago=0, read=False, path="/editorial/"):
    return InboxMessage.objects.create(
        recipient=recipient, category="published", text=text, path=path,
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        read_at=timezone.now() if read else None)


def header_link(html):
    return parse(html).find("header").find("a", cls="inbox-link")


@pytest.fixture
def writer(client):
    person = make_writer("wes", first_name="Wes", last_name="Tan")
    client.force_login(person)
    return person


# --- The header ---

def test_the_header_names_the_unread_count_in_words_on_every_desk_page(client, writer):
    line(writer), line(writer), line(writer), line(writer, read=True), line(make_writer())

    for page in (reverse("desk:dashboard"), reverse("desk:notifications"), INBOX):
        link = header_link(client.get(page).content.decode())
        assert link.attrs["aria-label"] == "Inbox, 3 unread", page
        assert link.text() == "Inbox 3"  # what the page shows: the name read out starts with it
        assert link.attrs["href"] == INBOX == reverse("desk:inbox")


def test_the_header_shows_no_count_when_nothing_is_unread(client, writer):
    line(writer, read=True)

    link = header_link(client.get(reverse("desk:dashboard")).content.decode())
    assert link.text() == "Inbox" and "aria-label" not in link.attrs


def test_the_header_count_costs_one_query_a_page(client, writer):
    line(writer)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("desk:notifications"))
    assert sum("reviews_inboxmessage" in query["sql"] for query in queries.captured_queries) == 1


def test_a_signed_in_person_with_unread_lines_sees_public_pages_exactly_as_everyone_else(client):
    """Public pages are cached and shared: no inbox link, no count, no query for it, no Vary: Cookie."""
    writer = make_writer()
    article = make_published(writer, topics=[make_topic("Sleep")])
    line(writer), line(writer)
    paths = ["/", article.get_absolute_url(), "/topics/sleep/", "/search/?q=article", "/articles/missing/"]

    def fresh(path):
        cache.clear()  # rendered for this visitor, not served from the page cache
        return client.get(path)

    anonymous = [fresh(path).content for path in paths]
    client.force_login(writer)
    with CaptureQueriesContext(connection) as queries:
        signed_in = [fresh(path) for path in paths]

    assert [response.content for response in signed_in] == anonymous
    assert not any("reviews_inboxmessage" in query["sql"] for query in queries.captured_queries)
    for response in signed_in:
        assert "Inbox" not in response.content.decode()
        assert "Cookie" not in response.get("Vary", "")


def test_anonymous_visitors_are_sent_to_log_in_for_the_inbox(client):
    for url, method in ((INBOX, "get"), (reverse("desk:inbox_read_all"), "post")):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


# --- The list ---

def test_the_inbox_lists_newest_first_and_marks_the_unread_lines(client, writer):
    line(writer, "Oldest, read.", minutes_ago=30, read=True)
    line(writer, "Middle, unread.", minutes_ago=20)
    line(writer, "Newest, unread.", minutes_ago=10)
    line(make_writer(), "Someone else's.")

    page = parse(client.get(INBOX).content.decode())
    items = page.find("ol", cls="inbox").find_all("li")
    assert [item.find("a").text() for item in items] == ["Newest, unread.", "Middle, unread.", "Oldest, read."]
    assert [("unread" in item.classes, "Unread" in item.text()) for item in items] == [
        (True, True), (True, True), (False, False)]
    assert "2 unread." in page.find("main").text()


def test_the_unread_filter_shows_only_unread_lines(client, writer):
    line(writer, "Read.", read=True)
    line(writer, "Unread.")

    page = parse(client.get(INBOX + "?show=unread").content.decode())
    assert [a.text() for a in page.find("ol", cls="inbox").find_all("a")] == ["Unread."]
    assert page.find("nav", cls="inbox-filter").find("a", **{"aria-current": "page"}).text() == "Unread only"
    everything = parse(client.get(INBOX + "?show=bogus").content.decode())
    assert len(everything.find("ol", cls="inbox").find_all("li")) == 2


def test_an_empty_inbox_says_so(client, writer):
    assert "No messages yet." in parse(client.get(INBOX).content.decode()).find("main").text()
    assert "No unread messages." in parse(client.get(INBOX + "?show=unread").content.decode()).find("main").text()


def test_the_inbox_shows_one_page_and_links_to_older_lines_keeping_the_filter(client, writer):
    for n in range(30):
        line(writer, f"Line {n}.", minutes_ago=n)

    first = parse(client.get(INBOX + "?show=unread").content.decode())
    assert len(first.find("ol", cls="inbox").find_all("li")) == 25
    older = first.find("a", rel="next")
    assert older.text() == "Older" and older.attrs["href"] == "?show=unread&page=2"
    second = parse(client.get(INBOX + older.attrs["href"]).content.decode())
    assert [a.text() for a in second.find("ol", cls="inbox").find_all("a")] == [f"Line {n}." for n in range(25, 30)]


# The session, the person, their groups (the header's Team link), both counts in one, the rows.
INBOX_QUERIES = 5


@pytest.mark.parametrize("show", ["", "?show=unread"])
def test_the_inbox_query_count_does_not_grow_with_its_lines(client, writer, django_assert_max_num_queries, show):
    counts = []
    for size in (3, 60):
        InboxMessage.objects.all().delete()
        InboxMessage.objects.bulk_create([
            InboxMessage(recipient=writer, category="published", text=f"Line {n}.", path="/editorial/",
                         read_at=timezone.now() if n % 3 == 0 else None) for n in range(size)])
        with django_assert_max_num_queries(INBOX_QUERIES), CaptureQueriesContext(connection) as queries:
            assert client.get(INBOX + show).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Marking read and opening ---

def test_mark_read_marks_one_line_and_returns_to_the_same_inbox_page(client, writer):
    mine, other = line(writer, "Mine."), line(writer, "Also mine.")

    response = client.post(reverse("desk:inbox_read", args=[mine.pk]), {"next": INBOX + "?show=unread&page=1"})

    assert response.status_code == 302 and response.url == INBOX + "?show=unread&page=1"
    mine.refresh_from_db(), other.refresh_from_db()
    assert mine.read_at is not None and other.read_at is None


def test_mark_read_is_a_post_and_only_for_ones_own_lines(client, writer):
    theirs = line(make_writer())
    mine = line(writer)

    assert client.get(reverse("desk:inbox_read", args=[mine.pk])).status_code == 405
    assert client.post(reverse("desk:inbox_read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("desk:inbox_open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_never_returns_to_a_page_off_the_site(client, writer):
    mine = line(writer)
    response = client.post(reverse("desk:inbox_read", args=[mine.pk]), {"next": "https://evil.example/editorial/inbox/"})
    assert response.url == INBOX


def test_mark_all_read_marks_every_line_shown_and_says_how_many(client, writer):
    line(writer), line(writer), line(writer, read=True)
    someone_else = line(make_writer())
    page = parse(client.get(INBOX).content.decode())
    form = next(f for f in page.find_all("form") if f.attrs.get("action") == reverse("desk:inbox_read_all"))
    data = {field.attrs["name"]: field.attrs.get("value", "") for field in form.find_all("input")}
    arrived_later = line(writer, "Arrived while the page was open.", minutes_ago=-1)

    response = client.post(reverse("desk:inbox_read_all"), data, follow=True)

    assert "Marked 2 messages read." in parse(response.content.decode()).find("main").text()
    assert list(InboxMessage.objects.filter(recipient=writer, read_at__isnull=True)) == [arrived_later]
    someone_else.refresh_from_db()
    assert someone_else.read_at is None


def test_there_is_no_mark_all_read_button_when_nothing_is_unread(client, writer):
    line(writer, read=True)
    assert "Mark all read" not in client.get(INBOX).content.decode()


def test_opening_a_line_marks_it_read_and_goes_to_its_page(client, writer):
    message = line(writer, path="/editorial/articles/7/")
    page = parse(client.get(INBOX).content.decode())
    href = page.find("ol", cls="inbox").find("a").attrs["href"]

    response = client.get(href)

    assert response.status_code == 302 and response.url == "/editorial/articles/7/"
    message.refresh_from_db()
    assert message.read_at is not None
    assert header_link(client.get(INBOX).content.decode()).text() == "Inbox"


@pytest.mark.parametrize("path", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_opening_a_line_that_leads_off_the_site_goes_back_to_the_inbox(client, writer, monkeypatch, path):
    """The database refuses such a path (tests/reviews/test_inbox.py); were one stored anyway, the
    line would still not send its reader off the site."""
    message = line(writer)
    message.path = path
    monkeypatch.setattr("desk.views.inbox.inbox_message_mark_read", lambda **kwargs: message)

    response = client.get(reverse("desk:inbox_open", args=[message.pk]), follow=True)

    assert response.redirect_chain == [(INBOX, 302)]
    assert "does not link to a page of this site" in parse(response.content.decode()).find("main").text()
