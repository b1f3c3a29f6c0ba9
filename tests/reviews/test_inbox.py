"""The inbox's own rules (reviews.inbox): a person reads and marks only their own lines, and a line
leads only to a page of this site."""
import datetime

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from reviews.inbox import inbox_mark_all_read, inbox_message_mark_read, inbox_messages, unread_count
from reviews.models import InboxMessage
from tests.factories import make_writer


def line(recipient, text="Something happened.", *, minutes_ago=0, read=False, path="/editorial/"):
    return InboxMessage.objects.create(
        recipient=recipient, category="published", text=text, path=path,
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        read_at=timezone.now() if read else None)


def test_a_persons_lines_come_newest_first_and_only_theirs():
    me, someone_else = make_writer(), make_writer()
    line(me, "older", minutes_ago=10)
    line(me, "newer", minutes_ago=1)
    line(someone_else, "not mine")

    assert [m.text for m in inbox_messages(me)] == ["newer", "older"]


def test_the_unread_count_leaves_out_read_lines_and_other_peoples():
    me, someone_else = make_writer(), make_writer()
    line(me), line(me), line(me, read=True), line(someone_else)

    assert unread_count(me) == 2
    assert [m.read_at for m in inbox_messages(me, unread_only=True)] == [None, None]


def test_marking_a_line_read_keeps_the_time_it_was_first_read():
    me = make_writer()
    message = line(me)
    first = inbox_message_mark_read(message_id=message.pk, by=me).read_at

    assert first is not None
    assert inbox_message_mark_read(message_id=message.pk, by=me).read_at == first


def test_someone_elses_line_cannot_be_marked_read_and_answers_like_a_missing_one():
    me, someone_else = make_writer(), make_writer()
    theirs = line(someone_else)

    with pytest.raises(Http404):
        inbox_message_mark_read(message_id=theirs.pk, by=me)
    with pytest.raises(Http404):
        inbox_message_mark_read(message_id=theirs.pk + 1000, by=me)
    assert InboxMessage.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read_leaves_a_line_that_arrived_after_the_page_was_shown():
    me, someone_else = make_writer(), make_writer()
    line(me, "seen", minutes_ago=5)
    shown_at = timezone.now() - datetime.timedelta(minutes=2)
    line(me, "arrived since")
    line(someone_else)

    assert inbox_mark_all_read(by=me, shown_at=shown_at) == 1
    assert [m.text for m in inbox_messages(me, unread_only=True)] == ["arrived since"]
    assert unread_count(someone_else) == 1


@pytest.mark.parametrize("path", ["https://evil.example/", "//evil.example/", "/\\evil.example", "editorial/"])
def test_the_database_refuses_a_line_that_leads_off_the_site(path):
    with pytest.raises(IntegrityError), transaction.atomic():
        line(make_writer(), path=path)
