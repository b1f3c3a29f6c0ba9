"""The article editor's fields as a private draft keeps them (reviews.drafts), and the merge form.

A draft holds the editor's fields as typed, under the form's own names ({name: [values]}). This
module is the one place that knows those names: which posted values belong in a draft, how to
fill the editor from one, what article content a draft holds (for the merge view, and to tell
whether anything is unsaved), and the way back, a draft from merged content.

What a person typed is kept as typed and shown back only to them: in plain inputs, which Django
escapes, and in a rich-text editor only after articles.sanitize.clean_html.
"""
import functools
import html as html_lib
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from articles.content import REFERENCE_FIELDS, ArticleContent
from articles.diff import diff_content
from articles.figures import editor_html
from articles.models import Article, Image, Topic
from articles.sanitize import clean_html
from articles.sections import SECTIONS

from .editor import ArticleForm, LeadImageForm, ReferenceFormSet, RichText, section_field_name
from .hygiene import StripControlCharacters

_REFERENCE_NAME = re.compile(
    r"^refs-(?:TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS"
    rf"|\d{{1,4}}-(?:{'|'.join(REFERENCE_FIELDS)}|ORDER|DELETE))$")
# The lead image's fields but its file: a draft holds words; a chosen file is stored (or not)
# by the save, and the key of one stored already is what comes back.
_LEAD_NAMES = frozenset(f"lead-{name}" for name in ("image", "alt", "caption", "credit", "remove"))
_RICH_TEXT = ("body", *(section_field_name(section.key) for section in SECTIONS))


@functools.cache
def _article_field_names() -> frozenset[str]:
    return frozenset(ArticleForm().fields)


def editor_fields(data: QueryDict) -> dict[str, list[str]]:
    """The values of a posted editor form that a draft keeps (not the CSRF token, not files)."""
    names = _article_field_names()
    return {name: [value for value in values if isinstance(value, str)]
            for name, values in data.lists()
            if name in names or name in _LEAD_NAMES or _REFERENCE_NAME.match(name)}


def _as_data(fields: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, [str(value) for value in values])
    return data


def sanitized(html: str) -> str:
    """Typed HTML as the rich-text editor may show it."""
    try:
        return clean_html(html or "")
    except ValidationError:
        # Past the sanitizer's limits, which a draft is checked against when it is stored: shown
        # as text, so nothing is lost and nothing is parsed.
        return f"<p>{html_lib.escape(html)}</p>"


def typed_references(data: QueryDict) -> list[dict]:
    """The reference rows as typed, in the order the writer gave, without deleted or blank rows.
    Not validated: a row with a malformed DOI is still the writer's row."""
    rows = []
    for index, form in enumerate(ReferenceFormSet(data, prefix="refs").forms):
        if form["DELETE"].data:
            continue
        row = {name: str(form[name].data or "").strip() for name in REFERENCE_FIELDS}
        if not any(row.values()):
            continue
        order = str(form["ORDER"].data or "").strip()
        rows.append((int(order) if order.isdigit() else float("inf"), index, row))
    return [row for _, _, row in sorted(rows, key=lambda item: item[:2])]


def editor_forms_from_draft(fields: dict[str, list[str]], article: Article | None = None):
    """The editor's three forms (article, references, lead image), unbound, filled from a draft:
    unbound so the page shows the text without judging it, as it was when it was typed."""
    data = _as_data(fields)
    typed = ArticleForm(data, article=article)
    initial = {name: typed[name].data for name in typed.fields}
    for name in _RICH_TEXT:
        initial[name] = editor_html(sanitized(initial.get(name) or ""))
    lead = LeadImageForm(data, prefix="lead")
    return (ArticleForm(initial=initial, article=article),
            ReferenceFormSet(initial=typed_references(data), prefix="refs"),
            LeadImageForm(initial={name: lead[name].data for name in ("image", "alt", "caption", "credit", "remove")},
                          prefix="lead"))


@dataclass
class DraftContent:
    """What a draft holds, as article content (its HTML sanitized), with its topics and comment."""

    content: ArticleContent
    topic_ids: list[int]
    comment: str


def draft_content(fields: dict[str, list[str]]) -> DraftContent:
    data = _as_data(fields)
    typed = ArticleForm(data)

    def raw(name: str) -> str:
        return str(typed[name].data or "")

    content = ArticleContent(
        title=" ".join(raw("title").split()), summary=raw("summary").strip(), body=sanitized(raw("body")),
        article_type_key=raw("article_type"),
        sections={section.key: sanitized(raw(section_field_name(section.key))) for section in SECTIONS},
        references=typed_references(data), lead_image=_typed_lead_image(data),
    )
    topic_ids = sorted({int(value) for value in typed["topics"].data or [] if str(value).isdigit()})
    return DraftContent(content, topic_ids, raw("comment").strip())


