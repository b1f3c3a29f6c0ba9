"""A decision binds to the submission the reviewer had on screen (DESIGN: "the reviewer approves
exactly the revision on their screen"), in the service and over HTTP."""
import re

import pytest
from django.urls import reverse

from articles.errors import TransitionRefused
from articles.models import Article, Publication
from reviews.models import CHECKLIST, Review
from reviews.workflow import article_approve, article_request_changes, article_submit, article_withdraw
from tests.factories import ALL_YES, as_reviewed, edit_article, make_in_review, make_reviewer, make_writer

UNREVIEWED = "<p>Take this as often as you like.</p>"


def resubmit_with_new_text(article, writer):
    """The writer withdraws the submission, adds a sentence and submits again."""
    article_withdraw(article=Article.objects.get(pk=article.pk), by=writer)
    edit_article(article, writer, body=UNREVIEWED)
    return article_submit(article=Article.objects.get(pk=article.pk), by=writer)


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


# --- The service ---

def test_approving_a_submission_that_was_replaced_is_refused_and_publishes_nothing():
    writer = make_writer()
    article = make_in_review(writer)
    shown = as_reviewed(article)
    resubmit_with_new_text(article, writer)

    with pytest.raises(TransitionRefused) as refused:
        article_approve(**shown, by=make_reviewer(), checklist=dict(ALL_YES), rating=4)

    assert [f.rule for f in refused.value.failures] == ["stale_review"]
    message = refused.value.failures[0].message
    assert f"revision #{shown['reviewed_revision_id']}" in message
    assert f"revision #{Article.objects.get(pk=article.pk).submitted_revision_id}" in message
    assert not Publication.objects.filter(article=article).exists()
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_approving_the_new_submission_once_read_publishes_it():
    writer = make_writer()
    article = make_in_review(writer)
    resubmit_with_new_text(article, writer)

    article_approve(**as_reviewed(article), by=make_reviewer(), checklist=dict(ALL_YES), rating=4)

    assert "as often as you like" in Publication.objects.get(article=article).body


def test_a_decision_that_names_no_submission_is_refused():
    article = make_in_review()

    with pytest.raises(TransitionRefused) as refused:
        article_approve(article=article, by=make_reviewer(), reviewed_revision_id=None, reviewed_hash="",
                        checklist=dict(ALL_YES), rating=4)

    assert "does not name the submitted version" in refused.value.failures[0].message


def test_a_decision_naming_the_right_revision_with_another_hash_is_refused():
    article = make_in_review()
    shown = {**as_reviewed(article), "reviewed_hash": "0" * 64}

    with pytest.raises(TransitionRefused):
        article_approve(**shown, by=make_reviewer(), checklist=dict(ALL_YES), rating=4)


def test_requesting_changes_on_a_replaced_submission_is_refused():
    from reviews.comments import NewComment

    writer = make_writer()
    article = make_in_review(writer)
    shown = as_reviewed(article)
    resubmit_with_new_text(article, writer)

    with pytest.raises(TransitionRefused):
        article_request_changes(**shown, by=make_reviewer(), comments=[NewComment("general", "Add a source.")])

    assert not Review.objects.filter(article=article).exists()


# --- Over HTTP ---

def review_post(page: str, **overrides) -> dict:
    data = {f"check_{key}": "on" for key, _, _ in CHECKLIST}
    data.update({"rating": "4", "comment": "Clear and well sourced.", "decision": "approve",
                 "reviewed_revision": hidden(page, "reviewed_revision"),
                 "reviewed_hash": hidden(page, "reviewed_hash"),
                 "sign_meaning": "on", "sign_password": "pw-for-tests-only"})
    data.update(overrides)
    return data


def test_the_review_page_names_the_revision_and_hash_it_shows(client):
    article = make_in_review()
    client.force_login(make_reviewer())

    page = client.get(reverse("desk:review", args=[article.pk])).content.decode()

    article = Article.objects.get(pk=article.pk)
    assert hidden(page, "reviewed_revision") == str(article.submitted_revision_id)
    assert hidden(page, "reviewed_hash") == article.submitted_hash
    assert f"revision #{article.submitted_revision_id}" in page
    assert article.submitted_hash[:12] in page


def test_a_stale_review_page_is_refused_and_shows_the_new_submission_keeping_the_note(client):
    writer = make_writer()
    article = make_in_review(writer)
    client.force_login(make_reviewer())
    url = reverse("desk:review", args=[article.pk])
    opened = client.get(url).content.decode()

    resubmit_with_new_text(article, writer)
    response = client.post(url, review_post(opened))

    page = response.content.decode()
    current = Article.objects.get(pk=article.pk)
    assert response.status_code == 200
    assert "The article changed while you were reviewing it" in page
    assert f'href="{url}"' in page
    assert current.status == Article.Status.IN_REVIEW and not Publication.objects.filter(article=article).exists()
    # The page now shows and binds to the new submission; the note is kept, the checklist is not.
    assert hidden(page, "reviewed_revision") == str(current.submitted_revision_id)
    assert "as often as you like" in page
    assert "Clear and well sourced." in page
    assert 'name="check_accuracy" id="id_check_accuracy" checked' not in page

    assert client.post(url, review_post(page)).status_code == 302
    assert "as often as you like" in Publication.objects.get(article=article).body


def test_a_direct_post_without_the_reviewed_submission_is_refused(client):
    article = make_in_review()
    client.force_login(make_reviewer())
    page = client.get(reverse("desk:review", args=[article.pk])).content.decode()
    data = review_post(page)
    del data["reviewed_revision"], data["reviewed_hash"]

    response = client.post(reverse("desk:review", args=[article.pk]), data)

    assert response.status_code == 200
    assert "does not name the submitted version" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_request_changes_from_a_stale_page_is_refused(client):
    writer = make_writer()
    article = make_in_review(writer)
    client.force_login(make_reviewer())
    url = reverse("desk:review", args=[article.pk])
    opened = client.get(url).content.decode()
    resubmit_with_new_text(article, writer)

    page = client.post(url, review_post(opened, decision="request_changes", comment="Cite a source.")).content.decode()

    assert "The article changed while you were reviewing it" in page
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_a_decision_on_a_withdrawn_published_article_says_it_is_no_longer_in_review(client):
    from tests.factories import make_published

    writer = make_writer()
    article = make_published(writer)
    article_submit(article=Article.objects.get(pk=article.pk), by=writer)  # a re-review
    client.force_login(make_reviewer())
    url = reverse("desk:review", args=[article.pk])
    opened = client.get(url).content.decode()
    article_withdraw(article=Article.objects.get(pk=article.pk), by=writer)

    response = client.post(url, review_post(opened), follow=True)

    assert "no longer in review" in response.content.decode()
    assert Publication.objects.filter(article=article).count() == 1


def test_a_decision_on_a_withdrawn_draft_answers_404_to_a_reviewer(client):
    """A draft is invisible to reviewers who did not write it (DESIGN invariant 6), even here."""
    writer = make_writer()
    article = make_in_review(writer)
    client.force_login(make_reviewer())
    url = reverse("desk:review", args=[article.pk])
    opened = client.get(url).content.decode()
    article_withdraw(article=Article.objects.get(pk=article.pk), by=writer)

    assert client.post(url, review_post(opened)).status_code == 404
