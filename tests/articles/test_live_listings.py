"""LiveListing: a live publication is listed under each writer of its byline, each reviewer who
signed it and each topic it is filed under, once each, for exactly as long as it is live. Every
write that changes which publication is live keeps the rows (articles.services.live_publication_set),
so do seed_scale and the migration that fills them for the publications live before it."""
import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import Article, LiveListing, Publication
from articles.services import live_listings
from reviews.workflow import article_approve, article_go_live, article_submit, article_unpublish
from tests.factories import (
    ALL_YES,
    as_reviewed,
    edit_article,
    make_editor,
    make_in_review,
    make_published,
    make_reviewer,
    make_topic,
    make_writer,
)

WRITER, REVIEWER, TOPIC = LiveListing.Role.WRITER, LiveListing.Role.REVIEWER, LiveListing.Role.TOPIC


def rows(article=None) -> set[tuple]:
    listed = LiveListing.objects.all() if article is None else LiveListing.objects.filter(publication__article=article)
    return set(listed.values_list("publication_id", "role", "person_id", "topic", "published_at"))


def live(article) -> Publication:
    return Article.objects.get(pk=article.pk).live_publication


def expected(publication, *names) -> set[tuple]:
    """The rows of `publication` listed under (role, user or topic) pairs."""
    return {(publication.pk, role, None if role == TOPIC else name.pk, name.slug if role == TOPIC else "",
             publication.published_at) for role, name in names}


def republish(article, reviewer, **changes):
    """Edit the published article, submit the edit and approve it: a new live publication."""
    writer = article.authors.first()
    edit_article(article, writer, **changes)
    article_submit(article=Article.objects.get(pk=article.pk), by=writer)
    article_approve(**as_reviewed(article), by=reviewer, checklist=dict(ALL_YES), rating=4)


def test_a_live_publication_is_listed_under_each_writer_signer_and_topic_once():
    wes, ana = make_writer("wes"), make_writer("ana")
    sleep, pain = make_topic("Sleep"), make_topic("Pain")
    article = make_in_review(wes, type_key="medicine", topics=[sleep, pain])
    Article.authors.through.objects.create(article_id=article.pk, user_id=ana.pk)
    medical = make_reviewer(first_name="Mia", last_name="Stone")
    pharmacist = make_reviewer(first_name="Per", last_name="Lund")
    pharmacist.groups.add(Group.objects.get(name="Pharmacists"))
    for signer in (medical, pharmacist):
        article_approve(**as_reviewed(article), by=signer, checklist=dict(ALL_YES), rating=4)
    publication = live(article)

    # The pharmacist is both the last signer (Publication.reviewer) and in sign_offs: listed once.
    assert publication.reviewer_id == pharmacist.pk
    assert rows() == expected(publication, (WRITER, wes), (WRITER, ana), (REVIEWER, medical),
                              (REVIEWER, pharmacist), (TOPIC, sleep), (TOPIC, pain))


def test_a_new_approval_lists_the_new_version_in_place_of_the_one_it_supersedes():
    writer, sleep, pain = make_writer(), make_topic("Sleep"), make_topic("Pain")
    first_reviewer, second_reviewer = make_reviewer(), make_reviewer(first_name="Ola", last_name="Berg")
    article = make_published(writer, first_reviewer, topics=[sleep])
    superseded = live(article)
    Article.objects.get(pk=article.pk).topics.set([pain])

    republish(article, second_reviewer, title="A better title")

    assert live(article).pk != superseded.pk
    assert rows() == expected(live(article), (WRITER, writer), (REVIEWER, second_reviewer), (TOPIC, pain))


def test_unpublishing_removes_the_rows_and_publishing_again_brings_them_back():
    writer, reviewer = make_writer(), make_reviewer()
    article = make_published(writer, reviewer)
    other = make_published(writer, reviewer)

    article_unpublish(article=Article.objects.get(pk=article.pk), by=make_editor(), reason="Out of date")

    assert rows(article) == set()
    assert rows(other) == expected(live(other), (WRITER, writer), (REVIEWER, reviewer))


