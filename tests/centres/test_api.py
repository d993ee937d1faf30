"""The tenancy API: /me/, companies with ETag/If-Match, memberships, invitations,
centre settings, and constant query counts on the lists."""

import pytest
from django.core import mail
from django.urls import reverse

from centres.models import Centre, Company, Invitation, Membership
from centres.roles import Role

from .factories import CompanyFactory, MembershipFactory, pending_invitation, valid_siret

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_admin(api_client, world):
    api_client.force_login(world.user("centre_admin"))
    return api_client


@pytest.fixture
def as_staff(api_client, world):
    api_client.force_login(world.user("staff"))
    return api_client


def test_me(world, api_client):
    admin = world.user("centre_admin")
    api_client.force_login(admin)
    data = api_client.get(reverse("api:me")).json()
    assert data["user"]["username"] == admin.username
    assert data["active_centre"]["name"] == world.centre_a.name
    assert data["roles"] == ["centre_admin"]
    assert "manage_users" in data["capabilities"]
    assert [m["role_label"] for m in data["memberships"]] == ["Administrateur du centre"]
    assert data["is_national_admin"] is False


def test_me_for_a_national_admin(world, api_client):
    api_client.force_login(world.national_admin)
    data = api_client.get(reverse("api:me")).json()
    assert data["is_national_admin"] is True
    assert data["active_centre"] is None and data["memberships"] == []


