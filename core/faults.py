"""Faults shown cleanly: a database that drops its connection mid-request gives a French
503 page with ``Retry-After`` (JSON under ``/api/``), any other crash the French 500 page.

Installed as ``handler500`` (``parchemin.urls``): Django calls it inside the ``except`` of any
exception that escaped a view *or* a middleware, so ``sys.exc_info()`` tells which fault it
was. Neither page touches the database (rendered without a request context). Nothing is
half-written: every service runs in ``transaction.atomic()``, so the failed write rolled
back before this page is drawn.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DATABASE_FAULTS = (OperationalError, InterfaceError)


def is_database_fault(exc) -> bool:
    return isinstance(exc, DATABASE_FAULTS)


def _render(template_name: str, status: int) -> HttpResponse:
    body = loader.get_template(template_name).render({"retry_after": RETRY_AFTER_SECONDS})
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


@requires_csrf_token
def server_error(request, *args, **kwargs):
    exc = sys.exc_info()[1]
    if is_database_fault(exc):
        logger.error("database unavailable: %s", exc)
        if request.path_info.startswith("/api/"):
            response = JsonResponse(
                {
                    "code": "service_unavailable",
                    "detail": _(
                        "La base de données est momentanément indisponible : rien n'a été "
                        "enregistré. Réessayez dans quelques instants."
                    ),
                },
                status=503,
            )
        else:
            response = _render("503.html", 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"code": "server_error", "detail": _("Erreur interne du serveur.")}, status=500
        )
    return _render("500.html", 500)
