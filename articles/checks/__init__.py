"""Automated medical checks: what a clinician would stop an article for, found before review.

    findings = run_checks(content, article_type)

Each Finding has a code, a severity ("error" blocks submission until fixed or answered with a
reason; "warning" never blocks), a message for the writer, the field it belongs to ("title",
"summary", "body", "references" or a safety section key) and the excerpt it objects to.
The rules live in rules_*.py by theme; waivers (a writer's recorded reason) in waivers.py.
"""
from ..content import ArticleContent
from . import rules_claims, rules_commerce, rules_safety, rules_structure
from .engine import Finding, Rule, Severity, fingerprint, run_rules
from .text import Document, field_label

RULES: tuple[Rule, ...] = (
    *rules_safety.RULES,
    *rules_claims.RULES,
    *rules_commerce.RULES,
    *rules_structure.RULES,
)
CODES: tuple[str, ...] = tuple(rule.code for rule in RULES)


def run_checks(content: ArticleContent, article_type=None) -> list[Finding]:
    """Every finding for this content, in reading order. Without an article type the gate's
    MISSING_SECTION findings are left out (the type decides which sections are required)."""
    return run_rules(RULES, Document(content, article_type))


def missing_sections(findings: list[Finding]) -> list[str]:
    return [finding.field for finding in findings if finding.code == "MISSING_SECTION"]


__all__ = ["CODES", "RULES", "Finding", "Severity", "field_label", "fingerprint", "missing_sections", "run_checks"]
