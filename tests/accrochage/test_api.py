"""The accrochage API: the same services and rules as the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accrochage import xml
from accrochage.holders import id_technique
from accrochage.models import Flux, FluxStatus, PassageStatus
from candidates.models import AccessStatus

from .factories import awards, certifier

pytestmark = pytest.mark.django_db


def _as(api_client, user):
    api_client.logout()
    api_client.force_login(user)
    return api_client


def test_holders_and_generation(api_client, world, lyon):
    certifier()
    decisions = awards(world.centre_a, [AccessStatus.EMPLOYEE, AccessStatus.APPRENTICE])
    client = _as(api_client, world.user("staff"))
    holders = client.get(reverse("api:accrochage-holder-list")).json()
    assert holders["count"] == 2
    first = holders["results"][0]
    assert first["jury_date"] == "2026-06-15" and first["deadline"] == "2026-09-15"
    assert first["rncp_code"] == "RNCP35000" and first["rejected"] is False
    response = client.post(
        reverse("api:accrochage-flux-list"),
        {"decisions": [d.pk for d in decisions]},
        format="json",
    )
    assert response.status_code == 201, response.content
    flux = Flux.objects.get(pk=response.json()["id"])
    assert response.json()["passage_count"] == 2 and response.json()["status"] == "generated"
    download = client.get(reverse("api:accrochage-flux-download", args=[flux.pk]))
    assert xml.validate(b"".join(download.streaming_content)) == []
    assert client.get(reverse("api:accrochage-holder-list")).json()["count"] == 0


def test_refusals_are_400_with_a_code(api_client, world):
    decisions = awards(world.centre_a)
    client = _as(api_client, world.user("staff"))
    response = client.post(
        reverse("api:accrochage-flux-list"), {"decisions": [decisions[0].pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "no_certifier_account"
    assert "compte certificateur" in response.json()["detail"]


def test_a_large_selection_answers_202(
    api_client, world, lyon, settings, django_capture_on_commit_callbacks
):
    settings.ACCROCHAGE_SYNC_LIMIT = 1
    certifier()
    decisions = awards(world.centre_a, [AccessStatus.EMPLOYEE] * 2)
    client = _as(api_client, world.user("staff"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("api:accrochage-flux-list"),
            {"decisions": [d.pk for d in decisions]},
            format="json",
        )
    assert response.status_code == 202 and response.json()["status"] == "pending"
    detail = client.get(reverse("api:accrochage-flux-detail", args=[response.json()["id"]]))
    assert detail.json()["status"] == "generated" and detail.json()["progress"] == 100


def test_report_as_file_or_text_and_resend(api_client, world, lyon):
    certifier()
    first, second = awards(world.centre_a, [AccessStatus.EMPLOYEE, AccessStatus.VAE])
    client = _as(api_client, world.user("centre_admin"))
    created = client.post(
        reverse("api:accrochage-flux-list"), {"decisions": [first.pk, second.pk]}, format="json"
    ).json()
    body = (
        f"<rapport><PassagesOK><idTechnique>{id_technique(first)}</idTechnique></PassagesOK>"
        f"<PassagesKO><passage><idTechnique>{id_technique(second)}</idTechnique>"
        "<messageErreur>Date de naissance incohérente</messageErreur></passage></PassagesKO>"
        "</rapport>"
    )
    url = reverse("api:accrochage-flux-report", args=[created["id"]])
    upload = SimpleUploadedFile("cr.xml", body.encode(), content_type="text/xml")
    response = client.post(url, {"report": upload}, format="multipart")
    assert response.status_code == 200, response.content
    assert (response.json()["accepted_count"], response.json()["rejected_count"]) == (1, 1)
    # the same report again, as text: nothing changes
    assert client.post(url, {"content": body}, format="multipart").status_code == 200
    passages = client.get(reverse("api:accrochage-flux-passages", args=[created["id"]])).json()
    by_id = {p["id_technique"]: p for p in passages["results"]}
    assert by_id[id_technique(second)]["status"] == PassageStatus.REJECTED
    assert by_id[id_technique(second)]["error_message"] == "Date de naissance incohérente"
    again = client.post(reverse("api:accrochage-flux-resend", args=[created["id"]]))
    assert again.status_code == 201 and again.json()["passage_count"] == 1
    assert client.post(url, {}, format="multipart").status_code == 400
    assert client.post(url, {"content": body}, format="json").status_code == 415


def test_another_centres_flux_is_404_and_the_national_admin_403(api_client, world, lyon):
    certifier()
    (decision,) = awards(world.centre_a)
    client = _as(api_client, world.user("staff"))
    flux_id = client.post(
        reverse("api:accrochage-flux-list"), {"decisions": [decision.pk]}, format="json"
    ).json()["id"]
    other = _as(api_client, world.user("staff", side="b"))
    for name in (
        "api:accrochage-flux-detail",
        "api:accrochage-flux-download",
        "api:accrochage-flux-passages",
    ):
        assert other.get(reverse(name, args=[flux_id])).status_code == 404
    assert other.get(reverse("api:accrochage-flux-list")).json()["count"] == 0
    national = _as(api_client, world.user("national_admin"))
    assert national.get(reverse("api:accrochage-holder-list")).status_code == 403
    assert Flux.objects.get().status == FluxStatus.GENERATED


@pytest.mark.parametrize("name", ["api:accrochage-holder-list", "api:accrochage-flux-list"])
def test_list_query_counts(api_client, world, lyon, name, django_assert_num_queries):
    certifier()
    client = _as(api_client, world.user("staff"))
    decisions = awards(world.centre_a, [AccessStatus.EMPLOYEE] * 2)
    client.post(
        reverse("api:accrochage-flux-list"), {"decisions": [decisions[0].pk]}, format="json"
    )
    url = reverse(name)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    count = len(few.captured_queries)  # read now: the next request resets the log
    more = awards(world.centre_a, [AccessStatus.VAE] * 5)
    client.post(reverse("api:accrochage-flux-list"), {"decisions": [more[0].pk]}, format="json")
    client.post(reverse("api:accrochage-flux-list"), {"decisions": [more[1].pk]}, format="json")
    with django_assert_num_queries(count):
        response = client.get(url)
    assert response.status_code == 200 and response.json()["count"] > 1
