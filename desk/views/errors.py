"""The styled refusal for a failed CSRF check (settings.CSRF_FAILURE_VIEW). Django's own is an
unstyled technical page; this one says what happened and what to do, in the site's layout."""
from django.shortcuts import render


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
