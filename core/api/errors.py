"""DRF exception handler: domain errors become 400 (or 412) with a stable code."""

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "detail": str(exc.message)}, status=exc.status_code)
    return drf_exception_handler(exc, context)
