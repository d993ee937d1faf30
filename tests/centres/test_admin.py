"""The Django admin: tenant-owned models listed with scopes disabled explicitly (for
superusers), no candidate data; national administrators keep the register of centres only
(the whole walk is ``tests/security/test_admin_escalation.py``)."""

import pytest
from django.urls import reverse

from centres.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(world):
    user = world.national_admin
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    "name", ["centres_centre", "centres_company", "centres_membership", "centres_user"]
)
def test_superuser_sees_every_centre(world, client, root, name):
    client.force_login(root)
    response = client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200
    if name == "centres_company":
        content = response.content.decode()
        assert world.company_a.name in content and world.company_b.name in content


@pytest.mark.parametrize("name", ["centres_company", "centres_membership", "centres_user"])
def test_national_admin_has_no_tenancy_admin(client, national, name):
    client.force_login(national)
    assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403


def test_national_admin_lists_the_centres(world, client, national):
    client.force_login(national)
    response = client.get(reverse("admin:centres_centre_changelist"))
    assert response.status_code == 200
    assert world.centre_b.name in response.content.decode()


def test_superuser_edits_a_membership(world, client, root):
    membership = Membership.objects.get(user=world.user("staff"), centre=world.centre_a)
    client.force_login(root)
    url = reverse("admin:centres_membership_change", args=[membership.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert world.company_b.name in response.content.decode()  # every centre's companies


def test_audit_trail_is_for_superusers_only(client, national):
    client.force_login(national)
    assert client.get(reverse("admin:centres_auditentry_changelist")).status_code == 403


def test_centre_staff_has_no_admin(world, client):
    user = world.user("centre_admin")
    client.force_login(user)
    response = client.get(reverse("admin:centres_company_changelist"))
    assert response.status_code == 302  # not is_staff: sent to the admin login
