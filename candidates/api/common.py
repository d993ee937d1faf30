"""Shared pieces of the candidates API: capability permissions, ETag / If-Match."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.permissions import BasePermission


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(
        "Indiquez la version modifiée dans l'en-tête If-Match (ou le champ « version »)."
    )
    default_code = "precondition_required"


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=str(_("Version connue (valeur de l'ETag). 412 si elle n'est plus à jour.")),
)


def with_etag(response, obj):
    response["ETag"] = f'"{obj.version}"'
    return response


def if_match(request, *, required=True):
    """The version the client edits (If-Match header, or a ``version`` field)."""
    header = request.headers.get("If-Match", "").strip()
    value = (
        header.removeprefix("W/").strip('"')
        if header
        else (request.data.get("version") if hasattr(request.data, "get") else None)
    )
    if value in (None, ""):
        if required:
            raise PreconditionRequired
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # never a real version: the service answers 412


class ActorCan(BasePermission):
    """Granted when the active centre's actor holds any of the view's capabilities for
    this action (``view.required_capabilities(action)``); object visibility is then
    decided by the access helpers (404)."""

    def has_permission(self, request, view):
        actor = getattr(request, "actor", None)
        if not (request.user and request.user.is_authenticated and actor is not None):
            return False
        capabilities = view.required_capabilities()
        return not capabilities or any(actor.can(c) for c in capabilities)
