"""Small helpers shared by HTML views: pagination that keeps the filters, domain errors
shown on forms."""

from django.core.paginator import Paginator

from cqpm.errors import DomainError

PAGE_SIZE = 25


def paginate(request, queryset, *, per_page: int = PAGE_SIZE):
    """The requested page (invalid numbers fall back to the first/last page) and the query
    string without ``page`` for the pagination links. Costs one COUNT and one SELECT."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def add_domain_error(form, exc: DomainError, field_codes: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: on a field when its code names one."""
    field = (field_codes or {}).get(exc.code)
    form.add_error(field if field in form.fields else None, str(exc.message))