def test_company_etag_and_if_match(world, as_staff):
    url = reverse("api:company-detail", kwargs={"pk": world.company_a.pk})
    response = as_staff.get(url)
    assert response["ETag"] == '"1"'
    ok = as_staff.patch(url, {"city": "Bron"}, format="json", HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200, ok.json()
    assert ok["ETag"] == '"2"' and ok.json()["version"] == 2
    stale = as_staff.patch(url, {"city": "Vaulx-en-Velin"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    missing = as_staff.patch(url, {"city": "Vaulx-en-Velin"}, format="json")
    assert missing.status_code == 428
    assert Company.objects.get(pk=world.company_a.pk).city == "Bron"
    # The version may also come in the body; the version field itself is read-only.
    body = as_staff.patch(url, {"city": "Rillieux", "version": 2}, format="json")
    assert body.status_code == 200 and body.json()["version"] == 3


def test_company_create_validates_siret_and_scopes_to_active_centre(world, as_staff):
    url = reverse("api:company-list")
    bad = as_staff.post(url, {"name": "X", "siret": "12345678901234"}, format="json")
    assert bad.status_code == 400
    assert "clé de contrôle" in bad.json()["siret"][0]
    ok = as_staff.post(url, {"name": "Nouvelle", "siret": valid_siret(3)}, format="json")
    assert ok.status_code == 201 and ok["ETag"] == '"1"'
    assert Company.objects.get(pk=ok.json()["id"]).centre == world.centre_a
    clash = as_staff.post(url, {"name": "Doublon", "siret": valid_siret(3)}, format="json")
    assert clash.status_code == 400 and clash.json()["code"] == "siret_taken"


def test_company_rep_lists_only_its_company(world, api_client):
    CompanyFactory(centre=world.centre_a, name="Voisine")
    api_client.force_login(world.user("company_rep"))
    data = api_client.get(reverse("api:company-list")).json()
    assert [c["id"] for c in data["results"]] == [world.company_a.pk]


@pytest.mark.parametrize("rows", [3, 30])
def test_company_list_query_count(world, as_staff, rows, django_assert_num_queries):
    for index in range(rows):
        CompanyFactory(centre=world.centre_a, siret=valid_siret(100 + index))
    with django_assert_num_queries(5):  # session, user, memberships, COUNT, page
        response = as_staff.get(reverse("api:company-list"))
    assert response.json()["count"] == rows + 1


@pytest.mark.parametrize("rows", [3, 30])
def test_membership_list_query_count(world, as_admin, rows, django_assert_num_queries):
    for index in range(rows):
        role = Role.COMPANY_REP if index % 2 else Role.JUROR
        MembershipFactory(centre=world.centre_a, role=role)
    with django_assert_num_queries(5):
        response = as_admin.get(reverse("api:membership-list"))
    data = response.json()
    assert data["count"] == rows + 5
    assert all(m["user"]["username"] for m in data["results"])


def test_membership_filters(world, as_admin):
    data = as_admin.get(reverse("api:membership-list"), {"role": "juror"}).json()
    assert [m["role"] for m in data["results"]] == ["juror"]
    data = as_admin.get(reverse("api:membership-list"), {"search": "staff_a"}).json()
    assert [m["user"]["username"] for m in data["results"]] == ["staff_a"]


def test_membership_deactivate_verb(world, as_admin):
    membership = Membership.objects.get(user=world.user("juror"), centre=world.centre_a)
    url = reverse("api:membership-deactivate", kwargs={"pk": membership.pk})
    response = as_admin.post(url, {"reason": "Fin de mandat"}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    url = reverse("api:membership-reactivate", kwargs={"pk": membership.pk})
    assert as_admin.post(url).json()["is_active"] is True
    own = Membership.objects.get(user=world.user("centre_admin"), centre=world.centre_a)
    refused = as_admin.post(reverse("api:membership-deactivate", kwargs={"pk": own.pk}))
    assert refused.status_code == 400 and refused.json()["code"] == "last_centre_admin"


def test_invitations_create_list_revoke(world, as_admin, django_capture_on_commit_callbacks):
    url = reverse("api:invitation-list")
    with django_capture_on_commit_callbacks(execute=True):
        created = as_admin.post(
            url,
            {"email": "rep@example.org", "role": "company_rep", "company": world.company_a.pk},
            format="json",
        )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "pending" and "token" not in body
    assert len(mail.outbox) == 1
    foreign = as_admin.post(
        url,
        {"email": "rep2@example.org", "role": "company_rep", "company": world.company_b.pk},
        format="json",
    )
    assert foreign.status_code == 400 and "company" in foreign.json()
    listing = as_admin.get(url).json()
    assert [i["email"] for i in listing["results"]] == ["rep@example.org"]
    revoke = reverse("api:invitation-revoke", kwargs={"pk": body["id"]})
    assert as_admin.post(revoke).json()["status"] == "revoked"
    assert as_admin.get(url).json()["count"] == 0
    assert as_admin.get(url, {"status": "all"}).json()["count"] == 1


def test_invitation_of_another_centre_cannot_be_revoked(world, as_admin):
    other = pending_invitation(world.centre_b, "b@example.org")
    response = as_admin.post(reverse("api:invitation-revoke", kwargs={"pk": other.pk}))
    assert response.status_code == 404
    assert Invitation.objects.get(pk=other.pk).revoked_at is None


def test_centre_settings_get_and_patch(world, as_admin):
    url = reverse("api:centre-settings")
    response = as_admin.get(url)
    assert response.json()["id"] == world.centre_a.pk and response["ETag"] == '"1"'
    bad = as_admin.patch(url, {"commission_min_assessors": 1}, format="json", HTTP_IF_MATCH='"1"')
    assert bad.status_code == 400
    ok = as_admin.patch(url, {"jury_quorum": 6}, format="json", HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200 and ok.json()["jury_quorum"] == 6 and ok["ETag"] == '"2"'
    stale = as_admin.patch(url, {"jury_quorum": 7}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert as_admin.patch(url, {"jury_quorum": 7}, format="json").status_code == 428
    readonly = as_admin.patch(url, {"name": "Autre", "version": 2}, format="json")
    assert readonly.status_code == 200
    assert Centre.objects.get(pk=world.centre_a.pk).name == world.centre_a.name


def test_schema_documents_the_endpoints(world, api_client):
    response = api_client.get(reverse("api:api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/me/",
        "/api/v1/companies/",
        "/api/v1/companies/{id}/",
        "/api/v1/memberships/{id}/deactivate/",
        "/api/v1/invitations/{id}/revoke/",
        "/api/v1/centre/",
    ):
        assert path in paths
