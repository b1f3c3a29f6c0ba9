"""The one HTML sanitizer. Every stored HTML field passes through clean_html on write.

Templates may mark its output safe because nothing else is ever stored in those fields.
"""
import re
import threading

import bleach
from bleach import html5lib_shim
from bleach.html5lib_shim import Filter
from django.core.exceptions import ValidationError

ALLOWED_TAGS = frozenset({
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "sub", "sup",
    "ul", "ol", "li", "a", "blockquote", "code", "pre", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
    "figure", "figcaption", "img",
})
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "th": ["scope", "colspan", "rowspan"],
    "td": ["colspan", "rowspan"],
    "ol": ["start"],
    # ImageFilter rewrites what is left of an <img> to alt and data-image only.
    "img": ["alt", "src", "data-image"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# bleach keeps the text inside elements it strips; for these the text is code or markup, not prose.
DROPPED_WITH_CONTENT = ("script", "style", "svg", "math", "noscript", "template", "iframe",
                        "object", "title", "head", "xml")
# What r"<(script|...)\b[^>]*>.*?</\1\s*>" matches, found by element_matches in linear time.
_DROP_RE = re.compile(
    r"<(%s)\b[^>]*>.*?</\1\s*>" % "|".join(DROPPED_WITH_CONTENT), re.IGNORECASE | re.DOTALL
)
_DROP_OPEN_RE = re.compile(r"<(%s)\b" % "|".join(DROPPED_WITH_CONTENT), re.IGNORECASE)
# Raw-text elements: a browser reads everything after an unclosed one as its content, so it goes too.
_UNCLOSED_RAW_TEXT_RE = re.compile(r"<(?:script|style|title)\b[^>]*>", re.IGNORECASE)
_CONDITIONAL_COMMENT_OPEN_RE = re.compile(r"<!\[(?:if|endif)", re.IGNORECASE)

# bleach (html5lib) is quadratic on deep nesting: about 157 s for 50,000 nested divs. Both
# limits are checked with a linear scan before bleach sees the input.
MAX_HTML_CHARS = 400_000
MAX_NESTING_DEPTH = 60
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*>")
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "wbr",
                        "source", "track", "embed", "param"})
# Elements the parser closes by itself when a sibling opens, so an unclosed run is not nesting.
_SELF_CLOSING_SIBLINGS = frozenset({"p", "li", "dt", "dd", "option", "tr", "td", "th", "o:p"})


# --- Linear scanning ------------------------------------------------------------------------------
# A regex such as <x\b[^>]*>.*?</x\s*> is tried again from every "<x" when it fails, and each try
# reads on to the end of the text: "<script-x>" x 20,000 took 90 s. These helpers find the same
# matches with each stretch of text read a bounded number of times.

class NextMatch:
    """The first match of a pattern at or after a position, for positions asked in increasing order:
    a match found once answers every later question up to its start, so the text is read once."""

    __slots__ = ("pattern", "text", "found", "searched")

    def __init__(self, pattern: re.Pattern | str, text: str):
        self.pattern = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        self.text, self.found, self.searched = text, None, False

    def at(self, position: int) -> re.Match | None:
        if self.searched and (self.found is None or self.found.start() >= position):
            return self.found
        self.found, self.searched = self.pattern.search(self.text, position), True
        return self.found


def element_matches(pattern: re.Pattern, opening: re.Pattern, text: str, pos: int = 0):
    r"""pattern.finditer(text, pos), in linear time, for a pattern of the form
    <(NAME)\b[^>]*>(.*?)</NAME\s*> (IGNORECASE, DOTALL): `opening` finds "<NAME" with the name
    as its first group; the element runs to the first "</NAME>" after its start tag's ">"."""
    tag_end, closes = NextMatch(">", text), {}
    while (found := opening.search(text, pos)) is not None:
        gt = tag_end.at(found.end())
        if gt is None:
            return  # no start tag can end: nothing further matches
        name = found.group(1).lower()
        if name not in closes:
            closes[name] = NextMatch(re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE), text)
        close = closes[name].at(gt.end())
        match = pattern.match(text, found.start(), close.end()) if close is not None else None
        if match is None:
            pos = found.start() + 1
            continue
        yield match
        pos = match.end() if match.end() > found.start() else found.start() + 1


