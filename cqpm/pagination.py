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
        return self.object_list[:COUNT_CAP].count()


class CappedCountPagination(PageNumberPagination):
    """DRF's page-number pagination on the capped paginator (REST_FRAMEWORK default)."""

    django_paginator_class = CappedCountPaginator
