"""Automated medical checks: what a clinician would stop an article for, found before review.

    findings = run_checks(content, article_type)

Each Finding has a code, a severity ("error" blocks submission until fixed or answered with a
reason; "warning" never blocks), a message for the writer, the words that triggered it, how to
fix it, the editorial policy it enforces, the field it belongs to ("title", "summary", "body",
"references" or a safety section key) and the excerpt it objects to.

The rules are data: one file per rule in rules/ (rulebook.py reads and checks them at start-up),
shared term lists in rules/terms/, context triggers in rules/context.toml. A publisher's and an
article type's changes come from settings.CHECKS_PROFILE (profiles.py).
"""
from ..content import ArticleContent
from .engine import Finding, Severity, fingerprint, run_rules
from .profiles import profile_for
from .rulebook import load_rules
from .text import Document, field_label

RULES = load_rules()
CODES: tuple[str, ...] = tuple(rule.code for rule in RULES)


def run_checks(content: ArticleContent, article_type=None, *, document: Document | None = None) -> list[Finding]:
    """Every finding for this content, in reading order. Without an article type the gate's
    MISSING_SECTION findings are left out (the type decides which sections are required).
    `document` is Document(content, article_type) when the caller has it already (the editor reads
    one for the checks, the plain-language measures and the gate)."""
    return run_rules(RULES, document or Document(content, article_type), profile_for(article_type))


def missing_sections(findings: list[Finding]) -> list[str]:
    return [finding.field for finding in findings if finding.code == "MISSING_SECTION"]


__all__ = ["CODES", "RULES", "Document", "Finding", "Severity", "field_label", "fingerprint", "missing_sections",
           "run_checks"]
