"""Errors the article services raise. Each carries what a form needs to show it."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    """One reason an action was refused: the field it concerns and a sentence for a person."""

    field: str
    message: str
    rule: str = ""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidTransition(Exception):
    """The article's state does not allow this action."""


class TransitionRefused(Exception):
    """The state allows the action, but one or more rules refused it. Carries every failure."""

    def __init__(self, failures: list[Failure], summary: str = "The action was refused"):
        self.failures = list(failures)
        self.summary = summary
        details = "; ".join(str(f) for f in self.failures)
        super().__init__(f"{summary}: {details}" if details else summary)

    def by_field(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for failure in self.failures:
            grouped.setdefault(failure.field, []).append(failure.message)
        return grouped


class GateFailed(TransitionRefused):
    """The submission gate refused the article: missing sections, references or summary."""

    def __init__(self, failures: list[Failure]):
        super().__init__(failures, summary="The article does not pass the submission gate")


class StaleEdit(Exception):
    """Someone else saved the article after this editor loaded it; nothing was written."""

    def __init__(self, expected_version: int, current_version: int):
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(
            f"This article was saved by someone else since you opened it (you edited version "
            f"{expected_version}, it is now at version {current_version}). Your text has not "
            "been saved; compare the changes and save again."
        )


class NotAllowed(Exception):
    """This person may not take this action on this article."""
