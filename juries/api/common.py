"""Shared pieces of the juries API."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import BasePermission

from core.api.versioning import IF_MATCH, etag_for, with_etag  # noqa: F401

TAG = "jurys"
ERROR = OpenApiResponse(description=_("Refus métier : {code, detail}."))


def if_match_optional(request):
    """The version named by If-Match (or a ``version`` field), None when absent."""
    header = request.headers.get("If-Match", "").strip()
    value = (
        header.removeprefix("W/").strip('"')
        if header
        else (request.data.get("version") if hasattr(request.data, "get") else None)
    )
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


class ActorCan(BasePermission):
    """The actor holds any of ``view.required_capabilities()`` in its active centre; object
    visibility is decided by the access helpers (404)."""

    def has_permission(self, request, view):
        actor = getattr(request, "actor", None)
        if not (request.user and request.user.is_authenticated and actor is not None):
            return False
        capabilities = view.required_capabilities()
        return not capabilities or any(actor.can(c) for c in capabilities)
