"""Lists, the one way: sortable columns, pages, and the URL that keeps both with the filters.

A list view declares its columns once::

    SORT = SortColumns("name", name=(french("name"),), city=(french("city"),), created="created_at")
    rows, sort = SORT.apply(rows, request.GET.get("sort"))
    page, query_string = paginate(request, rows)

and its template draws the headers with ``{% sort_header "name" _("Nom") %}`` and the pages with
``{% include "partials/pagination.html" %}`` (tags in ``core/templatetags/listing.py``): a
header link changes the sort and keeps every other parameter (not the page: a new order starts
on page 1); a page link keeps the sort and the filters. The API reads the same columns from
``?ordering=`` (``core.api.filtering.OrderingBackend``).
"""

from collections.abc import Sequence

from django.contrib import messages
from django.core.paginator import Page
from django.db.models import Expression
from django.db.models.expressions import OrderBy
from django.utils.translation import ngettext

from core.pagination import CappedCountPaginator

PAGE_SIZE = 25
SORT_PARAM = "sort"
PAGE_PARAM = "page"


def _descending(item):
    if isinstance(item, str):
        return item[1:] if item.startswith("-") else f"-{item}"
    if isinstance(item, OrderBy):  # F("x").desc(nulls_first=True): the other way round
        return item.copy().reverse_ordering()
    return item.desc() if isinstance(item, Expression) else item


class SortColumns:
    """The columns a list may be sorted by: ``key -> field(s) or expression(s)``, ascending,
    and the default sort ("key" or "-key"). Every order ends on the primary key, so that
    pages never share or skip a row."""

    def __init__(self, default: str, /, **columns: str | Expression | Sequence):
        self.columns = {
            key: tuple(value) if isinstance(value, list | tuple) else (value,)
            for key, value in columns.items()
        }
        self.default = default
        if default.lstrip("-") not in self.columns:
            raise ValueError(f"default sort {default!r} names no column")

    def __contains__(self, key: str) -> bool:
        return key in self.columns

    def choices(self) -> list[str]:
        return [name for key in self.columns for name in (key, f"-{key}")]

    def resolve(self, value: str | None) -> str:
        """``value`` when it names a column (with or without ``-``), else the default."""
        value = (value or "").strip()
        return value if value.lstrip("-") in self.columns else self.default

    def order_by(self, value: str | None) -> list:
        sort = self.resolve(value)
        key = sort.lstrip("-")
        items = list(self.columns[key])
        tie = "pk"
        if sort.startswith("-"):
            items = [_descending(item) for item in items]
            tie = "-pk"
        return [*items, tie]

    def apply(self, queryset, value: str | None):
        """The queryset in the requested order and the sort actually used."""
        return queryset.order_by(*self.order_by(value)), self.resolve(value)


def query_string(request, *, drop: Sequence[str] = (PAGE_PARAM,)) -> str:
    """The request's parameters without ``drop``, URL-encoded (for links that keep them)."""
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


def paginate(request, queryset, *, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    """The requested page and the query string without ``page`` (the filters and the sort,
    for the links). A page past the end shows the last page with a message saying so; a page
    that is not a number shows the first. Costs one (capped) COUNT and one SELECT."""
    paginator = CappedCountPaginator(queryset, per_page)
    raw = request.GET.get(PAGE_PARAM)
    page = paginator.get_page(raw)
    try:
        asked = int(raw) if raw is not None else 1
    except ValueError:
        asked = 1
    if asked > paginator.num_pages:
        total = paginator.num_pages
        text = ngettext(
            "La page %(asked)s n’existe pas : cette liste n’a qu’une page.",
            "La page %(asked)s n’existe pas : cette liste n’a que %(total)s pages. "
            "Voici la dernière.",
            total,
        )
        messages.warning(request, text % {"asked": asked, "total": total}, fail_silently=True)
    return page, query_string(request)
