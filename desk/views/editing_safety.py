"""Editing safety: the editor's private autosave and its restore, who else has the article open,
and the merge view that a save on top of someone else's save leads to.

The domain is reviews.drafts and reviews.presence; the editor's field names are desk.forms.drafts'.
"""
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles.content import ArticleContent
from articles.errors import InvalidTransition, NotAllowed, StaleEdit
from articles.models import Article, RevisionMeta
from articles.sections import SECTIONS_BY_KEY
from reviews.drafts import (article_update_and_forget_draft, draft_discard, draft_of, draft_save,
                            refuse_unless_editable)
from reviews.permissions import article_for_view, may, role_refusal
from reviews.presence import HEARTBEAT_SECONDS, editing_now, presence_end, presence_record
from reviews.states import Action

from ..forms.drafts import (MergeForm, draft_content, draft_fields_for, editor_fields, editor_forms_from_draft,
                            holds_unsaved_changes, merge_fields)
from ..forms.editor import ArticleForm, section_field_name


def clock(moment) -> str:
    """A time as the desk shows it in a sentence: "14:32", or "3 Mar, 14:32" on another day."""
    local = timezone.localtime(moment)
    same_day = local.date() == timezone.localdate()
    return dateformat.format(local, "H:i" if same_day else "j M, H:i")


# --- Autosave --------------------------------------------------------------------------------------

@login_required
@require_POST
def autosave(request, pk):
    return _autosave(request, article_for_view(request.user, pk))


@login_required
@require_POST
def autosave_new(request):
    return _autosave(request, None)


def _autosave(request, article: Article | None) -> JsonResponse:
    """Keep the posted editor fields as this person's draft: JSON for the editor's script."""
    try:
        refuse_unless_editable(request.user, article)
    except (NotAllowed, InvalidTransition) as exc:
        return JsonResponse({"kept": False, "error": f"Not kept: {exc}"}, status=403)
    fields = editor_fields(request.POST)
    try:
        if holds_unsaved_changes(fields, article):
            draft = draft_save(by=request.user, article=article, fields=fields,
                               base_version=_number(request.POST.get("version")))
        else:
            draft_discard(by=request.user, article=article)
            return JsonResponse({"kept": False, "message": "No unsaved changes."})
    except ValidationError as exc:
        problems = [f"{_label(name)}: {' '.join(texts)}" if name != "__all__" else " ".join(texts)
                    for name, texts in exc.message_dict.items()]
        return JsonResponse({"kept": False, "errors": exc.message_dict,
                             "error": "Not kept: " + " ".join(problems)}, status=400)
    return JsonResponse({"kept": True, "saved_at": draft.updated_at.isoformat(),
                         "message": f"Your changes are kept privately ({clock(draft.updated_at)}); "
                                    "save the draft to make them a version."})


