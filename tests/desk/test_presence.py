"""The soft lock over HTTP: the editor's heartbeat, and who else has the article open, said on the
edit page and the article's desk page, never enforced."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import EditingPresence
from reviews.presence import PRESENT_SECONDS, presence_record
from tests.factories import make_draft, make_published, make_reviewer, make_writer

from .test_editorial_views import editor_post


@pytest.fixture
def people():
    writer = make_writer("wes", first_name="Wes", last_name="Tan")
    amira = make_writer("amira", first_name="Amira", last_name="Patel")
    return writer, amira


@pytest.fixture
def article(people):
    writer, amira = people
    article = make_draft(writer)
    article.authors.add(amira)
    return article


def heartbeat(client, article, **data):
    return client.post(reverse("desk:presence", args=[article.pk]), data)


def test_another_persons_recent_heartbeat_shows_on_the_edit_page_and_the_desk_page(client, people, article):
    writer, amira = people
    client.force_login(amira)
    assert heartbeat(client, article).status_code == 200
    since = timezone.localtime(EditingPresence.objects.get(user=amira).since).strftime("%H:%M")

    client.force_login(writer)
    for view in ("desk:edit", "desk:article"):
        page = client.get(reverse(view, args=[article.pk])).content.decode()
        assert "<strong>Amira Patel</strong> has been editing this since <time" in page, view
        assert f">{since}</time>" in page, view


def test_an_old_heartbeat_does_not_show(client, people, article):
    writer, amira = people
    presence_record(by=amira, article=article,
                    now=timezone.now() - datetime.timedelta(seconds=PRESENT_SECONDS + 5))

    client.force_login(writer)
    page = client.get(reverse("desk:edit", args=[article.pk])).content.decode()

    assert "Amira Patel" not in page


def test_nobody_is_shown_their_own_presence(client, people, article):
    _, amira = people
    client.force_login(amira)
    heartbeat(client, article)

    response = heartbeat(client, article)

    assert response.json() == {"editing_now": []}
    assert "has been editing this since" not in client.get(reverse("desk:edit", args=[article.pk])).content.decode()


def test_the_heartbeat_answers_who_else_is_editing_and_never_blocks_a_save(client, people, article):
    writer, amira = people
    client.force_login(amira)
    heartbeat(client, article)
    client.force_login(writer)

    editors = heartbeat(client, article).json()["editing_now"]

    assert [editor["name"] for editor in editors] == ["Amira Patel"]
    assert editors[0]["since_text"] == timezone.localtime(EditingPresence.objects.get(user=amira).since).strftime("%H:%M")
    assert client.post(reverse("desk:edit", args=[article.pk]), editor_post(article)).status_code == 302


def test_since_stays_while_the_heartbeats_go_on_and_starts_again_after_a_break(people, article):
    _, amira = people
    start = timezone.now() - datetime.timedelta(minutes=30)
    presence_record(by=amira, article=article, now=start)
    presence_record(by=amira, article=article, now=start + datetime.timedelta(seconds=20))
    assert EditingPresence.objects.get(user=amira).since == start

    back = start + datetime.timedelta(seconds=20 + PRESENT_SECONDS + 1)
    presence_record(by=amira, article=article, now=back)

    assert EditingPresence.objects.get(user=amira).since == back


def test_closing_the_editor_removes_the_presence_at_once(client, people, article):
    writer, amira = people
    client.force_login(amira)
    heartbeat(client, article)

    heartbeat(client, article, leaving="1")

    assert not EditingPresence.objects.exists()
    client.force_login(writer)
    assert heartbeat(client, article).json()["editing_now"] == []


def test_someone_who_may_not_edit_sends_no_heartbeat(client, people):
    writer, _ = people
    published = make_published(writer)
    client.force_login(make_reviewer())

    assert heartbeat(client, published).status_code == 403
    client.force_login(make_writer("outsider"))
    assert heartbeat(client, published).status_code == 404
    assert not EditingPresence.objects.exists()


def test_a_reviewer_reading_the_desk_page_sees_who_is_editing(client, people):
    writer, _ = people
    published = make_published(writer)
    client.force_login(writer)
    heartbeat(client, published)

    client.force_login(make_reviewer())
    page = client.get(reverse("desk:article", args=[published.pk])).content.decode()

    assert "<strong>Wes Tan</strong> has been editing this since" in page