def _typed_lead_image(data: QueryDict) -> dict | None:
    key = data.get("lead-image", "")
    if data.get("lead-remove") or not key:
        return None
    image_id = Image.objects.filter(key=key).values_list("pk", flat=True).first()
    if image_id is None:
        return None
    return {"image_id": image_id, "alt": data.get("lead-alt", ""), "caption": data.get("lead-caption", ""),
            "credit": data.get("lead-credit", "")}


def holds_unsaved_changes(fields: dict[str, list[str]], article: Article | None) -> bool:
    """Whether the fields hold anything the article does not: an autosave that arrives after the
    save it belongs to, or text typed and then undone, leaves nothing to keep. The comment alone
    is not worth keeping."""
    mine = draft_content(fields)
    if article is None:
        content = mine.content
        return bool(content.title or content.summary or content.body or content.sections
                    or content.references or content.lead_image)
    return (mine.content.hash() != ArticleContent.of(article).hash()
            or mine.topic_ids != sorted(article.topics.values_list("pk", flat=True)))


def draft_fields_for(content: ArticleContent, *, topic_ids, comment: str, version: int) -> dict[str, list[str]]:
    """Draft fields that fill the editor with this content (the merge view's result, kept)."""
    fields = {"title": [content.title], "summary": [content.summary], "article_type": [content.article_type_key],
              "topics": [str(pk) for pk in topic_ids], "body": [content.body], "version": [str(version)],
              "comment": [comment]}
    for section in SECTIONS:
        fields[section_field_name(section.key)] = [content.sections.get(section.key, "")]
    fields.update({"refs-TOTAL_FORMS": [str(len(content.references))], "refs-INITIAL_FORMS": ["0"],
                   "refs-MIN_NUM_FORMS": ["0"], "refs-MAX_NUM_FORMS": ["100"]})
    for index, ref in enumerate(content.references):
        for name in REFERENCE_FIELDS:
            fields[f"refs-{index}-{name}"] = ["" if ref[name] is None else str(ref[name])]
        fields[f"refs-{index}-ORDER"] = [str(index + 1)]
    lead = content.lead_image
    if lead:
        key = Image.objects.filter(pk=lead["image_id"]).values_list("key", flat=True).first() or ""
        fields.update({"lead-image": [key], "lead-alt": [lead["alt"]], "lead-caption": [lead["caption"]],
                       "lead-credit": [lead["credit"]]})
    return fields


# --- Merge -----------------------------------------------------------------------------------------

MINE, THEIRS = "mine", "theirs"
KEEP_CHOICES = [(MINE, "Keep mine"), (THEIRS, "Keep theirs")]


@dataclass
class MergeField:
    """One field where the current article (theirs) and the person's draft (mine) differ.

    `base` is the field as the person opened it, when known: a field only one side changed then
    starts as that side's, so merging never quietly undoes a change nobody chose to undo."""

    key: str
    label: str
    kind: str  # "text", "html" (edited in a result field), or "whole" (chosen as a whole)
    theirs: object
    mine: object
    base: object = None
    base_known: bool = False
    rows: tuple = ()  # articles.htmldiff rows: theirs as old, mine as new
    theirs_text: str = ""  # what a "whole" field without rows shows (topics)
    mine_text: str = ""

    @property
    def starts_as(self) -> str:
        return THEIRS if self.base_known and self.mine == self.base else MINE

    @property
    def who_changed(self) -> str:
        if not self.base_known:
            return "The two versions differ here: choose one."
        if self.mine == self.base:
            return "Only they changed this since you opened it, so theirs is kept unless you choose yours."
        if self.theirs == self.base:
            return "Only you changed this, so yours is kept unless you choose theirs."
        return "You both changed this: choose one, or edit the result."

    @property
    def form_name(self) -> str:
        return f"keep_{self.key}" if self.kind == "whole" else f"result_{self.key}"

    def shown(self, side: str):
        """A side's value as the result field shows it."""
        value = self.mine if side == MINE else self.theirs
        return editor_html(value) if self.kind == "html" else value

    @property
    def shown_mine(self):
        return self.shown(MINE)

    @property
    def shown_theirs(self):
        return self.shown(THEIRS)


