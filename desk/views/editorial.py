"""The writer's side of the editorial desk: create, edit, history, compare, revert, preview.

Views parse input with forms, call one service, and map its errors back onto the form, so a
refused save shows every reason and keeps everything the person typed.
"""
import dataclasses
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles.checks import Document
from articles.checks.profiles import profile_for
from articles.checks.readability import article_readability
from articles.checks.waivers import by_field, check_content
from articles.content import ArticleContent, normalise_lead_image
from articles.diff import diff_content
from articles.errors import InvalidTransition, NotAllowed, StaleEdit
from ..forms.editor import ArticleForm, LeadImageForm, ReferenceFormSet, reference_initial, section_field_name
from articles.models import Article, ArticleType, Publication, RevisionMeta
from articles.sections import SECTION_KEYS
from articles.sanitize import foreign_image_count
from articles.selectors import article_history, revision_story
from articles.services import snapshot_fields
from reviews.drafts import article_create_and_forget_draft, article_update_and_forget_draft
from reviews.editing import article_revert, image_add
from reviews.permissions import article_for_view, comment_verbs, may, may_create, role_refusal
from reviews.states import Action, next_status

from .editing_safety import editor_safety_context, restored_editor, stale_save_merge
from .review import threads

HISTORY_PAGE_SIZE = 50


def _workspace_url(article: Article) -> str:
    return reverse("desk:article", kwargs={"pk": article.pk})


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


def _store_lead_upload(lead_form: LeadImageForm, user, article=None) -> None:
    """Store a newly chosen lead image as soon as it passes its checks, even when the rest of the
    form is refused: the form then carries its key, so the writer need not send the file again."""
    if not lead_form.is_valid():
        return
    data = lead_form.cleaned_data
    if data["file"] is None or data["remove"]:
        return
    try:
        lead_form.stored = image_add(upload=data["file"], by=user, article=article, alt_text=data["alt"],
                                        caption=data["caption"], credit=data["credit"])
    except (ValidationError, NotAllowed) as exc:
        lead_form.add_error("file", getattr(exc, "messages", [str(exc)]))


def _report_dropped_images(request, typed: ArticleContent) -> None:
    """Say so when the save left out pictures that are not this site's uploads (pasted from
    another site, or from a document): the sanitizer drops them, and nobody should find out later."""
    dropped = sum(foreign_image_count(html) for html in (typed.body, *typed.sections.values()))
    if dropped:
        messages.warning(request, f"{dropped} image{'s were' if dropped != 1 else ' was'} left out: pasted from "
                                  f"another site or a document, not uploaded here. Upload each one with the "
                                  f"editor's image button, with a description for readers who cannot see it.")


def _with_lead_image(content: ArticleContent, lead_form: LeadImageForm) -> ArticleContent:
    return dataclasses.replace(content, lead_image=lead_form.lead_image())


def _editor_context(form, formset, article=None, lead_form=None, *, blank=False):
    """`blank`: a new article's form before anything is typed. Its panel lists what submission will
    need, as a to-do, and no field shows a finding: nobody has written anything wrong yet."""
    # The panel judges what is on screen, saved or not, so a blank or refused form is never "ready".
    content = form.content_so_far(formset.references_so_far())
    if lead_form is not None:
        content.lead_image = normalise_lead_image(lead_form.lead_image_so_far())
    types = list(ArticleType.objects.all())
    article_type = next((candidate for candidate in types if candidate.key == content.article_type_key), None)
    # The text read once for the checks, the plain-language measures and the gate.
    document = Document(content, article_type)
    # The automated checks, shown at their fields; refreshed on every render, so on every save.
    findings = by_field(check_content(content, article_type, article, document=document)
                        if article_type and not blank else [])
    # Plain-language advice (reading age, long sentences, passive, jargon) beside each field; never a gate.
    readability = article_readability(content, profile=profile_for(article_type), document=document)
    return {
        "form": form, "formset": formset, "article": article, "lead_form": lead_form,
        "findings": findings, "readability": readability,
        "section_rows": [(section, field, findings.get(section.key, []), readability.get(section.key))
                         for section, field in form.section_fields()],
        "gate_failures": document.gate_failures, "blank": blank,
        "required_sections": set(article_type.required_sections) if article_type else set(),
        "type_requirements_json": json.dumps({t.key: t.required_sections for t in types}),
    }


