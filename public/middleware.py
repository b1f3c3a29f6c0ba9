"""Revalidations of public pages answered before the rest of Django's middleware runs."""
from .caching import not_modified_early


class NotModifiedMiddleware:
    """A 304 for a public page a browser or CDN already holds, from the cache alone: placed above
    sessions, CSRF, authentication, two-factor and messages, none of which a 304 needs (the
    public_page path below answers the same request the same way, only with more work)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return not_modified_early(request) or self.get_response(request)
