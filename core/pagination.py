"""Pagination that never counts a whole table: ``count`` stops at ``COUNT_CAP`` rows
(``SELECT count(*) FROM (… LIMIT cap)``). Below the cap it is exact; beyond it, lists show
the cap's pages (narrow the search or the filters to reach further rows)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    @cached_property
    def count(self):
        rows = self.object_list
        if hasattr(rows, "order_by"):
            rows = rows.order_by()  # a sliced count keeps ORDER BY: drop it, it only costs
        if hasattr(rows, "count") and not isinstance(rows, list | tuple):
            return rows[:COUNT_CAP].count()
        return len(rows)


class CappedCountPagination(PageNumberPagination):
    """DRF's page-number pagination on the capped paginator (REST_FRAMEWORK default)."""

    django_paginator_class = CappedCountPaginator
