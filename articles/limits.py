"""How much one HTML field may hold, checked in linear time before anything parses it.

Every path that parses a writer's HTML (the editor form, the live gate panel, the gate, the checks,
the plain-language measures, the sanitizer, the importer, drafts) calls check_limits first and does
not read a field over the limits: no request parses more than they allow (issue 14, "No request can
hold a worker"). Each limit is far above what an article reaches (one of 10,000 words: about 70,000
characters, a few thousand tags, nesting under 10, about 700 sentences) and low enough that the
slowest path on crafted input at the limits stays well under a second: html5lib builds each
element in about 20 microseconds (bleach, inside the sanitizer), and the checks read each
paragraph and sentence in 20 to 40 (bench/crafted.py prints the figures).

  size          400,000 characters (html_too_long)
  nesting       60 elements deep, counted as an HTML parser builds them (html_too_deep); html5lib
                is quadratic in the depth: 157 s for 50,000 nested divs
  tags          10,000: every "<" that starts a tag, an end tag or a comment (html_too_many_tags)
  sentences     10,000 sentence ends, as the checks split sentences, in the field's text
                (text_too_many_sentences)
"""
import html
import re
from functools import lru_cache

from django.core.exceptions import ValidationError

from .linear_scan import strip_tags

MAX_HTML_CHARS = 400_000
MAX_NESTING_DEPTH = 60
MAX_TAGS = 10_000
MAX_SENTENCES = 10_000

_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*>")
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "wbr",
                        "source", "track", "embed", "param"})
# Elements the parser closes by itself when a sibling opens, so an unclosed run is not nesting.
_SELF_CLOSING_SIBLINGS = frozenset({"p", "li", "dt", "dd", "option", "tr", "td", "th", "o:p"})
# What html5lib reads as the start of markup rather than text: a tag, an end tag, "<!", "<?".
_MARKUP_START_RE = re.compile(r"<[A-Za-z!/?]")
_ANY_TAG_RE = re.compile(r"<[^>]*>")

# A sentence ends at ".", "!" or "?" (after optional closing quotes or brackets) followed by space
# and something that can start a sentence. articles.checks.text splits sentences with it.
SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"”’)]*(?=\s+[\"“‘(\[]?[A-Z0-9\[])")


def check_limits(markup: str) -> None:
    """Refuses HTML over a limit: a ValidationError with the limit in its message and the code named
    in the module's docstring. Linear; the verdict on a text is kept for the next caller."""
    problem = limit_problem(markup or "")
    if problem is not None:
        message, code = problem
        raise ValidationError(message, code=code)


def within_limits(markup: str) -> bool:
    return limit_problem(markup or "") is None


# The form, the gate, the checks and the plain-language measures ask about the same fields in one
# request; a string's hash is computed once, so asking again costs a dictionary lookup.
@lru_cache(maxsize=16)
def limit_problem(markup: str) -> tuple[str, str] | None:
    """(message, code) for the first limit `markup` is over, or None."""
    if len(markup) > MAX_HTML_CHARS:
        return (f"This text is too long to store ({len(markup):,} characters; the limit is "
                f"{MAX_HTML_CHARS:,}). Split it into sections.", "html_too_long")
    if _too_deep(markup):
        return (f"This HTML nests elements more than {MAX_NESTING_DEPTH} deep, which no article needs. "
                "Remove the extra wrapping elements.", "html_too_deep")
    tags = len(_MARKUP_START_RE.findall(markup))
    if tags > MAX_TAGS:
        return (f"This text has {tags:,} tags; the limit is {MAX_TAGS:,}, far more than an article needs. "
                "Remove empty or repeated formatting, or split it into sections.", "html_too_many_tags")
    if "." in markup or "!" in markup or "?" in markup or "…" in markup:
        # The text as the checks read it (tags as spaces, entities decoded), whose sentence ends
        # are at least those the checks find in its paragraphs.
        text = html.unescape(strip_tags(markup, _ANY_TAG_RE)) if "<" in markup or "&" in markup else markup
        sentences = len(SENTENCE_END_RE.findall(text))
        if sentences > MAX_SENTENCES:
            return (f"This text has {sentences:,} sentences; the limit is {MAX_SENTENCES:,}, far more than "
                    "an article needs. Split it into sections.", "text_too_many_sentences")
    return None


def _too_deep(markup: str) -> bool:
    # Counts nesting the way an HTML parser builds it: "/>" closes only void elements, and an end
    # tag closes only an element that is actually open, so stray or self-closed tags still count.
    open_elements: list[str] = []
    # Only a tag before the last ">" can end: past it, each "<x" would be read to the end in vain.
    for match in _TAG_RE.finditer(markup, 0, markup.rfind(">") + 1):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID_TAGS or name in _SELF_CLOSING_SIBLINGS:
            continue
        if closing:
            if name in open_elements:
                del open_elements[len(open_elements) - 1 - open_elements[::-1].index(name):]
            continue
        open_elements.append(name)
        if len(open_elements) > MAX_NESTING_DEPTH:
            return True
    return False
