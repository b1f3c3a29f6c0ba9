"""Role x page x state, over HTTP, as DESIGN.md's "Who may do what" table says.

"login" means redirected to the login page; 404 is the same answer as for an article that does
not exist; 403 means the person may see the article but not take this action.
"""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEntry
from articles.selectors import article_history
from reviews.workflow import article_approve
from tests.factories import (ALL_YES, as_reviewed, make_draft, make_editor, make_in_review, make_published,
                             make_reviewer, make_writer)

ROLES = ["anonymous", "writer_contributor", "writer_other", "reviewer", "editor"]

# page -> state -> role -> expected answer
READ_PAGES = {
    "workspace": {
        "draft": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=404, editor=200),
        "in_review": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=200, editor=200),
        "published": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=200, editor=200),
    },
    "history": {
        "draft": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=404, editor=200),
        "in_review": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=200, editor=200),
        "published": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=200, editor=200),
        "scheduled": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=200, editor=200),
    },
    "compare": {
        "draft": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=404, editor=200),
        "in_review": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=200, editor=200),
        "published": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=200, editor=200),
    },
    # Whoever may see the working copy may see it as readers will: reviewers too, so they can
    # judge the submission (or the approved, scheduled snapshot) as it will be published.
    "preview": {
        "draft": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=404, editor=200),
        "in_review": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=200, editor=200),
        "published": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=200, editor=200),
        "scheduled": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=200, editor=200),
    },
    "edit": {
        "draft": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=404, editor=200),
        # In review the working copy is read-only: the edit page sends people back to the article.
        "in_review": dict(anonymous="login", writer_contributor=302, writer_other=404, reviewer=403, editor=302),
        "published": dict(anonymous="login", writer_contributor=200, writer_other=404, reviewer=403, editor=200),
    },
    "review": {
        "draft": dict(anonymous="login", writer_contributor=403, writer_other=404, reviewer=404, editor=403),
        "in_review": dict(anonymous="login", writer_contributor=403, writer_other=404, reviewer=200, editor=403),
        "published": dict(anonymous="login", writer_contributor=403, writer_other=404, reviewer=403, editor=403),
    },
}

# action -> state -> role -> does the state change? (True = allowed, or the HTTP answer when refused)
ACTIONS = {
    "submit": {
        "draft": dict(anonymous="login", writer_contributor=True, writer_other=404, reviewer=404, editor=True),
        "in_review": dict(anonymous="login", writer_contributor=403, writer_other=404, reviewer=403, editor=403),
    },
    "withdraw": {
        "in_review": dict(anonymous="login", writer_contributor=True, writer_other=404, reviewer=403, editor=True),
        "draft": dict(anonymous="login", writer_contributor=403, writer_other=404, reviewer=404, editor=403),
    },
    "unpublish": {
        "published": dict(anonymous="login", writer_contributor=403, writer_other=404, reviewer=403, editor=True),
    },
}


@pytest.fixture
def people():
    writer = make_writer("author")
    return {
        "writer_contributor": writer,
        "writer_other": make_writer("other_writer"),
        "reviewer": make_reviewer("clinician"),
        "editor": make_editor("desk_editor"),
        "approver": make_reviewer("approver"),
    }


def article_in(state, people) -> Article:
    writer = people["writer_contributor"]
    if state == "draft":
        article = make_draft(writer)
        # A second revision, so compare has two to compare.
        from tests.factories import edit_article
        edit_article(article, writer, summary="A second version of the summary.")
        return Article.objects.get(pk=article.pk)
    if state == "in_review":
        return make_in_review(writer)
    if state == "scheduled":
        article = make_in_review(writer)
        article_approve(**as_reviewed(article), by=people["approver"], checklist=dict(ALL_YES), rating=4,
                        go_live_at=timezone.now() + datetime.timedelta(days=7))
        return Article.objects.get(pk=article.pk)
    return make_published(writer, reviewer=people["approver"])


def url_for(page, article):
    if page == "workspace":
        return reverse("desk:article", args=[article.pk])
    if page == "review":
        return reverse("desk:review", args=[article.pk])
    if page == "compare":
        revisions = [meta.revision_id for meta in article_history(article)]
        return reverse("desk:compare", args=[article.pk]) + f"?from={revisions[-1]}&to={revisions[0]}"
    return reverse(f"desk:{page}", args=[article.pk])


def answer(response):
    if response.status_code == 302 and response.url.startswith("/accounts/login/"):
        return "login"
    return response.status_code


def log_in(client, people, role):
    if role != "anonymous":
        client.force_login(people[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page,state", [(p, s) for p, states in READ_PAGES.items() for s in states])
def test_each_role_sees_each_page_in_each_state_as_the_design_says(client, people, page, state, role):
    article = article_in(state, people)
    log_in(client, people, role)
    assert answer(client.get(url_for(page, article))) == READ_PAGES[page][state][role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action,state", [(a, s) for a, states in ACTIONS.items() for s in states])
def test_each_role_may_take_each_action_only_as_the_design_says(client, people, action, state, role):
    article = article_in(state, people)
    log_in(client, people, role)
    data = {"reason": "Out of date"} if action == "unpublish" else {}
    before = AuditEntry.objects.filter(article=article).count()
    response = client.post(reverse(f"desk:{action}", args=[article.pk]), data)
    expected = ACTIONS[action][state][role]
    changed = AuditEntry.objects.filter(article=article).count() > before
    if expected is True:
        assert response.status_code == 302 and changed
    else:
        assert answer(response) == expected
        assert not changed


def test_a_missing_article_and_another_writers_draft_get_the_same_404(client, people):
    article = article_in("draft", people)
    client.force_login(people["writer_other"])
    theirs = client.get(reverse("desk:article", args=[article.pk]))
    missing = client.get(reverse("desk:article", args=[article.pk + 1000]))
    assert theirs.status_code == missing.status_code == 404
    assert article.title not in theirs.content.decode()


@pytest.mark.parametrize("name", ["submit", "withdraw", "unpublish"])
def test_a_get_never_changes_state(client, people, name):
    article = article_in("in_review" if name == "withdraw" else "draft" if name == "submit" else "published", people)
    client.force_login(people["editor"])
    response = client.get(reverse(f"desk:{name}", args=[article.pk]))
    # Unpublishing answers a GET with its confirmation page; the others take POST only.
    assert response.status_code == (200 if name == "unpublish" else 405)
    assert Article.objects.get(pk=article.pk).status == article.status
    assert Article.objects.get(pk=article.pk).live_publication_id == article.live_publication_id


def test_a_get_of_revert_changes_nothing(client, people):
    article = article_in("draft", people)
    client.force_login(people["writer_contributor"])
    oldest = list(article_history(article))[-1].revision_id
    response = client.get(reverse("desk:revert", args=[article.pk, oldest]))
    assert response.status_code == 405
    assert Article.objects.get(pk=article.pk).version == article.version


def test_a_state_change_without_a_csrf_token_is_refused(people):
    from django.test import Client

    article = article_in("draft", people)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["writer_contributor"])
    response = client.post(reverse("desk:submit", args=[article.pk]))
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).status == "draft"


def test_an_author_who_is_also_a_reviewer_is_not_offered_the_review(client):
    from django.contrib.auth.models import Group

    author = make_reviewer("doctor_writer")
    author.groups.add(Group.objects.get(name="Writers"))
    article = make_in_review(author)
    client.force_login(author)
    assert client.get(reverse("desk:review", args=[article.pk])).status_code == 403
    assert "Review this article" not in client.get(reverse("desk:article", args=[article.pk])).content.decode()
