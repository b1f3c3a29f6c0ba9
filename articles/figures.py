"""Images inside article content: stored as references, checked, shown to writers and to readers.

Stored form. The sanitizer (articles.sanitize) keeps an <img> only as
    <img alt="..." data-image="KEY">
where KEY is an upload's random key: a reference, not an address. The body's hash therefore
does not change when storage or MEDIA_URL moves, and no size, srcset or URL typed by a writer is
ever kept. Captions are ordinary <figure><figcaption> text.

Editor form. editor_html gives each reference a src (a rendition's address) so TinyMCE can
show the picture; on save the sanitizer turns that src back into the reference.

Reader form. render_images replaces each reference with <picture>: a WebP srcset, a srcset in
the original format, sizes, and width and height, built from the renditions when a publication
(or a preview) is made. Publications hold the finished HTML, so public pages run no image queries
and show exactly what the reviewer approved.
"""
import html as html_lib
import re
from html.parser import HTMLParser

from django.template.loader import render_to_string

from .images import renditions_ensure
from .models import Image
from .sanitize import image_key

# What the sanitizer writes (articles.sanitize.ImageFilter): alt first, then data-image.
STORED_IMG_RE = re.compile(r'<img alt="(?P<alt>[^"]*)" data-image="(?P<key>[0-9a-f]{32})">')
# The article column is 42rem wide with 1rem padding (static/css/site.css, main).
SIZES = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"
EDITOR_WIDTH = 960


class _ImageCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            attrs = {(None, name): value or "" for name, value in attrs}
            key = image_key(attrs)
            if key is not None:
                self.images.append({"key": key, "alt": " ".join(attrs.get((None, "alt"), "").split())})


def image_refs(html: str) -> list[dict]:
    """[{"key", "alt"}] for each image the HTML will keep once sanitized, in reading order.

    Reads stored HTML and unsaved editor HTML alike, so the gate panel judges what is on screen.
    """
    if not html or "<img" not in html.lower():
        return []
    collector = _ImageCollector()
    collector.feed(html)
    collector.close()
    return collector.images


def stored_keys(*htmls: str) -> set[str]:
    return {match.group("key") for html in htmls if html for match in STORED_IMG_RE.finditer(html)}


def unknown_image_keys(html: str) -> list[str]:
    """Keys in stored HTML that name no upload (only a hand-made request can produce one)."""
    keys = stored_keys(html)
    if not keys:
        return []
    known = set(Image.objects.filter(key__in=keys).values_list("key", flat=True))
    return sorted(keys - known)


def _images_by_key(keys) -> dict[str, Image]:
    if not keys:
        return {}
    return {image.key: image for image in Image.objects.filter(key__in=keys).prefetch_related("renditions")}


def _sorted_urls(renditions) -> str:
    return ", ".join(f"{r.file.url} {r.width}w" for r in sorted(renditions, key=lambda r: r.width))


def picture(image: Image, alt: str) -> dict:
    """What _picture.html needs to show one image, from its renditions (made if missing)."""
    renditions = renditions_ensure(image)
    webp = [r for r in renditions if r.format == "WEBP"]
    fallback = [r for r in renditions if r.format == image.format] or webp
    fitting = [r for r in fallback if r.width <= EDITOR_WIDTH]
    src = max(fitting, key=lambda r: r.width) if fitting else min(fallback, key=lambda r: r.width)
    return {
        "src": src.file.url,
        "width": src.width,
        "height": src.height,
        "srcset": _sorted_urls(fallback),
        # A WebP original has WebP fallbacks already; a <source> would repeat them.
        "webp_srcset": _sorted_urls(webp) if image.format != "WEBP" else "",
        "sizes": SIZES,
        "alt": alt,
    }


def pictures_for(*htmls: str) -> dict[str, Image]:
    """The images that stored HTML refers to, with their renditions, in one query."""
    return _images_by_key(stored_keys(*htmls))


def render_images(html: str, images: dict[str, Image]) -> str:
    """Stored HTML with each image reference replaced by responsive markup for readers.

    The replacement comes from a template that escapes alt text; a reference to an image that
    does not exist is left out.
    """
    def replace(match):
        image = images.get(match.group("key"))
        if image is None:
            return ""
        alt = html_lib.unescape(match.group("alt"))
        return render_to_string("partials/_picture.html", {"picture": picture(image, alt)}).strip()

    return STORED_IMG_RE.sub(replace, html) if html else html


def lead_picture(lead_image: dict | None) -> dict:
    """The lead image as a publication keeps it, or {} without one."""
    if not lead_image:
        return {}
    image = Image.objects.prefetch_related("renditions").filter(pk=lead_image["image_id"]).first()
    if image is None:
        return {}
    return {**picture(image, lead_image["alt"]), "caption": lead_image["caption"], "credit": lead_image["credit"]}


def editor_html(html: str) -> str:
    """Stored HTML with a src on each image, so the editor can show it; saving removes it again."""
    images = pictures_for(html)
    if not images:
        return html

    def replace(match):
        image = images.get(match.group("key"))
        if image is None:
            return ""
        return f'<img src="{html_lib.escape(picture(image, "")["src"])}" alt="{match.group("alt")}">'

    # TinyMCE's image plugin knows a captioned image by <figure class="image">; the sanitizer
    # removes the class again on save.
    html = re.sub(r'<figure>(\s*<img alt="[^"]*" data-image=)', r'<figure class="image">\1', html)
    return STORED_IMG_RE.sub(replace, html)
