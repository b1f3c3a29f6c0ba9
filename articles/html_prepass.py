"""A linear pre-pass that lets the sanitizer's parser (html5lib, inside bleach) read any input in bulk.

html5lib's tokenizer makes one or more Python calls per character for some constructs, and builds
some strings with `+=` on a dict entry (quadratic): a lone "<" (5 s for 400 KB of them), "&",
a control character (25 s), a long tag name, an attribute name of digits, "/" or quote runs inside
a tag, dashes inside a comment. `rewrite` reads the input once, with regular expressions, the way
html5lib's tokenizer would (same states, same ends), and returns text that html5lib reads in bulk
and builds the same tree from, once the tree walker (bleach_linear.Walker) has put the
placeholders back, before the sanitizer sees any token:

- text: each "<" that starts no tag, each "&" (bleach never decodes entities) and each character
  html5lib reports as an invalid code point becomes a private-use placeholder, which html5lib
  reads as plain text; a NUL in text goes, as html5lib's tree builder drops it;
- an allowed start tag keeps its name and the first value of each attribute the sanitizer allows,
  plus, on a formatting element (a, b, em, ...), one attribute standing for all the others: the
  tree builder compares formatting elements' attributes when it reopens them;
- any other tag: bleach turns it into a line break or nothing, by whether it is a block-level
  start tag, so it becomes <div>, <span> or </span>;
- a run of comments becomes one empty comment (the sanitizer drops comments, but a comment ends
  a text node); a doctype goes (the tree builder ignores it);
- a tag cut off by the end of the input becomes text or nothing, by the state html5lib ends in
  (bleach's rule), and "</ x>" becomes text when bleach would make it text.

The tokenizer only ever runs in these states here: bleach turns every tag it does not allow
(script, style, textarea, svg, ...) into text before the tree builder sees it, so the tree builder
never switches html5lib to raw text, RCDATA, script data or CDATA.

One difference is known and left: html5lib reports invalid code points per 10,240-character chunk,
and such a report between "</ x" and its end keeps bleach from making it text; here it always is.
tests/articles/test_html_prepass.py compares the sanitizer's output with and without this pass on
generated tag soup.
"""
import re
from itertools import chain

from bleach._vendor.html5lib._inputstream import invalid_unicode_re
from bleach._vendor.html5lib.constants import formattingElements
from bleach.html5lib_shim import HTML_TAGS_BLOCK_LEVEL

from .linear_scan import NextMatch

FORMATTING_ELEMENTS = frozenset(name for _, name in formattingElements)

# --- html5lib's tag syntax as regular expressions -----------------------------------------------
# Whitespace after html5lib's input stream has made every CR a LF. Each piece is possessive or
# atomic, so a match is html5lib's one reading of the tag and a failed match costs one pass.
_WS = r"[\t\n\f ]"
_NAME_START = r"[^\t\n\f />]"  # before an attribute name anything else starts one, "=" included
_NAME_REST = r"[^\t\n\f />=]*+"


def _item(suffix: str = "") -> str:
    """One step inside a tag: whitespace, a "/" that does not close it, or an attribute. With a
    `suffix`, named groups tell which (ws, slash, name: no value, quoted, bare: unquoted). An
    attribute followed by "=" must have a value, or the step does not match: the tag then runs
    to the end of the input, in a quoted value or before one."""
    def group(name: str, pattern: str) -> str:
        return f"(?P<{name}{suffix}>{pattern})" if suffix else f"(?:{pattern})"

    value = "|".join([group("quoted", "(?>\"[^\"]*+\"|'[^']*+')"), group("bare", "[^\t\n\f >\"'][^\t\n\f >]*+"),
                      "(?=>)"])
    attribute = group("name", _NAME_START + _NAME_REST) + rf"(?:{_WS}*+={_WS}*+(?:{value})|(?!{_WS}*+=))"
    return "(?>" + "|".join([group("ws", _WS + "++"), group("slash", "/(?!>)"), attribute]) + ")"