def link_matches(text: str, *, nonempty: bool = False):
    r"""(start, end, href, inner) for each match of
    <a\b[^>]*?\bhref\s*=\s*["']([^"']*)["'][^>]*>(.*?)</a\s*>  (IGNORECASE, DOTALL; [^"']+ when
    `nonempty`), left to right as finditer finds them, in linear time. Only a start tag's first
    href with a closing quote can match: past it, every later href fails for the same reason."""
    hrefs = NextMatch(re.compile(r"\bhref\s*=\s*[\"'](?=[^\"'])" if nonempty else r"\bhref\s*=\s*[\"']",
                                 re.IGNORECASE), text)
    quotes, gts = NextMatch(re.compile(r"[\"']"), text), NextMatch(">", text)
    closes = NextMatch(re.compile(r"</a\s*>", re.IGNORECASE), text)
    pos = 0
    while (found := _LINK_OPEN_RE.search(text, pos)) is not None:
        pos = found.start() + 1
        first_gt = gts.at(found.end())
        href = hrefs.at(found.end())
        if first_gt is None or href is None or href.start() >= first_gt.start():
            continue
        quote = quotes.at(href.end())
        tag_gt = gts.at(quote.end()) if quote is not None else None
        close = closes.at(tag_gt.end()) if tag_gt is not None else None
        if close is None:
            continue
        yield found.start(), close.end(), text[href.end():quote.start()], text[tag_gt.end():close.start()]
        pos = close.end()


_LINK_OPEN_RE = re.compile(r"<a\b", re.IGNORECASE)


def strip_tags(text: str, pattern: re.Pattern, replacement: str = " ") -> str:
    """pattern.sub(replacement, text) for <[^>]*> or <[^>]+>: a "<" with no ">" after it can
    match nothing, so the text past the last ">" is left out of the search (each failed try would
    read to the end)."""
    last = text.rfind(">") + 1
    return pattern.sub(replacement, text[:last]) + text[last:] if last else text


def _drop_with_content(html: str) -> str:
    kept, at = [], 0
    for match in element_matches(_DROP_RE, _DROP_OPEN_RE, html):
        kept.append(html[at:match.start()])
        at = match.end()
    return "".join(kept) + html[at:] if kept else html


def _drop_unclosed_raw_text(html: str) -> str:
    # Everything from the first such start tag; only a start tag before the last ">" can end.
    match = _UNCLOSED_RAW_TEXT_RE.search(html, 0, html.rfind(">") + 1)
    return html[:match.start()] if match else html


def _drop_conditional_comments(html: str) -> str:
    """Removes Word's <![if ...]> and <![endif]>: what <!\\[(?:if|endif)[^\\]]*\\]> matched."""
    kept, at, pos, brackets = [], 0, 0, NextMatch("]", html)
    while (found := _CONDITIONAL_COMMENT_OPEN_RE.search(html, pos)) is not None:
        bracket = brackets.at(found.end())
        if bracket is None:
            break
        if html.startswith(">", bracket.end()):
            kept.append(html[at:found.start()])
            at = pos = bracket.end() + 1
        else:
            pos = found.start() + 1
    return "".join(kept) + html[at:] if kept else html


class _Tokenizer(html5lib_shim.BleachHTMLTokenizer):
    """html5lib's tokenizer compares each new attribute name with every earlier one of the tag, to
    report a duplicate (a parse error nobody reads; the first of duplicates wins when the tag is
    emitted): quadratic in the attributes of one tag, 90 s for "<p " x 400 KB. The earlier
    attributes are hidden from that comparison, except when the tag ends (">"), where it runs once."""

    def __iter__(self):
        # A run of text comes as many Characters tokens ("&" and "<" each start one), and the tree
        # builder appends each to the element's text (text += data): quadratic in a run such as
        # "&#" x 200,000. One token for the run, built once. A lone NUL token stays alone: the
        # parser drops exactly that token.
        pending = []
        for token in super().__iter__():
            if token["type"] == html5lib_shim.TAG_TOKEN_TYPE_CHARACTERS and token["data"] != "\u0000":
                pending.append(token["data"])
                continue
            if pending:
                yield {"type": html5lib_shim.TAG_TOKEN_TYPE_CHARACTERS, "data": "".join(pending)}
                pending = []
            yield token
        if pending:
            yield {"type": html5lib_shim.TAG_TOKEN_TYPE_CHARACTERS, "data": "".join(pending)}

    def attributeNameState(self):
        token = self.currentToken
        attributes = token["data"]
        following = self.stream.char()
        if following is not None:  # None is the end of the input, which nothing can unget
            self.stream.unget(following)
        if len(attributes) < 2 or following in (">", None):
            return super().attributeNameState()
        # The [name, value] pairs are shared, so what the state writes into the last one stays.
        token["data"] = attributes[-1:]
        try:
            return super().attributeNameState()
        finally:
            token["data"] = attributes


