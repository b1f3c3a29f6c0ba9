"""Every migration runs forward on a database that holds data of the shape before them: comment
replies become threads, types gain their review steps, publications their sign-offs and their
reviewer's people-page slug."""
import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("articles", "0007_finding_waiver"), ("reviews", "0002_notifications")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrations_run_forward_over_data_from_before_comment_threads_and_review_steps():
    old = migrate(BEFORE)
    try:
        User = old.get_model("auth", "User")
        ArticleType = old.get_model("articles", "ArticleType")
        Article = old.get_model("articles", "Article")
        AuditEntry = old.get_model("articles", "AuditEntry")
        Publication = old.get_model("articles", "Publication")
        Revision = old.get_model("reversion", "Revision")
        ReviewComment = old.get_model("reviews", "ReviewComment")
        ReviewerProfile = old.get_model("reviews", "ReviewerProfile")

        writer = User.objects.create(username="old-writer")
        reviewer = User.objects.create(username="old-reviewer", first_name="Ada", last_name="Quinn")
        ReviewerProfile.objects.create(user=reviewer, slug="ada-quinn", credentials="MD")
        substance = ArticleType.objects.get(key="substance")
        # A type an editor added in the admin, which no migration knows by name.
        ArticleType.objects.create(key="procedure", name="Procedure", required_sections=[], optional_sections=[],
                                   min_references=1, review_interval_months=24)
        article = Article.objects.create(title="Old article", slug="old-article", article_type=substance)
        revision = Revision.objects.create(date_created=timezone.now(), user=writer, comment="Created")
        submission = AuditEntry.objects.create(article=article, actor=writer, action="submit",
                                               from_status="draft", to_status="in_review", revision=revision)
        now = timezone.now()
        publication = Publication.objects.create(
            article=article, revision=revision, submission=submission, content_hash="0" * 64,
            slug="old-article", title="Old article", summary="", body="", article_type_name=substance.name,
            reviewer=reviewer, reviewer_name="Ada Quinn", reviewer_credentials="MD", reviewer_slug="",
            reviewed_at=now, next_review_due=(now + datetime.timedelta(days=365)).date(), published_at=now,
            first_published_at=now)
        comment = ReviewComment.objects.create(article=article, section="general", text="Cite it.", author=reviewer,
                                               resolved_at=now, resolved_by=writer, reply="Cited in line two.")
    finally:
        new = migrate(latest())

    CommentReply = new.get_model("reviews", "CommentReply")
    ReviewStep = new.get_model("reviews", "ReviewStep")
    NewType = new.get_model("articles", "ArticleType")
    NewPublication = new.get_model("articles", "Publication")

    assert list(CommentReply.objects.filter(comment_id=comment.pk).values_list("author_id", "text")) == [
        (writer.pk, "Cited in line two.")]
    assert {"substance", "procedure", "medicine"} <= set(NewType.objects.values_list("key", flat=True))
    for article_type in NewType.objects.all():
        assert ReviewStep.objects.filter(article_type=article_type, position=1, name="Medical review",
                                         group__name="Medical reviewers").exists(), article_type.key
    assert list(ReviewStep.objects.filter(article_type__key="medicine").order_by("position")
                .values_list("name", "group__name")) == [("Medical review", "Medical reviewers"),
                                                         ("Pharmacist review", "Pharmacists")]
    migrated = NewPublication.objects.get(pk=publication.pk)
    assert migrated.reviewer_slug == "ada-quinn"
    assert [(s["step"], s["name"], s["credentials"], s["id"], s["slug"]) for s in migrated.sign_offs] == [
        ("Medical review", "Ada Quinn", "MD", reviewer.pk, "ada-quinn")]
