"""available_actions, role by state, as DESIGN.md's "Who may do what" table says."""
import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from articles.models import Article
from reviews.permissions import EDITORS, REVIEWERS
from reviews.editing import article_update
from reviews.permissions import available_actions
from reviews.workflow import article_approve, article_submit
from tests.factories import (
    as_reviewed,
    ALL_YES,
    another_reviewer,
    content_of,
    edit_article,
    make_draft,
    make_editor,
    make_in_review,
    make_published,
    make_reviewer,
    make_user,
    make_writer,
)


def draft_after_publication(writer):
    article = make_published(writer)
    return edit_article(article, writer, summary="An update waiting for its review.")


def in_review_after_publication(writer):
    article = draft_after_publication(writer)
    return article_submit(article=article, by=writer)


def scheduled(writer):
    article = make_in_review(writer)
    article_approve(**as_reviewed(article), by=another_reviewer(), checklist=dict(ALL_YES), rating=4,
                    go_live_at=timezone.now() + datetime.timedelta(days=2))
    return Article.objects.get(pk=article.pk)


STATES = {
    "draft": make_draft,
    "scheduled": scheduled,
    "in_review": make_in_review,
    "published": make_published,
    "draft_with_live_publication": draft_after_publication,
    "in_review_with_live_publication": in_review_after_publication,
}

ROLES = {
    "writer_contributor": None,  # the article's own writer
    "writer_not_contributor": make_writer,
    "reviewer_not_contributor": lambda: make_reviewer(first_name="Noor", last_name="Haddad"),
    "editor": make_editor,
    "editor_also_reviewer": lambda: make_user(groups=[EDITORS, REVIEWERS], credentials="MD"),
    "anonymous": AnonymousUser,
}

NOTHING = set()
# Approving with a go-live time still to come is "schedule"; the reviewer may do either.
REVIEW = {"approve", "schedule", "request_changes", "comment"}
# Saving content: an edit, a revert, a reason kept for a check finding.
WRITE = {"edit", "revert", "waive_finding"}

# Rows: DESIGN.md roles. Columns: states. "edit" and "revert" make a new draft, so they are open
# whenever the article is not in review or scheduled; "unpublish" needs a live publication; "submit"
# on a published article starts a re-review.
EXPECTED = {
    "writer_contributor": {
        "draft": WRITE | {"submit"},
        "scheduled": {"unschedule"},
        "in_review": {"withdraw"},
        "published": WRITE | {"submit"},
        "draft_with_live_publication": WRITE | {"submit"},
        "in_review_with_live_publication": {"withdraw"},
    },
    "writer_not_contributor": dict.fromkeys(STATES, NOTHING),
    "reviewer_not_contributor": {
        "draft": NOTHING,
        "scheduled": NOTHING,
        "in_review": REVIEW,
        "published": NOTHING,
        "draft_with_live_publication": NOTHING,
        "in_review_with_live_publication": REVIEW,
    },
    "editor": {
        "draft": WRITE | {"submit"},
        "scheduled": {"unschedule"},
        "in_review": {"withdraw"},
        "published": WRITE | {"submit", "unpublish"},
        "draft_with_live_publication": WRITE | {"submit", "unpublish"},
        "in_review_with_live_publication": {"withdraw", "unpublish"},
    },
    "editor_also_reviewer": {
        "draft": WRITE | {"submit"},
        "scheduled": {"unschedule"},
        "in_review": {"withdraw"} | REVIEW,
        "published": WRITE | {"submit", "unpublish"},
        "draft_with_live_publication": WRITE | {"submit", "unpublish"},
        "in_review_with_live_publication": {"withdraw", "unpublish"} | REVIEW,
    },
    "anonymous": dict.fromkeys(STATES, NOTHING),
}

CELLS = [(role, state) for role in EXPECTED for state in STATES]


@pytest.mark.parametrize("role, state", CELLS)
def test_available_actions_follow_the_design_table(role, state):
    writer = make_writer()
    article = STATES[state](writer)
    person = writer if ROLES[role] is None else ROLES[role]()

    assert available_actions(person, article) == EXPECTED[role][state]


def test_an_editor_reviewer_who_edited_the_article_is_not_offered_the_review_actions():
    writer = make_writer()
    editor_reviewer = make_user(groups=[EDITORS, REVIEWERS], credentials="MD")
    article = make_draft(writer)
    edit_article(article, editor_reviewer, summary="The editor's rewrite of the summary.")
    article = article_submit(article=article, by=writer)

    assert available_actions(editor_reviewer, article) == {"withdraw"}


def article_a_former_coauthor_edited():
    """An article whose second writer saved a revision and was then removed from its authors."""
    author, former, editor = make_writer(), make_writer(), make_editor()
    article = make_draft(author)
    article_update(article=article, by=editor, expected_version=article.version,
                   content=content_of(article), authors=[author, former])
    edit_article(article, former, summary="The former co-author's summary.")
    current = Article.objects.get(pk=article.pk)
    article_update(article=current, by=editor, expected_version=current.version,
                   content=content_of(article), authors=[author])
    return Article.objects.get(pk=article.pk), author, former


def test_a_writer_who_saved_a_revision_since_the_last_approval_counts_as_a_contributor():
    article, _, former = article_a_former_coauthor_edited()

    assert available_actions(former, article) == WRITE | {"submit"}


def test_saving_before_the_last_approval_no_longer_makes_a_writer_a_contributor():
    article, author, former = article_a_former_coauthor_edited()
    article_submit(article=article, by=author)
    article_approve(**as_reviewed(article), by=make_reviewer(), checklist=dict(ALL_YES), rating=4)

    assert available_actions(former, Article.objects.get(pk=article.pk)) == NOTHING
