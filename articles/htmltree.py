"""HTML fragments as a small tree: parsed, allow-listed and written back safely.

What articles.htmldiff diffs and renders. The output is safe whatever the input: every text and
attribute value is escaped on the way out, only allow-listed tags and attributes are kept (the
sanitizer's plus what the diff rendering adds), script-like elements are dropped with their
content, and URLs are limited to http(s), mailto and relative addresses.
"""
import html as html_lib
import re
from html.parser import HTMLParser

from django.utils.safestring import SafeString, mark_safe

from .sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

TAGS = ALLOWED_TAGS | {"span", "div"}
ATTRIBUTES = {
    **{tag: frozenset(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    # Stored images are references (data-image); articles.diff turns them into thumbnails first.
    "img": frozenset({"src", "alt", "width", "height", "class", "loading"}),
    "span": frozenset({"class"}), "div": frozenset({"class"}),
    "figure": frozenset({"class"}), "li": frozenset({"class"}),
}
URL_ATTRIBUTES = {("a", "href"): ("http", "https", "mailto"), ("img", "src"): ("http", "https")}
# Dropped with everything inside them: their content is code or markup, not prose.
DROPPED = frozenset({"script", "style", "iframe", "object", "embed", "applet", "svg", "math", "noscript",
                     "template", "title", "head", "textarea", "select", "xml", "frameset", "noembed",
                     "noframes", "canvas", "audio", "video"})
VOID = frozenset({"img", "br", "hr"})
BLOCK = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody",
                   "tfoot", "tr", "th", "td", "caption", "blockquote", "figure", "figcaption", "pre",
                   "hr", "div"})
MAX_DEPTH = 100

_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]+")
TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


# --- Parsing into a small tree ------------------------------------------------------------------

class Element:
    __slots__ = ("tag", "attrs", "children", "html")

    def __init__(self, tag: str, attrs: tuple = (), children: list | None = None):
        self.tag = tag  # "" for the root and for a run of inline content
        self.attrs = attrs
        self.children = children if children is not None else []
        self.html = None  # serialized form, cached


def _safe_url(value: str, schemes: tuple[str, ...]) -> bool:
    # Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
    match = _SCHEME_RE.match(_URL_NOISE_RE.sub("", value))
    return match is None or match.group(1).lower() in schemes


def _clean_attrs(tag: str, attrs: list) -> tuple:
    allowed = ATTRIBUTES.get(tag, ())
    kept = []
    for name, value in attrs:
        if name not in allowed:
            continue
        value = value or ""
        schemes = URL_ATTRIBUTES.get((tag, name))
        if schemes is not None and not _safe_url(value, schemes):
            continue
        kept.append((name, value))
    return tuple(kept)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("")
        self.stack = [self.root]
        self.skip_tag = None
        self.skip_depth = 0

    def handle_starttag(self, tag, attrs):
        if self.skip_tag is not None:
            self.skip_depth += tag == self.skip_tag
            return
        if tag in DROPPED:
            self.skip_tag, self.skip_depth = tag, 1
            return
        if tag not in TAGS:
            return  # unknown: unwrapped, its content kept
        element = Element(tag, _clean_attrs(tag, attrs))
        self._close_implied(tag)
        if tag in VOID:
            self.stack[-1].children.append(element)
            return
        if len(self.stack) > MAX_DEPTH:
            return
        self.stack[-1].children.append(element)
        self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        # "<p/>" opens a <p> in HTML, and "<script/>" opens a script: the slash changes nothing.
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if self.skip_depth == 0:
                    self.skip_tag = None
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if self.skip_tag is not None or not data:
            return
        data = data.replace("\x00", "\ufffd")
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    def _pop_through(self, tags, boundaries) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[index].tag
            if tag in tags:
                del self.stack[index:]
                return
            if tag in boundaries:
                return

    def _close_implied(self, tag: str) -> None:
        # The few implied end tags of HTML that matter for fragments: a block closes an open
        # paragraph, and a list item, cell or row closes its open sibling.
        if tag in BLOCK:
            self._pop_through({"p"}, BLOCK - {"p"})
        if tag == "li":
            self._pop_through({"li"}, {"ul", "ol"})
        elif tag in ("td", "th"):
            self._pop_through({"td", "th"}, {"tr", "table"})
        elif tag == "tr":
            self._pop_through({"tr"}, {"table", "thead", "tbody", "tfoot"})
        elif tag in ("thead", "tbody", "tfoot"):
            self._pop_through({"thead", "tbody", "tfoot"}, {"table"})


def _text_of(node) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text_of(child) for child in node.children)


def _add_link_targets(element: Element) -> None:
    """After each link whose text is not its address, its address as text: an edited target then
    shows as a word diff, and a reviewer sees where a link goes without hovering."""
    children = []
    for child in element.children:
        children.append(child)
        if isinstance(child, str):
            continue
        _add_link_targets(child)
        href = dict(child.attrs).get("href") if child.tag == "a" else None
        if href and " ".join(_text_of(child).split()) != href.strip():
            children += [" ", Element("span", (("class", "link-target"),), [f"({href.strip()})"])]
    element.children = children


def parse(html: str, *, link_targets: bool = True) -> Element:
    """The fragment as a tree of allow-listed elements and text (the root's tag is "")."""
    parser = _Parser()
    parser.feed(html or "")
    parser.close()
    if link_targets:
        _add_link_targets(parser.root)
    return parser.root


# --- Serializing ----------------------------------------------------------------------------------

def _escape_text(text: str) -> str:
    return html_lib.escape(text, quote=False)


def start_tag(element: Element, extra_class: str = "") -> str:
    attrs = element.attrs
    if extra_class:
        classes = " ".join(filter(None, [dict(attrs).get("class", ""), extra_class]))
        attrs = tuple(a for a in attrs if a[0] != "class") + (("class", classes),)
    return "<" + element.tag + "".join(f' {name}="{html_lib.escape(value)}"' for name, value in attrs) + ">"


def serialize(node) -> str:
    """HTML for a node of the tree; a root or inline run gives just its content."""
    if isinstance(node, str):
        return _escape_text(node)
    if node.html is None:
        inner = "".join(serialize(child) for child in node.children)
        if not node.tag:
            node.html = inner
        elif node.tag in VOID:
            node.html = start_tag(node)
        else:
            node.html = start_tag(node) + inner + f"</{node.tag}>"
    return node.html


def clean(html: str, *, link_targets: bool = False) -> SafeString:
    """The fragment as diff_html writes unchanged content: allow-listed, escaped, well formed."""
    return mark_safe(serialize(parse(html, link_targets=link_targets)))
