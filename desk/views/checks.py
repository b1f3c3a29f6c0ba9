"""Recording a writer's reason for keeping text an automated check flags, from the article's page
on the desk. A plain form post: it works without JavaScript."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from articles.checks import RULES
from articles.checks.policy import policy_sections
from articles.errors import InvalidTransition, NotAllowed
from reviews.editing import finding_waive
from reviews.permissions import article_for_view, role_refusal
from reviews.states import Action


@login_required
@require_POST
def finding_waive_view(request, pk):
    article = article_for_view(request.user, pk)
    refusal = role_refusal(request.user, article, Action.WAIVE_FINDING)
    if refusal:
        raise PermissionDenied(refusal)
    try:
        finding_waive(article=article, by=request.user, code=request.POST.get("code", ""),
                      field=request.POST.get("field", ""), excerpt=request.POST.get("excerpt", ""),
                      reason=request.POST.get("reason", ""))
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Reason recorded. The reviewer will see it beside the finding.")
    return redirect(reverse("desk:article", kwargs={"pk": article.pk}) + "#checks")


@login_required
def checks_handbook(request):
    """Every automated check, by the editorial policy section it enforces, with its examples:
    where a finding's "policy" link leads."""
    sections = [(section, [rule for rule in RULES if rule.policy == section.anchor]) for section in policy_sections()]
    return render(request, "desk/checks_handbook.html", {"sections": sections})
