"""The desk calendar: a month of go-lives and medical reviews due, as a grid or a list, and each
person's private calendar feed (an .ics address a calendar app subscribes to)."""
import calendar as month_grid
import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from reviews.calendar import (FEED_DAYS_AHEAD, FEED_DAYS_BACK, LIST_PAGE_SIZE, CalendarFilters, as_events,
                              desk_articles, event_list, feed_events, month_days, next_month)
from reviews.calendar_feed import feed_owner, feed_token_issue, feed_token_of, feed_token_reset

from ..calendar_feed import feed_document
from ..forms.calendar import FIRST_YEAR, LAST_YEAR, LIST_VIEW, CalendarForm

FEED_CONTENT_TYPE = "text/calendar; charset=utf-8"


@never_cache
@login_required
def calendar(request):
    today = timezone.localdate()
    form = CalendarForm(request.GET)
    context = {"form": form, "today": today, "time_zone": timezone.get_current_timezone_name(),
               "feed_url": _feed_url(feed_token_of(request.user)),
               "feed_days_back": FEED_DAYS_BACK, "feed_days_ahead": FEED_DAYS_AHEAD}
    if not form.is_valid():
        # The page names what to correct; no events, rather than events the filters did not ask for.
        return render(request, "desk/calendar.html", context, status=400)
    query = form.calendar_query(today)
    articles = desk_articles(request.user)
    context.update(query=query, filtered=query.filters != CalendarFilters(),
                   previous_month=_within_range(_previous_month(query.month)),
                   next_month=_within_range(next_month(query.month)))
    if query.view == LIST_VIEW:
        start = query.day or query.month
        end = start + datetime.timedelta(days=1) if query.day else next_month(query.month)
        page = Paginator(event_list(articles, start, end, query.filters), LIST_PAGE_SIZE).get_page(
            request.GET.get("page"))
        page.object_list = as_events(page.object_list, today)
        context["page"] = page
    else:
        days = month_days(articles, query.month, query.filters, today)
        context.update(weeks=_weeks(query.month, days), has_events=bool(days),
                       weekday_names=[month_grid.day_name[number] for number in range(7)])
    return render(request, "desk/calendar.html", context)


def _weeks(month: datetime.date, days: dict) -> list[list[dict]]:
    """The month as weeks, Monday first; days of the months either side are blank cells."""
    return [[{"day": day, "in_month": day.month == month.month, "events": days.get(day)}
             for day in week]
            for week in month_grid.Calendar(firstweekday=month_grid.MONDAY).monthdatescalendar(month.year, month.month)]


def _previous_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _within_range(month: datetime.date) -> datetime.date | None:
    """The month, or None past the years the calendar's address accepts (no link to a refusal)."""
    return month if FIRST_YEAR <= month.year <= LAST_YEAR else None


def _feed_url(token) -> str:
    if token is None:
        return ""
    return settings.SITE_URL.rstrip("/") + reverse("desk:calendar_feed", kwargs={"token": token.token})


@login_required
@require_POST
def calendar_feed_issue(request):
    feed_token_issue(user=request.user)
    messages.success(request, "Your private calendar address is ready: add it to your calendar app.")
    return redirect(reverse("desk:calendar") + "#feed")


@login_required
@require_POST
def calendar_feed_reset(request):
    feed_token_reset(user=request.user)
    messages.success(request, "Your calendar address was reset: the old one no longer works. "
                              "Add the new one to your calendar apps.")
    return redirect(reverse("desk:calendar") + "#feed")


@require_safe
def calendar_feed(request, token):
    """The feed itself. No login (calendar apps cannot log in): the address is the key, so an
    unknown or replaced one, or an inactive person's, is answered like any missing page. Never
    stored by a cache, shared or not: it is one person's view of unpublished work."""
    person = feed_owner(token)
    if person is None:
        raise Http404("No such calendar.")
    response = HttpResponse(feed_document(person, feed_events(person)), content_type=FEED_CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Disposition"] = 'inline; filename="editorial-calendar.ics"'
    return response
