"""Small helpers shared by HTML views: pagination that keeps the filters (``core.listing``),
domain errors shown on forms."""

from core.errors import DomainError
from core.listing import PAGE_SIZE, paginate  # noqa: F401 - the one paginator, re-exported


def add_domain_error(form, exc: DomainError, field_codes: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: on a field when its code names one."""
    field = (field_codes or {}).get(exc.code)
    form.add_error(field if field in form.fields else None, str(exc.message))
