"""Small helpers shared by the evaluation pages."""

from django.contrib import messages

from core.views import paginate  # noqa: F401 - re-exported for the views


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def error_message(request, exc) -> None:
    messages.error(request, str(exc.message))