_TAG_NAME = r"[A-Za-z][^\t\n\f />]*+"
# From the tag name to ">", for a tag that ends; group "close" is "/" for a self-closing one.
_TAG_RE = re.compile(rf"(?P<tag>{_TAG_NAME})(?:{_item()})*+(?P<close>/?)>")
# For a tag that runs to the end of the input: its last two steps, which tell html5lib's state there.
_CUT_TAG_RE = re.compile(rf"{_TAG_NAME}(?:{_item()}(?={_item()}{_item()}))*+{_item('_p')}?{_item('_l')}?")
# Each step of a tag that ends, with what an attribute holds.
_STEP_RE = re.compile(
    rf"{_WS}++|/(?!>)|(?P<name>{_NAME_START}{_NAME_REST})"
    rf"(?:(?P<eq>{_WS}*+={_WS}*+)(?:\"(?P<dq>[^\"]*+)\"|'(?P<sq>[^']*+)'|(?P<uq>[^\t\n\f >\"'][^\t\n\f >]*+)|(?=>))"
    rf"|(?!{_WS}*+=))")

_MARKUP_RE = re.compile(r"<[A-Za-z!/?]")
_NULS = re.compile("\0*")
_DOCTYPE_RE = re.compile(r"<![dD][oO][cC][tT][yY][pP][eE]")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
EMPTY_COMMENT = "<!---->"
# The attribute that stands for a formatting element's other attributes (never allowed, so dropped).
IDENTITY_ATTRIBUTE = "prepass-identity"


def _placeholders(used: set[str]):
    """Characters absent from the input that html5lib and bleach read as plain text: private use
    first, then planes 2 to 14 (without each plane's two noncharacters). There are more of them
    than an input within the size limit has characters."""
    ranges = chain(range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE),
                   *(range(plane << 16, (plane << 16) + 0xFFFE) for plane in range(2, 15)))
    return (char for char in map(chr, ranges) if char not in used)


class Rewritten:
    """The rewritten input (`html`) and what puts its placeholders back (`restore`, a str.translate
    table; empty when there are none)."""

    __slots__ = ("html", "restore")

    def __init__(self, html: str, restore: dict[int, str]):
        self.html, self.restore = html, restore


def rewrite(html: str, allowed_tags: frozenset[str], allowed_attributes: dict[str, list[str]]) -> Rewritten:
    """`html` as html5lib reads it (see the module's docstring), for bleach with these allow-lists."""
    return _Rewriter(html, allowed_tags, allowed_attributes).run()


