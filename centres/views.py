"""Home page, health check and centre switching."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cqpm.cache import throttle_store

from .access import ACTIVE_CENTRE_SESSION_KEY
from .home import home_sections
from .roles import Role

logger = logging.getLogger(__name__)


@login_required
def home(request):
    roles = [Role(role).label for role in sorted(request.actor.roles)]
    return render(
        request,
        "centres/home.html",
        {"sections": home_sections(request), "actor_roles_display": roles},
    )


@require_POST
@login_required
def switch_centre(request):
    if not request.actor.centres:
        raise PermissionDenied
    try:
        centre_id = int(request.POST.get("centre", ""))
    except ValueError:
        centre_id = None
    if centre_id in {c.pk for c in request.actor.centres}:
        request.session[ACTIVE_CENTRE_SESSION_KEY] = centre_id
    target = request.POST.get("next") or "home"
    if target != "home" and not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "home"
    return redirect(target)


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
    from cqpm.celery import app

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