def _sides(content: ArticleContent | None):
    """(key, label, kind, value) for each field the merge compares, in reading order."""
    if content is None:
        return []
    return [("title", "Title", "text", content.title), ("summary", "Summary", "text", content.summary),
            ("article_type", "Article type", "whole", content.article_type_key),
            ("lead_image", "Lead image", "whole", content.lead_image), ("body", "Body", "html", content.body),
            *((section.key, section.title, "html", content.sections.get(section.key, "")) for section in SECTIONS),
            ("references", "References", "whole", content.references)]


def merge_fields(*, theirs: ArticleContent, theirs_topics: list, mine: DraftContent,
                 base: ArticleContent | None) -> list[MergeField]:
    """The fields where theirs and mine differ, each with the differences marked."""
    diffs = {diff.key: diff for diff in diff_content(theirs, mine.content)}
    base_values = {key: value for key, _, _, value in _sides(base)}
    fields = [MergeField(key, label, kind, theirs_value, mine_value, base_values.get(key), key in base_values,
                         tuple(diffs[key].rows) if key in diffs else ())
              for (key, label, kind, theirs_value), (_, _, _, mine_value) in zip(_sides(theirs), _sides(mine.content))
              if theirs_value != mine_value]
    theirs_ids = sorted(topic.pk for topic in theirs_topics)
    if theirs_ids != mine.topic_ids:
        names = dict(Topic.objects.filter(pk__in=[*theirs_ids, *mine.topic_ids]).values_list("pk", "name"))
        fields.append(MergeField(
            "topics", "Topics", "whole", theirs_ids, mine.topic_ids,
            # Topics are not kept in revisions, so who changed them is not known.
            theirs_text=", ".join(sorted(names.get(pk, "?") for pk in theirs_ids)) or "(none)",
            mine_text=", ".join(sorted(names.get(pk, "?") for pk in mine.topic_ids)) or "(none)"))
    return fields


class MergeForm(StripControlCharacters, forms.Form):
    """Per differing field: the result (text fields, editable) or a choice (whole fields)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(max_length=200, required=False, label="What changed (for the history)")

    def __init__(self, *args, merge: list[MergeField], **kwargs):
        super().__init__(*args, **kwargs)
        self.merge = merge
        for field in merge:
            if field.kind == "whole":
                # Not required: a choice missing from the post keeps mine (see merged()).
                self.fields[field.form_name] = forms.ChoiceField(
                    choices=KEEP_CHOICES, widget=forms.RadioSelect, initial=field.starts_as, required=False,
                    label=f"Which {field.label.lower()} to keep")
            else:
                widget = (RichText() if field.kind == "html"
                          else forms.Textarea(attrs={"rows": 3}) if field.key == "summary" else forms.TextInput())
                self.fields[field.form_name] = forms.CharField(
                    required=False, strip=False, widget=widget, initial=field.shown(field.starts_as),
                    label=f"Result: {field.label}")

    def rows(self):
        """(merge field, its form field) for the template."""
        return [(field, self[field.form_name]) for field in self.merge]

    @staticmethod
    def taking(data: QueryDict, merge: list[MergeField], take: str) -> QueryDict:
        """The posted form with one result replaced by mine or theirs ("theirs:body"): the
        buttons' work without JavaScript. Everything else stays as posted."""
        side, _, key = take.partition(":")
        field = next((field for field in merge if field.key == key and field.kind != "whole"), None)
        if field is None or side not in (MINE, THEIRS):
            return data
        data = data.copy()
        data[field.form_name] = field.shown(side)
        return data

    def merged(self, theirs: ArticleContent, theirs_topics: list) -> tuple[ArticleContent, list[int]]:
        """The content to save: theirs, with each differing field as the person chose or edited.
        A field that was not on the page they posted (theirs changed again meanwhile) keeps mine:
        they never saw it, and what they typed must not be lost."""
        values = {key: value for key, _, _, value in _sides(theirs)}
        values["topics"] = sorted(topic.pk for topic in theirs_topics)
        for field in self.merge:
            if self.add_prefix(field.form_name) not in self.data:
                values[field.key] = field.mine
            elif field.kind == "whole":
                values[field.key] = field.theirs if self.cleaned_data[field.form_name] == THEIRS else field.mine
            else:
                values[field.key] = self.cleaned_data[field.form_name]
        content = ArticleContent(
            title=values["title"], summary=values["summary"], body=values["body"],
            article_type_key=values["article_type"],
            sections={section.key: values[section.key] for section in SECTIONS},
            references=values["references"], lead_image=values["lead_image"])
        return content, values["topics"]

    def field_for_error(self, key: str) -> str | None:
        """The form field a service error about `key` belongs on, if it is on the page."""
        return next((field.form_name for field in self.merge if field.key == key), None)
