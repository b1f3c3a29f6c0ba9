"""The submission gate: an article may not go to review, nor be approved, until it passes.

The gate reads content, not forms, so every path (desk, import, revert, admin, a direct POST)
is held to the same rules. It returns every failure at once, each naming its field.
"""
import re

from .content import ArticleContent
from .errors import Failure, GateFailed
from .figures import image_refs
from .models import ArticleType
from .sanitize import html_to_text
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


def image_failures(content: ArticleContent) -> list[Failure]:
    """Every image readers would get without a useful text alternative: lead, body, sections."""
    failures = []
    if content.lead_image:
        problem = _alt_problem(content.lead_image["alt"])
        if problem:
            failures.append(Failure("lead_image", f"The lead image {problem}: {ALT_ADVICE}", "image_alt_missing"))
    places = [("body", "the body", content.body)] + [
        (key, f'the section "{SECTIONS_BY_KEY[key].title}"', html)
        for key, html in content.sections.items() if key in SECTIONS_BY_KEY
    ]
    for field, label, html in places:
        for number, image in enumerate(image_refs(html), start=1):
            problem = _alt_problem(image["alt"])
            if problem:
                failures.append(Failure(field, f"Image {number} in {label} {problem}: {ALT_ADVICE}",
                                        "image_alt_missing"))
    return failures


def gate_failures(content: ArticleContent, article_type: ArticleType) -> list[Failure]:
    failures: list[Failure] = []
    if not content.title.strip():
        failures.append(Failure("title", "The article needs a title.", "title_missing"))
    if not content.summary.strip():
        failures.append(Failure("summary", "The article needs a summary.", "summary_missing"))
    for key in article_type.required_sections:
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
    failures.extend(image_failures(content))
    return failures


def assert_gate_passes(content: ArticleContent, article_type: ArticleType) -> None:
    failures = gate_failures(content, article_type)
    if failures:
        raise GateFailed(failures)
