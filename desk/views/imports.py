"""Import on the desk (/editorial/import/): upload files, check each one's reading, make the drafts.

Three pages: the upload form; the preview of a batch (each file's title, type, sections, references
and findings, or why it cannot be read), whose "Create" makes the drafts; the result, each file
with its draft or why it was refused. The files stay on the server between them (reviews.imports);
the preview posts back only the title, the type and which files to make. With JavaScript, the
preview sends the files a few at a time and shows the progress; without, one POST makes them all.
"""
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from articles.errors import NotAllowed
from articles.importer import ImportProblem
from articles.models import ArticleType
from articles.sections import SECTIONS
from reviews.imports import file_preview, import_batch, import_create, import_stage
from reviews.permissions import may_create

from ..forms.imports import ImportFileForm, ImportUploadForm

# How many files the preview's script sends in one request: each is a transaction of its own, so
# a request stays short, and the progress bar moves every few files.
BATCH_SIZE = 5
DEFAULT_TYPE = "substance"  # the strictest, as for the import_articles command


def _refuse_unless_may_import(user) -> None:
    if not may_create(user):
        raise PermissionDenied("Only writers and editors can import articles.")


@never_cache
@login_required
def import_upload(request):
    _refuse_unless_may_import(request.user)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_stage(by=request.user, files=form.cleaned_data["files"])
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        return redirect("desk:import_preview", batch=batch)
    return render(request, "desk/import_upload.html", {"form": form})


def _rows(request, uploads, types: list[ArticleType]):
    """(preview, form) for each file, read for the type its form holds (posted, or the default)."""
    by_key = {article_type.key: article_type for article_type in types}
    default = by_key.get(DEFAULT_TYPE) or types[0]
    rows = []
    for upload in uploads:
        prefix = f"file-{upload.pk}"
        data = request.POST if request.method == "POST" else None
        chosen = by_key.get((data or {}).get(f"{prefix}-article_type"), default)
        preview = file_preview(upload, chosen)
        form = None
        if not preview.problem and not upload.article_id:
            form = ImportFileForm(data, prefix=prefix, needs_title=not preview.parsed.title,
                                  initial={"title": preview.parsed.title, "article_type": chosen.key, "make": True})
            # One query for the types, not one a file.
            form.fields["article_type"].choices = [(t.key, t.name) for t in types]
        rows.append((preview, form))
    return rows


@never_cache
@login_required
def import_preview(request, batch):
    _refuse_unless_may_import(request.user)
    uploads = import_batch(request.user, batch)
    types = list(ArticleType.objects.all())
    rows = _rows(request, uploads, types)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method == "POST" and request.POST.get("action") == "create":
        only = set(request.POST.getlist("only"))
        chosen = [(preview, form) for preview, form in rows
                  if form is not None and (not only or str(preview.upload.pk) in only)]
        valid = all(form.is_valid() for _, form in chosen)
        if valid:
            results = [_create(request.user, preview.upload, form) for preview, form in chosen
                       if form.cleaned_data["make"]]
            if wants_json:
                return JsonResponse({"results": results})
            created = sum(1 for result in results if result["created"])
            messages.success(request, f"{created} of {len(results)} draft{'s' if len(results) != 1 else ''} created.")
            return redirect("desk:import_result", batch=batch)
        if wants_json:
            return JsonResponse({"errors": {preview.upload.name: form.errors.get_json_data()
                                            for preview, form in chosen if form.errors}}, status=400)
    return render(request, "desk/import_preview.html", {
        "batch": batch, "rows": rows, "batch_size": BATCH_SIZE,
        "to_make": sum(1 for _, form in rows if form is not None),
        "unreadable": sum(1 for preview, _ in rows if preview.problem),
        "result_url": reverse("desk:import_result", kwargs={"batch": batch}),
        # For the script that names the missing sections again when a type is chosen.
        "type_requirements_json": json.dumps({t.key: t.required_sections for t in types}),
        "section_titles_json": json.dumps({section.key: section.title for section in SECTIONS}),
    })


def _create(user, upload, form) -> dict:
    data = form.cleaned_data
    result = {"id": upload.pk, "name": upload.name}
    try:
        upload = import_create(by=user, upload=upload, article_type=data["article_type"], title=data["title"])
    except ImportProblem as exc:
        return {**result, "created": False, "message": str(exc)}
    except NotAllowed as exc:
        return {**result, "created": False, "message": f"{upload.name}: {exc}"}
    return {**result, "created": True, "title": upload.article.title,
            "url": reverse("desk:article", kwargs={"pk": upload.article_id})}


@never_cache
@login_required
def import_result(request, batch):
    _refuse_unless_may_import(request.user)
    uploads = import_batch(request.user, batch)
    return render(request, "desk/import_result.html", {
        "batch": batch, "uploads": uploads,
        "created": sum(1 for upload in uploads if upload.article_id),
        "left": sum(1 for upload in uploads if not upload.article_id and not upload.problem),
    })
