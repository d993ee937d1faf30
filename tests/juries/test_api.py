"""The juries API: a session deliberated end to end through the verb endpoints, ETag /
If-Match, refusals as {code, detail}, exact query counts on the lists, the schema."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from juries.models import Decision, JurySession
from tests.factories import DEFAULT_PASSWORD

from .factories import (
    NA,
    A,
    all_codes,
    deliberating_session,
    jurors,
    new_session,
    produce_minutes,
    ready_dossier,
)

pytestmark = pytest.mark.django_db


def as_user(api_client, user):
    """Log in through the session, as browsers do (the middleware resolves the centre)."""
    api_client.logout()
    api_client.force_login(user)
    return api_client


def test_a_session_through_the_api(api_client, world, version, clock):
    world.centre_a.jury_quorum = 2
    world.centre_a.save()
    staff = as_user(api_client, world.user("staff"))
    response = staff.post(
        reverse("api:jury-session-list"),
        {
            "qualification": version.qualification_id,
            "starts_at": (timezone.now() + timezone.timedelta(days=30)).isoformat(),
            "place": "Grenoble",
            "status": "closed",  # read-only: ignored
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    session_id = response.json()["id"]
    assert response.json()["status"] == "planned" and response["ETag"] == '"1"'
    users = jurors(world, 2)
    members = []
    for user, college in zip(users, ["employer", "employee"], strict=True):
        response = staff.post(
            reverse("api:jury-member-list"),
            {"session": session_id, "user": user.pk, "college": college, "organisation": "FO"},
            format="json",
        )
        assert response.status_code == 201, response.content
        members.append(response.json()["id"])
    assert staff.post(reverse("api:jury-member-president", args=[members[1]])).json()["code"] == (
        "president_employer_college"
    )
    assert staff.post(reverse("api:jury-member-president", args=[members[0]])).status_code == 200
    assert staff.post(reverse("api:jury-session-invitations", args=[session_id])).status_code == 200
    dossier = ready_dossier(world.centre_a, version, codes=["C1", "C2"])
    response = staff.post(
        reverse("api:jury-agenda-item-list"),
        {"session": session_id, "dossier": dossier.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    item_id = response.json()["id"]
    starts_at = JurySession.objects.get(pk=session_id).starts_at
    response = staff.post(reverse("api:jury-session-open-session", args=[session_id]))
    assert response.json()["code"] == "session_not_yet"  # 30 days ahead
    clock(starts_at)  # the day comes
    staff = as_user(api_client, world.user("staff"))  # a new login on that day
    assert (
        staff.post(reverse("api:jury-session-open-session", args=[session_id])).json()["status"]
        == "open"
    )
    for member in members:
        staff.post(
            reverse("api:jury-member-attendance", args=[member]),
            {"attendance": "present"},
            format="json",
        )
    response = staff.post(reverse("api:jury-session-deliberate", args=[session_id]))
    assert response.json()["status"] == "deliberating"
    response = staff.post(
        reverse("api:jury-agenda-item-regularity", args=[item_id]), {"regular": True}, format="json"
    )
    assert response.json()["regularity"]["regular"] is True

    competences = {c.code: c.pk for c in version.competences.all()}
    for user, values in zip(users, [{"C1": A, "C2": A}, {"C1": A, "C2": NA}], strict=True):
        client = as_user(api_client, user)
        for code, value in values.items():
            response = client.post(
                reverse("api:jury-vote-list"),
                {"item": item_id, "competence": competences[code], "value": value},
                format="json",
            )
            assert response.status_code == 201, response.content
    juror = as_user(api_client, users[1])
    votes = juror.get(reverse("api:jury-vote-list") + f"?item={item_id}").json()
    assert votes["count"] == 4
    # C2 is a tie the president's vote decides: acquired; C3..C8 are outside the dossier
    assert juror.post(reverse("api:jury-session-close", args=[session_id])).status_code == 403
    president = as_user(api_client, users[0])
    response = president.post(
        reverse("api:jury-session-close", args=[session_id]), {"observations": "RAS"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed"
    decision = president.get(reverse("api:jury-decision-list")).json()["results"][0]
    assert decision["outcome"] == "partial"
    c2 = next(c for c in decision["competences"] if c["code"] == "C2")
    assert c2["casting_vote"] is True and c2["acquired"] is True
    assert decision["validated_blocs"] == []
    minutes = produce_minutes(JurySession.objects.get(pk=session_id))
    for user in users:
        response = as_user(api_client, user).post(
            reverse("api:jury-session-sign", args=[session_id]),
            {"password": DEFAULT_PASSWORD, "document_sha256": minutes.sha256},
            format="json",
        )
        assert response.status_code == 200, response.content
    staff = as_user(api_client, world.user("staff"))
    response = staff.post(
        reverse("api:jury-decision-revoke", args=[decision["id"]]), {"reason": ""}, format="json"
    )
    assert response.status_code == 400
    response = staff.post(
        reverse("api:jury-decision-revoke", args=[decision["id"]]),
        {"reason": "Erreur"},
        format="json",
    )
    assert response.json()["revoked_at"] and response.json()["revocation_reason"] == "Erreur"


def test_refusals_come_as_code_and_detail(api_client, world, version):
    dossier = ready_dossier(world.centre_a, version)
    session, members, (item,) = deliberating_session(world, version, [dossier])
    client = as_user(api_client, members[0].user)
    response = client.post(reverse("api:jury-session-close", args=[session.pk]))
    assert response.status_code == 400 and response.json()["code"] == "undecided"
    response = client.post(
        reverse("api:jury-vote-list"),
        {
            "item": item.pk,
            "competence": version.competences.get(code="C1").pk,
            "value": "peut-être",
        },
        format="json",
    )
    assert response.status_code == 400


def test_etag_and_if_match(api_client, world, version):
    session = new_session(world, version)
    staff = as_user(api_client, world.user("staff"))
    url = reverse("api:jury-session-detail", args=[session.pk])
    etag = staff.get(url)["ETag"]
    assert staff.patch(url, {"place": "Salle 1"}, format="json").status_code == 428
    response = staff.patch(url, {"place": "Salle 1"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] == '"2"'
    response = staff.patch(url, {"place": "Salle 2"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert JurySession.objects.get().place == "Salle 1"


def test_a_juror_of_another_session_gets_nothing(api_client, world, version):
    dossier = ready_dossier(world.centre_a, version)
    session, members, (item,) = deliberating_session(world, version, [dossier])
    from .factories import juror

    stranger = juror(world.centre_a, "juror_stranger")
    client = as_user(api_client, stranger)
    assert client.get(reverse("api:jury-session-detail", args=[session.pk])).status_code == 404
    assert client.get(reverse("api:jury-agenda-item-detail", args=[item.pk])).status_code == 404
    assert client.get(reverse("api:jury-agenda-item-list")).json()["count"] == 0
    response = client.post(
        reverse("api:jury-vote-list"),
        {"item": item.pk, "competence": version.competences.get(code="C1").pk, "value": A},
        format="json",
    )
    assert response.status_code == 400 and "item" in response.json()


def _session_with_items(world, version, n):
    dossiers = [ready_dossier(world.centre_a, version) for _ in range(n)]
    session, members, items = deliberating_session(world, version, dossiers)
    for item in items:
        from .factories import vote_all

        vote_all(item, members, dict.fromkeys(all_codes(item), A))
    return session, members


@pytest.mark.parametrize(
    "name",
    [
        "api:jury-session-list",
        "api:jury-member-list",
        "api:jury-agenda-item-list",
        "api:jury-vote-list",
        "api:jury-decision-list",
    ],
)
def test_list_query_counts(api_client, world, version, name, django_assert_num_queries):
    _session_with_items(world, version, 1)
    client = as_user(api_client, world.user("staff"))
    url = reverse(name)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    world.centre_a.jury_quorum = 4
    _session_with_items(world, version, 3)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and response.json()["count"] > 1
    assert Decision.objects.count() == 4


def test_schema_lists_the_jury_endpoints(api_client, world):
    client = as_user(api_client, world.user("staff"))
    schema = client.get(reverse("api:api-schema") + "?format=json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/jury-sessions/{id}/close/",
        "/api/v1/jury-sessions/{id}/sign/",
        "/api/v1/jury-sessions/{id}/invitations/",
        "/api/v1/jury-votes/",
        "/api/v1/jury-decisions/{id}/revoke/",
        "/api/v1/jury-agenda/{id}/regularity/",
    ):
        assert path in paths, path
    assert (
        schema["components"]["schemas"]["JurySession"]["properties"]["status"]["readOnly"] is True
    )
