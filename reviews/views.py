"""The review side of the editorial desk: dashboard, the article's workspace, transitions, review.

Buttons come from available_actions; each view checks the same answer again before calling the
workflow service, which checks once more.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles.checks.waivers import article_findings, tally
from articles.content import ArticleContent
from articles.diff import diff_content, diff_references
from articles.errors import InvalidTransition, NotAllowed, TransitionRefused
from articles.gate import gate_failures
from articles.models import Article
from articles.selectors import pending_medical_corrections
from articles.permissions import article_for_view, can_edit, is_editor, is_reviewer, is_writer

from . import selectors
from .forms import CommentFormSet, DashboardFilterForm, ResolveCommentForm, ReviewForm, UnpublishForm
from .models import ReviewComment
from .permissions import available_actions
from .services import comment_resolve
from .workflow import (Action, article_approve, article_request_changes, article_submit, article_unpublish,
                       article_unschedule, article_withdraw)

PAGE_SIZE = 25


def _page(request, queryset, param):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(param))


@never_cache
@login_required
def dashboard(request):
    user = request.user
    lists = {}
    if is_writer(user):
        lists.update(selectors.writer_lists(user))
    if is_reviewer(user):
        lists.update(selectors.reviewer_lists(user))
    filter_form = None
    if is_editor(user):
        lists.update(selectors.editor_schedule_lists())
        filter_form = DashboardFilterForm(request.GET or None)
        filters = filter_form.cleaned_data if filter_form.is_valid() else {}
        lists["All articles"] = selectors.editor_list(filters)
    pages = [(title, f"p{index}", _page(request, queryset, f"p{index}"))
             for index, (title, queryset) in enumerate(lists.items())]
    return render(request, "reviews/dashboard.html", {
        "pages": pages, "filter_form": filter_form,
        "can_create": is_writer(user) or is_editor(user),
    })


def _article_for_action(request, pk, action: Action):
    """The article if this person may take `action` now; 404 if they may not even see it."""
    article = article_for_view(request.user, pk)
    if action not in available_actions(request.user, article):
        raise PermissionDenied(f'You cannot {action.value.replace("_", " ")} this article now.')
    return article


def _workspace(article):
    return redirect("reviews:article", pk=article.pk)


def _report_refusal(request, exc: Exception) -> None:
    if isinstance(exc, TransitionRefused):
        messages.error(request, exc.summary + ":")
        for failure in exc.failures:
            messages.error(request, failure.message, extra_tags=f"field-{failure.field}")
    else:
        messages.error(request, str(exc))


@never_cache
@login_required
def article_workspace(request, pk):
    article = article_for_view(request.user, pk)
    actions = available_actions(request.user, article)
    comments = list(selectors.comments_for(article))
    findings = article_findings(article)
    return render(request, "reviews/article_workspace.html", {
        "article": article,
        "actions": {action.value for action in actions},
        "gate_failures": gate_failures(ArticleContent.of(article), article.article_type),
        "findings": findings, "findings_tally": tally(findings),
        "comments": comments,
        "open_comments": [c for c in comments if not c.is_resolved],
        "can_resolve": can_edit(request.user, article),
        "audit": selectors.recent_audit(article),
        "unpublish_form": UnpublishForm(),
        "corrections": article.corrections.order_by("-created_at"),
        "can_correct": "edit" in {a.value for a in actions} and article.publications.exists(),
        "resolve_form": ResolveCommentForm(),
    })


def _run_transition(request, pk, action: Action, service, success: str, **arguments):
    """Check the action is available, run its workflow service, and report the outcome."""
    article = _article_for_action(request, pk, action)
    try:
        service(article=article, by=request.user, **arguments)
    except (TransitionRefused, InvalidTransition, NotAllowed) as exc:
        _report_refusal(request, exc)
    else:
        messages.success(request, success)
    return _workspace(article)


@login_required
@require_POST
def submit(request, pk):
    return _run_transition(request, pk, Action.SUBMIT, article_submit,
                           "Submitted for medical review. It is read-only until the review ends.",
                           comment=request.POST.get("comment", ""))


@login_required
@require_POST
def withdraw(request, pk):
    return _run_transition(request, pk, Action.WITHDRAW, article_withdraw,
                           "Withdrawn from review. It is a draft again; nothing was lost.")


@login_required
@require_POST
def unpublish(request, pk):
    return _run_transition(request, pk, Action.UNPUBLISH, article_unpublish,
                           "Unpublished. Readers now get a 404; every revision is kept.",
                           reason=request.POST.get("reason", ""))


@login_required
@require_POST
def unschedule(request, pk):
    return _run_transition(request, pk, Action.UNSCHEDULE, article_unschedule,
                           "Unscheduled. The approved version will not go live; the article is a draft again.",
                           reason=request.POST.get("reason", ""))


@login_required
@require_POST
def resolve_comment(request, comment_id):
    comment = get_object_or_404(ReviewComment.objects.select_related("article"), pk=comment_id)
    article = article_for_view(request.user, comment.article_id)
    form = ResolveCommentForm(request.POST)
    form.is_valid()
    try:
        comment_resolve(comment=comment, by=request.user, reply=form.cleaned_data.get("reply", ""))
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Comment marked resolved.")
    return redirect(reverse("reviews:article", kwargs={"pk": article.pk}) + f"#comment-{comment.pk}")


@never_cache
@login_required
def review(request, pk):
    """The reviewer's page: the diff since the last approval, the checklist, comments, decision."""
    article = article_for_view(request.user, pk)
    actions = available_actions(request.user, article)
    if Action.APPROVE not in actions and Action.REQUEST_CHANGES not in actions:
        raise PermissionDenied("You cannot review this article now.")
    refusal = None
    if request.method == "POST":
        form = ReviewForm(request.POST)
        comment_formset = CommentFormSet(request.POST, prefix="comments")
        if form.is_valid() and comment_formset.is_valid():
            try:
                if request.POST.get("decision") == "approve":
                    go_live_at = form.cleaned_data.get("go_live_at")
                    article_approve(article=article, by=request.user, checklist=form.checklist(),
                                    rating=form.cleaned_data.get("rating"), comment=form.cleaned_data["comment"],
                                    go_live_at=go_live_at)
                    article.refresh_from_db()
                    if article.status == Article.Status.SCHEDULED:
                        messages.success(request, f"Approved. It goes live {go_live_at:%d %b %Y %H:%M}.")
                        return _workspace(article)
                    messages.success(request, "Approved and published.")
                    return redirect(article.get_absolute_url())
                article_request_changes(
                    article=article, by=request.user, summary=form.cleaned_data["comment"],
                    comments=[(f.cleaned_data["section"], f.cleaned_data.get("text", ""))
                              for f in comment_formset if f.cleaned_data],
                )
                messages.success(request, "Sent back to the writer with your comments.")
                # The draft is the writer's again; a reviewer who is not a contributor no longer
                # sees it, so the desk is where they go next.
                return redirect("reviews:dashboard")
            except (TransitionRefused, InvalidTransition, NotAllowed) as exc:
                refusal = exc
    else:
        form = ReviewForm()
        comment_formset = CommentFormSet(prefix="comments")
    last_publication, approved = selectors.last_approved_content(article)
    current = ArticleContent.of(article)
    findings = article_findings(article)
    return render(request, "reviews/review_form.html", {
        "article": article, "form": form, "comment_formset": comment_formset, "refusal": refusal,
        "findings": findings, "findings_tally": tally(findings),
        "last_publication": last_publication,
        "diffs": diff_content(approved, current),
        "reference_changes": diff_references(approved.references if approved else [], current.references),
        "comments": selectors.comments_for(article),
        "pending_corrections": pending_medical_corrections(article),
    })
