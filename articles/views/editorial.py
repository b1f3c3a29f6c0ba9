"""The writer's side of the editorial desk: create, edit, history, compare, revert, preview.

Views parse input with forms, call one service, and map its errors back onto the form, so a
refused save shows every reason and keeps everything the person typed.
"""
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..content import ArticleContent
from ..diff import diff_content, diff_references
from ..errors import InvalidTransition, NotAllowed, StaleEdit
from ..forms import ArticleForm, ReferenceFormSet, reference_initial, section_field_name
from ..gate import gate_failures
from ..models import Article, ArticleType, Publication, RevisionMeta
from ..permissions import article_for_view, can_create, can_edit
from ..sections import SECTION_KEYS
from ..selectors import article_history
from ..services import article_create, article_revert, article_update, snapshot_fields


def _workspace_url(article: Article) -> str:
    return reverse("reviews:article", kwargs={"pk": article.pk})


def _apply_service_errors(form: ArticleForm, formset, exc: ValidationError) -> None:
    """Put a service's ValidationError on the fields it names."""
    for field, messages_ in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        if field in SECTION_KEYS:
            field = section_field_name(field)
        if field == "references":
            formset._non_form_errors = formset.error_class(list(formset.non_form_errors()) + messages_)
        elif field in form.fields:
            for message in messages_:
                form.add_error(field, message)
        else:
            for message in messages_:
                form.add_error(None, message)


def _editor_context(form, formset, article=None):
    # The panel judges what is on screen, saved or not, so a blank or refused form is never "ready".
    content = form.content_so_far(formset.references_so_far())
    article_type = ArticleType.objects.filter(key=content.article_type_key).first()
    return {
        "form": form, "formset": formset, "article": article,
        "gate_failures": gate_failures(content, article_type) if article_type else [],
        "required_sections": set(article_type.required_sections) if article_type else set(),
        "type_requirements_json": json.dumps({t.key: t.required_sections for t in ArticleType.objects.all()}),
    }


@never_cache
@login_required
def article_new(request):
    if not can_create(request.user):
        raise PermissionDenied("Only writers and editors can create articles.")
    if request.method == "POST":
        form = ArticleForm(request.POST)
        formset = ReferenceFormSet(request.POST, prefix="refs")
        if form.is_valid() and formset.is_valid():
            try:
                article = article_create(
                    by=request.user, content=form.content(formset.references()),
                    topics=form.cleaned_data["topics"], comment=form.cleaned_data["comment"] or "Created",
                )
            except ValidationError as exc:
                _apply_service_errors(form, formset, exc)
            else:
                messages.success(request, "Draft created.")
                return redirect(_workspace_url(article))
    else:
        form = ArticleForm(initial={"article_type": "substance"})
        formset = ReferenceFormSet(prefix="refs")
    return render(request, "articles/article_form.html", _editor_context(form, formset))


@never_cache
@login_required
def article_edit(request, pk):
    article = article_for_view(request.user, pk)
    if not can_edit(request.user, article):
        raise PermissionDenied("You cannot edit this article.")
    if article.status == Article.Status.IN_REVIEW and request.method == "GET":
        messages.info(request, "This article is in medical review and read-only, so the reviewer approves "
                               "exactly what was submitted. Withdraw it to make changes.")
        return redirect(_workspace_url(article))
    stale = None
    if request.method == "POST":
        form = ArticleForm(request.POST, article=article)
        formset = ReferenceFormSet(request.POST, prefix="refs")
        if form.is_valid() and formset.is_valid():
            try:
                article = article_update(
                    article=article, by=request.user,
                    expected_version=form.cleaned_data["version"] or 0,
                    content=form.content(formset.references()),
                    topics=form.cleaned_data["topics"], comment=form.cleaned_data["comment"] or "Edited",
                )
            except StaleEdit as exc:
                stale = _stale_links(article, exc)
                form.add_error(None, str(exc))
            except (InvalidTransition, NotAllowed) as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                _apply_service_errors(form, formset, exc)
            else:
                messages.success(request, f"Saved as version {article.version}.")
                return redirect(_workspace_url(article))
    else:
        form = ArticleForm(initial=ArticleForm.initial_for(article), article=article)
        formset = ReferenceFormSet(initial=reference_initial(article), prefix="refs")
    context = _editor_context(form, formset, article)
    context["stale"] = stale
    return render(request, "articles/article_form.html", context)