class _Rewriter:
    def __init__(self, html: str, allowed_tags, allowed_attributes):
        html = html.replace("\r\n", "\n").replace("\r", "\n")  # as html5lib's input stream does
        fresh = _placeholders(set(html))
        self.lt, self.amp, self.nul, self.quote = next(fresh), next(fresh), next(fresh), next(fresh)
        invalid = {char: next(fresh) for char in set(invalid_unicode_re.findall(html))}
        self.restore = {ord(self.lt): "<", ord(self.amp): "&", ord(self.nul): "\0", ord(self.quote): '"',
                        **{ord(placeholder): char for char, placeholder in invalid.items()}}
        # Both are plain characters wherever html5lib meets them, so they change everywhere at once.
        self.html = html.translate({ord("&"): self.amp, **{ord(char): p for char, p in invalid.items()}})
        self.allowed_tags, self.allowed_attributes = allowed_tags, allowed_attributes
        self.placed = bool(invalid) or "&" in html  # whether any placeholder is in the output
        self.pieces: list[str] = []
        self.after_comment = False
        # Each comment looks for both of its possible ends: one found once answers later comments.
        self.comment_ends = (NextMatch("-->", self.html), NextMatch("--!>", self.html))
        self.identities: dict[frozenset, int] = {}

    def run(self) -> Rewritten:
        html, at = self.html, 0
        while (markup := _MARKUP_RE.search(html, at)) is not None:
            self._text(html[at:markup.start()])
            at = self._markup(markup.start())
        self._text(html[at:])
        return Rewritten("".join(self.pieces), self.restore if self.placed else {})

    # --- what is emitted ---

    def _text(self, text: str) -> None:
        """Text in html5lib's data state: every "<" in it starts no tag."""
        text = text.replace("\0", "")  # the tree builder drops NUL in text
        if text:
            if "<" in text:
                text, self.placed = text.replace("<", self.lt), True
            self.pieces.append(text)
            self.after_comment = False

    def _literal(self, raw: str) -> None:
        """What bleach turns back into text (a cut-off tag, "</ x>"): one text token, NUL and all."""
        self.pieces.append(raw.replace("<", self.lt).replace("\0", self.nul))
        self.after_comment, self.placed = False, True

    def _comment(self) -> None:
        if not self.after_comment:
            self.pieces.append(EMPTY_COMMENT)
            self.after_comment = True

    def _tag(self, markup: str) -> None:
        self.pieces.append(markup)
        self.after_comment = False

    # --- reading ---

    def _markup(self, start: int) -> int:
        """Reads what starts at `start` ("<" and a letter, "!", "/" or "?"); returns where it ends."""
        html = self.html
        kind = html[start + 1]
        if kind == "!":
            if html.startswith("--", start + 2):
                return self._comment_end(start + 4)
            if _DOCTYPE_RE.match(html, start):
                end = html.find(">", start + 9)
                return len(html) if end < 0 else end + 1
            return self._bogus_comment(start + 2)
        if kind == "?":
            return self._bogus_comment(start + 1)
        if kind == "/":
            following = html[start + 2:start + 3]
            if following == ">":
                return start + 3  # "</>" is nothing
            if not following:
                self._literal("</")
                return len(html)
            if not following.isascii() or not following.isalpha():
                return self._end_tag_bogus_comment(start)
            return self._tag_at(start, start + 2, end_tag=True)
        return self._tag_at(start, start + 1, end_tag=False)

    def _comment_end(self, body: int) -> int:
        """A comment ends at the first "-->" or "--!>" in it; right after "<!--" a ">" or "->"
        ends it already, and html5lib's two start states read any NUL there without moving on
        ("<!--\\0>" is a whole comment)."""
        html = self.html
        search = at = _NULS.match(html, body).end()
        if html.startswith(">", at):
            return self._comment_until(at + 1)
        if html.startswith("-", at):
            search = at = _NULS.match(html, at + 1).end()
            if html.startswith(">", at):
                return self._comment_until(at + 1)
            if html.startswith("-", at):  # "--" read: a ">" or "!>" next ends it
                if html.startswith(">", at + 1):
                    return self._comment_until(at + 2)
                if html.startswith("!>", at + 1):
                    return self._comment_until(at + 3)
                search = at
        ends = [found.end() for found in (end.at(search) for end in self.comment_ends) if found is not None]
        return self._comment_until(min(ends) if ends else len(html))

    def _comment_until(self, end: int) -> int:
        self._comment()
        return end

    def _bogus_comment(self, data: int) -> int:
        end = self.html.find(">", data)
        self._comment()
        return len(self.html) if end < 0 else end + 1

    def _end_tag_bogus_comment(self, start: int) -> int:
        """ "</" and neither a letter nor ">": a comment to the next ">", which bleach makes text
        again ("</ x>" as typed) unless what it holds is the name of an allowed tag."""
        html = self.html
        end = html.find(">", start + 2)
        stop = len(html) if end < 0 else end
        data = html[start + 2:stop].replace("\0", "\ufffd").translate(self.restore)
        if data.lower().strip() in self.allowed_tags:
            self._comment()
        else:
            self._literal(html[start:stop + 1])
        return stop + 1 if end >= 0 else len(html)

    def _tag_at(self, start: int, name_start: int, *, end_tag: bool) -> int:
        html = self.html
        match = _TAG_RE.match(html, name_start)
        if match is None:
            self._cut_tag(start, name_start)
            return len(html)
        name = match.group("tag").replace("\0", "\ufffd").translate(_ASCII_LOWER)
        restored = name.translate(self.restore)
        if restored.lower() not in self.allowed_tags:
            # bleach puts a line break for a block-level start tag it strips, nothing for the rest.
            block = not end_tag and restored.lower() in HTML_TAGS_BLOCK_LEVEL
            self._tag("</span>" if end_tag else "<div>" if block else "<span>")
        elif end_tag:
            self._tag(f"</{name}>")
        else:
            attributes = self._attributes(restored, match) if match.end("tag") < match.start("close") else ""
            self._tag(f"<{name}{attributes}{'/' if match.group('close') else ''}>")
        return match.end()

    def _cut_tag(self, start: int, name_start: int) -> None:
        """A tag the end of the input cuts off: bleach keeps it as text when html5lib ends in the
        tag's name, an attribute name, after one, or in an unquoted value; otherwise it goes."""
        html = self.html
        steps = _CUT_TAG_RE.match(html, name_start)
        if steps.end() < len(html):
            return  # in a quoted value, or after "=" with no value yet
        last, previous = _step_kind(steps, "_l"), _step_kind(steps, "_p")
        if last is None:
            last, previous = previous, None
        if last in (None, "name", "bare") or (last == "ws" and previous == "name"):
            self._literal(html[start:])

    def _attributes(self, name: str, tag: re.Match) -> str:
        """The attributes html5lib gives the element that the sanitizer keeps (each name's first
        value), and for a formatting element one attribute standing for all the others."""
        allowed = self.allowed_attributes.get(name, ())
        formatting = name in FORMATTING_ELEMENTS
        if not allowed and not formatting:
            return ""
        # Up to the ">" inclusive, which an empty value looks ahead to; no step matches it. NUL is
        # U+FFFD in names and values, and either is a plain character to the pattern.
        body = self.html[tag.end("tag"):tag.end()].replace("\0", "\ufffd")
        steps = [step for step in _STEP_RE.findall(body) if step[0]]
        names = [step[0].translate(_ASCII_LOWER) for step in steps]
        # The first of duplicates wins: later ones are written first and overwritten.
        values = dict(zip(reversed(names), (dq or sq or uq for _, _, dq, sq, uq in reversed(steps))))
        kept = "".join(f' {key}="{self._quoted(values[key])}"' for key in dict.fromkeys(names) if key in allowed)
        if formatting:
            others = {key: value for key, value in values.items() if key not in allowed}
            if any(_hidden_by_bleach(key) for key in others):
                every_step = list(_STEP_RE.finditer(self.html, tag.end("tag"), tag.end()))
                if _last_error_is_invalid_name(self.html, tag, every_step, names):
                    others = {key: value for key, value in others.items() if not _hidden_by_bleach(key)}
            if others:
                number = self.identities.setdefault(frozenset(others.items()), len(self.identities))
                kept += f' {IDENTITY_ATTRIBUTE}="{number}"'
        return kept

    def _quoted(self, value: str) -> str:
        if '"' in value:
            value, self.placed = value.replace('"', self.quote), True
        return value


