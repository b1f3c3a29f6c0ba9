"""The Content-Security-Policy header (django-csp), with the article editor's one relaxation.

settings.CONTENT_SECURITY_POLICY is the policy of every page. The views named in
settings.CONTENT_SECURITY_POLICY_VIEW_UPDATES add their directives to it (see there for why);
every other page, public pages and the admin included, gets the policy unchanged.
"""
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, adding a view's update from the settings.

    Keyed by URL name rather than set with django-csp's @csp_update on the views, so that the
    whole policy, exceptions included, reads in one place (cms/settings.py).
    """

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        match = getattr(request, "resolver_match", None)
        updates = getattr(settings, "CONTENT_SECURITY_POLICY_VIEW_UPDATES", {})
        extra = updates.get(match.view_name) if match else None
        if report_only or not extra:
            return parts
        update = dict(parts.update or {})
        for directive, sources in extra.items():
            update[directive] = [*update.get(directive, ()), *sources]
        parts.update = update
        return parts
