"""Statistics of results (issue 17): the numbers match a hand-computed fixture, centre B is
never counted for centre A, the national administrator sees every centre, counts only."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from centres.access import build_actor
from centres.roles import Role
from centres.scoping import centre_scope
from juries.statistics import StatisticsFilters, france_competences_rows, statistics_for

from .stats_fixture import build_statistics_fixture


@pytest.fixture
def version(world):
    return build_statistics_fixture(world)


def _centre_stats(world, side="a", **filters):
    actor = build_actor(world.user(Role.STAFF, side))
    with centre_scope(actor.centre):
        return statistics_for(actor, StatisticsFilters(**filters))


def _strip(row, *keys):
    return {k: row[k] for k in keys}


KEYS = ("presented", "awarded", "partial", "not_awarded", "absent", "awarded_vae", "success_rate")


def test_centre_totals_match_the_hand_count(world, version):
    stats = _centre_stats(world)
    assert not stats.national
    assert _strip(stats.totals, *KEYS) == {
        "presented": 7,
        "awarded": 3,
        "partial": 1,
        "not_awarded": 2,
        "absent": 1,
        "awarded_vae": 1,
        "success_rate": Decimal("50.0"),
    }
    assert stats.by_centre == []


def test_by_year_newest_first(world, version):
    rows = [_strip(r, "key", *KEYS) for r in _centre_stats(world).by_year]
    assert rows == [
        {"key": 2026, "presented": 2, "awarded": 1, "partial": 0, "not_awarded": 1, "absent": 0,
         "awarded_vae": 0, "success_rate": Decimal("50.0")},
        {"key": 2025, "presented": 5, "awarded": 2, "partial": 1, "not_awarded": 1, "absent": 1,
         "awarded_vae": 1, "success_rate": Decimal("50.0")},
    ]  # fmt: skip


def test_by_route_and_cqpm(world, version):
    stats = _centre_stats(world)
    by_route = {r["key"]: _strip(r, "presented", "awarded", "success_rate") for r in stats.by_route}
    assert by_route == {
        "salarie": {"presented": 4, "awarded": 2, "success_rate": Decimal("66.7")},
        "vae": {"presented": 2, "awarded": 1, "success_rate": Decimal("50.0")},
        "apprenti": {"presented": 1, "awarded": 0, "success_rate": Decimal("0.0")},
    }
    assert [(r["key"], r["presented"]) for r in stats.by_cqpm] == [(version.qualification_id, 7)]


def test_competence_acquisition_counts_evaluated_only(world, version):
    rows = {r["code"]: r for r in _centre_stats(world).competences}
    codes = sorted(rows)
    first, second = rows[codes[0]], rows[codes[1]]
    assert (first["evaluated"], first["acquired"], first["acquisition_rate"]) == (
        3,
        2,
        Decimal("66.7"),
    )
    assert (second["evaluated"], second["acquired"], second["acquisition_rate"]) == (
        1,
        0,
        Decimal("0.0"),
    )


def test_filters_narrow_every_table(world, version):
    stats = _centre_stats(world, year=2025, route="salarie")
    assert _strip(stats.totals, "presented", "awarded", "partial", "absent") == {
        "presented": 3,
        "awarded": 1,
        "partial": 1,
        "absent": 1,
    }
    assert [r["key"] for r in stats.by_year] == [2025]
    assert _centre_stats(world, cqpm=version.qualification_id + 999).totals["presented"] == 0


def test_centre_b_is_never_counted_for_centre_a(world, version):
    a, b = _centre_stats(world), _centre_stats(world, "b")
    assert a.totals["presented"] == 7
    assert _strip(b.totals, "presented", "awarded") == {"presented": 3, "awarded": 3}
    # a centre cannot reach another centre's numbers through the centre filter
    assert _centre_stats(world, centre=world.centre_b.pk).totals["presented"] == 7


def test_national_view_aggregates_every_centre(world, version):
    actor = build_actor(world.national_admin)
    stats = statistics_for(actor)
    assert stats.national
    assert _strip(stats.totals, "presented", "awarded", "awarded_vae") == {
        "presented": 10,
        "awarded": 6,
        "awarded_vae": 1,
    }
    by_centre = {r["centre__name"]: r["presented"] for r in stats.by_centre}
    assert by_centre == {"UIMM Centre A": 7, "UIMM Centre B": 3}
    only_b = statistics_for(actor, StatisticsFilters(centre=world.centre_b.pk))
    assert only_b.totals["presented"] == 3
    code, title = version.qualification.code, version.qualification.title
    assert france_competences_rows(stats) == [
        [code, title, 2026, 1, 0, None, None, None],
        [code, title, 2025, 5, 1, None, None, None],
    ]


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.JUROR, Role.COMPANY_REP])
def test_other_roles_are_refused(world, version, role):
    actor = build_actor(world.user(role))
    with centre_scope(actor.centre), pytest.raises(PermissionDenied):
        statistics_for(actor)


def test_throughput_per_month_and_delay(world, version):
    import datetime

    stats = _centre_stats(world)
    assert stats.by_month == [
        {"month": datetime.date(2026, 6, 1), "decided": 2, "average_days": Decimal("60.0")},
        {"month": datetime.date(2025, 6, 1), "decided": 5, "average_days": Decimal("30.0")},
    ]
    # (5 × 30 + 2 × 60) / 7 days
    assert stats.totals["average_days"] == Decimal("38.6")
