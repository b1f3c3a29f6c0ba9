"""The editors' queue of reader feedback, at /editorial/feedback/: reports grouped per article,
newest first, and the actions on each (dismiss, note, send to the article's medical re-review).

Editors only (reviews.permissions.may_triage_feedback); anyone else signed in gets 403, like the
team pages. The services in reviews.feedback check again.
"""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles.errors import InvalidTransition, NotAllowed, TransitionRefused
from articles.models import Article
from reviews.feedback import (FeedbackGroup, ReReview, article_reports, feedback_counts, feedback_dismiss,
                              feedback_note, feedback_send_to_re_review, queue_groups, with_group_details,
                              with_item_details)
from reviews.models import ReaderFeedback
from reviews.permissions import may_triage_feedback

from ..forms.feedback import SHOW_CHOICES, FeedbackFilterForm, TriageForm

ARTICLES_PER_PAGE = 20
# On the whole queue, each article shows its newest few; its own queue shows them all, by page.
REPORTS_PER_ARTICLE = 5
REPORTS_PER_PAGE = 25


def editors_only(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not may_triage_feedback(request.user):
            raise PermissionDenied("Only editors read and act on reader feedback.")
        return view(request, *args, **kwargs)
    return wrapper


@never_cache
@editors_only
def feedback_queue(request):
    filters = FeedbackFilterForm(request.GET)
    show = filters.show_value()
    article = None
    if filters.article_id():
        article = get_object_or_404(Article.objects.only("title", "status", "live_publication_id"),
                                    pk=filters.article_id())
    counts = feedback_counts(article)
    if article is not None:
        page = Paginator(article_reports(article, show), REPORTS_PER_PAGE).get_page(request.GET.get("page"))
        groups = [FeedbackGroup(article=article, shown=page.paginator.count, new=counts["new"],
                                items=with_item_details(page.object_list, article))] if page.object_list else []
    else:
        page = Paginator(queue_groups(show), ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
        groups = with_group_details(page.object_list, show, per_article=REPORTS_PER_ARTICLE)
    return render(request, "desk/feedback_queue.html", {
        "article": article, "groups": groups, "page": page, "show": show,
        "filters": [(key, label, counts[key]) for key, label in SHOW_CHOICES],
    })


def _back(request) -> HttpResponseRedirect:
    """To the queue the action was taken from (its `next`, with filters and page), else the queue."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("desk:feedback")
    return HttpResponseRedirect(target)


def _triage(request, pk, service, success):
    """Run a triage service with the form's note; report the outcome as a message, and go back."""
    feedback = get_object_or_404(ReaderFeedback, pk=pk)
    form = TriageForm(request.POST)
    form.is_valid()
    try:
        outcome = service(feedback=feedback, by=request.user, note=form.cleaned_data.get("note", ""))
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except TransitionRefused as exc:
        messages.error(request, f"The re-review did not start. {exc.summary}:")
        for failure in exc.failures:
            messages.error(request, failure.message)
    except InvalidTransition as exc:
        messages.error(request, f"The re-review did not start: {exc}")
    else:
        messages.success(request, success(outcome) if callable(success) else success)
    return _back(request)


@require_POST
@editors_only
def feedback_dismiss_view(request, pk):
    return _triage(request, pk, feedback_dismiss, "Report dismissed.")


@require_POST
@editors_only
def feedback_note_view(request, pk):
    return _triage(request, pk, feedback_note, "Note saved with the report.")


RE_REVIEW_OUTCOMES = {
    ReReview.START: "Re-review started: the article is in medical review, and the reviewer reads this report "
                    "on the review page.",
    ReReview.JOIN: "Sent to the review under way: the reviewer reads this report on the review page.",
    ReReview.NEXT: "Kept for the next review: the article has changes not yet submitted (or an approved "
                   "version waiting to go live), and the reviewer of its next submission reads this report.",
}


@require_POST
@editors_only
def feedback_re_review_view(request, pk):
    return _triage(request, pk, feedback_send_to_re_review, RE_REVIEW_OUTCOMES.__getitem__)
