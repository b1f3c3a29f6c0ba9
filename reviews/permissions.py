"""One answer to "may this person do that to this article": available_actions.

Templates draw buttons from it, views check it, and the workflow services check it again.
"""
from articles.models import Article
from articles.permissions import can_edit, contributor_ids, is_editor, is_reviewer

from .workflow import TRANSITIONS, Action


def _state_allows(article: Article, action: Action) -> bool:
    if action in (Action.EDIT, Action.REVERT):
        return article.status not in (Article.Status.IN_REVIEW, Article.Status.SCHEDULED)
    if action == Action.COMMENT:
        return article.status == Article.Status.IN_REVIEW
    if action == Action.UNPUBLISH and article.live_publication_id is None:
        return False
    return (article.status, action) in TRANSITIONS


def role_refusal(user, article: Article, action: Action, *, contributor: bool | None = None) -> str | None:
    """Why this person may not take this action, or None when their role allows it."""
    if not user.is_authenticated:
        return "Log in first."
    if contributor is None:
        contributor = user.pk in contributor_ids(article)
    editor = is_editor(user)
    if action in (Action.EDIT, Action.REVERT, Action.SUBMIT, Action.WITHDRAW, Action.UNSCHEDULE):
        # The same rule as articles.permissions.can_edit, which the article pages ask directly.
        if can_edit(user, article, contributor=contributor):
            return None
        return "Only the article's writers and editors can do this."
    if action in (Action.APPROVE, Action.SCHEDULE, Action.REQUEST_CHANGES, Action.COMMENT):
        if not is_reviewer(user):
            return "Only medical reviewers can review articles."
        if contributor:
            return ("You wrote or changed this article since its last approval, so another "
                    "reviewer must review it.")
        return None
    if action == Action.UNPUBLISH:
        return None if editor else "Only editors can unpublish an article."
    if action == Action.GO_LIVE:
        return "Scheduled articles go live by themselves (publish_scheduled)."
    return "Unknown action."


def available_actions(user, article: Article) -> frozenset[Action]:
    if not user.is_authenticated:
        return frozenset()
    contributor = user.pk in contributor_ids(article)
    return frozenset(
        action for action in Action
        if _state_allows(article, action)
        and role_refusal(user, article, action, contributor=contributor) is None
    )


COMMENT_VERBS = ("reply", "answer", "resolve")


def comment_refusal(user, article: Article, verb: str, *, contributor: bool | None = None) -> str | None:
    """Why this person may not reply to, answer or resolve a comment on this article, or None.

    The writer's side answers (writers who may edit, and editors); reviewers who may review the
    article resolve, whoever opened the comment; both sides reply.
    """
    if not user.is_authenticated:
        return "Log in first."
    if contributor is None:
        contributor = user.pk in contributor_ids(article)
    writer_side = can_edit(user, article, contributor=contributor)
    reviewer_side = role_refusal(user, article, Action.COMMENT, contributor=contributor) is None
    if verb == "answer":
        return None if writer_side else ("Only the article's writers and editors mark a comment answered; "
                                         "a reviewer resolves it.")
    if verb == "resolve":
        return None if reviewer_side else ("Only a medical reviewer who did not change the article resolves "
                                           "its comments; the writer marks them answered.")
    if verb == "reply":
        return None if writer_side or reviewer_side else "Only the article's writers and its reviewers reply."
    return "Unknown action."


def comment_verbs(user, article: Article) -> frozenset[str]:
    """What this person may do with the comments of this article (states aside), asked once a page."""
    if not user.is_authenticated:
        return frozenset()
    contributor = user.pk in contributor_ids(article)
    return frozenset(verb for verb in COMMENT_VERBS
                     if comment_refusal(user, article, verb, contributor=contributor) is None)
