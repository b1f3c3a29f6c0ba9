"""Field-by-field, word-level differences between two versions of an article's content."""
import difflib
import re
from dataclasses import dataclass, field

from .content import ArticleContent
from .figures import describe_images
from .models import ArticleType
from .sanitize import html_to_text
from .sections import SECTIONS

_TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass
class FieldDiff:
    key: str
    label: str
    # ("equal" | "insert" | "delete", text) runs, in reading order.
    ops: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(op != "equal" for op, _ in self.ops)


def diff_words(old: str, new: str) -> list[tuple[str, str]]:
    a, b = _TOKEN_RE.findall(old or ""), _TOKEN_RE.findall(new or "")
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            ops.append(("insert", "".join(b[j1:j2])))
    return ops


def reference_line(ref: dict) -> str:
    parts = [ref["title"], ref["source"], str(ref["year"] or ""),
             f"DOI {ref['doi']}" if ref["doi"] else "", f"PMID {ref['pmid']}" if ref["pmid"] else "",
             ref["url"]]
    return ". ".join(part for part in parts if part)


def diff_references(old: list[dict], new: list[dict]) -> list[tuple[str, str]]:
    """Which references were added, removed or kept, as ("insert"|"delete"|"equal", line)."""
    a, b = [reference_line(r) for r in old], [reference_line(r) for r in new]
    changes = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            changes.extend(("equal", line) for line in a[i1:i2])
            continue
        changes.extend(("delete", line) for line in a[i1:i2])
        changes.extend(("insert", line) for line in b[j1:j2])
    return changes


def diff_content(old: ArticleContent | None, new: ArticleContent) -> list[FieldDiff]:
    """Every field, each safety section in its own right. With no `old`, everything is inserted."""
    empty = ArticleContent(title="", summary="", body="", article_type_key="")
    old = old or empty
    names = dict(ArticleType.objects.filter(key__in=[old.article_type_key, new.article_type_key])
                 .values_list("key", "name"))
    diffs = [
        FieldDiff("title", "Title", diff_words(old.title, new.title)),
        FieldDiff("summary", "Summary", diff_words(old.summary, new.summary)),
        FieldDiff("article_type", "Article type", diff_words(
            names.get(old.article_type_key, old.article_type_key), names.get(new.article_type_key, new.article_type_key),
        )),
        FieldDiff("body", "Body", diff_words(_text(old.body), _text(new.body))),
    ]
    if old.lead_image or new.lead_image:
        diffs.insert(3, FieldDiff("lead_image", "Lead image", diff_words(
            describe_lead_image(old.lead_image), describe_lead_image(new.lead_image))))
    for section in SECTIONS:
        if section.key in old.sections or section.key in new.sections:
            diffs.append(FieldDiff(section.key, section.title, diff_words(
                _text(old.sections.get(section.key, "")),
                _text(new.sections.get(section.key, "")),
            )))
    return diffs


def _text(html: str) -> str:
    # Images are written out ("[Image 3f2a9c1d: alt text]") so a reviewer sees them change.
    return html_to_text(describe_images(html))


def describe_lead_image(lead_image: dict | None) -> str:
    if not lead_image:
        return ""
    parts = [f"Image {lead_image['image_id']}", f"alt text: {lead_image['alt'] or '(none)'}"]
    parts += [f"{name}: {lead_image[name]}" for name in ("caption", "credit") if lead_image[name]]
    return ". ".join(parts)
