"""Article content as the checks read it: blocks (paragraphs, list items, headings) per field,
split into sentences, each knowing whether it cites one of the article's references.

Parsing is a linear scan with regular expressions, not an HTML parser: stored HTML is already
sanitized (articles.sanitize), and a 10,000-word article has to be checked in well under 100 ms.
"""
import html
import re
from dataclasses import dataclass, field

from ..content import ArticleContent
from ..limits import SENTENCE_END_RE, within_limits
from ..linear_scan import link_matches, strip_tags
from ..sections import SECTION_KEYS, SECTIONS_BY_KEY

FIELD_LABELS = {"title": "Title", "summary": "Summary", "body": "Body", "references": "References",
                **{key: section.title for key, section in SECTIONS_BY_KEY.items()}}
# Reading order of the fields, so findings are listed the way a writer meets them.
FIELD_ORDER = ("title", "summary", "body", *SECTION_KEYS, "references")

# "[3]", "[1, 4]", "[2-4]", "[ 1 , 4 ]" (the importer links each number of a list separately).
MARKER_RE = re.compile(r"\[\s*(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\s*\]")
_BLOCK_TAG_RE = re.compile(
    r"<(/?)(p|li|h[1-6]|blockquote|pre|td|th|caption|dt|dd|div|br|hr|ul|ol|table|tr)\b[^>]*?/?>",
    re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]*>")
# Links are what <a\b[^>]*?\bhref\s*=\s*["']([^"']*)["'][^>]*>(.*?)</a\s*> finds, found in
# linear time by linear_scan.link_matches.
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_ITEM_TAGS = frozenset({"li", "dt", "dd", "td", "th"})
# Boundaries that end a block without opening one of their own.
_CONTAINER_TAGS = frozenset({"ul", "ol", "table", "tr", "div", "br", "hr"})

# Sentences end where limits.SENTENCE_END_RE says (the limits count them the same way); citation
# markers after the stop are moved back below.
_ABBREVIATION_RE = re.compile(r"\b(?:e\.g|i\.e|etc|vs|approx|dr|mr|mrs|ms|prof|st|fig|ref|al|inc|ltd)\.$",
                              re.IGNORECASE)
_LEADING_MARKERS_RE = re.compile(r"^((?:\[\s*\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\s*\]\s*)+)")
# One character for one, so positions in the folded text are positions in the original.
_FOLD = (("’", "'"), ("‘", "'"), ("‛", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"), ("‑", "-"))
WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_POSSESSIVE_RE = re.compile(r"'s\b")


class lazy:
    """functools.cached_property without the lock Python 3.11 takes on each first use (3.12 drops
    it): a long article has tens of thousands of sentences, each folded once. A Document is read by
    one thread."""

    def __init__(self, function):
        self.function, self.name, self.__doc__ = function, function.__name__, function.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)  # later reads find it there
        return value


def fold(text: str) -> str:
    """Lower-case text with curly quotes and dashes made plain, for matching."""
    text = text.lower()
    for fancy, plain in _FOLD:  # str.replace is far faster than str.translate for a few characters
        if fancy in text:
            text = text.replace(fancy, plain)
    return text


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def field_rank(name: str) -> int:
    return FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER)


def marker_numbers(marker_body: str) -> list[int]:
    """The reference numbers in a marker's body: "1, 3-5" -> [1, 3, 4, 5]."""
    numbers: list[int] = []
    for part in re.split(r"\s*,\s*", marker_body.strip()):
        bounds = [int(n) for n in re.split(r"\s*[–-]\s*", part) if n]
        if len(bounds) == 2 and 0 < bounds[1] - bounds[0] < 50:
            numbers.extend(range(bounds[0], bounds[1] + 1))
        else:
            numbers.extend(bounds)
    return numbers


@dataclass
class Sentence:
    field: str
    block: "Block"
    text: str
    cited: bool

    @lazy
    def folded(self) -> str:
        return fold(self.text)


