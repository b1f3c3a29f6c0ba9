from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from articles.caching import public_response


@never_cache
def healthz(request):
    """200 with {"status": "ok"} when the database answers; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok"})


def robots_txt(request):
    """Crawlers may read the public site, not the desk or the back office; the sitemap lists it."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('reviews:dashboard')}",
        f"Disallow: {reverse('admin:index')}",
        f"Disallow: {reverse('login')}",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return public_response(
        request, etag_parts=("robots",), changed=[],
        render=lambda: HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"),
    )
