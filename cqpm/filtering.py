"""The API's filter backend: django-filter's, without the work of filtering by nothing.

For every list request, django-filter builds the view's ``FilterSet``: a deep copy of its
filters, a form with a field per filter (querysets and choices included), and a full
validation, even when the request names no filter at all, to then apply nothing: ~0.5 ms
for the dossier or candidate list, a twentieth of the request. A request whose only
parameter is the page (or none) gets the queryset as it is: the same rows, since a filter
without a value filters nothing.

Only for filter sets that filter the usual way: one that overrides ``filter_queryset`` or
``qs`` may do something without a value, and always runs.
"""

from django_filters import FilterSet
from django_filters.rest_framework import DjangoFilterBackend


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
        paginator = getattr(view, "paginator", None)
        page = getattr(paginator, "page_query_param", None)
        names_nothing = all(name == page for name in request.query_params)
        if names_nothing and _filters_by_values_only(filterset_class):
            return queryset
        return super().filter_queryset(request, queryset, view)
