"""Reads: an article's findings together with the reasons its writers recorded for them."""
from dataclasses import dataclass

from ..content import ArticleContent
from ..models import Article, FindingWaiver
from ..sections import SECTIONS_BY_KEY
from . import run_checks
from .engine import Finding
from .text import field_label


@dataclass(frozen=True)
class CheckedFinding:
    """A finding, and the recorded reason that answers it (if any)."""

    finding: Finding
    waiver: FindingWaiver | None = None

    code = property(lambda self: self.finding.code)
    severity = property(lambda self: self.finding.severity)
    message = property(lambda self: self.finding.message)
    field = property(lambda self: self.finding.field)
    excerpt = property(lambda self: self.finding.excerpt)
    is_error = property(lambda self: self.finding.is_error)
    trigger = property(lambda self: self.finding.trigger)
    fix = property(lambda self: self.finding.fix)
    policy = property(lambda self: self.finding.policy)

    @property
    def field_label(self) -> str:
        return field_label(self.field)

    @property
    def waivable(self) -> bool:
        return self.finding.is_error and self.finding.waivable

    @property
    def blocking(self) -> bool:
        """An error with no recorded reason: submission waits for a fix or a reason."""
        return self.finding.is_error and self.finding.waivable and self.waiver is None

    @property
    def anchor(self) -> str:
        """The id of the field's wrapper in the editor (templates/partials/_field.html)."""
        if self.field == "references":
            return "references"
        if self.field in SECTIONS_BY_KEY:
            return f"field-section_{self.field}"
        return f"field-{self.field}"

    def as_json(self) -> dict:
        return {**self.finding.as_json(), "message": self.message, "field": self.field,
                "trigger": self.trigger, "fix": self.fix, "policy": self.policy,
                "reason": self.waiver.reason if self.waiver else ""}


def with_waivers(findings: list[Finding], waivers) -> list[CheckedFinding]:
    by_key = {(w.code, w.field, w.fingerprint): w for w in waivers}
    return [CheckedFinding(finding, by_key.get((finding.code, finding.field, finding.fingerprint)))
            for finding in findings]


def check_content(content: ArticleContent, article_type, article: Article | None = None, *,
                  document=None) -> list[CheckedFinding]:
    """Findings for content that may not be saved yet (the editor), with the article's reasons;
    `document` as for run_checks."""
    waivers = article_waivers(article) if article is not None and article.pk else []
    return with_waivers(run_checks(content, article_type, document=document), waivers)


def article_waivers(article: Article) -> list[FindingWaiver]:
    return list(FindingWaiver.objects.filter(article=article).select_related("created_by"))


def article_findings(article: Article) -> list[CheckedFinding]:
    """The working copy's findings, each with its recorded reason."""
    return check_content(ArticleContent.of(article), article.article_type, article)


def unanswered_errors(article: Article) -> list[Finding]:
    return [checked.finding for checked in article_findings(article) if checked.blocking]


def tally(findings: list[CheckedFinding]) -> dict[str, int]:
    """Counts for a summary line: errors still blocking, errors answered with a reason, required
    sections to write (the gate's, answered by writing), warnings."""
    return {
        "blocking": sum(1 for checked in findings if checked.blocking),
        "sections": sum(1 for checked in findings if checked.is_error and not checked.finding.waivable),
        "answered": sum(1 for checked in findings if checked.waiver is not None),
        "warnings": sum(1 for checked in findings if not checked.is_error),
        "total": len(findings),
    }


def by_field(findings: list[CheckedFinding]) -> dict[str, list[CheckedFinding]]:
    grouped: dict[str, list[CheckedFinding]] = {}
    for checked in findings:
        grouped.setdefault(checked.field, []).append(checked)
    return grouped