def _number(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _label(name: str) -> str:
    field = ArticleForm.base_fields.get(name)
    if field is not None:
        return str(field.label or name.capitalize())
    if name.startswith(section_field_name("")):
        section = SECTIONS_BY_KEY.get(name.removeprefix(section_field_name("")))
        return section.title if section else name
    if name.startswith("refs-") and name.split("-")[1].isdigit():
        return f"Reference {int(name.split('-')[1]) + 1}"
    return name


@login_required
@require_POST
def discard_draft(request, pk):
    article = article_for_view(request.user, pk)
    if draft_discard(by=request.user, article=article):
        messages.info(request, f"Discarded your unsaved changes: the form shows version {article.version}.")
    return redirect("desk:edit", pk=article.pk)


@login_required
@require_POST
def discard_new_draft(request):
    if draft_discard(by=request.user, article=None):
        messages.info(request, "Discarded your unsaved new article.")
    return redirect("desk:new")


@dataclass
class RestoredDraft:
    """The editor's forms filled from this person's draft, and what the notice says about it."""

    forms: tuple
    saved_at_text: str
    base_version: int | None
    discard_url: str
    current_version: int | None = None
    merge_url: str = ""


def restored_editor(user, article: Article | None) -> RestoredDraft | None:
    """This person's draft of the article (None: of a new article) put back into the editor, or
    None. Any draft is restored, not only one newer than the article's last revision: a draft
    older than someone else's save is still text this person typed and never saved, which is
    what the merge view is for."""
    draft = draft_of(user, article)
    if draft is None:
        return None
    restored = RestoredDraft(
        forms=editor_forms_from_draft(draft.fields, article), saved_at_text=clock(draft.updated_at),
        base_version=draft.base_version,
        discard_url=reverse("desk:discard_draft", args=[article.pk]) if article else reverse("desk:discard_new_draft"))
    if article is not None and draft.base_version != article.version:
        restored.current_version = article.version
        restored.merge_url = reverse("desk:merge", args=[article.pk])
    return restored


# --- Presence --------------------------------------------------------------------------------------

def present_editors(article: Article, user) -> list[dict]:
    """Everyone else who has the article open in the editor now, as the pages show them."""
    return [{"name": editor.name, "since": editor.since, "since_text": clock(editor.since)}
            for editor in editing_now(article, besides=user)]


@login_required
@require_POST
def presence(request, pk):
    """The editor's heartbeat ("leaving" when the page closes); answers who else is there."""
    article = article_for_view(request.user, pk)
    if request.POST.get("leaving"):
        presence_end(by=request.user, article=article)
        return JsonResponse({"editing_now": []})
    try:
        presence_record(by=request.user, article=article)
    except (NotAllowed, InvalidTransition) as exc:
        return JsonResponse({"error": str(exc)}, status=403)
    return JsonResponse({"editing_now": [
        {"name": editor["name"], "since": editor["since"].isoformat(), "since_text": editor["since_text"]}
        for editor in present_editors(article, request.user)]})


def editor_safety_context(user, article: Article | None) -> dict:
    """What the editor's page needs for autosave and presence (templates/desk/article_form.html)."""
    if article is None:
        return {"autosave_url": reverse("desk:autosave_new")}
    return {"autosave_url": reverse("desk:autosave", args=[article.pk]),
            "presence_url": reverse("desk:presence", args=[article.pk]),
            "heartbeat_seconds": HEARTBEAT_SECONDS, "editing_now": present_editors(article, user)}


# --- Merge -----------------------------------------------------------------------------------------

def stale_save_merge(request, article: Article, exc: StaleEdit, stored_lead_image=None):
    """A save on top of someone else's: keep what was posted as this person's draft, then show
    the merge view instead of the editor. Called by article_edit with the refused POST."""
    fields = editor_fields(request.POST)
    if stored_lead_image is not None:
        fields["lead-image"] = [stored_lead_image.key]
    draft = draft_save(by=request.user, article=article, fields=fields, base_version=exc.expected_version)
    return _merge_page(request, article, draft, notice=str(exc))


@never_cache
@login_required
def article_merge(request, pk):
    article = article_for_view(request.user, pk)
    refusal = role_refusal(request.user, article, Action.EDIT)
    if refusal:
        raise PermissionDenied(refusal)
    if request.method == "GET" and not may(request.user, article, Action.EDIT):
        messages.info(request, "This article cannot be edited in its current state; your unsaved changes "
                               "are kept for when it can.")
        return redirect("desk:article", pk=article.pk)
    draft = draft_of(request.user, article)
    if draft is None:
        messages.info(request, "You have no unsaved changes to merge.")
        return redirect("desk:edit", pk=article.pk)
    if request.method == "POST":
        return _merge_post(request, article, draft)
    return _merge_page(request, article, draft)


class _Sides:
    """Theirs (the article now), mine (the draft) and the base (what the draft started from)."""

    def __init__(self, article: Article, draft):
        self.theirs = ArticleContent.of(article)
        self.theirs_topics = list(article.topics.all())
        self.mine = draft_content(draft.fields)
        metas = RevisionMeta.objects.filter(article=article).select_related("revision", "revision__user")
        self.base_meta = metas.filter(version=draft.base_version).order_by("-revision_id").first()
        self.latest_meta = metas.order_by("-revision_id").first()
        base = ArticleContent.from_revision(self.base_meta.revision, article) if self.base_meta else None
        self.merge = merge_fields(theirs=self.theirs, theirs_topics=self.theirs_topics, mine=self.mine, base=base)


def _merge_post(request, article: Article, draft):
    sides = _Sides(article, draft)
    if "take" in request.POST:
        form = MergeForm(MergeForm.taking(request.POST, sides.merge, request.POST["take"]), merge=sides.merge)
        return _merge_page(request, article, draft, sides=sides, form=form)
    form = MergeForm(request.POST, merge=sides.merge)
    if not form.is_valid():
        return _merge_page(request, article, draft, sides=sides, form=form)
    content, topics = form.merged(sides.theirs, sides.theirs_topics)
    version = form.cleaned_data["version"]
    comment = form.cleaned_data["comment"] or f"Merged with version {article.version}"
    merged_draft = draft_fields_for(content, topic_ids=topics, comment=form.cleaned_data["comment"], version=version)
    if "to_editor" in request.POST:
        draft_save(by=request.user, article=article, fields=merged_draft, base_version=version)
        messages.info(request, "Your merged text is in the editor. It is not saved as a version yet.")
        return redirect("desk:edit", pk=article.pk)
    try:
        article = article_update_and_forget_draft(article=article, by=request.user, expected_version=version,
                                                  content=content, topics=topics, comment=comment)
    except StaleEdit:
        # Saved again meanwhile: the merged text becomes this person's draft, to merge with the newer one.
        draft_save(by=request.user, article=article, fields=merged_draft, base_version=version)
        messages.warning(request, "Someone saved the article again while you were merging. Your merged text is "
                                  "kept as yours below: merge it with their newer version.")
        return redirect("desk:merge", pk=article.pk)
    except (InvalidTransition, NotAllowed) as exc:
        form.add_error(None, str(exc))
    except ValidationError as exc:
        _add_service_errors(form, exc)
    else:
        messages.success(request, f"Saved the merged text as version {article.version}.")
        return redirect("desk:article", pk=article.pk)
    return _merge_page(request, article, draft, sides=sides, form=form)


def _add_service_errors(form: MergeForm, exc: ValidationError) -> None:
    """A service's errors on the merge fields they name; the rest, named, at the top."""
    for key, texts in getattr(exc, "message_dict", {NON_FIELD_ERRORS: exc.messages}).items():
        field = form.field_for_error(key)
        for text in texts:
            if field or key == NON_FIELD_ERRORS:
                form.add_error(field, text)
            else:
                section = SECTIONS_BY_KEY.get(key)
                form.add_error(None, f"{section.title if section else key.replace('_', ' ').capitalize()}: {text}")


def _merge_page(request, article: Article, draft, *, sides: _Sides | None = None, form: MergeForm | None = None,
                notice: str = ""):
    sides = sides or _Sides(article, draft)
    if form is None:
        form = MergeForm(initial={"version": article.version,
                                  "comment": sides.mine.comment or f"Merged with version {article.version}"},
                         merge=sides.merge)
    compare_url = ""
    if sides.base_meta and sides.latest_meta and sides.base_meta.revision_id != sides.latest_meta.revision_id:
        compare_url = (reverse("desk:compare", args=[article.pk])
                       + f"?from={sides.base_meta.revision_id}&to={sides.latest_meta.revision_id}")
    return render(request, "desk/article_merge.html", {
        "article": article, "draft": draft, "form": form, "rows": form.rows(), "notice": notice,
        "theirs_meta": sides.latest_meta, "draft_saved_text": clock(draft.updated_at), "compare_url": compare_url,
        "editing_now": present_editors(article, request.user),
    })
