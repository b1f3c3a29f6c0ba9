"""The workflow log in words: "Sent back for changes by Amira Patel, MD", not the row's codes
("request_changes (in_review -> draft)"). One place, so every page that shows the log says the same.
The audit rows themselves keep their codes: they are hashed into the chain (articles.audit)."""
from articles.models import AuditEntry

_WORDS = {
    "submit": "Submitted for medical review",
    "withdraw": "Withdrawn from review",
    "request_changes": "Sent back for changes",
    "approve": "Approved and published",
    "schedule": "Approved, to go live later",
    "go_live": "Went live as scheduled",
    "unschedule": "Taken off the schedule",
    "unpublish": "Unpublished",
    "edit": "Edited",
    "revert": "Reverted to an earlier revision",
    "waive_finding": "Kept text a check flagged, with a reason",
    "comment": "Commented",
    "sign_off": "Signed a review step",
    "assign": "Assigned a review step",
    "claim": "Took a review step",
    "review_due_date": "Changed when a review step is due",
    "correction_minor": "Added a minor correction note",
    "correction_medical": "Added a medical correction note",
    "correction_reviewed": "Approved a medical correction note",
    "correction_withdrawn": "Withdrew a correction note",
}


def person_label(user) -> str:
    """A person as the log names them: full name (or username), then credentials when they have a
    reviewer profile: "Amira Patel, MD"."""
    if user is None:
        return "the system"
    name = user.get_full_name() or user.get_username()
    # Callers bring the profile with select_related (recent_audit does), so a row costs no query;
    # without one, the reverse one-to-one raises a subclass of AttributeError.
    profile = getattr(user, "reviewer_profile", None)
    return f"{name}, {profile.credentials}" if profile is not None and profile.credentials else name


def describe(entry: AuditEntry) -> str:
    """One log line's sentence, without its time and comment."""
    action = entry.action
    words = _WORDS.get(action) or action.replace("_", " ").capitalize()
    if action == "submit" and entry.from_status == "published":
        words = "Sent for re-review"
    elif action == "sign_off":
        step = ((entry.details or {}).get("signature") or {}).get("step")
        if step:
            words = f"Signed {step}"
    assignment = (entry.details or {}).get("assignment") or {}
    if action == "assign" and assignment.get("step"):
        words = f"Assigned the {assignment['step']} to {assignment.get('assignee_name', 'someone')}"
    elif action == "claim" and assignment.get("step"):
        words = f"Took the {assignment['step']}"
    elif action == "review_due_date" and assignment.get("due_on"):
        words = f"Moved the {assignment.get('step', 'review')} due date to {assignment['due_on']}"
    who = person_label(entry.actor)
    if action == "go_live":
        return f"{words} (approved by {who})"
    return f"{words} by {who}"