@never_cache
@login_required
def article_new(request):
    if not may_create(request.user):
        raise PermissionDenied("Only writers and editors can create articles.")
    restored = restored_editor(request.user, None) if request.method == "GET" else None
    if request.method == "POST":
        form = ArticleForm(request.POST)
        formset = ReferenceFormSet(request.POST, prefix="refs")
        lead_form = LeadImageForm(request.POST, request.FILES, prefix="lead")
        _store_lead_upload(lead_form, request.user)
        if form.is_valid() and formset.is_valid() and lead_form.is_valid():
            typed = _with_lead_image(form.content(formset.references()), lead_form)
            try:
                article = article_create_and_forget_draft(
                    by=request.user, content=typed,
                    topics=form.cleaned_data["topics"], comment=form.cleaned_data["comment"] or "Created",
                )
            except ValidationError as exc:
                _apply_service_errors(form, formset, exc)
            else:
                messages.success(request, "Draft created.")
                _report_dropped_images(request, typed)
                return redirect(_workspace_url(article))
    elif restored:
        form, formset, lead_form = restored.forms
    else:
        form = ArticleForm(initial={"article_type": "substance"})
        formset = ReferenceFormSet(prefix="refs")
        lead_form = LeadImageForm(prefix="lead")
    context = _editor_context(form, formset, lead_form=lead_form, blank=request.method == "GET" and not restored)
    context.update(editor_safety_context(request.user, None), restored=restored, unsaved=request.method == "POST")
    return render(request, "desk/article_form.html", context)


@never_cache
@login_required
def article_edit(request, pk):
    article = article_for_view(request.user, pk)
    refusal = role_refusal(request.user, article, Action.EDIT)
    if refusal:
        raise PermissionDenied(refusal)
    if request.method == "GET" and not may(request.user, article, Action.EDIT):
        # Read-only in this state (the state table says why); a POST is left to the service, which
        # refuses it with the text kept, as when someone submitted while this person was typing.
        try:
            next_status(article.status, Action.EDIT)
        except InvalidTransition as exc:
            messages.info(request, str(exc))
        return redirect(_workspace_url(article))
    restored = restored_editor(request.user, article) if request.method == "GET" else None
    if request.method == "POST":
        form = ArticleForm(request.POST, article=article)
        formset = ReferenceFormSet(request.POST, prefix="refs")
        lead_form = LeadImageForm(request.POST, request.FILES, prefix="lead")
        _store_lead_upload(lead_form, request.user, article)
        if form.is_valid() and formset.is_valid() and lead_form.is_valid():
            typed = _with_lead_image(form.content(formset.references()), lead_form)
            try:
                article = article_update_and_forget_draft(
                    article=article, by=request.user,
                    expected_version=form.cleaned_data["version"] or 0,
                    content=typed,
                    topics=form.cleaned_data["topics"], comment=form.cleaned_data["comment"] or "Edited",
                    slug=form.cleaned_data.get("slug") or None,
                )
            except StaleEdit as exc:
                # Someone saved meanwhile: what was typed becomes this person's draft, merged there.
                return stale_save_merge(request, article, exc, lead_form.stored)
            except (InvalidTransition, NotAllowed) as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                _apply_service_errors(form, formset, exc)
            else:
                messages.success(request, f"Saved as version {article.version}.")
                _report_dropped_images(request, typed)
                return redirect(_workspace_url(article))
    elif restored:
        form, formset, lead_form = restored.forms
    else:
        # The form's initial values and the review comments' check of their passages read these.
        prefetch_related_objects([article], "sections", "references")
        form = ArticleForm(initial=ArticleForm.initial_for(article), article=article)
        formset = ReferenceFormSet(initial=reference_initial(article), prefix="refs")
        lead_form = LeadImageForm(initial=LeadImageForm.initial_for(article), prefix="lead")
    context = _editor_context(form, formset, article, lead_form)
    context.update(editor_safety_context(request.user, article), restored=restored, unsaved=request.method == "POST")
    context.update(_review_comments(request.user, article))
    return render(request, "desk/article_form.html", context)


def _review_comments(user, article: Article) -> dict:
    """The reviewers' comments beside the text they are about, so the writer answers them where
    they write."""
    comments = threads(article, ArticleContent.of(article))
    return {"review_comments": comments, "comment_verbs": comment_verbs(user, article),
            "unanswered_comments": sum(1 for comment in comments if comment.is_open)}


