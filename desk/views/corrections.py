"""Recording a correction note on a published article, from its page on the desk."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from articles.errors import NotAllowed
from articles.models import Correction
from reviews.editing import correction_add, correction_approve, correction_withdraw
from reviews.permissions import article_for_view


def _reported(request, service, **arguments):
    """Run a corrections service for the person asking: its result, or None with the refusal shown
    as messages (a refusal of the person is a 403)."""
    try:
        return service(by=request.user, **arguments)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return None


@login_required
@require_POST
def correction_new(request, pk):
    article = article_for_view(request.user, pk)
    correction = _reported(request, correction_add, article=article, kind=request.POST.get("kind", ""),
                           note=request.POST.get("note", ""))
    if correction is not None and correction.kind == Correction.Kind.MINOR:
        messages.success(request, "Correction note recorded. Readers see it once a reviewer or an editor "
                                  "has read it.")
    elif correction is not None:
        messages.success(request, "Medical correction noted. The reviewer of the corrected version signs "
                                  "it; readers see it when that version goes live.")
    return redirect("desk:article", pk=article.pk)


def _correction_for(request, correction_id) -> Correction:
    correction = get_object_or_404(Correction, pk=correction_id)
    article_for_view(request.user, correction.article_id)  # 404 for an article they may not see
    return correction


def _note_action(request, correction_id, service, success: str, **arguments):
    """Run a correction note's service for the person asking, and report how it went."""
    correction = _correction_for(request, correction_id)
    if _reported(request, service, correction=correction, **arguments) is not None:
        messages.success(request, success)
    return redirect("desk:article", pk=correction.article_id)


@login_required
@require_POST
def correction_approve_view(request, correction_id):
    return _note_action(request, correction_id, correction_approve, "Note approved: readers see it now.")


@login_required
@require_POST
def correction_withdraw_view(request, correction_id):
    return _note_action(request, correction_id, correction_withdraw,
                        "Note withdrawn: readers no longer see it. The log keeps it, with your reason.",
                        reason=request.POST.get("reason", ""))
