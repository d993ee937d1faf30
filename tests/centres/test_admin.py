"""The Django admin for national administrators: tenant-owned models listed with scopes
disabled explicitly, no candidate data."""

import pytest
from django.urls import reverse

from centres.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(world):
    user = world.national_admin
    user.is_staff = True
    user.save()
    return user


@pytest.mark.parametrize(
    "name", ["centres_centre", "centres_company", "centres_membership", "centres_user"]
)
def test_national_admin_sees_every_centre(world, client, national, name):
    client.force_login(national)
    response = client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200
    if name == "centres_company":
        content = response.content.decode()
        assert world.company_a.name in content and world.company_b.name in content


def test_national_admin_edits_a_membership(world, client, national):
    membership = Membership.objects.get(user=world.user("staff"), centre=world.centre_a)
    client.force_login(national)
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
