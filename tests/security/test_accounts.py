"""Accounts: argon2 hashing, the password policy in French, session expiry, and every login,
failure, lockout, logout, role grant and permission change in the audit log."""

import html

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.urls import reverse

from centres import services
from centres.models import AuditEntry, Membership
from centres.permissions import grant_object_permission, revoke_object_permission
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def actions_about(user) -> list[str]:
    return list(
        AuditEntry.objects.filter(subject_type="centres.user", subject_id=str(user.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_argon2_is_the_hasher_of_the_project(settings):
    # tests/conftest.py forces MD5 for speed; the project's own setting is argon2 first.
    from parchemin import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    encoded = make_password("un-mot-de-passe-solide", hasher="argon2")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert encoded.startswith("argon2$argon2id$")
    assert check_password("un-mot-de-passe-solide", encoded)


def test_password_policy_speaks_french(world, client):
    user = world.user("staff")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": "court1", "new_password2": "court1"},
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Ce mot de passe est trop court. Il doit contenir au minimum 10 caractères." in page
    response = client.post(
        reverse("password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "1234567890123",
            "new_password2": "1234567890123",
        },
    )
    page = html.unescape(response.content.decode())
    assert "Ce mot de passe est entièrement numérique." in page
    assert "Ce mot de passe est trop courant." in page


def test_sessions_end_with_the_browser_and_after_ten_hours(world, client):
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert django_settings.SESSION_COOKIE_AGE == 36000
    user = world.user("staff")
    client.post(reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    assert cookie["httponly"]
    assert 35990 <= client.session.get_expiry_age() <= 36000  # the server-side limit


def test_login_logout_failure_and_lockout_are_audited(world, client):
    user = world.user("staff")
    client.post(reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    client.post(reverse("logout"))
    for _attempt in range(5):
        client.post(reverse("login"), {"username": user.username, "password": "mauvais"})
    actions = actions_about(user)
    assert actions[:2] == ["auth.login", "auth.logout"]
    assert actions.count("auth.login_failed") == 5
    assert "auth.lockout" in actions
    failure = AuditEntry.objects.filter(action="auth.login_failed").first()
    assert failure.centre_id == world.centre_a.pk  # in the log of the user's centre
    assert failure.after["username"] == user.username and failure.after["ip"]
    assert "mauvais" not in str(failure.after)  # never the attempted password


def test_a_failure_for_an_unknown_account_is_audited_without_a_centre(client):
    client.post(reverse("login"), {"username": "personne", "password": "x"})
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.centre_id is None and entry.after["username"] == "personne"


def test_an_account_event_goes_to_each_centre_of_the_user(world, client):
    from tests.factories import MembershipFactory

    user = world.user("staff")
    MembershipFactory(user=user, centre=world.centre_b, role="assessor")
    client.force_login(user)
    centres = set(
        AuditEntry.objects.filter(action="auth.login", subject_id=str(user.pk)).values_list(
            "centre_id", flat=True
        )
    )
    assert centres == {world.centre_a.pk, world.centre_b.pk}


def test_role_grants_withdrawals_and_permission_changes_are_audited(world):
    admin = world.user("centre_admin")
    invitation = services.invite_user(
        world.centre_a, email="nouveau@example.org", role="staff", actor=admin
    )
    membership = services.accept_invitation(
        invitation.token,
        new_user={
            "username": "nouveau",
            "first_name": "Nouveau",
            "last_name": "Venu",
            "password": "un-mot-de-passe-solide",
        },
    )
    assert AuditEntry.objects.filter(
        action="membership.create", subject_id=str(membership.pk)
    ).exists()
    services.deactivate_membership(membership, actor=admin, reason="départ")
    services.reactivate_membership(membership, actor=admin)
    assert list(
        AuditEntry.objects.filter(
            subject_type="centres.membership", subject_id=str(membership.pk)
        ).values_list("action", flat=True)
    ) == ["membership.reactivate", "membership.deactivate", "membership.create"]

    grant_object_permission(membership.user, "centres.view_company", world.company_a, actor=admin)
    revoke_object_permission(membership.user, "centres.view_company", world.company_a, actor=admin)
    assert set(
        AuditEntry.objects.filter(subject_type="centres.company").values_list("action", flat=True)
    ) == {"permission.grant", "permission.revoke"}
    assert Membership.objects.filter(user=membership.user, is_active=True).count() == 1