def _stale_links(article: Article, exc: StaleEdit) -> dict:
    """Where to see what someone else changed since this editor loaded the article."""
    metas = RevisionMeta.objects.filter(article=article)
    theirs = metas.filter(version=exc.expected_version).order_by("-revision_id").first()
    latest = metas.order_by("-revision_id").first()
    if theirs is None or latest is None:
        return {}
    return {"compare_url": reverse("articles:compare", kwargs={"pk": article.pk})
            + f"?from={theirs.revision_id}&to={latest.revision_id}"}


@login_required
@require_POST
def gate_check(request):
    """The gate's verdict on unsaved form data, for the editor's live panel."""
    if not can_create(request.user):
        raise PermissionDenied
    form = ArticleForm(request.POST)
    formset = ReferenceFormSet(request.POST, prefix="refs")
    if not (form.is_valid() and formset.is_valid()):
        errors = [{"field": name, "message": f"{form[name].label if name in form.fields else 'Form'}: {' '.join(errs)}"}
                  for name, errs in form.errors.items()]
        return JsonResponse({"failures": errors, "form_errors": True})
    failures = gate_failures(form.content(formset.references()), form.cleaned_data["article_type"])
    return JsonResponse({"failures": [{"field": f.field, "message": f.message} for f in failures]})


@never_cache
@login_required
def article_history_view(request, pk):
    article = article_for_view(request.user, pk)
    return render(request, "articles/article_history.html", {
        "article": article, "history": article_history(article),
        "can_revert": can_edit(request.user, article) and article.status != Article.Status.IN_REVIEW,
    })


def _content_at(article: Article, revision_id) -> tuple[RevisionMeta, ArticleContent]:
    meta = (RevisionMeta.objects.select_related("revision", "revision__user")
            .filter(article=article, revision_id=revision_id).first()) if str(revision_id).isdigit() else None
    if meta is None:
        raise Http404("No such revision of this article.")
    return meta, ArticleContent.from_revision(meta.revision, article)


@never_cache
@login_required
def article_compare(request, pk):
    article = article_for_view(request.user, pk)
    old_meta, old = _content_at(article, request.GET.get("from"))
    new_meta, new = _content_at(article, request.GET.get("to"))
    return render(request, "articles/article_compare.html", {
        "article": article, "old_meta": old_meta, "new_meta": new_meta,
        "diffs": diff_content(old, new), "reference_changes": diff_references(old.references, new.references),
    })


@login_required
@require_POST
def article_revert_view(request, pk, revision_id):
    article = article_for_view(request.user, pk)
    try:
        article = article_revert(article=article, by=request.user, revision_id=revision_id)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except (InvalidTransition, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("articles:history", pk=article.pk)
    messages.success(request, f"Restored revision {revision_id} as a new draft (version {article.version}). "
                              "It is not published until it is reviewed again.")
    return redirect(_workspace_url(article))


@never_cache
@login_required
def article_preview(request, pk):
    """The working copy as the public would see it. Needs edit permission; never cached."""
    article = article_for_view(request.user, pk)
    if not can_edit(request.user, article):
        raise PermissionDenied("Preview needs permission to edit this article.")
    publication = Publication(**snapshot_fields(article, ArticleContent.of(article)),
                              reviewer_name="(not yet reviewed)", reviewer_credentials="")
    return render(request, "articles/article_detail.html", {"publication": publication, "preview": True})
