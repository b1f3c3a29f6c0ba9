"""What changed between two versions of an article, field by field, shown as readers will see it.

Each field is put in its reading form before it is diffed (articles.htmldiff): body images become
thumbnails with their alt text written out, the lead image a small figure, references a numbered
list with their DOI, PubMed and web links, and (in htmldiff) each link's address follows its text.
A reviewer so sees a replaced picture, a reworded alt text or an edited link target as a change.
"""
import html as html_lib
import time
from dataclasses import dataclass, field

from django.db.models import Q

from .content import ArticleContent
from .figures import STORED_IMG_RE, stored_keys
from .htmldiff import DIFF_SECONDS, Row, diff_html
from .models import ArticleType, Image
from .sections import SECTIONS

_EMPTY = ArticleContent(title="", summary="", body="", article_type_key="")


@dataclass
class FieldDiff:
    key: str
    label: str
    rows: list[Row] = field(default_factory=list)
    changes: int = 0

    @property
    def changed(self) -> bool:
        return any(row.kind != "equal" for row in self.rows)


class ContentDiff(list):
    """The FieldDiffs of diff_content, in reading order, with the total number of changes."""

    @property
    def changes(self) -> int:
        return sum(diff.changes for diff in self)

    @property
    def changed_fields(self) -> int:
        return sum(diff.changed for diff in self)


def diff_content(old: ArticleContent | None, new: ArticleContent) -> ContentDiff:
    """Every field, each safety section in its own right, in reading order. With no `old` (a first
    review), everything is inserted. Unchanged fields are included, with changed False."""
    old = old or _EMPTY
    names = dict(ArticleType.objects.filter(key__in=[old.article_type_key, new.article_type_key])
                 .values_list("key", "name"))
    by_key, by_id = _images(old, new)
    fields = [
        ("title", "Title", _text(old.title), _text(new.title)),
        ("summary", "Summary", _text(old.summary), _text(new.summary)),
        ("article_type", "Article type", _text(names.get(old.article_type_key, old.article_type_key)),
         _text(names.get(new.article_type_key, new.article_type_key))),
    ]
    if old.lead_image or new.lead_image:
        fields.append(("lead_image", "Lead image", _lead_html(old.lead_image, by_id),
                       _lead_html(new.lead_image, by_id)))
    fields.append(("body", "Body", _reading_html(old.body, by_key), _reading_html(new.body, by_key)))
    for section in SECTIONS:
        if section.key in old.sections or section.key in new.sections:
            fields.append((section.key, section.title, _reading_html(old.sections.get(section.key, ""), by_key),
                           _reading_html(new.sections.get(section.key, ""), by_key)))
    fields.append(("references", "References", _references_html(old.references),
                   _references_html(new.references)))
    # One time budget for the whole article, so many fields cannot add up past it.
    deadline = time.time() + DIFF_SECONDS
    diffs = ContentDiff()
    for key, label, old_html, new_html in fields:
        result = diff_html(old_html, new_html, deadline=deadline)
        diffs.append(FieldDiff(key, label, result.rows, result.changes))
    return diffs


def _text(value: str) -> str:
    return html_lib.escape(value or "")


def _images(old: ArticleContent, new: ArticleContent) -> tuple[dict[str, Image], dict[int, Image]]:
    """Every image either version shows (body, sections, lead), looked up in one query."""
    keys = stored_keys(old.body, new.body, *old.sections.values(), *new.sections.values())
    ids = {lead["image_id"] for lead in (old.lead_image, new.lead_image) if lead}
    if not keys and not ids:
        return {}, {}
    images = list(Image.objects.filter(Q(key__in=keys) | Q(pk__in=ids)).prefetch_related("renditions"))
    return {image.key: image for image in images}, {image.pk: image for image in images}


def _thumbnail(image: Image | None) -> str:
    if image is None:
        return '<span class="diff-missing">(image missing)</span>'
    renditions = list(image.renditions.all())
    if renditions:
        # The smallest rendition (WebP where both formats have it): a thumbnail, not the picture.
        small = min(renditions, key=lambda r: (r.width, r.format != "WEBP"))
        url, width, height = small.file.url, small.width, small.height
    else:
        url, width, height = image.file.url, image.width, image.height
    # alt is empty because the alt text follows as visible text: a screen reader would read it twice,
    # and a reworded alt text shows as a word change instead of as a replaced picture.
    return (f'<img src="{html_lib.escape(url)}" alt="" width="{width}" height="{height}" '
            f'class="diff-thumb" loading="lazy">')


def _alt_text(alt: str) -> str:
    return f'<span class="diff-alt">Alt text: {html_lib.escape(alt) if alt else "(none)"}</span>'


def _reading_html(html: str, images: dict[str, Image]) -> str:
    """Stored HTML with each image reference as a thumbnail followed by its alt text."""
    if not html:
        return ""

    def replace(match):
        alt = html_lib.unescape(match.group("alt"))
        return _thumbnail(images.get(match.group("key"))) + " " + _alt_text(alt)

    return STORED_IMG_RE.sub(replace, html)


def _lead_html(lead: dict | None, images: dict[int, Image]) -> str:
    if not lead:
        return ""
    caption = html_lib.escape(lead["caption"])
    if lead["credit"]:
        caption += f' <span class="diff-credit">Credit: {html_lib.escape(lead["credit"])}</span>'
    return (f'<figure class="diff-lead">{_thumbnail(images.get(lead["image_id"]))} {_alt_text(lead["alt"])}'
            + (f"<figcaption>{caption}</figcaption>" if caption else "") + "</figure>")


def _link(url: str) -> str:
    url = html_lib.escape(url)
    return f'<a href="{url}" rel="nofollow noopener">{url}</a>'


def _references_html(references: list[dict]) -> str:
    """The references as a numbered list, each with its fields and its links written out."""
    if not references:
        return ""
    items = []
    for ref in references:
        text = html_lib.escape(ref["title"] or "(no title)")
        if ref["source"]:
            text += f". {html_lib.escape(ref['source'])}"
        if ref["year"]:
            text += f" ({html_lib.escape(str(ref['year']))})"
        text += "."
        if ref["accessed"]:
            text += f" Accessed {html_lib.escape(str(ref['accessed']))}."
        links = []
        if ref["doi"]:
            links.append("DOI: " + _link(f"https://doi.org/{ref['doi']}"))
        if ref["pmid"]:
            links.append("PMID: " + _link(f"https://pubmed.ncbi.nlm.nih.gov/{ref['pmid']}/"))
        if ref["url"]:
            links.append("URL: " + _link(ref["url"]))
        items.append("<li>" + "<br>".join([text, *links]) + "</li>")
    return "<ol>" + "".join(items) + "</ol>"