class _Parser(html5lib_shim.BleachHTMLParser):
    """bleach's parser with _Tokenizer: its _parse (bleach 6.4.0), that one class changed."""

    def _parse(self, stream, innerHTML=False, container="div", scripting=True, **kwargs):
        self.innerHTMLMode = innerHTML
        self.container = container
        self.scripting = scripting
        self.tokenizer = _Tokenizer(stream=stream, consume_entities=self.consume_entities, parser=self, **kwargs)
        self.reset()
        try:
            self.mainLoop()
        except html5lib_shim.ReparseException:
            self.reset()
            self.mainLoop()


class _Walker(html5lib_shim.getTreeWalker("etree")):
    """html5lib's etree walker finds an element's place among its siblings with list.count and
    list.index on leaving it: quadratic in a long list of siblings (400 KB of <li>). The place is
    known when the walk enters the element; it is kept here instead."""

    def __init__(self, tree):
        super().__init__(tree)
        self._places = {}

    def getFirstChild(self, node):
        child = super().getFirstChild(node)
        if child is not None and child[3] is None:  # entered `node`'s element, pushed onto parents
            element, place = (node[0], node[1]) if isinstance(node, tuple) else (node, None)
            self._places[id(element)] = place
        return child

    def getNextSibling(self, node):
        sibling = super().getNextSibling(node)
        if sibling is not None and node[3] == "text" and sibling[3] is None:  # entered the element
            self._places[id(node[0])] = node[1]
        return sibling

    def getParentNode(self, node):
        if not isinstance(node, tuple):
            return None
        element, place, parents, flag = node
        if flag == "text":
            return (element, place, parents, None) if parents else element
        parent = parents.pop()
        if not parents:
            return parent
        return parent, self._places[id(parent)], parents, None


class ExternalLinkFilter(Filter):
    """Adds rel="nofollow noopener" to links that leave the site."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a":
                attrs = dict(token.get("data") or {})
                href = attrs.get((None, "href"), "")
                if href.lower().startswith(("http://", "https://", "//")):
                    attrs[(None, "rel")] = "nofollow noopener"
                else:
                    attrs.pop((None, "rel"), None)
                token["data"] = attrs
            yield token


# An <img> is kept only when it is one of this site's uploads, named by its src (an address in
# the image storage, as the editor's upload returns) or by data-image. It is stored as
#     <img alt="..." data-image="KEY">
# a reference with no address, size or srcset: articles.figures makes the responsive markup from
# the renditions when readers are to see it. Any other src (remote, data:, a guessed path) and every
# width, height, srcset or style that a writer or a paste brings is dropped with the image.
_IMAGE_KEY_RE = re.compile(r"[0-9a-f]{32}")


def _image_src_re() -> re.Pattern:
    # Built per call: the storage (and so the address of its files) is a setting.
    from django.core.files.storage import default_storage

    from .images import IMAGE_DIR

    prefix = default_storage.url(f"{IMAGE_DIR}/")
    # Rendition names are KEY-<width>w; the storage may add _<7 characters> to a name in use.
    return re.compile(re.escape(prefix) + r"(?P<key>[0-9a-f]{32})(?:-\d+w)?(?:_[A-Za-z0-9]{7})?"
                      r"\.(?:jpg|png|webp|gif)")


def image_key(attrs: dict) -> str | None:
    """The upload an <img>'s attributes name, or None. Keys are (namespace, name) as bleach gives them."""
    key = attrs.get((None, "data-image"), "")
    if _IMAGE_KEY_RE.fullmatch(key):
        return key
    match = _image_src_re().fullmatch(attrs.get((None, "src"), ""))
    return match.group("key") if match else None


