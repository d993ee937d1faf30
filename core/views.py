"""Small helpers shared by HTML views: a service's refusal shown on a form or as a message.
(Pagination that keeps the filters: ``core.listing.paginate``.)"""

from django.contrib import messages

from core.errors import DomainError


def add_domain_error(form, exc: DomainError, field_codes: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: on a field when its code names one."""
    field = (field_codes or {}).get(exc.code)
    form.add_error(field if field in form.fields else None, str(exc.message))


def error_message(request, exc: DomainError) -> None:
    """Show a service's refusal as an error message on the next page."""
    messages.error(request, str(exc.message))
