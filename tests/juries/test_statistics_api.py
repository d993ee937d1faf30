"""``GET /api/v1/statistics/`` (issue 17): same numbers, filters and access as the page."""

import pytest
from django.urls import reverse

from centres.roles import Role

from .stats_fixture import build_statistics_fixture

URL = "api:statistics"


@pytest.fixture
def version(world):
    return build_statistics_fixture(world)


def test_staff_get_their_centre(api_client, world, version):
    api_client.force_login(world.user(Role.STAFF))
    data = api_client.get(reverse(URL)).json()
    assert data["national"] is False
    assert data["centre"] == "UIMM Centre A"
    assert data["totals"]["presented"] == 7
    assert data["totals"]["success_rate"] == 50.0
    assert [(r["key"], r["awarded"]) for r in data["by_year"]] == [("2026", 1), ("2025", 2)]
    assert data["by_centre"] == []
    assert data["france_competences"][1] == {
        "cqpm_code": version.qualification.code,
        "cqpm_title": version.qualification.title,
        "year": 2025,
        "certified": 2,
        "certified_vae": 1,
        "insertion_6_months": None,
        "insertion_trade_6_months": None,
        "insertion_trade_2_years": None,
    }
    assert data["totals"]["average_days"] == 38.6
    assert data["by_month"][0] == {"month": "2026-06-01", "decided": 2, "average_days": 60.0}
    rates = sorted(r["acquisition_rate"] for r in data["competences"])
    assert rates == [0.0, 66.7]


def test_filters_and_their_errors(api_client, world, version):
    api_client.force_login(world.user(Role.STAFF))
    data = api_client.get(reverse(URL), {"route": "vae"}).json()
    assert (data["totals"]["presented"], data["totals"]["awarded_vae"]) == (2, 1)
    assert api_client.get(reverse(URL), {"route": "nope"}).status_code == 400
    assert api_client.get(reverse(URL), {"year": "abc"}).status_code == 400


def test_national_administrator_sees_every_centre(api_client, world, version):
    api_client.force_login(world.national_admin)
    data = api_client.get(reverse(URL)).json()
    assert data["national"] is True and data["centre"] is None
    assert {r["label"]: r["presented"] for r in data["by_centre"]} == {
        "UIMM Centre A": 7,
        "UIMM Centre B": 3,
    }
    narrowed = api_client.get(reverse(URL), {"centre": world.centre_a.pk}).json()
    assert narrowed["totals"]["presented"] == 7


def test_other_roles_and_anonymous(api_client, world, version):
    assert api_client.get(reverse(URL)).status_code == 401
    api_client.force_login(world.user(Role.JUROR))
    assert api_client.get(reverse(URL)).status_code == 403


def test_documented_in_the_schema(api_client, world):
    api_client.force_login(world.user(Role.STAFF))
    schema = api_client.get(reverse("api:api-schema"), {"format": "json"})
    assert schema.status_code == 200
    assert "/api/v1/statistics/" in schema.content.decode()
