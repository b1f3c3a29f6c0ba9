"""The one HTML sanitizer. Every stored HTML field passes through clean_html on write.

Templates may mark its output safe because nothing else is ever stored in those fields.
"""
import re
import threading

import bleach
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
_DROP_RE = re.compile(
    r"<(%s)\b[^>]*>.*?</\1\s*>" % "|".join(DROPPED_WITH_CONTENT), re.IGNORECASE | re.DOTALL
)
# Raw-text elements: a browser reads everything after an unclosed one as its content, so it goes too.
_DROP_UNCLOSED_RAW_TEXT_RE = re.compile(r"<(script|style|title)\b[^>]*>.*\Z", re.IGNORECASE | re.DOTALL)
_CONDITIONAL_COMMENT_RE = re.compile(r"<!\[(?:if|endif)[^\]]*\]>", re.IGNORECASE)

# bleach (html5lib) is quadratic on deep nesting: about 157 s for 50,000 nested divs. Both
# limits are checked with a linear scan before bleach sees the input.
MAX_HTML_CHARS = 400_000
MAX_NESTING_DEPTH = 60
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*>")
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "wbr",
                        "source", "track", "embed", "param"})
# Elements the parser closes by itself when a sibling opens, so an unclosed run is not nesting.
_SELF_CLOSING_SIBLINGS = frozenset({"p", "li", "dt", "dd", "option", "tr", "td", "th", "o:p"})


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
        _local.cleaner = cleaner
    return cleaner


def check_limits(html: str) -> None:
    if len(html) > MAX_HTML_CHARS:
        raise ValidationError(
            f"This text is too long to store ({len(html):,} characters; the limit is "
            f"{MAX_HTML_CHARS:,}). Split it into sections.",
            code="html_too_long",
        )
    # Counts nesting the way an HTML parser builds it: "/>" closes only void elements, and an end
    # tag closes only an element that is actually open, so stray or self-closed tags still count.
    open_elements: list[str] = []
    for match in _TAG_RE.finditer(html):
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
    html = _CONDITIONAL_COMMENT_RE.sub("", html)
    html = _DROP_RE.sub("", html)
    html = _DROP_UNCLOSED_RAW_TEXT_RE.sub("", html)
    cleaned = _cleaner().clean(html)
    # Word and Google Docs leave empty paragraphs and non-breaking-space padding behind.
    cleaned = re.sub(r"<p>(\s|&nbsp;|<br>)*</p>", "", cleaned)
    cleaned = re.sub(r"<figure>\s*(<figcaption>\s*</figcaption>\s*)?</figure>", "", cleaned)
    cleaned = _restore_word_lists(cleaned)
    return cleaned.strip()


def html_to_text(html: str) -> str:
    """Visible text of stored (already clean) HTML, for word counts and checks."""
    # Quoted attribute values may hold ">" (bleach escapes only "&", "<" and the quote in them).
    text = re.sub(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""", " ", html or "")
    text = (text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<")
            .replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'"))
    return " ".join(text.split())
