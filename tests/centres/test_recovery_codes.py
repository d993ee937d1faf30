"""Self-service new recovery codes (second factor): confirmed by a tick and a current code
from the authenticator app; the old codes stop working, the new ones are shown once."""

import pytest
from django.urls import reverse
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticToken

from accounts import twofactor
from centres.errors import CentreError
from centres.models import AuditEntry
from tests.security.test_two_factor import code_for, enrol, password_login

from .helpers import text

pytestmark = pytest.mark.django_db

URL = reverse("two_factor_regenerate_codes")


@pytest.fixture
def enforced(settings):
    settings.TWO_FACTOR_ENFORCED = True


def tokens(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def logged_in_with_code(client, user, code):
    password_login(client, user)
    response = client.post(reverse("two_factor_verify"), {"code": code, "next": "/"})
    assert response.status_code == 302, response.content[:300]
    # A recovery code is tried on the app first: that failure delays the next try.
    for device in devices_for_user(user):
        device.throttle_reset()


def test_regenerate_replaces_the_codes_and_shows_the_new_ones_once(enforced, world, client):
    juror = world.user("juror")
    device, old = enrol(juror)
    logged_in_with_code(client, juror, old[0])

    page = client.get(URL)
    assert page.status_code == 200
    assert "seront aussitôt invalidés" in text(page)

    done = client.post(URL, {"code": code_for(device), "confirm": "on"})
    assert done.status_code == 302
    assert done["Location"].startswith(reverse("two_factor_recovery_codes"))
    new = tokens(juror)
    assert len(new) == twofactor.RECOVERY_CODE_COUNT
    assert not new & set(old)
    shown = client.get(done["Location"])
    assert shown.status_code == 200
    assert all(code in text(shown) for code in new)
    assert client.get(done["Location"]).status_code == 302  # shown once

    entries = AuditEntry.objects.filter(
        action="auth.recovery_codes_regenerated", subject_id=str(juror.pk)
    )
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor_id == juror.pk
    assert entry.centre_id == world.centre_a.pk
    assert entry.after == {"codes": twofactor.RECOVERY_CODE_COUNT}
    assert not any(code in str(entry.after) for code in new)

    # An old code (even one never used) is refused at the next login; a new one works once.
    client.post(reverse("logout"))
    password_login(client, juror)
    refused = client.post(reverse("two_factor_verify"), {"code": old[1], "next": "/"})
    assert refused.status_code == 200 and "Code incorrect" in text(refused)
    for throttled in devices_for_user(juror):  # the failure delays the next try
        throttled.throttle_reset()
    fresh = sorted(new)[0]
    assert (
        client.post(reverse("two_factor_verify"), {"code": fresh, "next": "/"}).status_code == 302
    )
    client.post(reverse("logout"))
    password_login(client, juror)
    reused = client.post(reverse("two_factor_verify"), {"code": fresh, "next": "/"})
    assert reused.status_code == 200


def test_a_wrong_code_changes_nothing(enforced, world, client):
    admin = world.user("centre_admin")
    device, old = enrol(admin)
    logged_in_with_code(client, admin, old[0])
    before = tokens(admin)

    wrong = client.post(URL, {"code": "000000", "confirm": "on"})
    assert wrong.status_code == 200
    assert "Code incorrect ou déjà utilisé" in text(wrong)
    assert tokens(admin) == before
    assert AuditEntry.objects.filter(action="auth.otp_failure", subject_id=str(admin.pk))
    assert not AuditEntry.objects.filter(action="auth.recovery_codes_regenerated")

    # Throttled like the login code page: an immediate retry is refused, and said so.
    throttled = client.post(URL, {"code": code_for(device), "confirm": "on"})
    assert throttled.status_code == 200 and "Trop de codes erronés" in text(throttled)
    assert tokens(admin) == before

    # A recovery code does not renew the codes: only the app does.
    device.refresh_from_db()
    device.throttle_reset()
    recovery = client.post(URL, {"code": old[1], "confirm": "on"})
    assert recovery.status_code == 200 and "un code de secours ne convient pas" in text(recovery)
    assert tokens(admin) == before


def test_nothing_happens_without_the_confirmation_tick(enforced, world, client):
    staff = world.user("staff")
    device, old = enrol(staff)
    logged_in_with_code(client, staff, old[0])
    before = tokens(staff)
    response = client.post(URL, {"code": code_for(device)})
    assert response.status_code == 200
    assert "Cochez cette case pour confirmer" in text(response)
    assert tokens(staff) == before
    device.refresh_from_db()
    assert device.throttling_failure_count == 0  # the code was not even tried


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(URL, {"code": "123456", "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unverified_session_must_confirm_the_login_first(enforced, world, client):
    juror = world.user("juror")
    enrol(juror)
    password_login(client, juror)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_without_an_app_the_page_sends_to_the_set_up(world, client):
    client.force_login(world.user("assessor"))
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    with pytest.raises(CentreError):
        twofactor.regenerate_recovery_codes(actor=world.user("assessor"), code="123456")


def test_linked_from_the_account_page(world, client):
    client.force_login(world.user("staff"))
    page = client.get(reverse("password_change"))
    assert URL in page.content.decode()
