"""Import on the desk: the upload form, and one small form a file in the preview."""
from django import forms
from django.template.defaultfilters import filesizeformat

from articles.importer import IMPORT_SUFFIXES
from articles.models import ArticleType
from reviews.imports import max_file_bytes, max_files

from .hygiene import StripControlCharacters

ACCEPT = ",".join(IMPORT_SUFFIXES)


class MultipleFileInput(forms.FileInput):
    """A file input that sends, and reads, every file chosen."""

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        return files.getlist(name) if hasattr(files, "getlist") else []


class ImportFilesField(forms.Field):
    widget = MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True})

    def clean(self, value):
        uploads = [upload for upload in value or [] if upload]
        if not uploads:
            raise forms.ValidationError("Choose at least one file to import.")
        if len(uploads) > max_files():
            raise forms.ValidationError(f"Import at most {max_files()} files at once; {len(uploads)} were chosen. "
                                        "Import the rest in another batch.")
        limit = max_file_bytes()
        errors = []
        for upload in uploads:
            if not upload.name.lower().endswith(IMPORT_SUFFIXES):
                errors.append(f"{upload.name}: not a file the importer reads; use {', '.join(IMPORT_SUFFIXES)}.")
            elif upload.size > limit:
                errors.append(f"{upload.name} is {filesizeformat(upload.size)}; each file may be at most "
                              f"{filesizeformat(limit)}.")
        if errors:
            raise forms.ValidationError(errors)
        return uploads


class ImportUploadForm(forms.Form):
    files = ImportFilesField(label="Files")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = (
            f"Plain text (.txt), HTML (.html) or Word (.docx); up to {max_files()} files of at most "
            f"{filesizeformat(max_file_bytes())} each. You check each one before any draft is made.")


class ImportFileForm(StripControlCharacters, forms.Form):
    """The title and type of one file's draft, and whether to make it. Prefixed by the file."""

    make = forms.BooleanField(required=False, initial=True, label="Create a draft from this file")
    title = forms.CharField(max_length=200, required=False,
                            help_text="As detected in the file; change it if it is wrong.")
    article_type = forms.ModelChoiceField(queryset=ArticleType.objects.all(), to_field_name="key",
                                          empty_label=None, label="Article type",
                                          help_text="Decides which safety sections are required.")

    def __init__(self, *args, needs_title: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_title = needs_title
        if needs_title:
            self.fields["title"].help_text = "No title was found in the file: type one."

    def clean(self):
        data = super().clean()
        if data.get("make") and self.needs_title and not (data.get("title") or "").strip():
            self.add_error("title", "This file has no title of its own: type one, or untick it.")
        return data
