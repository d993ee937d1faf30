"""The tenant wall: fail-closed scoping, and a user of two centres who switches."""

import pytest
from django.urls import reverse
from django_scopes import ScopeError, scope

from centres.access import ACTIVE_CENTRE_SESSION_KEY, build_actor, companies_for
from centres.models import AuditEntry, Company, Invitation, Membership
from centres.roles import Role
from centres.scoping import centre_scope, no_centre_scope

from .factories import CompanyFactory, MembershipFactory, UserFactory
from .helpers import text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Company, Membership, Invitation, AuditEntry])
def test_queries_outside_a_scope_raise(world, model):
    with scope():  # no centre dimension: what a task or command forgetting its scope gets
        with pytest.raises(ScopeError):
            list(model.objects.all())
        with pytest.raises(ScopeError):
            model.objects.filter(pk=1).exists()
        with pytest.raises(ScopeError):
            model.objects.count()


def test_a_scope_shows_only_its_centre(world):
    with centre_scope(world.centre_a):
        assert set(Company.objects.values_list("centre_id", flat=True)) == {world.centre_a.pk}
        assert not Company.objects.filter(pk=world.company_b.pk).exists()
    with no_centre_scope():
        assert not Company.objects.exists()


@pytest.fixture
def two_centre_user(world):
    """An assessor in centre A who is also a staff member in centre B."""
    user = UserFactory(username="double")
    MembershipFactory(user=user, centre=world.centre_a, role=Role.ASSESSOR)
    MembershipFactory(user=user, centre=world.centre_b, role=Role.STAFF)
    return user


def test_actor_is_built_for_the_requested_centre(world, two_centre_user):
    default = build_actor(two_centre_user)
    assert default.centre == world.centre_a and default.roles == {Role.ASSESSOR}
    in_b = build_actor(two_centre_user, world.centre_b.pk)
    assert in_b.centre == world.centre_b and in_b.roles == {Role.STAFF}
    # A centre the user does not belong to falls back to their first centre.
    other = CompanyFactory().centre
    assert build_actor(two_centre_user, other.pk).centre == world.centre_a
    with centre_scope(in_b.centre):
        assert list(companies_for(in_b)) == [world.company_b]


def test_two_centre_user_sees_only_the_active_centre_and_switches(world, client, two_centre_user):
    client.force_login(two_centre_user)
    home = text(client.get(reverse("home")))
    assert world.centre_a.name in home and "Évaluateur" in home
    assert 'id="centre-switch"' in home  # the switch is offered
    # As an assessor of A, no company pages.
    assert client.get(reverse("centres:companies")).status_code == 403

    response = client.post(reverse("centres:switch"), {"centre": world.centre_b.pk})
    assert response.status_code == 302
    assert client.session[ACTIVE_CENTRE_SESSION_KEY] == world.centre_b.pk
    home = text(client.get(reverse("home")))
    assert "Chargé de certification" in home
    companies = text(client.get(reverse("centres:companies")))
    assert world.company_b.name in companies and world.company_a.name not in companies
    # Centre A's company is now out of reach, even by its URL.
    url_a = reverse("centres:company_detail", kwargs={"pk": world.company_a.pk})
    assert client.get(url_a).status_code == 404

    # Switching to a centre one does not belong to is ignored.
    outsider = CompanyFactory().centre
    client.post(reverse("centres:switch"), {"centre": outsider.pk})
    assert client.session[ACTIVE_CENTRE_SESSION_KEY] == world.centre_b.pk


def test_api_client_chooses_its_centre_with_x_centre(world, api_client, two_centre_user):

    from tests.factories import api_key

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(two_centre_user)}")
    me = api_client.get(reverse("api:me")).json()
    assert me["active_centre"]["id"] == world.centre_a.pk
    assert api_client.get(reverse("api:company-list")).status_code == 403  # assessor in A

    headers = {"HTTP_X_CENTRE": str(world.centre_b.pk)}
    me = api_client.get(reverse("api:me"), **headers).json()
    assert me["active_centre"]["id"] == world.centre_b.pk
    assert me["roles"] == [Role.STAFF]
    assert {m["centre"]["id"] for m in me["memberships"]} == {
        world.centre_a.pk,
        world.centre_b.pk,
    }
    listing = api_client.get(reverse("api:company-list"), **headers).json()
    assert [c["name"] for c in listing["results"]] == [world.company_b.name]
    detail_a = reverse("api:company-detail", kwargs={"pk": world.company_a.pk})
    assert api_client.get(detail_a, **headers).status_code == 404


def test_x_centre_of_a_foreign_centre_gives_no_centre_at_all(world, client, two_centre_user):
    client.force_login(two_centre_user)
    outsider = CompanyFactory().centre
    for value in (str(outsider.pk), "pas-un-nombre"):
        me = client.get(reverse("api:me"), HTTP_X_CENTRE=value).json()
        assert me["active_centre"] is None and me["capabilities"] == []
        response = client.get(reverse("api:company-list"), HTTP_X_CENTRE=value)
        assert response.status_code == 403


def test_session_api_client_may_also_use_x_centre(world, client, two_centre_user):
    client.force_login(two_centre_user)
    response = client.get(reverse("api:company-list"), HTTP_X_CENTRE=str(world.centre_b.pk))
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [world.company_b.pk]
