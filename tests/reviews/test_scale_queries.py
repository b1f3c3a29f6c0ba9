"""Query counts that must not grow with the size of the site (issue "Fast at 50,000 articles"):
review_due's queries are flat in the number of due articles, contributor_ids' in the number of
articles and revisions, and reversion's composite index serves the permission queries."""
import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles.models import Article
from reviews.models import NotificationOptOut, ReviewReminder
from reviews.notifications import notify
from reviews.permissions import contributor_ids, viewable_articles
from reviews.workflow import article_approve, article_submit
from tests.factories import (ALL_YES, as_reviewed, edit_article, make_draft, make_editor, make_published,
                             make_reviewer, make_writer)

START = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)
LATER = START + datetime.timedelta(days=370)


def _publish_due(count, reviewers, writer):
    """`count` published articles, two in three overdue at LATER and the rest due soon."""
    for n in range(count):
        when = START if n % 3 else START + datetime.timedelta(days=20)
        with time_machine.travel(when, tick=False):
            make_published(writer, reviewers[n % len(reviewers)], title=f"Due article {n} & co")


def _expected_mails(today):
    """What notify("review_due", ...) sends for each due publication, one by one (the reference)."""
    sent = []
    with time_machine.travel(today, tick=False):
        for reminder in ReviewReminder.objects.select_related("publication").order_by("publication__next_review_due",
                                                                                         "pk"):
            mail.outbox.clear()
            notify("review_due", article_id=reminder.publication.article_id, publication=reminder.publication)
            sent.extend(mail.outbox)
    mail.outbox.clear()
    return sent


def _as_set(messages):
    return sorted((tuple(m.to), m.subject, m.body) for m in messages)


def _run_review_due():
    mail.outbox.clear()
    with time_machine.travel(LATER, tick=False), CaptureQueriesContext(connection) as queries:
        call_command("review_due")
    return len(queries), list(mail.outbox)


def test_review_due_queries_do_not_grow_with_the_number_of_due_articles():
    make_editor(email="editor@example.org")
    make_editor(email="quiet.editor@example.org")
    make_editor(email="")  # no address: hears nothing
    NotificationOptOut.objects.create(user=make_editor(email="opted.out@example.org"), category="review_due")
    reviewers = [make_reviewer(email="doctor@example.org"), make_reviewer(email="pharmacist@example.org")]
    NotificationOptOut.objects.create(user=reviewers[1], category="review_due")
    writer = make_writer(email="writer@example.org")

    _publish_due(3, reviewers, writer)
    few, few_mails = _run_review_due()
    assert len(few_mails) == 3 * 2 + 2  # two editors each, and the reviewer who did not opt out
    assert _as_set(few_mails) == _as_set(_expected_mails(LATER))

    ReviewReminder.objects.all().delete()
    _publish_due(9, reviewers, writer)
    many, many_mails = _run_review_due()
    assert ReviewReminder.objects.count() == 12
    assert len(many_mails) == 12 * 2 + (2 + 5)  # the doctor reviewed articles 0 and 2, then 0, 2, 4, 6, 8
    assert _as_set(many_mails) == _as_set(_expected_mails(LATER))
    assert many == few

    # Run again: everything is already reminded, nobody hears twice, and still no query per article.
    again, again_mails = _run_review_due()
    assert again_mails == [] and again <= few


def test_review_due_output_is_unchanged(capsys):
    reviewer = make_reviewer(email="doctor@example.org", first_name="Ama", last_name="Mensah")
    make_editor(email="editor@example.org")
    _publish_due(3, [reviewer], make_writer())
    capsys.readouterr()
    with time_machine.travel(LATER, tick=False):
        call_command("review_due", "--dry-run")
    dry = capsys.readouterr().out
    assert mail.outbox == [] and not ReviewReminder.objects.exists()
    lines = dry.splitlines()
    assert len(lines) == 4 and lines[-1] == "3 articles due for medical review."
    assert sum(line.startswith("OVERDUE  ") for line in lines) == 2
    assert sum(line.startswith("due soon ") for line in lines) == 1
    assert all(line.endswith("(last reviewed by Ama Mensah)") for line in lines[:3])
    with time_machine.travel(LATER, tick=False):
        call_command("review_due")
    assert capsys.readouterr().out == dry
    assert len(mail.outbox) == 6


def _contributors_old_way(article):
    """contributor_ids as it was written before the db filter: the reference answer."""
    ids = set(article.authors.values_list("pk", flat=True))
    since = article.publications.order_by("-revision_id").values_list("revision_id", flat=True).first()
    versions = Version.objects.filter(content_type=ContentType.objects.get_for_model(Article),
                                      object_id=str(article.pk), revision_id__gt=since)
    ids.update(uid for uid in versions.values_list("revision__user_id", flat=True) if uid is not None)
    return ids


def _count(function, *args):
    with CaptureQueriesContext(connection) as queries:
        result = function(*args)
    return len(queries), result


def test_contributor_ids_counts_revisions_since_the_last_approval_in_flat_queries():
    writer, before, after = make_writer(), make_editor(), make_editor()
    article = make_draft(writer)
    edit_article(article, before, summary="Changed by an editor before the approval.")
    article_submit(article=Article.objects.get(pk=article.pk), by=writer)
    article_approve(**as_reviewed(article), by=make_reviewer(), checklist=dict(ALL_YES), rating=4)
    article = Article.objects.get(pk=article.pk)
    edit_article(article, after, summary="Changed by another editor after the approval.")
    article = Article.objects.get(pk=article.pk)

    queries, ids = _count(contributor_ids, article)
    assert ids == {writer.pk, after.pk} == _contributors_old_way(article)

    # More articles and revisions elsewhere, and more revisions of this article by the same people.
    for _ in range(3):
        other = make_published()
        edit_article(other, make_editor(), summary="Another article's change.")
    for n in range(3):
        edit_article(Article.objects.get(pk=article.pk), after, summary=f"Change number {n}.")
    article = Article.objects.get(pk=article.pk)
    more_queries, more_ids = _count(contributor_ids, article)
    assert more_queries == queries
    assert more_ids == ids == _contributors_old_way(article)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="plan text is SQLite's")
def test_permission_queries_use_reversions_composite_index():
    writer = make_writer()
    article = make_published(writer)
    index = "reversion_version_db_content_type_id_object_id_revision_id"
    versions = Version.objects.get_for_object(article).order_by().filter(revision_id__gt=0)
    assert index in versions.values_list("revision__user_id", flat=True).explain()
    assert index in viewable_articles(writer).explain()
