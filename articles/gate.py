"""The submission gate: an article may not go to review, nor be approved, until it passes.

The gate reads content, not forms, so every path (desk, import, revert, admin, a direct POST)
is held to the same rules. It returns every failure at once, each naming its field.
"""
import re

from django.core.exceptions import ValidationError

from .content import ArticleContent
from .errors import Failure, GateFailed
from .figures import image_refs
from .models import ArticleType
from .sanitize import check_limits, html_to_text
from .sections import SECTIONS_BY_KEY

MIN_SECTION_WORDS = 25

PLACEHOLDER_RE = re.compile(
    r"^\W*(tbd|tba|todo|to do|n/?a|none|nil|xxx+|placeholder|coming soon|to be (added|written|confirmed|completed)"
    r"|lorem ipsum.*|\.\.\.|-+)\W*$",
    re.IGNORECASE,
)
LOREM_RE = re.compile(r"lorem ipsum|dolor sit amet", re.IGNORECASE)
# "Consult a healthcare professional" and its variants: deferring to a professional is not, by
# itself, safety information. The phrase is removed before words are counted.
DEFERRAL_RE = re.compile(
    r"\b(consult|speak (to|with)|talk (to|with)|ask|check with|see)\s+(\w+\s+){0,3}?"
    r"(healthcare|health care|medical|professional|doctor|physician|gp|pharmacist|provider|clinician)"
    r"(\s+(professional|provider|practitioner)s?)?",
    re.IGNORECASE,
)


def section_problem(html: str) -> str | None:
    """Why a required section does not hold real content, or None when it does."""
    text = html_to_text(html)
    if not text:
        return "is empty."
    if PLACEHOLDER_RE.match(text) or LOREM_RE.search(text):
        return "holds a placeholder, not content."
    substantive = DEFERRAL_RE.sub(" ", text)
    words = len(re.findall(r"\w+", substantive))
    if words == 0:
        return 'only says to consult a professional; say what the risks are.'
    if words < MIN_SECTION_WORDS:
        return (f"is too short to be useful ({words} words of substance; at least "
                f"{MIN_SECTION_WORDS} are needed).")
    return None


# Alt text that is only a file name ("IMG_2041.jpg") describes nothing.
FILE_NAME_ALT_RE = re.compile(r"^[\w ().-]*\.(jpe?g|png|gif|webp|heic|tiff?)$", re.IGNORECASE)
ALT_ADVICE = "describe what it shows for readers who cannot see it."


def _alt_problem(alt: str) -> str | None:
    if not alt.strip():
        return "has no alt text"
    if FILE_NAME_ALT_RE.match(alt.strip()):
        return "has a file name for alt text"
    return None


def _html_fields(content: ArticleContent) -> list[tuple[str, str, str]]:
    """(field, label, HTML) for the body and each known section."""
    return [("body", "the body", content.body)] + [
        (key, f'the section "{SECTIONS_BY_KEY[key].title}"', html)
        for key, html in content.sections.items() if key in SECTIONS_BY_KEY
    ]


def limit_failures(content: ArticleContent) -> list[Failure]:
    """Each HTML field over the sanitizer's size or nesting limit, which unsaved editor HTML may
    be: named with the limit, and not read further (nothing over them is stored)."""
    failures = []
    for field, label, html in _html_fields(content):
        try:
            check_limits(html or "")
        except ValidationError as exc:
            failures.append(Failure(field, f"{label[0].upper()}{label[1:]}: {' '.join(exc.messages)}",
                                    exc.error_list[0].code))
    return failures


_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)


def _without_comments(html: str) -> str:
    """The HTML without its comments, which the sanitizer drops with any <img> inside them; an
    unclosed "<!--" runs to the end. Python 3.11's html.parser (figures.image_refs) is quadratic
    on unclosed comments ("<img <!--" x 50,000 took minutes), so it never sees them. Linear: no
    comment can close past the last "-->"."""
    if "<!--" not in html:
        return html
    last = html.rfind("-->") + 3
    head = _COMMENT_RE.sub("", html[:last]) if last > 2 else ""
    tail = html[last:] if last > 2 else html
    return head + tail.split("<!--", 1)[0]


def image_failures(content: ArticleContent, *, skip: frozenset[str] = frozenset()) -> list[Failure]:
    """Every image readers would get without a useful text alternative: lead, body, sections."""
    failures = []
    if content.lead_image:
        problem = _alt_problem(content.lead_image["alt"])
        if problem:
            failures.append(Failure("lead_image", f"The lead image {problem}: {ALT_ADVICE}", "image_alt_missing"))
    for field, label, html in _html_fields(content):
        if field in skip:
            continue
        for number, image in enumerate(image_refs(_without_comments(html)), start=1):
            problem = _alt_problem(image["alt"])
            if problem:
                failures.append(Failure(field, f"Image {number} in {label} {problem}: {ALT_ADVICE}",
                                        "image_alt_missing"))
    return failures


def gate_failures(content: ArticleContent, article_type: ArticleType) -> list[Failure]:
    # The limits first: a field over them is named, and not parsed.
    failures: list[Failure] = limit_failures(content)
    over_limits = frozenset(failure.field for failure in failures)
    if not content.title.strip():
        failures.append(Failure("title", "The article needs a title.", "title_missing"))
    if not content.summary.strip():
        failures.append(Failure("summary", "The article needs a summary.", "summary_missing"))
    for key in article_type.required_sections:
        if key in over_limits:
            continue
        problem = section_problem(content.sections.get(key, ""))
        if problem:
            title = SECTIONS_BY_KEY[key].title
            failures.append(Failure(
                key,
                f'The required section "{title}" {problem}',
                "section_missing" if problem == "is empty." else "section_insufficient",
            ))
    cited = [ref for ref in content.references if ref["title"] or ref["url"] or ref["doi"] or ref["pmid"]]
    if len(cited) < article_type.min_references:
        failures.append(Failure(
            "references",
            f"{article_type.name} articles must cite at least {article_type.min_references} "
            f"source{'s' if article_type.min_references != 1 else ''}; this one cites {len(cited)}.",
            "references_missing",
        ))
    failures.extend(image_failures(content, skip=over_limits))
    return failures


def assert_gate_passes(content: ArticleContent, article_type: ArticleType) -> None:
    failures = gate_failures(content, article_type)
    if failures:
        raise GateFailed(failures)