@dataclass
class Block:
    field: str
    kind: str  # "heading", "paragraph", "item" (a list item or table cell) or "line" (title, summary)
    text: str
    index: int  # position in the whole document, for "the next block"
    sentences: list[Sentence] = field(default_factory=list)
    # For a list item: the sentence that introduces the list ("It can help with:"), which the
    # item completes; None when the item stands on its own.
    lead: Sentence | None = None

    @lazy
    def folded(self) -> str:
        return fold(self.text)

    @lazy
    def folded_with_lead(self) -> str:
        """The folded text, after its list's lead-in when it has one: what the rules pre-filter."""
        return self.folded if self.lead is None else f"{self.lead.folded} {self.folded}"

    @lazy
    def words(self) -> list[str]:
        """Lower-case words without citation markers or possessive "'s", for counting and comparing."""
        text = self.folded
        if "[" in text:
            text = MARKER_RE.sub(" ", text)
        if "'s" in text:
            text = _POSSESSIVE_RE.sub("", text)
        return WORD_RE.findall(text)

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"


@dataclass(frozen=True)
class Link:
    field: str
    href: str
    text: str


def _clean_text(fragment: str) -> str:
    return " ".join(html.unescape(strip_tags(fragment, _TAG_RE)).split())


def html_blocks(markup: str) -> list[tuple[str, str]]:
    """(kind, text) for each block of an HTML fragment, in order; empty blocks are dropped."""
    blocks: list[tuple[str, str]] = []
    stack: list[str] = []
    position = 0

    def flush(end: int, kind: str) -> None:
        text = _clean_text(markup[position:end])
        if text:
            blocks.append((kind, text))

    def current_kind() -> str:
        for tag in reversed(stack):
            if tag in _HEADING_TAGS:
                return "heading"
            if tag in _ITEM_TAGS:
                return "item"
        return "paragraph"

    # Only a tag before the last ">" can end: past it, each "<p" would be read to the end in vain.
    for match in _BLOCK_TAG_RE.finditer(markup, 0, markup.rfind(">") + 1):
        closing, tag = match.group(1), match.group(2).lower()
        flush(match.start(), current_kind())
        position = match.end()
        if tag in _CONTAINER_TAGS:
            continue
        if closing:
            if tag in stack:
                del stack[len(stack) - 1 - stack[::-1].index(tag):]
        else:
            stack.append(tag)
    flush(len(markup), current_kind())
    return blocks


def _sentence_spans(text: str):
    start = 0
    for match in SENTENCE_END_RE.finditer(text):
        yield start, match.end()
        start = match.end()
    yield start, len(text)


def split_sentences(text: str) -> list[str]:
    # Closing quotes and brackets stay with their sentence: "... the word “cure.”" is quoted.
    pieces = [text[start:end] for start, end in _sentence_spans(text)]
    sentences: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        leading = _LEADING_MARKERS_RE.match(piece)
        if leading and sentences:
            # "... sleep. [2] Next sentence": the marker belongs to the sentence before it.
            sentences[-1] = f"{sentences[-1]} {leading.group(1).strip()}"
            piece = piece[leading.end():].strip()
            if not piece:
                continue
        # Only the end of the sentence can hold the abbreviation; searching all of it is slow.
        if sentences and _ABBREVIATION_RE.search(f" {sentences[-1][-12:]}"):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


