"""Notification mails are plain text: a title with "&" or "<" reaches its reader as typed, in the
subject and in the body of every kind of message, never as "&amp;" or "&lt;"."""
import pytest
from django.core import mail

from reviews.models import NOTIFICATION_CATEGORIES
from reviews.notifications import notify
from tests.factories import make_editor, make_published, make_reviewer, make_writer

TITLE = "Sleep & stress <tips>"


@pytest.fixture
def published():
    writer = make_writer(email="writer@example.org")
    reviewer = make_reviewer(email="doctor@example.org", first_name="Rita", last_name="O'Neil")
    make_reviewer(email="second@example.org")  # hears of submissions: not a contributor
    make_editor(email="editor@example.org")
    return make_published(writer, reviewer=reviewer, title=TITLE)


@pytest.mark.parametrize("event", [key for key, _ in NOTIFICATION_CATEGORIES])
def test_every_message_carries_the_title_as_typed(published, event):
    sent = notify(event, article_id=published.pk, publication=published.live_publication,
                  reason="Dosing & interactions need a <second> look.")

    assert sent >= 1
    for message in mail.outbox:
        assert TITLE in message.subject, message.subject
        assert TITLE in message.body, message.body
        assert "&amp;" not in message.subject + message.body
        assert "&lt;" not in message.subject + message.body
        assert "&#x27;" not in message.body  # "O'Neil", where a message names the reviewer


def test_the_unpublishing_reason_is_quoted_as_typed(published):
    notify("unpublished", article_id=published.pk, publication=published.live_publication,
           reason="Dosing & interactions need a <second> look.")

    # The author and the editor are told, each in the same words.
    assert sorted(message.to[0] for message in mail.outbox) == ["editor@example.org", "writer@example.org"]
    for message in mail.outbox:
        assert "Why:\nDosing & interactions need a <second> look.\n" in message.body
