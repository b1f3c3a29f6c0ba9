"""The rule engine: what a finding is, and how the rules (data, read by rulebook.py) run.

A rule's kind names the finder that reads the Document for it (finders.py); most rules are
"phrases": patterns on the text of each sentence, answered by a citation or by their context
(negated, uncertain, hedged, quoted, or a subject such as a clinician). The engine turns hits
into Findings with the rule's code, severity and explanation, drops repeats and sorts them in
reading order.
"""
import enum
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from .text import field_rank

EXCERPT_CHARS = 300


class Severity(enum.StrEnum):
    ERROR = "error"      # blocks submission until fixed, or until the writer records a reason
    WARNING = "warning"  # shown to writer and reviewer; never blocks


def fingerprint(excerpt: str) -> str:
    """What a waiver is tied to: the flagged text itself, so any change to it voids the waiver."""
    return hashlib.sha256(" ".join(excerpt.split()).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    # "title", "summary", "body", "references" or a safety section key: where the editor shows it.
    field: str
    excerpt: str
    # Gate failures (MISSING_SECTION) are answered by writing the section, never by a reason.
    waivable: bool = True
    trigger: str = ""  # the words that set it off, as they stand in the text
    fix: str = ""      # how to put it right
    policy: str = ""   # the editorial policy section it enforces (an anchor in EDITORIAL_POLICY.md)

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.excerpt)

    def as_json(self) -> dict:
        """The check_article contract: exactly these four keys."""
        return {"code": self.code, "severity": str(self.severity), "message": self.explained(),
                "excerpt": self.excerpt}

    def explained(self) -> str:
        """The message with the trigger words and the fix, for places that show one line."""
        parts = [self.message]
        if self.trigger:
            parts.append(f'(Flagged words: "{self.trigger}".)')
        if self.fix and self.fix not in self.message:
            parts.append(self.fix)
        return " ".join(parts)


@dataclass(frozen=True)
class Hit:
    field: str
    excerpt: str
    message: str = ""  # overrides the rule's message when the hit has more to say
    at: int = 0        # the block it was found in, for reading order
    trigger: str = ""


def excerpt_of(text: str, position: int = 0) -> str:
    """The sentence, or a window of it around `position` when it is very long."""
    if len(text) <= EXCERPT_CHARS:
        return text
    start = max(0, min(position - EXCERPT_CHARS // 3, len(text) - EXCERPT_CHARS))
    window = text[start:start + EXCERPT_CHARS]
    if start:
        window = "…" + window.split(" ", 1)[-1]
    if start + EXCERPT_CHARS < len(text):
        window = window.rsplit(" ", 1)[0] + "…"
    return window


def contains_any(text: str, needles) -> bool:
    for needle in needles:  # a plain loop: twice as fast as any() over a generator
        if needle in text:
            return True
    return False


def run_rules(rules: Iterable, document, profile) -> list[Finding]:
    """Every rule's findings, each (code, field, excerpt) once, in reading order. `rules` are
    rulebook.RuleSpec; `profile` (profiles.Profile) turns rules off and changes severities."""
    from .finders import FINDERS
    from .prefilter import needle_index
    from .rulebook import all_needles

    rules = tuple(rules)
    document.needle_index = needle_index(all_needles(rules))
    rows: list[tuple[int, int, int, Finding]] = []
    seen: set[tuple[str, str, str]] = set()
    for order, rule in enumerate(rules):
        if not profile.enabled(rule.code):
            continue
        severity = Severity(profile.severity(rule.code, rule.severity))
        for hit in FINDERS[rule.kind](rule, document, profile):
            key = (rule.code, hit.field, hit.excerpt)
            if key in seen:
                continue
            seen.add(key)
            rows.append((field_rank(hit.field), hit.at, order, Finding(
                code=rule.code, severity=severity, message=hit.message or rule.message,
                field=hit.field, excerpt=hit.excerpt, waivable=rule.waivable, trigger=hit.trigger,
                fix=rule.fix, policy=rule.policy,
            )))
    rows.sort(key=lambda row: row[:3])
    return [finding for *_, finding in rows]