def test_a_scheduled_publication_is_listed_only_once_it_goes_live():
    writer, reviewer = make_writer(), make_reviewer()
    article = make_in_review(writer)
    go_live_at = timezone.now() + datetime.timedelta(hours=2)
    article_approve(**as_reviewed(article), by=reviewer, checklist=dict(ALL_YES), rating=4, go_live_at=go_live_at)

    assert rows(article) == set()

    assert article_go_live(article=Article.objects.get(pk=article.pk), now=go_live_at)
    assert rows(article) == expected(live(article), (WRITER, writer), (REVIEWER, reviewer))


def test_seeded_publications_are_listed_as_the_services_list_them():
    call_command("seed_scale", articles=3, revisions=1, batch=2, stdout=open("/dev/null", "w"))

    publications = [article.live_publication for article in
                    Article.objects.filter(slug__startswith="scale-").select_related("live_publication")]
    assert len(publications) == 3
    assert rows() == {(row.publication_id, row.role, row.person_id, row.topic, row.published_at)
                      for publication in publications for row in live_listings(publication)}


# --- The migration that fills the rows (articles 0016) ---

BEFORE = [("articles", "0015_desk_list_indexes")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_lists_every_publication_live_before_it_and_no_other():
    old = _migrate(BEFORE)
    try:
        User = old.get_model("auth", "User")
        ArticleType = old.get_model("articles", "ArticleType")
        OldArticle = old.get_model("articles", "Article")
        AuditEntry = old.get_model("articles", "AuditEntry")
        OldPublication = old.get_model("articles", "Publication")
        Revision = old.get_model("reversion", "Revision")
        wes, ana = User.objects.create(username="old-wes"), User.objects.create(username="old-ana")
        medical, pharmacist = User.objects.create(username="old-mia"), User.objects.create(username="old-per")
        now = timezone.now()

        def publication(article, n, **fields):
            revision = Revision.objects.create(date_created=now, user=wes, comment="Created")
            submission = AuditEntry.objects.create(article=article, actor=wes, action="submit", from_status="draft",
                                                   to_status="in_review", revision=revision,
                                                   prev_hash=f"{n}" * 64, hash=f"{n + 1}" * 64)
            return OldPublication.objects.create(
                article=article, revision=revision, submission=submission, content_hash="0" * 64,
                slug=article.slug, title=article.title, summary="", body="", article_type_name="Substance",
                reviewer=pharmacist, reviewer_name="Per", reviewer_credentials="PharmD",
                reviewed_at=now, next_review_due=(now + datetime.timedelta(days=365)).date(),
                published_at=now - datetime.timedelta(days=n), first_published_at=now, **fields)

        substance = ArticleType.objects.get(key="substance")
        live_article = OldArticle.objects.create(title="Live", slug="live", article_type=substance)
        superseded = publication(live_article, 1, authors=[{"id": wes.pk, "name": "Wes", "username": "old-wes"}],
                                 topics=[{"slug": "pain", "name": "Pain"}])
        current = publication(live_article, 2, authors=[{"id": wes.pk, "name": "Wes", "username": "old-wes"},
                                                        {"id": ana.pk, "name": "Ana", "username": "old-ana"}],
                              sign_offs=[{"id": medical.pk, "step": "Medical review"},
                                         {"id": pharmacist.pk, "step": "Pharmacist review"}],
                              topics=[{"slug": "sleep", "name": "Sleep"}, {"slug": "pain", "name": "Pain"}])
        OldArticle.objects.filter(pk=live_article.pk).update(live_publication=current, status="published")
        withdrawn = OldArticle.objects.create(title="Withdrawn", slug="withdrawn", article_type=substance)
        publication(withdrawn, 3, authors=[{"id": ana.pk, "name": "Ana", "username": "old-ana"}])
    finally:
        new = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    listed = set(new.get_model("articles", "LiveListing").objects.values_list(
        "publication_id", "role", "person_id", "topic", "published_at"))
    assert superseded.pk != current.pk
    assert listed == {(current.pk, role, person, topic, current.published_at) for role, person, topic in (
        ("writer", wes.pk, ""), ("writer", ana.pk, ""), ("reviewer", medical.pk, ""), ("reviewer", pharmacist.pk, ""),
        ("topic", None, "sleep"), ("topic", None, "pain"))}
