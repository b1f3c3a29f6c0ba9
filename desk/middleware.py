"""Account safety on every request of a signed-in reviewer, editor or staff member: their session
ends after settings.SESSION_IDLE_TIMEOUT_SECONDS without a request, and where two factors are
required (settings.TWO_FACTOR_REQUIRED) the desk and the back office wait until they have used
one.

Whether the person is one of those is decided once, at login (session_mark_at_login), so a
request pays no query for it; the session is written at most once a minute."""
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from reviews.accounts import second_factor_expected

TOUCH_EVERY_SECONDS = 60
GUARDED_PREFIXES = ("/editorial/", "/admin/")
# Public pages never read the session here: reading it would add "Vary: Cookie" and split the
# public cache between signed-in people and everyone else.
WATCHED_PREFIXES = (*GUARDED_PREFIXES, "/accounts/")
ELEVATED, LAST_SEEN = "account_elevated", "account_last_seen"


@receiver(user_logged_in)
def session_mark_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[ELEVATED] = second_factor_expected(user)
        request.session[LAST_SEEN] = time.time()


class AccountSafetyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.path.startswith(WATCHED_PREFIXES) and session.get(ELEVATED):
            now = time.time()
            last_seen = session.get(LAST_SEEN, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT_SECONDS:
                logout(request)
                messages.info(request, "You were signed out after a while without activity. Log in again to go on.")
                return redirect_to_login(request.get_full_path())
            if now - last_seen > TOUCH_EVERY_SECONDS:
                session[LAST_SEEN] = now
            if (settings.TWO_FACTOR_REQUIRED and request.path.startswith(GUARDED_PREFIXES)
                    and request.user.is_authenticated and not request.user.is_verified()):
                messages.info(request, "Reviewers and editors use a second factor on this site: set it up "
                                       "(or log in again with your code) to go on.")
                return redirect(reverse("two_factor"))
        return self.get_response(request)
