"""Autosaves and heartbeats that arrive at the same moment (two tabs, two app servers) leave one
row and no error. Needs PostgreSQL: SQLite serializes every write, so nothing races there."""
import pytest

from reviews.drafts import draft_save
from reviews.models import EditingDraft, EditingPresence
from reviews.presence import presence_record
from tests.factories import make_draft, make_writer

from .test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_first_autosaves_at_once_keep_one_draft_and_raise_nothing():
    writer = make_writer()
    article = make_draft(writer)

    outcomes = run_together(*(
        (lambda title=title: draft_save(by=writer, article=article, fields={"title": [title]},
                                        base_version=article.version))
        for title in ("From the first tab", "From the second tab")))

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert EditingDraft.objects.filter(user=writer, article=article).count() == 1


def test_two_first_new_article_autosaves_at_once_keep_one_draft():
    writer = make_writer()

    outcomes = run_together(*(
        (lambda title=title: draft_save(by=writer, article=None, fields={"title": [title]}, base_version=None))
        for title in ("First", "Second")))

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert EditingDraft.objects.filter(user=writer, article__isnull=True).count() == 1


def test_two_first_heartbeats_at_once_keep_one_presence():
    writer = make_writer()
    article = make_draft(writer)

    outcomes = run_together(*(lambda: presence_record(by=writer, article=article) for _ in range(2)))

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert EditingPresence.objects.filter(user=writer, article=article).count() == 1
