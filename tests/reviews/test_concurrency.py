"""Two people acting at once lose nothing (DESIGN.md invariant 7). Needs PostgreSQL row locks.

Each test commits for real (transaction=True) so that two threads, each with its own connection,
see each other's writes. serialized_rollback puts back the groups and article types that the
data migration created, which the flush after a transactional test removes.
"""
import dataclasses
import threading

import pytest
from django.db import connection

from articles.errors import StaleEdit
from articles.models import Article, AuditEntry, Publication
from reviews.editing import article_update
from reviews.models import Review
from reviews.workflow import article_approve
from tests.factories import (
    as_reviewed,
    ALL_YES,
    another_reviewer,
    content_of,
    make_draft,
    make_editor,
    make_in_review,
    make_writer,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def run_together(*calls):
    """Run each call in its own thread, released at the same moment; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as exc:  # the outcome under test may be an exception
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting on a lock"
    return outcomes


def test_two_simultaneous_approvals_of_one_revision_publish_it_once():
    article = make_in_review()
    first, second = another_reviewer(), another_reviewer()

    # Both reviewers opened the review page of the same submission.
    shown = as_reviewed(article)

    def approve_as(reviewer):
        return lambda: article_approve(**shown, by=reviewer, checklist=dict(ALL_YES), rating=4)

    outcomes = run_together(approve_as(first), approve_as(second))

    assert sorted(type(o).__name__ for o in outcomes) == ["InvalidTransition", "Review"]
    assert Publication.objects.filter(article=article).count() == 1
    assert AuditEntry.objects.filter(article=article, action="approve").count() == 1
    assert Review.objects.filter(article=article, decision="approved").count() == 1
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_two_simultaneous_saves_from_the_same_version_keep_one_and_refuse_the_other():
    writer = make_writer()
    article = make_draft(writer)
    editor = make_editor()
    loaded = article.version

    def save_as(person, title):
        content = dataclasses.replace(content_of(article), title=title)
        return lambda: article_update(article=article, by=person, expected_version=loaded, content=content)

    outcomes = run_together(save_as(writer, "Title from the writer"), save_as(editor, "Title from the editor"))

    refused = [o for o in outcomes if isinstance(o, StaleEdit)]
    saved = [o for o in outcomes if isinstance(o, Article)]
    assert len(refused) == 1 and len(saved) == 1
    stored = Article.objects.get(pk=article.pk)
    assert stored.title == saved[0].title
    assert stored.version == loaded + 1


def test_two_publish_scheduled_runs_at_once_publish_the_article_once():
    import datetime
    import io

    import time_machine
    from django.core.management import call_command
    from django.utils import timezone

    start = timezone.now()
    article = make_in_review()
    article_approve(**as_reviewed(article), by=another_reviewer(), checklist=dict(ALL_YES), rating=4,
                    go_live_at=start + datetime.timedelta(hours=1))

    def run_command():
        out = io.StringIO()
        call_command("publish_scheduled", stdout=out)
        return out.getvalue()

    with time_machine.travel(start + datetime.timedelta(hours=2), tick=False):
        outputs = run_together(run_command, run_command)

    assert sorted(o.splitlines()[-1] for o in outputs) == ["0 articles published.", "1 article published."]
    assert AuditEntry.objects.filter(article=article, action="go_live").count() == 1
    assert Publication.objects.filter(article=article).count() == 1
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


UNREVIEWED = "<p>Take this as often as you like: more is always better.</p>"


@pytest.mark.parametrize("writer_head_start", [0.0, 0.05, 0.2])
def test_a_stale_approval_racing_withdraw_edit_resubmit_never_publishes_unread_text(writer_head_start):
    """The reviewer opened the review page; meanwhile the writer withdraws, adds a sentence and
    submits again. Whatever the interleaving, only the text the reviewer read can go live."""
    import time

    from articles.errors import InvalidTransition, TransitionRefused
    from reviews.workflow import article_submit, article_withdraw
    from tests.factories import edit_article

    writer = make_writer()
    article = make_in_review(writer)
    reviewer = another_reviewer()
    shown = as_reviewed(article)

    def withdraw_edit_resubmit():
        time.sleep(writer_head_start)
        article_withdraw(article=Article.objects.get(pk=article.pk), by=writer)
        edit_article(article, writer, body=UNREVIEWED)
        return article_submit(article=Article.objects.get(pk=article.pk), by=writer)

    def stale_approval():
        return article_approve(**shown, by=reviewer, checklist=dict(ALL_YES), rating=4)

    writer_outcome, approval = run_together(withdraw_edit_resubmit, stale_approval)

    publications = list(Publication.objects.filter(article=article))
    assert all(p.content_hash == shown["reviewed_hash"] for p in publications)
    assert not any("as often as you like" in p.body for p in publications)
    if publications:
        # The approval came first: the writer's withdrawal found a published article.
        assert isinstance(writer_outcome, InvalidTransition)
    else:
        assert isinstance(approval, (InvalidTransition, TransitionRefused))
        assert Article.objects.get(pk=article.pk).status in (Article.Status.DRAFT, Article.Status.IN_REVIEW)
