import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """200 with {"status": "ok"} when the database answers; 503 with {"status": "fail"} otherwise.

    Anyone may ask, so the answer names no error: the exception goes to the server's log.
    """
    try:
        _check_database()
    except Exception:  # any database failure means "not healthy"
        logger.exception("Health check failed: the database did not answer")
        return JsonResponse({"status": "fail"}, status=503)
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
