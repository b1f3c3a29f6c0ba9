"""The lifecycle's state graph in one table.

Every action on an article is a row: (state, action) -> next state. An action with no row for a
state is not possible in that state, so which states are read-only, what a button offers and what
a service refuses all follow from this table (reviews.permissions reads it; reviews.workflow
carries the actions out). Pure: no database.
"""
import enum

from articles.errors import InvalidTransition
from articles.models import Article

Status = Article.Status


class Action(enum.StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    # Approval with a go-live time still to come; GO_LIVE is publish_scheduled carrying it out.
    SCHEDULE = "schedule"
    GO_LIVE = "go_live"
    UNSCHEDULE = "unschedule"
    UNPUBLISH = "unpublish"
    # Saving content: an edit, a revert to an earlier revision, a reason kept for a check finding.
    EDIT = "edit"
    REVERT = "revert"
    WAIVE_FINDING = "waive_finding"
    # A reviewer's comment without a decision (the state does not change).
    COMMENT = "comment"


TRANSITIONS: dict[tuple[str, Action], str] = {
    (Status.DRAFT, Action.SUBMIT): Status.IN_REVIEW,
    # Submitting an unchanged published article is a re-review: approval renews its dates.
    (Status.PUBLISHED, Action.SUBMIT): Status.IN_REVIEW,
    (Status.IN_REVIEW, Action.WITHDRAW): Status.DRAFT,
    (Status.IN_REVIEW, Action.REQUEST_CHANGES): Status.DRAFT,
    (Status.IN_REVIEW, Action.COMMENT): Status.IN_REVIEW,
    (Status.IN_REVIEW, Action.APPROVE): Status.PUBLISHED,
    (Status.IN_REVIEW, Action.SCHEDULE): Status.SCHEDULED,
    (Status.SCHEDULED, Action.GO_LIVE): Status.PUBLISHED,
    (Status.SCHEDULED, Action.UNSCHEDULE): Status.DRAFT,
    # Editing a published article makes a new draft; its live publication stays until the next
    # approval replaces it. In review or scheduled, no row: the content is read-only, so the
    # reviewer approves exactly what was submitted and readers get exactly what was approved.
    (Status.DRAFT, Action.EDIT): Status.DRAFT,
    (Status.PUBLISHED, Action.EDIT): Status.DRAFT,
    (Status.DRAFT, Action.REVERT): Status.DRAFT,
    (Status.PUBLISHED, Action.REVERT): Status.DRAFT,
    (Status.DRAFT, Action.WAIVE_FINDING): Status.DRAFT,
    (Status.PUBLISHED, Action.WAIVE_FINDING): Status.PUBLISHED,
    # Unpublishing withdraws the live publication; the working copy keeps its place in the graph,
    # except that a working copy identical to the withdrawn publication becomes a draft again.
    (Status.PUBLISHED, Action.UNPUBLISH): Status.DRAFT,
    (Status.DRAFT, Action.UNPUBLISH): Status.DRAFT,
    (Status.IN_REVIEW, Action.UNPUBLISH): Status.IN_REVIEW,
    (Status.SCHEDULED, Action.UNPUBLISH): Status.SCHEDULED,
}

# The states in which content cannot be saved: derived, never listed by hand.
READ_ONLY_STATES = frozenset(status for status in Status if (status, Action.EDIT) not in TRANSITIONS)

_READ_ONLY_REASONS = {
    Status.IN_REVIEW: "This article is in medical review and is read-only, so the reviewer approves exactly "
                      "what was submitted. Withdraw it to make changes.",
    Status.SCHEDULED: "This article is approved and scheduled to go live, so it is read-only. Unschedule it "
                      "to make changes.",
}


def next_status(current: str, action: Action) -> str:
    """The state after `action`, or InvalidTransition saying why not. Pure: no database."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        if action in (Action.EDIT, Action.REVERT, Action.WAIVE_FINDING) and current in READ_ONLY_STATES:
            raise InvalidTransition(_READ_ONLY_REASONS.get(current, "This article is read-only now.")) from None
        label = Status(current).label.lower() if current in Status.values else current
        raise InvalidTransition(f'An article that is {label} cannot be sent to "{action.value}".') from None
