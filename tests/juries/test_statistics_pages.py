"""The "Statistiques" page and its exports (issue 17): centre staff see their centre, the
national administrator every centre; the France Compétences export; constant queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from centres.roles import Role
from juries.models import Outcome
from tests.conftest import login

from .stats_fixture import E, V, _decide, _session, build_statistics_fixture


@pytest.fixture
def version(world):
    return build_statistics_fixture(world)


def test_staff_page_shows_their_centre_only(client, world, version):
    login(client, world.user(Role.STAFF))
    response = client.get(reverse("juries:statistics"))
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.totals["presented"] == 7
    body = response.content.decode()
    assert "Résultats par voie d'accès" in body
    assert "UIMM Centre B" not in body
    assert "Activité des jurys" in body
    assert "38.6" in body or "38,6" in body  # average days, registration to decision
    assert "66.7 %" in body or "66,7 %" in body  # employees: 2 awarded of 3 present


def test_filters_in_the_url(client, world, version):
    login(client, world.user(Role.STAFF))
    response = client.get(reverse("juries:statistics"), {"year": 2026, "route": "vae"})
    assert response.context["stats"].totals["presented"] == 1
    assert 'name="centre"' not in response.content.decode()  # national administrator only


def test_national_page_aggregates_every_centre(client, world, version):
    login(client, world.national_admin)
    home = client.get(reverse("home")).content.decode()
    assert reverse("juries:statistics") in home  # the navigation link
    response = client.get(reverse("juries:statistics"))
    body = response.content.decode()
    assert response.context["stats"].totals["presented"] == 10
    assert "UIMM Centre A" in body and "UIMM Centre B" in body
    only_b = client.get(reverse("juries:statistics"), {"centre": world.centre_b.pk})
    assert only_b.context["stats"].totals["presented"] == 3


def test_other_roles_get_403(client, world, version):
    login(client, world.user(Role.ASSESSOR))
    assert client.get(reverse("juries:statistics")).status_code == 403
    assert client.get(reverse("juries:statistics_csv")).status_code == 403


def test_csv_in_the_france_competences_layout(client, world, version):
    login(client, world.user(Role.STAFF))
    response = client.get(reverse("juries:statistics_csv"))
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == [
        "Code CQPM",
        "Intitulé",
        "Année",
        "Nombre de certifiés",
        "Nombre de certifiés par la VAE",
    ]
    assert "Taux d'insertion global à 6 mois (%)" in rows[0]
    title = version.qualification.title
    assert [r[1:5] for r in rows[1:3]] == [[title, "2026", "1", "0"], [title, "2025", "2", "1"]]
    assert rows[1][5:] == ["", "", ""]  # insertion: no holder has answered the follow-up
    assert "questionnaire de suivi" in rows[-1][0]


def test_xlsx_has_the_layout_and_the_detail(client, world, version):
    login(client, world.national_admin)
    response = client.get(reverse("juries:statistics_xlsx"), {"year": 2025})
    workbook = load_workbook(io.BytesIO(response.content))
    fc = workbook["France Compétences"]
    assert [c.value for c in fc[2]][2:5] == [2025, 5, 1]
    detail = [[c.value for c in row] for row in workbook["Résultats"].iter_rows()]
    assert ["UIMM Centre B", 3, 3, 0, 0, 0, 100.0] in detail
    assert detail[-1] == ["Total", 8, 5, 1, 1, 1, pytest.approx(5 / 7 * 100, abs=0.05)]
    assert workbook["Compétences"].max_row == 3  # header + two competences
    activity = [[c.value for c in row] for row in workbook["Activité"].iter_rows()]
    assert activity[1][1:] == [8, 30.0]


def _count(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("juries:statistics")).status_code == 200
    return len(ctx.captured_queries)


def test_page_queries_do_not_grow_with_the_dossiers(client, world, version):
    login(client, world.user(Role.STAFF))
    before = _count(client)
    with scopes_disabled():
        session = _session(world.centre_a, version, 2024)
        for route in (E, V, E, V, E):
            _decide(session, version, route, Outcome.AWARDED, [(1, "evaluated", True)])
    after = _count(client)
    assert after == before
    assert before <= 20


def test_page_and_export_in_english(client, world, version):
    from django.conf import settings
    from django.utils import translation

    login(client, world.user(Role.STAFF))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        body = client.get(reverse("juries:statistics")).content.decode()
        assert "Results by access route" in body and "Success rate" in body
        response = client.get(reverse("juries:statistics_csv"))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0][3:5] == ["Number certified", "Number certified through VAE"]
        assert rows[-1][0]  # the note on the insertion rates
    finally:
        translation.deactivate()


def test_charts_are_drawn_from_the_tables_figures(client, world, version):
    login(client, world.user(Role.STAFF))
    response = client.get(reverse("juries:statistics"))
    body = response.content.decode()
    charts = response.context["charts"]
    assert charts["by_year"]["labels"] == ["2025", "2026"]  # oldest first
    assert charts["by_year"]["datasets"][0]["data"] == [50.0, 50.0]
    by_route = {d["key"]: d["data"] for d in charts["by_route"]["datasets"]}
    # apprentice, employee, VAE (the table's order)
    assert by_route == {
        "awarded": [0, 2, 1],
        "partial": [0, 1, 0],
        "not_awarded": [1, 0, 1],
        "absent": [0, 1, 0],
    }
    assert charts["competences"]["datasets"][0]["data"] == [66.7, 0.0]
    # the data in a JSON block (not executed: the Content Security Policy allows no inline
    # script), the library and the init code from the app's static files
    assert '<script id="statistics-charts" type="application/json">' in body
    assert "vendor/chartjs/chart.umd.min.js" in body and "js/statistics.js" in body
    assert body.count('role="img"') == 3
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_no_chart_without_decisions(client, world):
    login(client, world.user(Role.STAFF))
    body = client.get(reverse("juries:statistics")).content.decode()
    assert "<canvas" not in body
    assert "Aucune décision ne correspond à ces critères." in body
