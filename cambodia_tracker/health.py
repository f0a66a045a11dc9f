"""Health checks and the answer given when the database is unreachable.

/healthz: the process answers (no database, no broker).
/readyz: the database and (if configured) the broker answer; otherwise 503 with Retry-After and
no internal names, so a load balancer can take the instance out of rotation.
"""

import sys

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found

from cambodia_tracker.celery import app

RETRY_AFTER = "30"


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


def broker_ok():
    if not settings.CELERY_BROKER_URL:
        return True  # tasks run eagerly: there is no broker to reach

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # any broker failure means "not ready"
        return False


@never_cache
def readyz(request):
    checks = {"database": database_ok(), "broker": broker_ok()}
    ready = all(checks.values())
    response = JsonResponse(
        {
            "status": "ok" if ready else "unavailable",
            "checks": {k: "ok" if v else "down" for k, v in checks.items()},
        },
        status=200 if ready else 503,
    )
    if not ready:
        response["Retry-After"] = RETRY_AFTER
    return response


def unavailable():
    response = HttpResponse(
        "The tracker is briefly unavailable. Please try again in a minute.\n",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = RETRY_AFTER
    return response


def server_error(request, *args, **kwargs):
    """handler500: a database outage is a 503 with a plain message, never a 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError):
        return unavailable()
    return HttpResponse(
        "Something went wrong on our side. It has been logged.\n",
        status=500,
        content_type="text/plain; charset=utf-8",
    )


def not_found(request, exception=None):
    """handler404: API clients get JSON, people get the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
