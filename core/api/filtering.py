"""The API's filter backend: django-filter's, without the work of filtering by nothing.

For every list request, django-filter builds the view's ``FilterSet``: a deep copy of its
filters, a form with a field per filter (querysets and choices included), and a full
validation, even when the request names no filter at all, to then apply nothing: ~0.5 ms
for the dossier or candidate list, a twentieth of the request. A request whose only
parameter is the page (or none) gets the queryset as it is: the same rows, since a filter
without a value filters nothing.

Integer filters are checked first (below): a value that is no 64-bit integer is a 400.

Only for filter sets that filter the usual way: one that overrides ``filter_queryset`` or
``qs`` may do something without a value, and always runs.

``SearchBackend`` and ``OrderingBackend`` give every list endpoint the pages' search
(accents and case ignored) and sortable columns.
"""

import functools
import re

from django.db import models
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_filters import FilterSet
from django_filters.filters import (
    BaseCSVFilter,
    ModelChoiceFilter,
    ModelMultipleChoiceFilter,
    NumberFilter,
)
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field
from rest_framework.exceptions import ValidationError

from core.search import text_search


def _filters_by_values_only(filterset_class) -> bool:
    return (
        filterset_class.filter_queryset is FilterSet.filter_queryset
        and filterset_class.qs is FilterSet.qs
    )


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        check_integer_filters(filterset_class, request.query_params)
        paginator = getattr(view, "paginator", None)
        page = getattr(paginator, "page_query_param", None)
        names_nothing = all(name in (page, OrderingBackend.param) for name in request.query_params)
        if names_nothing and _filters_by_values_only(filterset_class):
            return queryset
        return super().filter_queryset(request, queryset, view)


class SearchBackend:
    """``?search=`` on ``view.search_fields``: every word in one of the fields, accents and
    case ignored (``core.search.text_search``), as in the pages' search boxes."""

    param = "search"

    def filter_queryset(self, request, queryset, view):
        query = request.query_params.get(self.param, "")
        fields = getattr(view, "search_fields", ())
        if not query.strip() or not fields:
            return queryset
        return queryset.filter(text_search(query, *fields))

    def get_schema_operation_parameters(self, view):
        description = getattr(view, "search_description", None) or _(
            "Mots cherchés (accents et majuscules ignorés)."
        )
        return [_query_parameter(self.param, str(description))]


class OrderingBackend:
    """``?ordering=key`` or ``?ordering=-key`` on ``view.sort_columns`` (a
    ``core.listing.SortColumns``, the same columns as the list page's ``?sort=``); the
    view's own order without it, and for a key it does not know."""

    param = "ordering"

    def filter_queryset(self, request, queryset, view):
        columns = getattr(view, "sort_columns", None)
        value = request.query_params.get(self.param, "").strip()
        if columns is None or not value or value.lstrip("-") not in columns:
            return queryset
        return queryset.order_by(*columns.order_by(value))

    def get_schema_operation_parameters(self, view):
        columns = getattr(view, "sort_columns", None)
        if columns is None:
            return []
        parameter = _query_parameter(
            self.param, str(_("Tri : une colonne, précédée de « - » pour l’ordre décroissant."))
        )
        parameter["schema"]["enum"] = columns.choices()
        return [parameter]


def _query_parameter(name: str, description: str) -> dict:
    return {
        "name": name,
        "required": False,
        "in": "query",
        "description": description,
        "schema": {"type": "string"},
    }


# --- Integer parameters -----------------------------------------------------------------
# An id beyond a 64-bit integer cannot be bound by SQLite (OverflowError: a 500), and
# django-filter's NumberFilter reads "1e20" or "1.5" as a decimal. Every integer filter of
# every filter set, the hand-written ones (``integer_param``) and every integer path
# parameter (``IntegerPathMiddleware``) go through ``parse_integer``: a 400 that says why.

INTEGER_MIN = -(2**63)
INTEGER_MAX = 2**63 - 1
_INTEGER = re.compile(r"-?[0-9]{1,19}")


def integer_error(name: str, value) -> str:
    return _(
        "« %(name)s » doit être un nombre entier compris entre %(min)s et %(max)s, "
        "pas « %(value)s »."
    ) % {"name": name, "min": INTEGER_MIN, "max": INTEGER_MAX, "value": str(value)[:40]}


def parse_integer(value, *, name: str) -> int:
    """``value`` as an int, or ValueError with the French message: ASCII digits only (no
    exponent, no decimal point, no other script's digits), within a signed 64-bit integer."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        raise ValueError(integer_error(name, value))
    if not INTEGER_MIN <= number <= INTEGER_MAX:
        raise ValueError(integer_error(name, value))
    return number


def integer_param(params, name: str) -> int | None:
    """A hand-written integer filter: ``None`` when absent or empty, the int when valid,
    a 400 (DRF ``ValidationError``, the shape django-filter's errors have) otherwise."""
    raw = params.get(name, "")
    if raw == "":
        return None
    try:
        return parse_integer(raw, name=name)
    except ValueError as exc:
        raise ValidationError({name: [str(exc)]}) from exc


def _is_integer_field(field) -> bool:
    if isinstance(field, models.ForeignObject):
        field = field.target_field
    return isinstance(field, models.IntegerField)


@functools.cache
def _integer_filters(filterset_class) -> dict[str, bool]:
    """The names of the filter set's integer filters, and whether each takes a
    comma-separated list (``1,2,3``). A NumberFilter counts unless its model field is
    decimal or float; a model choice filter counts when it chooses by an integer key."""
    model = filterset_class._meta.model
    found = {}
    for name, flt in filterset_class.base_filters.items():
        field = get_model_field(model, flt.field_name) if model else None
        if isinstance(flt, ModelChoiceFilter | ModelMultipleChoiceFilter):
            if flt.extra.get("to_field_name") or (
                field is not None and not _is_integer_field(field)
            ):
                continue
        elif isinstance(flt, NumberFilter):
            if isinstance(field, models.DecimalField | models.FloatField):
                continue
        else:
            continue
        found[name] = isinstance(flt, BaseCSVFilter)
    return found


def check_integer_filters(filterset_class, params) -> None:
    errors = {}
    for name, is_list in _integer_filters(filterset_class).items():
        if name not in params:
            continue
        raws = params.getlist(name) if hasattr(params, "getlist") else [params[name]]
        for raw in raws:
            values = raw.split(",") if is_list else [raw]
            for value in values:
                if value == "":
                    continue
                try:
                    parse_integer(value, name=name)
                except ValueError as exc:
                    errors.setdefault(name, []).append(str(exc))
    if errors:
        raise ValidationError(errors)


def _integer_kwarg(name: str, value) -> bool:
    """``<int:…>`` path values, and the API router's ``pk`` (a string: ``[^/.]+``)."""
    return isinstance(value, int) or name == "pk" or name.endswith(("_pk", "_id"))


class IntegerPathMiddleware:
    """Every integer path parameter within a 64-bit integer: else a 400 (JSON on the API,
    the 400 page elsewhere) before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for name, value in view_kwargs.items():
            if not _integer_kwarg(name, value):
                continue
            try:
                parse_integer(value, name=name)
            except ValueError as exc:
                if request.path.startswith("/api/"):
                    return JsonResponse({"code": "invalid_integer", "detail": str(exc)}, status=400)
                return render(request, "400.html", {"message": str(exc)}, status=400)
        return None
