"""Recording a correction note on a published article, from its page on the desk."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from articles.errors import NotAllowed
from reviews.editing import correction_add
from reviews.permissions import article_for_view


@login_required
@require_POST
def correction_new(request, pk):
    article = article_for_view(request.user, pk)
    try:
        correction = correction_add(article=article, by=request.user, kind=request.POST.get("kind", ""),
                                    note=request.POST.get("note", ""))
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if correction.published_at:
            messages.success(request, "Correction note added to the public page.")
        else:
            messages.success(request, "Medical correction noted. Readers see it when the corrected version "
                                      "has been reviewed and goes live.")
    return redirect("desk:article", pk=article.pk)
