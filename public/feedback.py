"""Readers' "Report a problem with this page": the form on every article page posts here.

No login and no JavaScript: the form is plain HTML in the article page. That page is cached and
shared between readers (public.caching; a CDN may hold it), so it cannot carry a per-person CSRF
token, and the endpoint is exempt from CSRF. It is anonymous, reads and writes no session, and
changes nothing but a queued message for editors to read, so a forged post can do no more than a
reader can; spam is held off by the honeypot field and a rate limit per client address. None of
these answers may be kept by a shared cache: they depend on what this reader sent.
"""
import math

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from reviews.feedback import feedback_receive

from .forms import ReaderFeedbackForm
from .ratelimit import RateLimit
from .selectors import live_publication_by_slug


def _rate_limit() -> RateLimit:
    # Read at each request, so the settings (and tests) can change them.
    return RateLimit("feedback", settings.FEEDBACK_RATE_LIMIT, settings.FEEDBACK_RATE_WINDOW_SECONDS)


def _client(request) -> str:
    # The address django-axes counts failed logins by, so one setting (TRUSTED_PROXY_COUNT) says
    # which address is the reader's behind a proxy.
    return get_client_ip_address(request) or "unknown"


@csrf_exempt  # Why: see the module's docstring (a cached public page cannot carry a token).
@never_cache
@require_http_methods(["GET", "POST"])
def feedback_new(request, slug):
    """GET: the form on a page of its own. POST: queue the report and thank the reader (303), or
    the form again with what they typed (400), or "too many reports" (429). A draft or withdrawn
    article is the same 404 as its page."""
    live = live_publication_by_slug(slug)
    if request.method == "GET":
        return _form_page(request, live, ReaderFeedbackForm(initial={"publication": live.pk}))
    form = ReaderFeedbackForm(request.POST)
    retry_at = _rate_limit().hit(_client(request))
    if retry_at is not None:
        return _too_many(request, live, form, retry_at)
    if form.caught_in_the_trap():
        # Answered as a success, so a bot learns nothing to adapt to; nothing is stored.
        return _see_other("public:feedback_thanks", slug=slug)
    if form.is_valid():
        try:
            feedback_receive(live=live, seen_publication_id=form.cleaned_data["publication"],
                             message=form.cleaned_data["message"], email=form.cleaned_data["email"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _see_other("public:feedback_thanks", slug=slug)
    return _form_page(request, live, form, status=400)


def _see_other(view_name, **kwargs):
    # 303: the browser fetches the thank-you page with GET, so reloading it posts nothing again.
    response = redirect(view_name, **kwargs)
    response.status_code = 303
    return response


def _form_page(request, live, form, *, status=200):
    return render(request, "public/feedback.html", {"publication": live, "feedback_form": form}, status=status)


def _too_many(request, live, form, retry_at):
    wait = max(1, math.ceil((retry_at - timezone.now()).total_seconds()))
    response = render(request, "public/feedback_too_many.html", {
        "publication": live, "feedback_form": form, "retry_at": retry_at, "wait_minutes": math.ceil(wait / 60),
        "limit": settings.FEEDBACK_RATE_LIMIT, "window_minutes": math.ceil(settings.FEEDBACK_RATE_WINDOW_SECONDS / 60),
    }, status=429)
    response["Retry-After"] = str(wait)
    return response


@never_cache
@require_GET
def feedback_thanks(request, slug):
    """The same page whether the report was stored or caught by the honeypot."""
    return render(request, "public/feedback_thanks.html", {"publication": live_publication_by_slug(slug)})