class ImageFilter(Filter):
    """Keeps an <img> only as a reference to one of this site's uploads: alt and data-image."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "img":
                attrs = token.get("data") or {}
                key = image_key(attrs)
                if key is None:
                    continue
                token["data"] = {(None, "alt"): " ".join(attrs.get((None, "alt"), "").split()),
                                 (None, "data-image"): key}
            yield token


_local = threading.local()


def _cleaner() -> bleach.Cleaner:
    # bleach's Cleaner holds parser state and is not thread-safe: one per thread.
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[ExternalLinkFilter, ImageFilter],
        )
        # The same parse and walk, without html5lib's two quadratic spots (_Tokenizer, _Walker).
        cleaner.parser = _Parser(tags=cleaner.tags, strip=cleaner.strip, consume_entities=False,
                                 namespaceHTMLElements=False)
        cleaner.walker = _Walker
        _local.cleaner = cleaner
    return cleaner


def check_limits(html: str) -> None:
    """Refuses HTML over the size or nesting limit (ValidationError, codes html_too_long and
    html_too_deep). Linear; every path that parses a writer's HTML calls it first."""
    if len(html) > MAX_HTML_CHARS:
        raise ValidationError(
            f"This text is too long to store ({len(html):,} characters; the limit is "
            f"{MAX_HTML_CHARS:,}). Split it into sections.",
            code="html_too_long",
        )
    # Counts nesting the way an HTML parser builds it: "/>" closes only void elements, and an end
    # tag closes only an element that is actually open, so stray or self-closed tags still count.
    open_elements: list[str] = []
    # Only a tag before the last ">" can end: past it, each "<x" would be read to the end in vain.
    for match in _TAG_RE.finditer(html, 0, html.rfind(">") + 1):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID_TAGS or name in _SELF_CLOSING_SIBLINGS:
            continue
        if closing:
            if name in open_elements:
                del open_elements[len(open_elements) - 1 - open_elements[::-1].index(name):]
            continue
        open_elements.append(name)
        if len(open_elements) > MAX_NESTING_DEPTH:
            raise ValidationError(
                f"This HTML nests elements more than {MAX_NESTING_DEPTH} deep, which no "
                "article needs. Remove the extra wrapping elements.",
                code="html_too_deep",
            )


# Word pastes a bulleted list as paragraphs that start with a bullet glyph; they become a list again.
_WORD_BULLET_PARAGRAPH_RE = re.compile(r"<p>\s*[·•▪◦§]\s*(?:&nbsp;|\s)*(.*?)</p>", re.DOTALL)
_WORD_BULLET_RUN_RE = re.compile(r"(?:<p>\s*[·•▪◦§]\s*(?:&nbsp;|\s)*.*?</p>\s*)+", re.DOTALL)


def _restore_word_lists(html: str) -> str:
    def to_list(run):
        items = _WORD_BULLET_PARAGRAPH_RE.findall(run.group(0))
        return "<ul>" + "".join(f"<li>{item.strip()}</li>" for item in items) + "</ul>"

    return _WORD_BULLET_RUN_RE.sub(to_list, html)


def clean_html(html: str) -> str:
    """Sanitize HTML with the one allow-list. Raises ValidationError past the size or depth limit."""
    if not html:
        return ""
    check_limits(html)
    html = _drop_conditional_comments(html)
    html = _drop_with_content(html)
    html = _drop_unclosed_raw_text(html)
    cleaned = _cleaner().clean(html)
    # Word and Google Docs leave empty paragraphs and non-breaking-space padding behind.
    cleaned = re.sub(r"<p>(\s|&nbsp;|<br>)*</p>", "", cleaned)
    cleaned = re.sub(r"<figure>\s*(<figcaption>\s*</figcaption>\s*)?</figure>", "", cleaned)
    cleaned = _restore_word_lists(cleaned)
    return cleaned.strip()


_TAG_SPECIAL_RE = re.compile(r"""[>"']""")


def tag_spans(html: str):
    """(start, end) of each tag as <(?:[^>"']|"[^"]*"|'[^']*')*> finds them left to right, in
    linear time. A try from "<" ends at the first ">" outside quotes, and fails at a quote that is
    never closed or when no ">" follows; a try that reaches a quote or ">" outside quotes ends as
    every other try that reaches it does, so each outcome is worked out once."""
    outcomes: dict[int, int] = {}  # a quote or ">" reached outside quotes -> end of the tag, or -1
    specials = NextMatch(_TAG_SPECIAL_RE, html)
    at = 0
    while (start := html.find("<", at)) >= 0:
        special = specials.at(start + 1)
        if special is None:
            return
        end = _tag_end(html, special.start(), outcomes)
        if end < 0:
            at = start + 1
            continue
        yield start, end
        at = end


def _tag_end(html: str, position: int, outcomes: dict[int, int]) -> int:
    path = []
    while position not in outcomes:
        path.append(position)
        char = html[position]
        if char == ">":
            end = position + 1
            break
        closing = html.find(char, position + 1)
        following = _TAG_SPECIAL_RE.search(html, closing + 1) if closing >= 0 else None
        if following is None:
            end = -1
            break
        position = following.start()
    else:
        end = outcomes[position]
    for visited in path:
        outcomes[visited] = end
    return end


def html_to_text(html: str) -> str:
    """Visible text of stored (already clean) HTML, for word counts and checks."""
    # Quoted attribute values may hold ">" (bleach escapes only "&", "<" and the quote in them).
    html = html or ""
    pieces, at = [], 0
    for start, end in tag_spans(html):
        pieces += (html[at:start], " ")
        at = end
    text = "".join(pieces) + html[at:]
    text = (text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<")
            .replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'"))
    return " ".join(text.split())
