"""A request carrying a NUL character is refused before any view runs.

No address, search or form of this site has a use for NUL, and PostgreSQL refuses it in text: a
lookup of /people/%00/ or a search for %00 failed there with a 500. Refusing the request here, with
a 400, means no view ever reaches the database with one. Other control characters are harmless
in a query and are removed from stored text on save (articles.hygiene).
"""
from django.http import HttpResponseBadRequest

NUL = "\x00"
ENCODED_NUL = "%00"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
REFUSAL = "Bad request: the address or the form contains a NUL character (%00), which this site never accepts.\n"


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            return HttpResponseBadRequest(REFUSAL, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def carries_nul(request) -> bool:
    """Whether the path, the query string or a submitted form field (its name or value) holds NUL,
    raw or percent-encoded. File contents are not looked at (an image holds NUL bytes by nature),
    nor is the text "%00" inside a form value: it is no NUL, and refusing it would throw away
    everything else a writer typed in that form."""
    query = request.META.get("QUERY_STRING", "")
    if NUL in request.path or ENCODED_NUL in request.path or NUL in query or ENCODED_NUL in query:
        return True
    if _any_nul(request.GET):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS") or request.content_type not in FORM_CONTENT_TYPES:
        return False
    # Parsed as Django parses it for the view (CsrfViewMiddleware reads it too), so the check sees
    # exactly what a form would be given.
    # Uploaded files' names need no look: Django's parser drops every non-printable character from them.
    return _any_nul(request.POST) or any(NUL in name for name in request.FILES)


def _any_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())