class Document:
    """One article's text, read once and shared by every rule."""

    def __init__(self, content: ArticleContent, article_type=None):
        self.content = content
        self.article_type = article_type
        # A marker cites a reference when its number is one of the article's references.
        self.reference_numbers = frozenset(range(1, len(content.references) + 1))
        self.blocks: list[Block] = []
        self.links: list[Link] = []
        self._lead: Sentence | None = None
        self.needle_index = None  # set by the engine: the rules' pre-filter (prefilter.NeedleIndex)
        self._present: dict[str, frozenset[str]] = {}
        self._blocks_by_needle: dict[str, list[int]] | None = None
        self._add_line("title", content.title)
        self._add_line("summary", content.summary)
        self._add_html("body", content.body)
        for key, markup in content.sections.items():
            self._add_html(key, markup)

    def _add_line(self, field_name: str, text: str) -> None:
        text = " ".join((text or "").split())
        if text:
            self._add_block(field_name, "line", text)

    def _add_html(self, field_name: str, markup: str) -> None:
        if not markup or not within_limits(markup):
            return  # the gate names a field over the limits (gate.limit_failures); it is not read
        for kind, text in html_blocks(markup):
            self._add_block(field_name, kind, text)
        if "<a" in markup or "<A" in markup:
            for _, _, href, text in link_matches(markup):
                self.links.append(Link(field_name, html.unescape(href), _clean_text(text)))

    def _add_block(self, field_name: str, kind: str, text: str) -> None:
        block = Block(field_name, kind, text, len(self.blocks))
        pieces = [text] if kind == "heading" else split_sentences(text)
        block.sentences = [Sentence(field_name, block, piece, self.cites(piece)) for piece in pieces]
        previous = self.blocks[-1] if self.blocks else None
        if previous is None or previous.field != field_name:
            self._lead = None
        if kind == "item":
            block.lead = self._lead
        elif kind == "heading" or not block.sentences:
            self._lead = None
        else:
            # A list is read with the sentence that introduces it: one that ends with a colon or
            # with no stop at all ("It is capable of:", "Benefits include").
            last = block.sentences[-1]
            self._lead = last if not last.text.rstrip("\"”’)").endswith((".", "!", "?", "…")) else None
        self.blocks.append(block)

    def cites(self, text: str) -> bool:
        if "[" not in text:
            return False
        return any(
            numbers and all(number in self.reference_numbers for number in numbers)
            for numbers in (marker_numbers(m.group(1)) for m in MARKER_RE.finditer(text))
        )

    def needles_in(self, text: str) -> frozenset[str]:
        """The pre-filter's needles this text holds, found once per text."""
        present = self._present.get(text)
        if present is None:
            present = self._present[text] = self.needle_index.present(text)
        return present

    def blocks_for(self, rule) -> list[Block]:
        """The blocks whose text (after its list's lead-in) holds one of the rule's needles, in
        order: the only ones its patterns can match. Each block's needles are found once for all
        the rules, so a rule costs in proportion to the blocks that may match it, not to all."""
        if not rule.needles:
            return self.blocks
        if self._blocks_by_needle is None:
            self._blocks_by_needle = {}
            for block in self.blocks:
                for needle in self.needles_in(block.folded_with_lead):
                    self._blocks_by_needle.setdefault(needle, []).append(block.index)
        found: set[int] = set()
        for needle in rule.needle_set:
            found.update(self._blocks_by_needle.get(needle, ()))
        return [self.blocks[index] for index in sorted(found)]

    @lazy
    def gate_failures(self) -> list:
        """articles.gate.gate_failures for this content and type (none without a type), worked out
        once: the MISSING_SECTION rule reads it, and the editor shows it beside the checks."""
        if self.article_type is None:
            return []
        from ..gate import gate_failures

        return gate_failures(self.content, self.article_type)

    def sentences(self, *, headings: bool = False):
        for block in self.blocks:
            if headings or not block.is_heading:
                yield from block.sentences

    def next_block(self, block: Block) -> Block | None:
        following = block.index + 1
        if following < len(self.blocks) and self.blocks[following].field == block.field:
            return self.blocks[following]
        return None

    @lazy
    def subject_words(self) -> frozenset[str]:
        """The title's longer words: what the article is about ("promethazine", "melatonin")."""
        return frozenset(word for word in WORD_RE.findall(fold(self.content.title)) if len(word) > 3)

    @lazy
    def lead_text(self) -> str:
        """Title and summary, folded: what the article is about."""
        return fold(f"{self.content.title} {self.content.summary}")
