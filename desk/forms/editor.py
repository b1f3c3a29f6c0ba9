"""The article editor's forms. They parse input; the services decide and sanitize."""
from django import forms
from django.utils.translation import get_language
from tinymce import settings as tinymce_settings
from tinymce.widgets import TinyMCE

from articles.content import REFERENCE_FIELDS, ArticleContent
from articles.figures import editor_html, picture
from articles.images import ACCEPTED, check_uploads, max_pixels, max_upload_bytes
from articles.models import Article, ArticleType, Image, Topic
from articles.sanitize import check_limits
from articles.sections import SECTIONS
from articles.validators import validate_doi, validate_pmid

from .hygiene import StripControlCharacters


def section_field_name(key: str) -> str:
    return f"section_{key}"


# TinyMCE's configuration by (language, content language): the same for every rich text field.
_MCE_CONFIGS: dict[tuple, dict] = {}


class RichText(TinyMCE):
    """A textarea that TinyMCE enhances when JavaScript runs; without it, plain HTML still posts."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 8, **(attrs or {})})

    def get_mce_config(self, attrs):
        # django-tinymce builds the configuration again for each of the editor's eleven fields, each
        # time translating the name of every language Django knows only to drop them: a tenth of
        # the edit page's time. It differs between fields only in the selector, their own id.
        key = (get_language(), self.content_language)
        config = _MCE_CONFIGS.get(key)
        if config is None:
            config = _MCE_CONFIGS[key] = super().get_mce_config(attrs)
        config = dict(config)
        if not (self.mce_attrs.get("selector") or tinymce_settings.DEFAULT_CONFIG.get("selector")):
            config["selector"] = f"#{attrs['id']}"
        return config

    class Media:
        # TinyMCE's images_upload_handler (settings.TINYMCE_DEFAULT_CONFIG).
        js = ["js/image_upload.js"]


class ArticleForm(StripControlCharacters, forms.Form):
    title = forms.CharField(max_length=200)
    # Shown on the edit form only (a new article's slug comes from its title); blank keeps the slug.
    slug = forms.SlugField(max_length=200, required=False, allow_unicode=False, label="Address (slug)",
                           help_text="Lower-case letters, digits and hyphens: the article's address is "
                                     "/articles/<slug>/.")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              help_text="Two or three plain sentences shown under the title and in search results.")
    article_type = forms.ModelChoiceField(queryset=ArticleType.objects.all(), to_field_name="key",
                                          empty_label=None, label="Article type",
                                          help_text="Decides which safety sections are required.")
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    body = forms.CharField(widget=RichText(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(max_length=200, required=False, label="What changed (for the history)",
                              help_text='For example "Added interactions with alcohol".')

    def __init__(self, *args, article: Article | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        if article is not None and article.live_publication_id:
            self.fields["slug"].help_text += (
                " Readers keep the current address until this draft is approved; from then on the old "
                "address redirects permanently to the new one.")
        for section in SECTIONS:
            self.fields[section_field_name(section.key)] = forms.CharField(
                label=section.title, help_text=section.description, required=False, widget=RichText(),
            )

    def clean(self):
        """The sanitizer's size and nesting limits on every HTML field, before anything parses it:
        a field over them gets the error (the limit named beside it) and keeps what was typed."""
        cleaned = super().clean()
        for name in ["body", *(section_field_name(section.key) for section in SECTIONS)]:
            try:
                check_limits(cleaned.get(name) or "")
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        return cleaned

    @classmethod
    def initial_for(cls, article: Article) -> dict:
        initial = {
            "title": article.title, "slug": article.slug, "summary": article.summary,
            "article_type": article.article_type.key,
            "topics": list(article.topics.all()), "body": editor_html(article.body), "version": article.version,
        }
        for key, html in article.sections_dict().items():
            initial[section_field_name(key)] = editor_html(html)
        return initial

    def section_fields(self):
        """(section, bound field) in reading order, for the template."""
        return [(section, self[section_field_name(section.key)]) for section in SECTIONS]

    def content_so_far(self, references: list[dict]) -> ArticleContent:
        """What the form holds now, valid or not, so the gate panel can judge unfinished work."""
        cleaned = getattr(self, "cleaned_data", {})

        def value(name):
            if name in cleaned:
                return cleaned[name]
            return (self.data.get(name) if self.is_bound else self.initial.get(name)) or ""

        article_type = value("article_type")
        return ArticleContent(
            title=str(value("title")), summary=str(value("summary")), body=str(value("body")),
            article_type_key=getattr(article_type, "key", article_type),
            sections={section.key: str(value(section_field_name(section.key))) for section in SECTIONS},
            references=references,
        )

    def content(self, references: list[dict]) -> ArticleContent:
        data = self.cleaned_data
        return ArticleContent(
            title=data["title"], summary=data["summary"], body=data["body"],
            article_type_key=data["article_type"].key,
            sections={section.key: data[section_field_name(section.key)] for section in SECTIONS},
            references=references,
        )


class ReferenceForm(StripControlCharacters, forms.Form):
    title = forms.CharField(max_length=500, required=False)
    url = forms.URLField(max_length=1000, required=False, label="URL", assume_scheme="https")
    doi = forms.CharField(max_length=200, required=False, label="DOI", validators=[validate_doi],
                          widget=forms.TextInput(attrs={"placeholder": "10.1000/xyz123"}))
    pmid = forms.CharField(max_length=20, required=False, label="PMID", validators=[validate_pmid],
                           widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    source = forms.CharField(max_length=300, required=False, label="Journal or publisher")
    year = forms.IntegerField(min_value=1800, max_value=2100, required=False)
    accessed = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if any(data.get(name) for name in ("url", "doi", "pmid", "source", "year")) and not data.get("title"):
            self.add_error("title", "A reference needs a title.")
        return data

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in REFERENCE_FIELDS)


class BaseReferenceFormSet(forms.BaseFormSet):
    def references(self) -> list[dict]:
        """The references in the order the writer gave them, without blank or deleted rows."""
        # ordered_forms already leaves out deleted rows and untouched extra rows.
        return [{name: form.cleaned_data.get(name) for name in REFERENCE_FIELDS}
                for form in self.ordered_forms if not form.is_blank()]

    def references_so_far(self) -> list[dict]:
        """The rows that are valid so far, for the gate panel while other rows still have errors."""
        if not self.is_bound:
            return list(self.initial or [])
        if self.is_valid():
            return self.references()
        return [{name: form.cleaned_data.get(name) for name in REFERENCE_FIELDS}
                for form in self.forms
                if form.is_valid() and form.has_changed() and not form.is_blank()
                and not form.cleaned_data.get("DELETE")]


ReferenceFormSet = forms.formset_factory(
    ReferenceForm, formset=BaseReferenceFormSet, extra=1, can_delete=True, can_order=True,
    max_num=100, validate_max=True,
)


def reference_initial(article: Article) -> list[dict]:
    return [{name: getattr(ref, name) for name in REFERENCE_FIELDS} for ref in article.references.all()]


class ImageFileInput(forms.FileInput):
    """A file input that reads every file posted under its name, so each one is checked."""

    def value_from_datadict(self, data, files, name):
        return files.getlist(name) if hasattr(files, "getlist") else [files[name]] if name in files else []


class ImageFileField(forms.Field):
    """One image file, checked by articles.images before anything is stored."""

    widget = ImageFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})

    def clean(self, value):
        uploads = [upload for upload in value or [] if upload]
        errors = check_uploads(uploads)
        if errors:
            raise forms.ValidationError(errors)
        if len(uploads) > 1:
            raise forms.ValidationError(f"Choose one lead image; {len(uploads)} files were sent.")
        return uploads[0] if uploads else None


class LeadImageForm(StripControlCharacters, forms.Form):
    """The article's lead image: a new file or the one chosen before, with its alt text, caption
    and credit. Works without JavaScript; used with prefix="lead" beside ArticleForm."""

    file = ImageFileField(required=False, label="Lead image")
    # The key of the image chosen before, so a refused save does not lose an upload.
    image = forms.RegexField(regex=r"^[0-9a-f]{32}$", required=False, widget=forms.HiddenInput)
    alt = forms.CharField(max_length=300, required=False, label="Alt text",
                          help_text="What the image shows, for readers who cannot see it. Needed before "
                                    "the article can be submitted.")
    caption = forms.CharField(max_length=300, required=False)
    credit = forms.CharField(max_length=300, required=False, label="Credit or licence",
                             help_text='For example "Photo: A. Smith, CC BY 4.0".')
    remove = forms.BooleanField(required=False, label="Remove the lead image")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored: Image | None = None
        self.fields["file"].help_text = (
            f"{ACCEPTED}, up to {max_upload_bytes() / 1_048_576:g} MB and {max_pixels() / 1_000_000:g} "
            "megapixels. Location and camera data are removed.")

    @classmethod
    def initial_for(cls, article: Article) -> dict:
        if article.lead_image_id is None:
            return {}
        return {"image": article.lead_image.key, "alt": article.lead_image_alt,
                "caption": article.lead_image_caption, "credit": article.lead_image_credit}

    def clean_image(self):
        key = self.cleaned_data["image"]
        if not key:
            return None
        image = Image.objects.filter(key=key).first()
        if image is None:
            raise forms.ValidationError("The lead image chosen before no longer exists; upload it again.")
        return image

    def current_image(self) -> Image | None:
        """The image the form shows: just stored, chosen before, or the article's."""
        if self.stored is not None:
            return self.stored
        if hasattr(self, "cleaned_data") and "image" in self.cleaned_data:
            return self.cleaned_data["image"]
        key = self.data.get(self.add_prefix("image")) if self.is_bound else self.initial.get("image")
        return Image.objects.filter(key=key).first() if key else None

    def preview(self) -> dict | None:
        image = self.current_image()
        return picture(image, "") if image else None

    def lead_image(self) -> dict | None:
        """The lead image for ArticleContent, once the view has stored any new file (self.stored)."""
        data = self.cleaned_data
        image = self.stored or data["image"]
        if data["remove"] or image is None:
            return None
        return {"image_id": image.pk, "alt": data["alt"], "caption": data["caption"], "credit": data["credit"]}

    def lead_image_so_far(self) -> dict | None:
        """Valid or not, enough for the gate panel to judge the alt text."""
        if not self.is_bound:
            image = self.current_image()
            return {"image_id": image.pk, "alt": self.initial.get("alt", "")} if image else None
        if self.data.get(self.add_prefix("remove")):
            return None
        image = self.current_image()
        chosen = bool(self.files.getlist(self.add_prefix("file"))) if hasattr(self.files, "getlist") else False
        if image is None and not chosen:
            return None
        # A file chosen but not stored yet has no id; any id will do: the gate reads only the words.
        return {"image_id": image.pk if image else -1, "alt": self.data.get(self.add_prefix("alt"), "")}
