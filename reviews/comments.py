"""Review comments as values: what a reviewer writes, checked, and found again in later text.

A comment may quote a passage. It keeps the quote with a little text either side (the W3C Web
Annotation "text quote" selector) rather than character offsets, because offsets break on any
edit above the passage, while the quote and its context still find it after edits around it.
"""
import html as html_lib
import re
from dataclasses import dataclass

from articles.errors import Failure

from .models import COMMENT_TARGETS, ReviewComment

COMMENT_TARGET_KEYS = frozenset(key for key, _ in COMMENT_TARGETS)
QUOTE_LIMIT = 1000
CONTEXT_LIMIT = ReviewComment._meta.get_field("quote_prefix").max_length
TEXT_LIMIT = 5000


def _squash(text: str) -> str:
    return " ".join((text or "").split())


# Tags that start or end a block: crossing one reads as a space, as the page's script counts it
# (static/js/comments.js); an inline tag (a, strong, em...) joins the words either side.
_BLOCK_TAGS = ("p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "table",
               "thead", "tbody", "figcaption", "figure", "blockquote", "div", "section", "br", "img")
_TAG_RE = re.compile(r"""<\s*/?\s*([a-zA-Z0-9]+)(?:[^>"']|"[^"]*"|'[^']*')*>""")


def visible_text(html: str) -> str:
    """The words of stored HTML as a reader sees them, whitespace squashed."""
    text = _TAG_RE.sub(lambda m: " " if m.group(1).lower() in _BLOCK_TAGS else "", html or "")
    return _squash(html_lib.unescape(text))


@dataclass(frozen=True)
class NewComment:
    """A comment as the reviewer typed it: where it points, and what it says."""

    section: str
    text: str
    quote: str = ""
    prefix: str = ""
    suffix: str = ""

    def cleaned(self) -> "NewComment":
        return NewComment(
            section=self.section.strip(), text=self.text.strip(), quote=_squash(self.quote),
            prefix=_squash(self.prefix)[-CONTEXT_LIMIT:], suffix=_squash(self.suffix)[:CONTEXT_LIMIT],
        )

    def failures(self) -> list[Failure]:
        failures = []
        if self.section not in COMMENT_TARGET_KEYS:
            failures.append(Failure("comments", f'"{self.section}" is not a part of the article a comment '
                                                "can point to.", "comment_target_unknown"))
        if not self.text:
            failures.append(Failure("comments", "The comment is empty: say what should change.", "comment_empty"))
        elif len(self.text) > TEXT_LIMIT:
            failures.append(Failure("comments", f"Keep a comment under {TEXT_LIMIT:,} characters "
                                                f"(this one has {len(self.text):,}).", "comment_too_long"))
        if len(self.quote) > QUOTE_LIMIT:
            failures.append(Failure("comments", f"The quoted passage is {len(self.quote):,} characters long; "
                                                f"select at most {QUOTE_LIMIT:,}.", "quote_too_long"))
        return failures

    def row(self, **fields) -> ReviewComment:
        return ReviewComment(section=self.section, text=self.text, quote=self.quote,
                             quote_prefix=self.prefix, quote_suffix=self.suffix, **fields)


@dataclass(frozen=True)
class Anchor:
    """Where a quoted passage stands in a section's current text, if it is still there."""

    found: bool
    start: int = -1
    end: int = -1


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    before, after = text[:start], text[end:]
    score = 0
    for n in range(min(len(prefix), len(before)), 0, -1):
        if before.endswith(prefix[-n:]):
            score += n
            break
    for n in range(min(len(suffix), len(after)), 0, -1):
        if after.startswith(suffix[:n]):
            score += n
            break
    return score


def locate(quote: str, prefix: str, suffix: str, text: str) -> Anchor:
    """The quote's place in `text` (plain, whitespace squashed). Where it occurs more than once,
    the occurrence whose surroundings best match the saved context wins."""
    if not quote:
        return Anchor(found=False)
    starts = [m.start() for m in re.finditer(re.escape(quote), text)]
    if not starts:
        return Anchor(found=False)
    best = max(starts, key=lambda s: _context_score(text, s, s + len(quote), prefix, suffix))
    return Anchor(found=True, start=best, end=best + len(quote))


def section_text(content, section: str) -> str:
    """The plain text of one part of an ArticleContent, as a comment's quote is taken from it."""
    if section == "title":
        return _squash(content.title)
    if section == "summary":
        return _squash(content.summary)
    if section == "body":
        return visible_text(content.body)
    if section in content.sections:
        return visible_text(content.sections[section])
    return ""


def passage_still_there(comment: ReviewComment, content) -> bool | None:
    """True when the quoted passage is still in the current text, False when it changed, None for
    a comment on a whole section."""
    if not comment.quote:
        return None
    return locate(comment.quote, comment.quote_prefix, comment.quote_suffix,
                  section_text(content, comment.section)).found