def _step_kind(steps: re.Match, suffix: str) -> str | None:
    """Which step a suffixed group of _CUT_TAG_RE caught: ws, slash, name (no value), quoted, bare."""
    for kind in ("ws", "slash", "quoted", "bare"):
        if steps.group(kind + suffix) is not None:
            return kind
    return "name" if steps.group("name" + suffix) is not None else None


def _hidden_by_bleach(attribute: str) -> bool:
    """bleach drops such attribute names from a tag whose last parse error was about one of them."""
    return '"' in attribute or "'" in attribute or "<" in attribute


def _last_error_is_invalid_name(html: str, tag: re.Match, steps: list[re.Match], names: list[str]) -> bool:
    """Whether html5lib's last parse error inside this start tag (one that ends with ">") is
    "invalid-character-in-attribute-name": then bleach removes the names with a quote or "<".
    An error is placed at the character that raises it; where a state hands its character on to
    another (after "/", after a quoted value), the second state's error on it comes later."""
    last = (-1, "")

    def error(position: int, kind: str, handed_on: bool = False) -> None:
        nonlocal last
        key = position * 2 + handed_on
        if key >= last[0]:
            last = (key, kind)

    name_start, close = tag.start("tag"), tag.start("close")
    for nul in re.finditer("\0", html[name_start:close]):
        error(name_start + nul.start(), "codepoint")
    after_name = handed_on = False  # html5lib is after an attribute name; the next character was handed on
    previous_was_bare_name = False
    seen = 0
    for step in steps:
        if step.group("name") is None:
            if step.group(0) == "/":
                error(step.end(), "solidus")
                after_name, handed_on = False, True
            else:
                after_name, handed_on = previous_was_bare_name, False
            previous_was_bare_name = False
            continue
        first = step.group(0)[0]
        if first != "\0":
            if after_name and first in "'\"<":
                error(step.start(), "after-name")
            elif not after_name and first in "'\"=<":
                error(step.start(), "invalid-name", handed_on)
        for offset, char in enumerate(step.group("name")[1:], start=1):
            if char in "'\"<":
                error(step.start() + offset, "invalid-name")
        seen += 1
        after_name = handed_on = previous_was_bare_name = False
        end = step.end()
        if step.group("eq") is None:
            if end == close and not tag.group("close") and names[seen - 1] in names[:seen - 1]:
                error(end, "duplicate")
            previous_was_bare_name = True
        elif step.group("uq") is not None:
            if step.group("uq")[0] in "=<`":
                error(step.start("uq"), "equals")
            for offset, char in enumerate(step.group("uq")[1:], start=1):
                if char in "\"'=<`":
                    error(step.start("uq") + offset, "unquoted")
        elif step.group("dq") is not None or step.group("sq") is not None:
            if html[end:end + 1] not in ("", "\t", "\n", "\f", " ", "/", ">"):
                error(end, "after-value")
                handed_on = True
        else:
            error(end, "no-value")  # "=" and then ">"
    return last[1] == "invalid-name"
