"""Issue 14, finding 1: the authenticator secret being set up belonged to every session that
logged in with the password. A session holding only the password read the key, waited for
the real user to confirm it, then logged in and took an API token with codes computed from
it. Now the secret is given against a fresh password check, to one session only (a new
session's set-up discards it), shown once, and expires; every second-factor change is
audited, mailed, and revokes the API tokens."""

import base64
import datetime
import html
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from centres.models import ApiToken, AuditEntry
from tests.factories import DEFAULT_PASSWORD, api_key

from .test_two_factor import code_for, enrol, password_login

pytestmark = pytest.mark.django_db

SETUP = reverse("two_factor_setup")
KEY_RE = re.compile(r'<code class="manual-key">([A-Z2-7 ]+)</code>')


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.TWO_FACTOR_ENFORCED = True


@pytest.fixture(autouse=True)
def clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def read_secret(client, password=DEFAULT_PASSWORD) -> str | None:
    """What a session sees of the secret when it asks the set-up page for it."""
    page = client.post(SETUP, {"password": password, "next": "/"})
    assert page.status_code == 200
    found = KEY_RE.search(html.unescape(page.content.decode()))
    return found.group(1).replace(" ", "") if found else None


def code_from(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, 30, 0, 6, 0):06d}"


def logged_in(user) -> Client:
    client = Client()
    password_login(client, user)
    return client


def test_two_sessions_with_the_password_get_different_secrets_and_only_the_last_confirms(
    world, api_client, django_capture_on_commit_callbacks
):
    staff = world.user("staff")
    attacker, real = logged_in(staff), logged_in(staff)
    stolen = read_secret(attacker)
    assert stolen
    genuine = read_secret(real)
    assert genuine and genuine != stolen
    # The older pending secret is discarded: one pending device, the real session's.
    assert TOTPDevice.objects.filter(user=staff, confirmed=False).count() == 1

    refused = attacker.post(SETUP, {"code": code_from(stolen), "next": "/"})
    assert refused.status_code == 200
    assert "une autre connexion a recommencé" in html.unescape(refused.content.decode())
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()

    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves after the commit
        done = real.post(SETUP, {"code": code_from(genuine), "next": "/"})
    assert done.status_code == 302
    assert done["Location"].startswith(reverse("two_factor_recovery_codes"))

    # Later, the stolen secret opens nothing: not the login code page...
    later = logged_in(staff)
    page = later.post(reverse("two_factor_verify"), {"code": code_from(stolen), "next": "/"})
    assert page.status_code == 200 and "Code incorrect" in html.unescape(page.content.decode())
    assert later.get(reverse("home")).status_code == 302
    # ... nor the API token endpoint.
    TOTPDevice.objects.filter(user=staff).update(throttling_failure_count=0)
    token = api_client.post(
        reverse("api:auth-token"),
        {"username": staff.username, "password": DEFAULT_PASSWORD, "otp": code_from(stolen)},
        format="json",
    )
    assert token.status_code == 400 and "token" not in token.json()
    assert not ApiToken.objects.filter(user=staff).exists()

    actions = list(
        AuditEntry.objects.filter(subject_id=str(staff.pk), action__startswith="auth.otp")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions.count("auth.otp_setup_started") == 2
    assert "auth.otp_device_confirmed" in actions
    [message] = [m for m in mail.outbox if staff.email in m.to]
    assert "double authentification activée" in message.subject
    assert "Si vous n'êtes pas à l'origine" in message.body


def test_the_secret_needs_the_password_again_and_is_shown_once(world):
    staff = world.user("staff")
    client = logged_in(staff)
    first = client.get(SETUP)
    assert first.status_code == 200
    assert not KEY_RE.search(first.content.decode())  # a password login alone shows nothing
    assert not TOTPDevice.objects.filter(user=staff).exists()

    assert read_secret(client, password="pas-le-bon") is None
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert AuditEntry.objects.filter(action="auth.login_failed", subject_id=str(staff.pk))

    secret = read_secret(client)
    assert secret
    reload = client.get(SETUP)
    assert reload.status_code == 200
    assert secret not in html.unescape(reload.content.decode()).replace(" ", "")
    # The session may still confirm the secret it was shown.
    done = client.post(SETUP, {"code": code_from(secret), "next": "/"})
    assert done.status_code == 302


def test_the_secret_expires(world, settings):
    settings.TWO_FACTOR_SETUP_MINUTES = 10
    staff = world.user("staff")
    client = logged_in(staff)
    secret = read_secret(client)
    TOTPDevice.objects.filter(user=staff).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    refused = client.post(SETUP, {"code": code_from(secret), "next": "/"})
    assert refused.status_code == 200
    assert "a expiré" in html.unescape(refused.content.decode())
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_enrolment_revokes_the_api_tokens(world):
    assessor = world.user("assessor")  # may enrol without being required to
    key = api_key(assessor)
    client = logged_in(assessor)
    secret = read_secret(client)
    assert client.post(SETUP, {"code": code_from(secret), "next": "/"}).status_code == 302
    assert not ApiToken.objects.filter(user=assessor).exists()
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:me")).status_code == 401
    assert AuditEntry.objects.filter(
        action="auth.api_tokens_revoked", subject_id=str(assessor.pk), reason="two_factor_enrolled"
    ).exists()


def test_new_recovery_codes_are_mailed_and_revoke_the_tokens(
    world, django_capture_on_commit_callbacks
):
    juror = world.user("juror")
    device, codes = enrol(juror)
    key = api_key(juror)
    client = logged_in(juror)
    client.post(reverse("two_factor_verify"), {"code": codes[0], "next": "/"})
    device.refresh_from_db()
    device.throttle_reset()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("two_factor_regenerate_codes"), {"code": code_for(device), "confirm": "on"}
        )
    assert done.status_code == 302
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(reverse("api:me")).status_code == 401
    [message] = [m for m in mail.outbox if juror.email in m.to]
    assert "nouveaux codes de secours" in message.subject
    assert AuditEntry.objects.filter(
        action="auth.api_tokens_revoked", reason="recovery_codes_regenerated"
    ).exists()


def test_an_app_removed_in_the_admin_is_audited_mailed_and_revokes_the_tokens(
    world, django_capture_on_commit_callbacks
):
    staff = world.user("staff")
    device, _codes = enrol(staff)
    key = api_key(staff)
    superuser = type(staff).objects.create_superuser("root", "root@example.org", "x" * 12)
    admin = Client()
    admin.force_login(superuser)
    from django_otp import DEVICE_ID_SESSION_KEY

    session = admin.session
    root_device = TOTPDevice.objects.create(user=superuser, name="app", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = root_device.persistent_id
    session.save()
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, {"post": "yes"})
    assert response.status_code == 302, response.content[:300]
    assert not TOTPDevice.objects.filter(user=staff).exists()
    entry = AuditEntry.objects.get(action="auth.otp_device_removed", subject_id=str(staff.pk))
    assert entry.centre_id == world.centre_a.pk
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(reverse("api:me")).status_code == 401
    [message] = [m for m in mail.outbox if staff.email in m.to]
    assert "désactivée" in message.subject
