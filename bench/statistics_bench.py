"""Benchmark of the statistics of results (issue 17; a measurement, not a test).

    .venv/bin/python manage.py seed_scale            # 100,000 dossiers (once, bench DB)
    .venv/bin/python bench/statistics_bench.py [--repeat 5]

On the bench database (``bench/inprocess.py``: ``DATABASE_URL`` overrides it), prints the
median time of the national statistics (selector only, then the whole "Statistiques" page
as the national administrator renders it, then ``/api/v1/statistics/``), of one centre's
page, and their SQL query counts. The target of the issue: the national page under 1 s.
"""

import argparse
import statistics
import time

import inprocess  # noqa: F401  (Django set up on the bench database)
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from centres.access import build_actor
from centres.models import Membership, User
from juries.models import Decision
from juries.statistics import statistics_for


def _median(fn, repeat: int) -> tuple[float, int]:
    fn()  # warm
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, len(ctx.captured_queries)


def _get(client, url):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return call


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with scopes_disabled():
        decisions = Decision.objects.filter(frozen_at__isnull=False).count()
        national, _ = User.objects.get_or_create(
            username="bench-national-admin", defaults={"is_national_admin": True}
        )
        staff = (
            Membership.objects.filter(role="staff", is_active=True)
            .select_related("user")
            .order_by("centre_id")
            .first()
        )
    print(f"{decisions} frozen decisions")
    actor = build_actor(national)
    page = Client()
    page.force_login(national)
    rows = {
        "national statistics (selector)": lambda: statistics_for(actor),
        "national Statistiques page": _get(page, "/jurys/statistiques/"),
        "national API /api/v1/statistics/": _get(page, "/api/v1/statistics/"),
    }
    if staff:
        centre_page = Client()
        centre_page.force_login(staff.user)
        rows["one centre's Statistiques page"] = _get(centre_page, "/jurys/statistiques/")
    for name, fn in rows.items():
        ms, queries = _median(fn, args.repeat)
        print(f"{name}: {ms:.0f} ms (median of {args.repeat}), {queries} queries")


if __name__ == "__main__":
    main()
