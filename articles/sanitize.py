"""The one HTML sanitizer. Every stored HTML field passes through clean_html on write.

Templates may mark its output safe because nothing else is ever stored in those fields.

clean_html holds the input to the limits (articles.limits) first, drops what bleach would keep the
text of but should not (code elements, Word's conditional comments), then runs bleach with this
module's allow-lists and filters. bleach runs in bulk: articles.html_prepass rewrites the input so
that html5lib reads it without a Python call per character, and articles.bleach_linear is bleach's
parser, walker, sanitizer and serializer without their quadratic spots; the output is the same as
bleach's own (tests/articles/test_html_prepass.py).
"""
import re
import threading

import bleach
from bleach.html5lib_shim import Filter

from . import bleach_linear
from .html_prepass import rewrite
from .limits import MAX_HTML_CHARS, MAX_NESTING_DEPTH, check_limits
from .linear_scan import NextMatch, element_matches, tag_spans

# The limits are part of the sanitizer's contract (DESIGN.md), so they can be imported from here.
__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "MAX_HTML_CHARS", "MAX_NESTING_DEPTH", "ImageFilter",
           "check_limits", "clean_html", "html_to_text", "image_key"]

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


def _cleaner(*, bulk: bool = True) -> bleach.Cleaner:
    # bleach's Cleaner holds parser state and is not thread-safe: one per thread.
    name = "bulk_cleaner" if bulk else "cleaner"
    cleaner = getattr(_local, name, None)
    if cleaner is None:
        options = dict(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True,
                       strip_comments=True, filters=[ExternalLinkFilter, ImageFilter])
        if bulk:
            cleaner = bleach_linear.Cleaner(**options)
        else:
            cleaner = bleach.Cleaner(**options)
            cleaner.parser = bleach_linear.Parser(tags=cleaner.tags, strip=cleaner.strip, consume_entities=False,
                                                  namespaceHTMLElements=False)
            cleaner.walker = bleach_linear.Walker
        setattr(_local, name, cleaner)
    return cleaner


# Word pastes a bulleted list as paragraphs that start with a bullet glyph; they become a list again.
_WORD_BULLET_PARAGRAPH_RE = re.compile(r"<p>\s*[·•▪◦§]\s*(?:&nbsp;|\s)*(.*?)</p>", re.DOTALL)
_WORD_BULLET_RUN_RE = re.compile(r"(?:<p>\s*[·•▪◦§]\s*(?:&nbsp;|\s)*.*?</p>\s*)+", re.DOTALL)


def _restore_word_lists(html: str) -> str:
    def to_list(run):
        items = _WORD_BULLET_PARAGRAPH_RE.findall(run.group(0))
        return "<ul>" + "".join(f"<li>{item.strip()}</li>" for item in items) + "</ul>"

    return _WORD_BULLET_RUN_RE.sub(to_list, html)


def _sanitize(html: str, *, bulk: bool = True) -> str:
    """bleach with the one allow-list. `bulk` (always, but in tests) rewrites the input first so
    that html5lib reads it in bulk (html_prepass) and sanitizes it with bleach_linear's classes, to
    the same output; without it, this is bleach as it comes, with html5lib's quadratic spots
    removed, as the sanitizer was before: tests/articles/test_html_prepass.py compares the two."""
    if not bulk:
        return _cleaner(bulk=False).clean(html)
    rewritten = rewrite(html, ALLOWED_TAGS, ALLOWED_ATTRIBUTES)
    return _cleaner().clean(rewritten.html, rewritten.restore)


def clean_html(html: str) -> str:
    """Sanitize HTML with the one allow-list. Raises ValidationError past the size or depth limit."""
    if not html:
        return ""
    check_limits(html)
    html = _drop_conditional_comments(html)
    html = _drop_with_content(html)
    html = _drop_unclosed_raw_text(html)
    cleaned = _sanitize(html)
    # Word and Google Docs leave empty paragraphs and non-breaking-space padding behind.
    cleaned = re.sub(r"<p>(\s|&nbsp;|<br>)*</p>", "", cleaned)
    cleaned = re.sub(r"<figure>\s*(<figcaption>\s*</figcaption>\s*)?</figure>", "", cleaned)
    cleaned = _restore_word_lists(cleaned)
    return cleaned.strip()


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


# An <img ...> start tag as typed. [^<>]* rather than [^>]*: each match stops at the next "<", so
# a paste of many unclosed "<img" is read once, not once per "<img".
_IMG_TAG_RE = re.compile(r"<img\b[^<>]*>?", re.IGNORECASE)
_ATTRIBUTE_RE = re.compile(r"""\b(src|data-image)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


def foreign_image_count(html: str) -> int:
    """How many <img> in unsanitized HTML clean_html will drop because they are not this site's
    uploads (a picture pasted from another site, a data: address): the editor tells the writer,
    rather than let them vanish without a word."""
    dropped = 0
    for tag in _IMG_TAG_RE.finditer(html or ""):
        attrs = {}
        for name, double, single, bare in _ATTRIBUTE_RE.findall(tag.group()):
            attrs.setdefault((None, name.lower()), double or single or bare)
        if image_key(attrs) is None:
            dropped += 1
    return dropped
