"""The desk's lists beyond the dashboard's own view (desk.views.review.dashboard): what it adds to
the page (search, sortable headings, counts, bulk selection), an article's review assignment and
due date, and an editor's action on many articles at once. Thin: a form, one domain call, a
message, a redirect."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles.errors import InvalidTransition, NotAllowed

from reviews import desk_lists
from reviews.assignments import (assignment_assign, assignment_claim, assignment_due_set, latest_assignment,
                                 open_assignment)
from reviews.bulk import articles_assign, articles_re_review
from reviews.permissions import article_for_view, is_editor, may_assign_reviews, step_taker_refusal
from reviews.steps import progress

from ..forms.desk_lists import AssignForm, BulkActionForm, DeskSearchForm, DueDateForm


# --- What the dashboard adds ---

def _sort_headings(request, sort: str, page_param: str) -> list[dict]:
    """Each column's heading: a link that sorts by it (ascending first; again: descending), keeping
    the search and filters and going back to the list's first page, with aria-sort on the column
    the list is sorted by."""
    current = sort or desk_lists.DEFAULT_SORT
    headings = []
    for key, label, _ in desk_lists.COLUMNS:
        aria = "ascending" if current == key else "descending" if current == f"-{key}" else ""
        query = request.GET.copy()
        query["sort"] = f"-{key}" if current == key else key
        query.pop(page_param, None)
        headings.append({"key": key, "label": label, "url": f"?{query.urlencode()}", "aria_sort": aria})
    return headings


def dashboard_extras(request, lists, pages) -> dict:
    """The dashboard's search box, sortable headings, counts per state and step, bulk actions
    (editors), and each row's review assignment. Marks each page with its list's kind."""
    rows = []
    for desk_list, (_, param, page) in zip(lists, pages):
        page.kind = getattr(desk_list, "kind", "")
        page.param = param
        rows.extend(page.object_list)
    desk_lists.with_assignments(rows)
    if not is_editor(request.user):
        return {"search_form": None}
    search_form = DeskSearchForm(request.GET or None)
    sort = search_form.search()["sort"]
    all_param = next((param for desk_list, (_, param, _) in zip(lists, pages)
                      if getattr(desk_list, "kind", "") == "all"), "")
    return {
        "search_form": search_form,
        "sort_headings": _sort_headings(request, sort, all_param),
        "state_counts": desk_lists.state_counts(),
        "step_counts": desk_lists.step_counts(),
        "bulk_form": BulkActionForm(people=desk_lists.possible_assignees()),
        "here": request.get_full_path(),
    }


def desk_filters(request) -> dict:
    """The search and sort of "All articles", as reviews.selectors.editor_lists reads them."""
    return DeskSearchForm(request.GET or None).search()


# --- One article's assignment ---

def _back(request, default: str):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = default
    return redirect(target)


@never_cache
@login_required
def assignment(request, pk):
    """Who reviews the step the article waits for, and by when: to read, to take (a member of the
    step's group), to assign and to move (editors)."""
    article = article_for_view(request.user, pk)
    current = open_assignment(article)
    editor = may_assign_reviews(request.user)
    return render(request, "desk/assignment.html", {
        "article": article,
        "assignment": current or latest_assignment(article),
        "progress": progress(article) if current else None,
        "claim_refusal": step_taker_refusal(request.user, article, yourself=True) if current else None,
        "assign_form": AssignForm(people=desk_lists.eligible_assignees(article),
                                  initial={"assignee": current.assignee_id if current else None})
        if editor and current else None,
        "due_form": DueDateForm(initial={"due_on": current.due_on}) if editor and current else None,
    })


def _act(request, pk, act, success):
    article = article_for_view(request.user, pk)
    default = reverse("desk:assignment", args=[article.pk])
    try:
        done = act(article)
    except (NotAllowed, InvalidTransition) as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success(done))
    return _back(request, default)


@login_required
@require_POST
def assignment_claim_view(request, pk):
    return _act(request, pk, lambda article: assignment_claim(article=article, by=request.user),
                lambda done: f"The {done.step_name} of “{done.article.title}” is yours, due "
                             f"{done.due_on.day} {done.due_on:%b %Y}.")


@login_required
@require_POST
def assignment_assign_view(request, pk):
    if not may_assign_reviews(request.user):
        raise PermissionDenied("Only editors assign reviews.")
    article = article_for_view(request.user, pk)
    form = AssignForm(request.POST, people=desk_lists.possible_assignees())
    if not form.is_valid():
        messages.error(request, "Choose a person to assign the review to.")
        return redirect("desk:assignment", pk=article.pk)
    to = form.cleaned_data["assignee"]
    return _act(request, pk, lambda article: assignment_assign(article=article, to=to, by=request.user),
                lambda done: f"The {done.step_name} is assigned to {to.get_full_name() or to.get_username()}.")


@login_required
@require_POST
def assignment_due_view(request, pk):
    if not may_assign_reviews(request.user):
        raise PermissionDenied("Only editors change when a review is due.")
    form = DueDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the due date as a date.")
        return redirect("desk:assignment", pk=pk)
    due_on = form.cleaned_data["due_on"]
    return _act(request, pk, lambda article: assignment_due_set(article=article, due_on=due_on, by=request.user),
                lambda done: f"The {done.step_name} is now due {done.due_on.day} {done.due_on:%b %Y}.")


# --- Many articles at once ---

@login_required
@require_POST
def bulk_action(request):
    """Assign the review steps of the selected articles, or start their re-review: each article
    through its own domain call and transaction, the outcome in one message."""
    if not is_editor(request.user):
        raise PermissionDenied("Only editors act on many articles at once.")
    form = BulkActionForm(request.POST, people=desk_lists.possible_assignees())
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return _back(request, reverse("desk:dashboard"))
    articles = list(form.cleaned_data["articles"])
    if form.cleaned_data["action"] == BulkActionForm.ASSIGN:
        outcome = articles_assign(articles=articles, to=form.cleaned_data["assignee"], by=request.user)
    else:
        outcome = articles_re_review(articles=articles, by=request.user)
    (messages.success if not outcome.refused else messages.warning)(request, outcome.message())
    return _back(request, reverse("desk:dashboard"))
