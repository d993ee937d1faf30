"""``/healthz``: the database, the cache, the broker and where the rate limits count."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.cache import throttle_store

logger = logging.getLogger(__name__)


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # a health check reports, it does not raise
        logger.exception("healthz: database check failed")
        return "error"
    return "ok"


def _check_cache() -> str:
    try:
        cache.set("healthz", "1", 5)
        if cache.get("healthz") != "1":
            return "error"
    except Exception:
        logger.exception("healthz: cache check failed")
        return "error"
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    from celery import current_app as app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.exception("healthz: broker check failed")
        return "error"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _check_database(), "cache": _check_cache(), "broker": _check_broker()}
    healthy = all(value in {"ok", "in-process"} for value in checks.values())
    body = {"status": "ok" if healthy else "error", "version": settings.VERSION, **checks}
    # Where the rate limits count: "ok" (Redis, shared), "per-process" (no Redis configured)
    # or "degraded (per-process)" (Redis down: each process still applies the rates). A
    # fallback, not a failure: it does not change the status.
    body["throttle"] = throttle_store.status()
    return JsonResponse(body, status=200 if healthy else 503)
