"""The review side of the editorial desk: dashboard, the article's workspace, transitions, review.

Buttons come from available_actions; each view checks the same answer again before calling the
workflow service, which checks once more.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles.checks.waivers import article_findings, tally
from articles.content import ArticleContent
from articles.diff import diff_content
from articles.errors import Failure, InvalidTransition, NotAllowed, TransitionRefused
from articles.gate import gate_failures
from articles.models import Article
from articles.selectors import pending_medical_corrections

from reviews import selectors
from reviews.accounts import has_second_factor, signature_confirm
from reviews.comments import passage_still_there
from reviews.editing import ever_live
from reviews.feedback import feedback_counts, new_feedback_count, reports_for_review
from ..forms.review import CommentForm, CommentReplyForm, DashboardFilterForm, ReviewForm, UnpublishForm
from .desk_lists import dashboard_extras, desk_filters
from .editing_safety import present_editors
from reviews.models import ReviewComment
from reviews.permissions import may_triage_feedback
from reviews.permissions import (article_for_view, available_actions, comment_verbs, is_editor, is_reviewer, is_writer,
                                 may_create, role_refusal)
from reviews.services import comment_add, comment_answer, comment_reply, comment_resolve
from reviews.states import Action
from reviews.steps import progress
from reviews.workflow import ( article_approve, article_request_changes, article_submit, article_unpublish,
                       article_unschedule, article_withdraw)

PAGE_SIZE = 25


def _page(request, queryset, param, count=None, cap=None):
    """One page of `queryset`, read from ?<param>=; `count`, when the caller already has it (from
    one aggregate for several lists), spares the paginator its own COUNT query; a list counted only
    up to `cap` pages through its first `cap` rows and shows its count as "1,000+". Each page links
    to its neighbours keeping every other parameter (filters, the other lists' pages)."""
    paginator = Paginator(queryset, PAGE_SIZE)
    count_label = None
    if count is not None:
        if cap is not None and count > cap:
            count, count_label = cap, f"{cap:,}+"
        paginator.count = count
    page = paginator.get_page(request.GET.get(param))
    page.object_list = list(page.object_list)
    page.count_label = count_label or f"{paginator.count:,}"
    for name, number in (("previous_url", page.has_previous() and page.previous_page_number()),
                         ("next_url", page.has_next() and page.next_page_number())):
        query = request.GET.copy()
        query[param] = number
        setattr(page, name, f"?{query.urlencode()}" if number else "")
    return page


@never_cache
@login_required
def dashboard(request):
    user = request.user
    lists = []
    if is_writer(user):
        lists += selectors.writer_lists(user)
    if is_reviewer(user):
        lists += selectors.reviewer_lists(user)
    filter_form = None
    if is_editor(user):
        filter_form = DashboardFilterForm(request.GET or None)
        filters = filter_form.cleaned_data if filter_form.is_valid() else {}
        # The search box and the sorted column of "All articles" (desk.views.desk_lists).
        lists += selectors.editor_lists({**filters, **desk_filters(request)})
    pages = [(desk_list.title, f"p{index}", _page(request, desk_list.articles(), f"p{index}", count, desk_list.cap))
             for index, (desk_list, count) in enumerate(zip(lists, selectors.list_counts(lists)))]
    # Authors, open comments and "2 of 3: awaiting Pharmacist review", for every row at once.
    selectors.with_row_details([article for _, _, page in pages for article in page.object_list])
    return render(request, "desk/dashboard.html", {
        "pages": pages, "filter_form": filter_form,
        "can_create": may_create(user),
        # Readers' reports waiting for an editor: a link to the queue, with its count.
        "new_feedback": new_feedback_count() if may_triage_feedback(user) else None,
        # Search, sortable headings, counts per state and step, bulk actions, rows' assignments.
        **dashboard_extras(request, lists, pages),
    })


def _article_for_action(request, pk, action: Action):
    """The article if this person may take `action` now; 404 if they may not even see it."""
    article = article_for_view(request.user, pk)
    if action not in available_actions(request.user, article):
        raise PermissionDenied(f'You cannot {action.value.replace("_", " ")} this article now.')
    return article


def _workspace(article):
    return redirect("desk:article", pk=article.pk)


# Refusals whose every failure the article's desk page lists anyway, each linked to where to fix
# it (the gate panel, the checks, the unanswered comments): the message names the rule and points
# there, rather than printing the same list a second time.
LISTED_ON_THE_PAGE = {Action.SUBMIT}


def _report_refusal(request, exc: Exception, action: Action | None = None) -> None:
    """One message for a refusal, naming the rule that refused it."""
    if not isinstance(exc, TransitionRefused):
        messages.error(request, str(exc))
    elif action in LISTED_ON_THE_PAGE:
        count = len(exc.failures)
        messages.error(request, f"{exc.summary}. {count} thing{'s' if count != 1 else ''} to fix, "
                                f"listed below, each linked to where to fix it.")
    else:
        messages.error(request, f"{exc.summary}: " + " ".join(failure.message for failure in exc.failures))


@never_cache
@login_required
def article_workspace(request, pk):
    article = article_for_view(request.user, pk)
    actions = available_actions(request.user, article)
    content = ArticleContent.of(article)
    comments = threads(article, content)
    findings = article_findings(article)
    return render(request, "desk/article_workspace.html", {
        "article": article,
        "actions": {action.value for action in actions},
        "gate_failures": gate_failures(content, article.article_type),
        # A draft's gate panel lists its missing sections: the checks list leaves them out (its
        # tally still counts them), so each failure is on the page once.
        "findings": ([finding for finding in findings if finding.code != "MISSING_SECTION"]
                     if article.status == Article.Status.DRAFT else findings),
        "findings_tally": tally(findings),
        "comments": comments,
        "unresolved_comments": [c for c in comments if not c.is_resolved],
        "progress": progress(article) if article.status == Article.Status.IN_REVIEW else None,
        "comment_verbs": comment_verbs(request.user, article),
        "audit": selectors.recent_audit(article),
        "unpublish_form": UnpublishForm(),
        "corrections": article.corrections.order_by("-created_at"),
        "can_correct": "edit" in {a.value for a in actions} and ever_live(article),
        "can_review_notes": is_reviewer(request.user) or is_editor(request.user),
        "can_withdraw_notes": "edit" in {a.value for a in actions} or is_editor(request.user),
        # Who has it open in the editor now: said, never enforced (a soft lock).
        "editing_now": present_editors(article, request.user),
        "reader_reports": reports_for_review(article),
        "feedback_counts": feedback_counts(article) if may_triage_feedback(request.user) else None,
    })


def _run_transition(request, pk, action: Action, service, success: str, **arguments):
    """Check the action is available, run its workflow service, and report the outcome."""
    article = _article_for_action(request, pk, action)
    try:
        service(article=article, by=request.user, **arguments)
    except (TransitionRefused, InvalidTransition, NotAllowed) as exc:
        _report_refusal(request, exc, action)
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


@never_cache
@login_required
def unpublish(request, pk):
    """A confirmation page first (what readers lose, and why), then the unpublish itself; the
    authors and editors are told the reason (by the service, once it has committed)."""
    article = article_for_view(request.user, pk)
    if Action.UNPUBLISH not in available_actions(request.user, article):
        if not is_editor(request.user):
            raise PermissionDenied("You cannot unpublish this article now.")
        messages.info(request, "This article is not live: there is nothing to unpublish.")
        return _workspace(article)
    publication = article.live_publication
    form = UnpublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            article_unpublish(article=article, by=request.user, reason=reason)
        except (TransitionRefused, InvalidTransition, NotAllowed) as exc:
            for failure in getattr(exc, "failures", None) or [str(exc)]:
                field = getattr(failure, "field", None)
                form.add_error(field if field in form.fields else None, getattr(failure, "message", failure))
        else:
            messages.success(request, "Unpublished. Readers now get a 404; every revision is kept. The "
                                      "authors and editors are told the reason (unless they turned these "
                                      "notifications off).")
            return _workspace(article)
    return render(request, "desk/unpublish_confirm.html",
                  {"article": article, "publication": publication, "form": form})


@login_required
@require_POST
def unschedule(request, pk):
    return _run_transition(request, pk, Action.UNSCHEDULE, article_unschedule,
                           "Unscheduled. The approved version will not go live; the article is a draft again.",
                           reason=request.POST.get("reason", ""))


def threads(article, content) -> list[ReviewComment]:
    """The article's comments with their replies, each told whether its passage is still in
    `content` (the text on the page)."""
    comments = list(selectors.comments_for(article))
    for comment in comments:
        comment.passage_found = passage_still_there(comment, content)
    return comments


def _back(request, article, comment=None):
    """Where a comment form came from (its `next`), or the article's workspace."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("desk:article", kwargs={"pk": article.pk})
    # A URL, never a view name: redirect() would try to reverse a bare word such as "melatonin".
    return HttpResponseRedirect(target.split("#")[0] + (f"#comment-{comment.pk}" if comment else ""))


def _comment_response(request, article, comment, success: str, error: Exception | None = None):
    """A comment action's outcome: the thread's new HTML for the page's script (which keeps
    everything else on the page as typed), or a message and a redirect without it."""
    asked_by_script = request.headers.get("X-Requested-With") == "fetch"
    if error is not None:
        text = " ".join(getattr(error, "messages", [str(error)]))
        if asked_by_script:
            return JsonResponse({"error": text}, status=400)
        messages.error(request, text)
        return _back(request, article, comment)
    if asked_by_script:
        comment = next(c for c in threads(article, ArticleContent.of(article)) if c.pk == comment.pk)
        return JsonResponse({"message": success, "id": comment.pk, "html": render_to_string(
            "partials/_comment.html", {"comment": comment, "verbs": comment_verbs(request.user, article),
                                       "next": request.POST.get("next", "")}, request=request)})
    messages.success(request, success)
    return _back(request, article, comment)


def _comment_for(request, comment_id):
    comment = get_object_or_404(ReviewComment.objects.select_related("article"), pk=comment_id)
    # Someone who may not see the article gets the same 404 as for a comment that does not exist.
    article = article_for_view(request.user, comment.article_id)
    return comment, article


@login_required
@require_POST
def comment_new(request, pk):
    """A reviewer's comment without a decision yet."""
    article = article_for_view(request.user, pk)
    if Action.COMMENT not in available_actions(request.user, article):
        raise PermissionDenied("You cannot comment on this article now.")
    form = CommentForm(request.POST, prefix="new")
    if not form.is_valid():
        return _comment_response(request, article, None, "", ValidationError(
            [f"{form[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()]))
    try:
        comment = comment_add(article=article, by=request.user, comment=form.new_comment())
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        return _comment_response(request, article, None, "", exc)
    return _comment_response(request, article, comment, "Comment added. The writer sees it now; "
                                                        "you can still approve or request changes.")


def _comment_action(request, comment_id, service, success: str, text_as: str):
    """Run a comment service with the form's text as its `text_as` argument."""
    comment, article = _comment_for(request, comment_id)
    form = CommentReplyForm(request.POST)
    form.is_valid()
    try:
        service(comment=comment, by=request.user, **{text_as: form.cleaned_data.get("text", "")})
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        return _comment_response(request, article, comment, "", exc)
    return _comment_response(request, article, comment, success)


@login_required
@require_POST
def comment_reply_view(request, comment_id):
    return _comment_action(request, comment_id, comment_reply, "Reply added.",
                           text_as="text")


@login_required
@require_POST
def comment_answer_view(request, comment_id):
    return _comment_action(request, comment_id, comment_answer,
                           "Marked answered. A reviewer resolves it when the answer satisfies them.",
                           text_as="reply")


@login_required
@require_POST
def resolve_comment(request, comment_id):
    return _comment_action(request, comment_id, comment_resolve, "Comment resolved.",
                           text_as="reply")


def _decide(request, article, form) -> str | None:
    """Carry out the reviewer's decision; the redirect target, or None when nothing changed."""
    bound = {"reviewed_revision_id": form.cleaned_data.get("reviewed_revision"),
             "reviewed_hash": form.cleaned_data.get("reviewed_hash") or ""}
    if request.POST.get("decision") == "approve":
        go_live_at = form.cleaned_data.get("go_live_at")
        signature = _signature(request, form)
        article_approve(article=article, by=request.user, checklist=form.checklist(),
                        rating=form.cleaned_data.get("rating"), comment=form.cleaned_data["comment"],
                        go_live_at=go_live_at, signature=signature, **bound)
        article.refresh_from_db()
        if article.status == Article.Status.IN_REVIEW:
            messages.success(request, f"Signed. The review now stands at step {progress(article, fresh=True).describe()}.")
            return reverse("desk:article", kwargs={"pk": article.pk})
        if article.status == Article.Status.SCHEDULED:
            messages.success(request, f"Approved. It goes live {go_live_at:%d %b %Y %H:%M}.")
            return reverse("desk:article", kwargs={"pk": article.pk})
        messages.success(request, "Approved and published.")
        return article.get_absolute_url()
    if request.POST.get("decision") == "request_changes":
        article_request_changes(article=article, by=request.user, summary=form.cleaned_data["comment"],
                                comments=[], **bound)
        messages.success(request, "Sent back to the writer with your comments.")
        # The draft is the writer's again; a reviewer who is not a contributor no longer sees it,
        # so the desk is where they go next.
        return reverse("desk:dashboard")
    raise InvalidTransition("Choose a decision: approve, or request changes.")


def _signature(request, form):
    """The reviewer's electronic signature, or the refusal naming what is missing or wrong."""
    try:
        return signature_confirm(
            user=request.user, request=request, password=form.cleaned_data.get("sign_password", ""),
            token=form.cleaned_data.get("sign_token", ""), meaning_confirmed=form.cleaned_data.get("sign_meaning"))
    except ValidationError as error:
        raise TransitionRefused(
            [Failure(field, message, rule="signature") for field, messages_ in error.message_dict.items()
             for message in messages_],
            summary="The approval was not signed") from None


def _rebound_to_current(form_data, article):
    """The reviewer's form after a stale decision: bound to the submission now on screen, with
    what they typed kept and the checklist cleared, since they answered it for other text."""
    data = form_data.copy()
    for key in list(data):
        if key.startswith("check_"):
            del data[key]
    data["reviewed_revision"] = article.submitted_revision_id or ""
    data["reviewed_hash"] = article.submitted_hash
    return ReviewForm(data)


@never_cache
@login_required
def review(request, pk):
    """The reviewer's page: the submission as a rendered diff from a chosen baseline, the checks,
    the comments, the checklist and the decision, bound to the exact submission shown."""
    article = article_for_view(request.user, pk)
    actions = available_actions(request.user, article)
    if Action.APPROVE not in actions and Action.REQUEST_CHANGES not in actions:
        if request.method == "POST":
            messages.error(request, f"This article is no longer in review (it is "
                                    f"{article.get_status_display().lower()}): nothing was decided.")
            return _workspace(article)
        raise PermissionDenied("You cannot review this article now.")
    refusal = None
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                target = _decide(request, article, form)
            except (TransitionRefused, InvalidTransition, NotAllowed) as exc:
                refusal = exc
                article.refresh_from_db()
                if any(f.rule == "stale_review" for f in getattr(exc, "failures", [])):
                    form = _rebound_to_current(request.POST, article)
                    form.is_valid()
            else:
                return redirect(target)
    else:
        form = ReviewForm(initial={"reviewed_revision": article.submitted_revision_id,
                                   "reviewed_hash": article.submitted_hash})
    return render(request, "desk/review_form.html", _review_context(request, article, form, refusal))


def _review_context(request, article, form, refusal) -> dict:
    baselines = selectors.review_baselines(article, request.user)
    chosen = request.GET.get("baseline")
    if chosen not in baselines:
        chosen = selectors.default_baseline(baselines)
    submitted = ArticleContent.from_revision(article.submitted_revision, article)
    findings = article_findings(article)
    diffs = diff_content(baselines[chosen].content(article), submitted)
    return {
        "article": article, "form": form, "refusal": refusal,
        "stale": refusal is not None and any(f.rule == "stale_review" for f in getattr(refusal, "failures", [])),
        "findings": findings, "findings_tally": tally(findings),
        "baselines": baselines.values(), "baseline": baselines[chosen],
        "diffs": diffs,
        "comments": threads(article, submitted),
        "comment_verbs": comment_verbs(request.user, article),
        "comment_form": CommentForm(prefix="new"),
        "can_comment": Action.COMMENT in available_actions(request.user, article),
        "approval_refusal": role_refusal(request.user, article, Action.APPROVE),
        "signs_with_second_factor": has_second_factor(request.user),
        "pending_corrections": pending_medical_corrections(article),
        "submitted_revision": article.submitted_revision,
        "progress": progress(article),
        "checklist_fields": form.checklist_fields(progress(article).current),
        "reader_reports": reports_for_review(article),
    }
