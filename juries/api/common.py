"""Shared pieces of the juries API."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse

from core.api.permissions import ActorCan  # noqa: F401
from core.api.versioning import IF_MATCH, etag_for, expected_version, with_etag  # noqa: F401

TAG = "jurys"
ERROR = OpenApiResponse(description=_("Refus métier : {code, detail}."))
