"""Two-factor authentication (django-otp TOTP + recovery codes) for centre administrators,
staff and jurors, enforced by ``TWO_FACTOR_ENFORCED``."""

import html

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from centres.models import AuditEntry
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def enforced(settings):
    settings.TWO_FACTOR_ENFORCED = True


def code_for(device, offset=0) -> str:
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{value:0{device.digits}d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="application", confirmed=True)
    codes = twofactor._new_recovery_codes(user)
    return device, codes


def password_login(client, user):
    response = client.post(
        reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302, response.content[:300]
    return response


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_setup_flow_qr_code_confirm_then_recovery_codes_once(enforced, world, client):
    staff = world.user("staff")
    password_login(client, staff)
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("two_factor_setup"))
    assert "next=%2F" in home["Location"]

    page = client.get(home["Location"])
    assert page.status_code == 200
    assert "<svg" not in text(page)  # the secret needs the password again
    page = client.post(home["Location"], {"password": DEFAULT_PASSWORD, "next": "/"})
    assert page.status_code == 200
    body = text(page)
    assert "<svg" in body and "Activer la double authentification" in body
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert twofactor.manual_key(device) in body
    # Shown once: a reload asks for the code, not showing the key again.
    reload = text(client.get(home["Location"]))
    assert twofactor.manual_key(device) not in reload
    assert TOTPDevice.objects.filter(user=staff).count() == 1

    wrong = client.post(reverse("two_factor_setup"), {"code": "000000", "next": "/"})
    assert wrong.status_code == 200 and "ne correspond pas" in text(wrong)
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # a failure delays the next try by a second or more

    done = client.post(reverse("two_factor_setup"), {"code": code_for(device), "next": "/"})
    assert done.status_code == 302
    assert done["Location"].startswith(reverse("two_factor_recovery_codes"))
    device.refresh_from_db()
    assert device.confirmed
    shown = client.get(done["Location"])
    assert shown.status_code == 200
    codes = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in text(shown) for code in codes)
    # Shown once: a reload shows no code.
    again = client.get(done["Location"])
    assert again.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert AuditEntry.objects.filter(
        action="auth.otp_device_confirmed", subject_id=str(staff.pk)
    ).exists()


def test_verify_with_a_valid_code_and_refuse_a_wrong_one(enforced, world, client):
    admin = world.user("centre_admin")
    device, _codes = enrol(admin)
    password_login(client, admin)
    target = reverse("centres:users")
    redirected = client.get(target)
    assert redirected.status_code == 302
    assert redirected["Location"].startswith(reverse("two_factor_verify"))

    wrong = client.post(reverse("two_factor_verify"), {"code": "123456", "next": target})
    assert wrong.status_code == 200 and "Code incorrect" in text(wrong)
    assert client.get(target).status_code == 302
    assert AuditEntry.objects.filter(action="auth.otp_failure", subject_id=str(admin.pk))

    device.refresh_from_db()  # the failure raised the throttling delay: reset it
    device.throttle_reset()
    ok = client.post(reverse("two_factor_verify"), {"code": code_for(device), "next": target})
    assert ok.status_code == 302 and ok["Location"] == target
    assert client.get(target).status_code == 200
    assert AuditEntry.objects.filter(action="auth.otp_verified", subject_id=str(admin.pk))


def test_a_recovery_code_works_once(enforced, world, client):
    juror = world.user("juror")
    _device, codes = enrol(juror)
    password_login(client, juror)
    ok = client.post(reverse("two_factor_verify"), {"code": codes[0], "next": "/"})
    assert ok.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert StaticToken.objects.filter(device__user=juror).count() == 9
    assert AuditEntry.objects.filter(action="auth.recovery_code_used", subject_id=str(juror.pk))

    client.post(reverse("logout"))
    password_login(client, juror)
    reused = client.post(reverse("two_factor_verify"), {"code": codes[0], "next": "/"})
    assert reused.status_code == 200 and "Code incorrect" in text(reused)
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("role", ["company_rep", "assessor"])
def test_company_reps_and_assessors_are_not_required(enforced, world, client, role):
    user = world.user(role)
    assert not twofactor.requires_two_factor(user)
    password_login(client, user)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("role", ["centre_admin", "staff", "juror"])
def test_required_roles(enforced, world, role):
    assert twofactor.requires_two_factor(world.user(role))


def test_a_stolen_password_cannot_enrol_a_new_app(enforced, world, client):
    staff = world.user("staff")
    enrol(staff)
    password_login(client, staff)
    response = client.get(reverse("two_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_unverified_session_gets_403_on_the_api_and_may_log_out(enforced, world, client):
    staff = world.user("staff")
    enrol(staff)
    password_login(client, staff)
    response = client.get(reverse("api:qualification-list"))
    assert response.status_code == 403 and response.json()["code"] == "otp_required"
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_not_enforced_in_the_demo(settings, world, client):
    settings.TWO_FACTOR_ENFORCED = False
    password_login(client, world.user("staff"))
    assert client.get(reverse("home")).status_code == 200


# --- API token ---------------------------------------------------------------------------


@pytest.fixture
def token_url(clear_cache):
    return reverse("api:auth-token")


@pytest.fixture
def clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_token_needs_the_second_factor_for_those_roles(enforced, world, api_client, token_url):
    staff = world.user("staff")
    device, codes = enrol(staff)
    credentials = {"username": staff.username, "password": DEFAULT_PASSWORD}
    missing = api_client.post(token_url, credentials, format="json")
    assert missing.status_code == 400 and missing.json()["code"] == "otp_required"
    wrong = api_client.post(token_url, {**credentials, "otp": "999999"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "otp_invalid"
    device.refresh_from_db()
    device.throttle_reset()
    ok = api_client.post(token_url, {**credentials, "otp": code_for(device)}, format="json")
    assert ok.status_code == 200 and ok.json()["token"]
    # With the token, the API answers without any further code.
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {ok.json()['token']}")
    assert api_client.get(reverse("api:qualification-list")).status_code == 200


def test_token_without_code_for_assessors_and_when_not_enforced(
    settings, world, api_client, token_url
):
    settings.TWO_FACTOR_ENFORCED = True
    assessor = world.user("assessor")
    response = api_client.post(
        token_url, {"username": assessor.username, "password": DEFAULT_PASSWORD}, format="json"
    )
    assert response.status_code == 200
    settings.TWO_FACTOR_ENFORCED = False
    staff = world.user("staff")
    response = api_client.post(
        token_url, {"username": staff.username, "password": DEFAULT_PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_the_setup_page_is_csp_clean(world, client):
    from .helpers import inline_code

    client.force_login(world.user("staff"))
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    assert inline_code(page.content.decode()) == []
    page = client.post(reverse("two_factor_setup"), {"password": DEFAULT_PASSWORD})
    assert "<svg" in page.content.decode()
    assert inline_code(page.content.decode()) == []
