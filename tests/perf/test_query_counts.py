"""The requests measured by ``make bench`` run a number of SQL queries that does not grow
with the rows they show: same count for a centre with ~10 dossiers and one with ~100+.

The data comes from the benchmark's own generator (``bench/scale.py``, PostgreSQL COPY) on a
small volume: two centres of very different sizes, in one database.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from bench.scale import generate
from candidates.models import Candidate, Dossier
from centres.models import User
from evaluations.models import CommissionMember, CriterionScore, EvaluationSession, Grid
from juries.models import AgendaItem
from tests.factories import api_key

pytestmark = pytest.mark.django_db

SMALL, LARGE = "scale-01", "scale-02"


@pytest.fixture
def volume():
    if connection.vendor != "postgresql":
        pytest.fail("the volume generator needs PostgreSQL (make test runs on it)")
    generate(centres=2, dossiers=170, seed=5, jury_sessions=2, log=lambda *a: None, weights=[1, 14])


def _one_autosave_target(centre_slug):
    """An editable score of the centre and the commission member allowed to write it."""
    grid = Grid.objects.filter(centre__slug=centre_slug).order_by("id").first()
    Grid.objects.filter(pk=grid.pk).update(status="open")
    EvaluationSession.objects.filter(pk=grid.session_id).update(status="in_progress")
    score = CriterionScore.objects.filter(grid=grid).order_by("id").first()
    CriterionScore.objects.filter(pk=score.pk).update(state="", version=1)
    member = CommissionMember.objects.filter(session_id=grid.session_id).order_by("id").first()
    return score.pk, api_key(member.user)


def _requests(centre_slug):
    with scopes_disabled():
        staff = User.objects.get(username=f"{centre_slug}-staff")
        # the same kind of dossier in both centres (its state decides which sections show)
        dossier = (
            Dossier.objects.filter(
                centre__slug=centre_slug, status="decided", company__isnull=False
            )
            .order_by("id")
            .first()
        )
        grid = Grid.objects.filter(centre__slug=centre_slug).order_by("id").first()
        jury = (
            AgendaItem.objects.filter(session__centre__slug=centre_slug)
            .order_by("session_id")
            .values_list("session_id", flat=True)
            .first()
        )
        candidate = Candidate.objects.filter(centre__slug=centre_slug).order_by("id").first()
        token = api_key(staff)
        score_id, assessor_token = _one_autosave_target(centre_slug)
        shown = {
            "candidates": Candidate.objects.filter(centre__slug=centre_slug).count(),
            "agenda": AgendaItem.objects.filter(session_id=jury).count(),
        }
    page = Client()
    page.force_login(staff)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assessor = Client(HTTP_AUTHORIZATION=f"Token {assessor_token}")
    gets = {
        "candidate list (search + filters)": (page, "/candidats/?q=a&status=decided"),
        "candidate list": (page, "/candidats/"),
        "dossier list": (page, "/candidats/dossiers/"),
        "dossier page": (page, f"/candidats/dossiers/{dossier.pk}/"),
        "grid page": (page, f"/evaluations/grilles/{grid.pk}/"),
        "jury session page": (page, f"/jurys/{jury}/"),
        "statistics page": (page, "/jurys/statistiques/"),
        "statistics page (filters)": (page, "/jurys/statistiques/?route=salarie&year=2026"),
        "API candidates": (api, "/api/v1/candidates/"),
        "API dossiers": (api, "/api/v1/dossiers/"),
        "API grids": (api, "/api/v1/grids/"),
        "API jury sessions": (api, "/api/v1/jury-sessions/"),
        "API documents": (api, "/api/v1/documents/"),
        "API statistics": (api, "/api/v1/statistics/"),
        "baseline-like API detail": (api, f"/api/v1/candidates/{candidate.pk}/"),
    }
    counts = {}
    for name, (client, url) in gets.items():
        client.get(url)  # warm per-process caches (content types, permissions)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        counts[name] = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        response = assessor.patch(
            f"/api/v1/criterion-scores/{score_id}/",
            {"state": "satisfied"},
            content_type="application/json",
            HTTP_IF_MATCH='"1"',
        )
    assert response.status_code == 200, response.content
    counts["criterion autosave"] = len(ctx.captured_queries)
    return counts, shown


def test_query_counts_do_not_grow_with_the_rows_shown(volume):
    small, small_shown = _requests(SMALL)
    large, large_shown = _requests(LARGE)
    # the two centres really differ in size: ~10 rows against 100+
    assert small_shown["candidates"] <= 20 < 100 <= large_shown["candidates"]
    assert small_shown["agenda"] < large_shown["agenda"]
    assert small == large