@login_required
@require_POST
def gate_check(request):
    """The gate's verdict on unsaved form data, for the editor's live panel."""
    if not may_create(request.user):
        raise PermissionDenied
    form = ArticleForm(request.POST)
    formset = ReferenceFormSet(request.POST, prefix="refs")
    if not (form.is_valid() and formset.is_valid()):
        errors = [{"field": name, "message": f"{form[name].label if name in form.fields else 'Form'}: {' '.join(errs)}"}
                  for name, errs in form.errors.items()]
        return JsonResponse({"failures": errors, "form_errors": True})
    content = form.content(formset.references())
    # Not validated here (that would decode a chosen file on every keystroke): the alt text is enough.
    content.lead_image = normalise_lead_image(
        LeadImageForm(request.POST, request.FILES, prefix="lead").lead_image_so_far())
    article_type = form.cleaned_data["article_type"]
    # The text read once for the gate, the checks and the plain-language measures.
    document = Document(content, article_type)
    # ?article=<pk> (the edit page) brings the reasons already recorded for that article.
    article = None
    if str(request.GET.get("article", "")).isdigit():
        article = article_for_view(request.user, int(request.GET["article"]))
    findings = check_content(content, article_type, article, document=document)
    readability = article_readability(content, profile=profile_for(article_type), document=document)
    return JsonResponse({"failures": [{"field": f.field, "message": f.message} for f in document.gate_failures],
                         "findings": [finding.as_json() for finding in findings],
                         "readability": {name: measures.as_json() for name, measures in readability.items()}})


@never_cache
@login_required
def article_history_view(request, pk):
    """The revisions a page at a time, newest first: an article edited for years has thousands."""
    article = article_for_view(request.user, pk)
    page = Paginator(article_history(article), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "desk/article_history.html", {
        "article": article, "page": page, "history": revision_story(article, page),
        "can_revert": may(request.user, article, Action.REVERT),
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
    return render(request, "desk/article_compare.html", {
        "article": article, "old_meta": old_meta, "new_meta": new_meta,
        "diffs": diff_content(old, new),
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
        return redirect("desk:history", pk=article.pk)
    messages.success(request, f"Restored revision {revision_id} as a new draft (version {article.version}). "
                              "It is not published until it is reviewed again.")
    return redirect(_workspace_url(article))


@never_cache
@login_required
def article_preview(request, pk):
    """The article as readers would see it, for everyone who may see its working copy: in review,
    the exact submitted revision the reviewer is deciding on; scheduled, the approved snapshot that
    will go live; otherwise the working copy. Never cached, never indexed."""
    article = article_for_view(request.user, pk)
    publication, note = _preview_of(article)
    response = render(request, "public/article_detail.html",
                      {"publication": publication, "preview": True, "preview_note": note})
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _preview_of(article: Article) -> tuple[Publication, str]:
    """What the preview shows, and the banner that names it."""
    if article.status == Article.Status.SCHEDULED and article.scheduled_publication_id:
        # The frozen snapshot itself, not a rebuild from its revision: byline and topics are
        # exactly those that will go live, even if the working copy's have changed since.
        publication = article.scheduled_publication
        go_live = date_format(timezone.localtime(publication.published_at), "j F Y, H:i")
        return publication, (
            f"Preview of the approved version {_version_of(publication.revision_id)} "
            f"(revision #{publication.revision_id}), as readers will see it when it goes live on "
            f"{go_live}. Readers cannot see it yet.")
    if article.status == Article.Status.IN_REVIEW and article.submitted_revision_id:
        revision_id = article.submitted_revision_id
        content = ArticleContent.from_revision(article.submitted_revision, article)
        note = (f"Preview of the submitted version {_version_of(revision_id)} (revision #{revision_id}), "
                "as readers will see it once approved. It is not published yet; readers cannot see it.")
    else:
        content = ArticleContent.of(article)
        note = (f"Preview of the working copy (version {article.version}). It is not published and has "
                "not been reviewed; readers cannot see it.")
    publication = Publication(**snapshot_fields(article, content),
                              reviewer_name="(not yet reviewed)", reviewer_credentials="")
    return publication, note


def _version_of(revision_id: int) -> int | str:
    return RevisionMeta.objects.filter(revision_id=revision_id).values_list("version", flat=True).first() or "?"
