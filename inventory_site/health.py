"""Health endpoints for load balancers and orchestrators; public, and they reveal no settings.

/healthz: the process answers (liveness; touches nothing else).
/readyz: it can serve: the database answers a query and, with a broker configured, the broker
accepts a connection (each within a few seconds); 503 names what failed.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)
BROKER_TIMEOUT = 3  # seconds


@login_not_required
@never_cache
@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def database_ready() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Readiness: the database does not answer")
        return False


def broker_ready() -> bool:
    from inventory_site.celery import app

    try:
        url = settings.CELERY_BROKER_URL
        with app.connection_for_write(url, connect_timeout=BROKER_TIMEOUT) as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
        return True
    except Exception:
        logger.exception("Readiness: the broker does not answer")
        return False


@login_not_required
@never_cache
@require_GET
def readyz(request):
    checks = {"database": "ok" if database_ready() else "failed"}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = "ok" if broker_ready() else "failed"
    else:
        checks["broker"] = "not configured"
    status = 503 if "failed" in checks.values() else 200
    return JsonResponse(checks, status=status)
