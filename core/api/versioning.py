"""Optimistic concurrency on the API: ``ETag`` carries the record's ``version``, writes send
it back in ``If-Match`` (or a ``version`` field); a stale version gets 412."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException


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
    description=str(
        _("Version connue de l'objet (valeur de l'ETag). 412 si elle n'est plus à jour.")
    ),
)


def etag_for(obj) -> str:
    return f'"{obj.version}"'


def with_etag(response, obj):
    response["ETag"] = etag_for(obj)
    return response


def expected_version(request, *, required: bool = True) -> int | None:
    """The version the client edits, from If-Match or the body's ``version`` field. Absent:
    428 when ``required``, else None (the service then checks nothing)."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        value = header.removeprefix("W/").strip('"')
    else:
        value = request.data.get("version") if hasattr(request.data, "get") else None
    if value in (None, ""):
        if required:
            raise PreconditionRequired
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # never a real version: answered 412 by the service
