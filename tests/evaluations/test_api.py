"""The evaluations API: grids with ETag, scores with If-Match (412 / 428), proposals,
signatures, reopening, the company's avis (VAE refused), query counts, the schema."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidates.models import AccessStatus
from evaluations.models import CriterionScore, GridStatus, OpinionStatus

from .factories import (
    agreed_dossier,
    complete,
    referential,
    seated_session,
    statement_for,
)


def _client(api_client, user):
    api_client.force_authenticate(user)
    api_client.force_login(user)  # the middleware resolves the centre from the session
    return api_client


def _score_url(score):
    return reverse("api:criterionscore-detail", args=[score.pk])


def test_grid_detail_has_criteria_scores_and_etag(api_client, grid, assessors):
    client = _client(api_client, assessors[0])
    response = client.get(reverse("api:grid-detail", args=[grid.pk]))
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"1"'
    data = response.json()
    assert len(data["scores"]) == 4
    first = data["scores"][0]
    assert set(first["criterion"]) >= {"id", "text", "category", "conditional"}
    assert first["state"] == "" and first["version"] == 1
    assert [s["conditional"] for s in (x["criterion"] for x in data["scores"])].count(True) == 1
    assert data["conditions"] and data["expected_results"]
    assert {s["name"] for s in data["signers"]} == {u.get_full_name() for u in assessors}


def test_score_with_if_match_then_stale_412_with_the_other_value(api_client, grid, assessors):
    score = grid.scores.order_by("id").first()
    first = _client(api_client, assessors[0])
    ok = first.patch(
        _score_url(score),
        {"state": "satisfied", "comment": "Vu"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == 2 and ok["ETag"] == '"2"'
    assert ok.json()["updated_by_name"] == assessors[0].get_full_name()
    first.logout()
    second = _client(api_client, assessors[1])
    stale = second.patch(
        _score_url(score), {"state": "not_satisfied"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 412
    body = stale.json()
    assert body["code"] == "stale_version"
    assert body["current"]["state"] == "satisfied" and body["current"]["comment"] == "Vu"
    assert body["current"]["updated_by_name"] == assessors[0].get_full_name()
    assert stale["ETag"] == '"2"'
    assert CriterionScore.objects.get(pk=score.pk).state == "satisfied"
    missing = second.patch(_score_url(score), {"state": "not_satisfied"}, format="json")
    assert missing.status_code == 428
    retry = second.patch(
        _score_url(score), {"state": "not_satisfied"}, format="json", HTTP_IF_MATCH='"2"'
    )
    assert retry.status_code == 200 and retry.json()["comment"] == "Vu"  # PATCH keeps it


def test_not_applicable_without_justification_is_a_400_with_code(api_client, grid, assessors):
    score = grid.scores.filter(criterion__conditional="").order_by("id").first()
    client = _client(api_client, assessors[0])
    response = client.put(
        _score_url(score), {"state": "not_applicable"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 400
    assert response.json()["code"] == "justification_required"


def test_proposal_sign_and_reopen(api_client, world, grid, assessors):
    client = _client(api_client, assessors[0])
    url = reverse("api:grid-proposal", args=[grid.pk])
    assert client.put(url, {"proposal": "acquise"}, format="json").status_code == 428
    response = client.put(url, {"proposal": "acquise"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200 and response.json()["proposal"] == "acquise"
    stale = client.put(
        url, {"proposal": "non_acquise", "justification": "x"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 412 and stale.json()["current"]["proposal"] == "acquise"
    sign_url = reverse("api:grid-sign", args=[grid.pk])
    refused = client.post(sign_url)
    assert refused.status_code == 400 and refused.json()["code"] == "grid_incomplete"
    complete(grid, assessors[0])
    assert client.post(sign_url).json()["status"] == GridStatus.OPEN
    client.logout()
    second = _client(api_client, assessors[1])
    signed = second.post(sign_url).json()
    assert signed["status"] == GridStatus.SIGNED and len(signed["signatures"]) == 2
    assert (
        second.post(
            reverse("api:grid-reopen", args=[grid.pk]), {"reason": "x"}, format="json"
        ).status_code
        == 403
    )
    second.logout()
    staff = _client(api_client, world.user("staff"))
    reopened = staff.post(
        reverse("api:grid-reopen", args=[grid.pk]), {"reason": "Erreur"}, format="json"
    )
    assert reopened.status_code == 200 and reopened.json()["status"] == GridStatus.REOPENED


def test_assessor_must_declare_before_reading_a_grid(api_client, world, version, assessors):
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    session = seated_session(world, [dossier], assessors=assessors, declared=False)
    grid = dossier.grids.first()
    client = _client(api_client, assessors[0])
    assert client.get(reverse("api:grid-detail", args=[grid.pk])).status_code == 403
    response = client.post(
        reverse("api:evaluationsession-declarations", args=[session.pk]),
        {"dossier": dossier.pk, "statement": "J'ai tout lu"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "statement_invalid"
    response = client.post(
        reverse("api:evaluationsession-declarations", args=[session.pk]),
        {"dossier": dossier.pk, "statement": statement_for(dossier)},
        format="json",
    )
    assert response.status_code == 201 and response.json()["accepted"] is True
    assert client.get(reverse("api:grid-detail", args=[grid.pk])).status_code == 200


def test_assessor_outside_the_session_gets_404(api_client, world, grid):
    from .factories import assessor

    outsider = assessor(world.centre_a, "outsider")
    client = _client(api_client, outsider)
    assert client.get(reverse("api:grid-detail", args=[grid.pk])).status_code == 404
    score = grid.scores.first()
    assert (
        client.patch(
            _score_url(score), {"state": "satisfied"}, format="json", HTTP_IF_MATCH='"1"'
        ).status_code
        == 404
    )
    assert client.get(reverse("api:grid-list")).json()["count"] == 0


# --- company avis --------------------------------------------------------------------------


def test_company_rep_gives_and_signs_through_the_api(api_client, world, dossier):
    client = _client(api_client, world.user("company_rep"))
    items = [
        {"competence": row.competence_id, "value": "favourable", "comment": "Bien"}
        for row in dossier.competences.all()
    ]
    created = client.post(
        reverse("api:companyopinion-list"),
        {"dossier": dossier.pk, "items": items[:1], "author_capacity": "tutor"},
        format="json",
    )
    assert created.status_code == 201, created.content
    opinion = created.json()
    assert opinion["status"] == OpinionStatus.DRAFT and created["ETag"] == '"1"'
    again = client.post(reverse("api:companyopinion-list"), {"dossier": dossier.pk}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "opinion_exists"
    detail = reverse("api:companyopinion-detail", args=[opinion["id"]])
    assert client.patch(detail, {"items": items}, format="json").status_code == 428
    updated = client.patch(detail, {"items": items}, format="json", HTTP_IF_MATCH='"1"')
    assert updated.status_code == 200 and updated.json()["version"] == 2
    signed = client.post(reverse("api:companyopinion-sign", args=[opinion["id"]]))
    assert signed.status_code == 200 and signed.json()["status"] == OpinionStatus.SIGNED


def test_vae_dossier_avis_is_refused_with_a_code(api_client, world, version):
    vae = agreed_dossier(world.centre_a, version, route=AccessStatus.VAE)
    vae.company = world.company_a
    vae.save(update_fields=["company"])
    rep = _client(api_client, world.user("company_rep"))
    response = rep.post(
        reverse("api:companyopinion-list"), {"dossier": vae.pk, "items": []}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "vae_no_company_opinion"
    rep.logout()
    staff = _client(api_client, world.user("staff"))
    response = staff.post(
        reverse("api:companyopinion-unavailable"),
        {"dossier": vae.pk, "reason": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "vae_no_company_opinion"


def test_company_rep_cannot_reach_another_company_dossier(api_client, world, version):
    other = agreed_dossier(world.centre_a, version)  # another company of centre A
    rep = _client(api_client, world.user("company_rep"))
    response = rep.post(
        reverse("api:companyopinion-list"), {"dossier": other.pk, "items": []}, format="json"
    )
    assert response.status_code == 400 and "dossier" in response.json()


# --- query counts ------------------------------------------------------------------------


def _grid_of_size(world, criteria, assessors):
    version = referential(criteria=criteria, competences=1)
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    seated_session(world, [dossier], assessors=assessors)
    grid = dossier.grids.get()
    complete(grid, assessors[0])
    return grid


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


@pytest.mark.parametrize("criteria", [10, 30])
def test_grid_api_costs_the_same_for_10_and_30_criteria(
    api_client, world, assessors, criteria, django_assert_num_queries
):
    grid = _grid_of_size(world, criteria, assessors)
    assert grid.scores.count() == criteria
    client = _client(api_client, assessors[0])
    url = reverse("api:grid-detail", args=[grid.pk])
    client.get(url)  # warm the session and the content types
    with django_assert_num_queries(GRID_API_QUERIES):
        response = client.get(url)
    assert len(response.json()["scores"]) == criteria


@pytest.mark.parametrize("rows", [1, 6])
def test_grid_list_costs_the_same_for_few_and_many(
    api_client, world, version, assessors, rows, django_assert_num_queries
):
    dossiers = [
        agreed_dossier(world.centre_a, version, company=world.company_a) for _ in range(rows)
    ]
    seated_session(world, dossiers, assessors=assessors)
    client = _client(api_client, assessors[0])
    url = reverse("api:grid-list")
    client.get(url)
    with django_assert_num_queries(GRID_LIST_QUERIES):
        response = client.get(url)
    assert response.json()["count"] == rows * 2


GRID_API_QUERIES = 9  # the declaration is in the queryset (grids_for): no per-object check
GRID_LIST_QUERIES = 5


def test_schema_documents_the_evaluation_endpoints(api_client):
    response = api_client.get(reverse("api:api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in (
        "/api/v1/evaluation-sessions/",
        "/api/v1/evaluation-sessions/{id}/dossiers/",
        "/api/v1/evaluation-sessions/{id}/members/",
        "/api/v1/evaluation-sessions/{id}/declarations/",
        "/api/v1/grids/{id}/",
        "/api/v1/grids/{id}/proposal/",
        "/api/v1/grids/{id}/sign/",
        "/api/v1/grids/{id}/reopen/",
        "/api/v1/criterion-scores/{id}/",
        "/api/v1/company-opinions/",
        "/api/v1/company-opinions/{id}/sign/",
        "/api/v1/company-opinions/unavailable/",
    ):
        assert path in paths, path
    patch = paths["/api/v1/criterion-scores/{id}/"]["patch"]
    assert "412" in patch["responses"]
    assert any(p["name"] == "If-Match" for p in patch["parameters"])
    components = schema["components"]["schemas"]
    assert components["GridDetail"]["properties"]["scores"]["type"] == "array"
    assert components["GridStatusEnum"]["enum"] == ["open", "signed", "reopened"]
    assert components["OpinionValueEnum"]["enum"] == ["favourable", "reserved", "unfavourable"]
    assert "current" in components["StaleScore"]["properties"]


@pytest.mark.parametrize("rows", [1, 6])
def test_session_list_endpoint_query_count(
    api_client, world, assessors, rows, django_assert_num_queries
):
    for _ in range(rows):
        seated_session(world, [], assessors=assessors)
    client = _client(api_client, assessors[0])
    url = reverse("api:evaluationsession-list")
    client.get(url)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [1, 6])
def test_opinion_list_endpoint_query_count(
    api_client, world, version, rows, django_assert_num_queries
):
    from evaluations import services

    rep = world.user("company_rep")
    for _ in range(rows):
        dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
        services.give_opinion(dossier, actor=rep)
    client = _client(api_client, rep)
    url = reverse("api:companyopinion-list")
    client.get(url)
    with django_assert_num_queries(7):
        response = client.get(url)
    data = response.json()
    assert data["count"] == rows and len(data["results"][0]["items"]) == 2
