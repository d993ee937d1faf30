"""Issue 15 — signatures that mean something: each member present signs the PV by typing
their password again (and their authenticator code when two-factor is on); the signature
records who, when, how and the SHA-256 of the exact PDF signed; the certificates, the
attestations and the letters are issued only at the last signature. Through the service,
the page and the API."""

import hashlib
import html

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from centres.models import AuditEntry
from documents.models import CertificateRecord, DocumentKind, GeneratedDocument
from juries import services
from juries.models import MinutesSignature, SignatureProof
from juries.services.signing import minutes_to_sign
from tests.factories import DEFAULT_PASSWORD

from .factories import (
    FAKE_PV,
    A,
    all_codes,
    deliberating_session,
    produce_minutes,
    ready_dossier,
    sign,
    vote_all,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_failures_left():
    cache.clear()
    yield
    cache.clear()


def closed(world, version):
    """A closed session (one awarded candidate), its PV produced."""
    dossier = ready_dossier(world.centre_a, version, birth_name="Signature")
    session, members, (item,) = deliberating_session(world, version, [dossier])
    vote_all(item, members, dict.fromkeys(all_codes(item), A))
    services.close_session(session, actor=members[0].user)
    session.refresh_from_db()
    return session, members, produce_minutes(session)


def code_for(device) -> str:
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{value:0{device.digits}d}"


def refusal(session, member, **kw) -> str:
    with pytest.raises(services.JuryError) as excinfo:
        sign(session, member, **kw)
    return excinfo.value.code


# --- service -----------------------------------------------------------------------------


def test_a_signature_records_who_when_how_and_the_hash_of_the_stored_pdf(world, version):
    session, members, minutes = closed(world, version)
    signature = sign(session, members[0], ip="10.0.0.1")
    assert signature.member == members[0] and signature.signed_at
    assert signature.document == minutes
    assert signature.document_sha256 == hashlib.sha256(FAKE_PV).hexdigest()
    assert signature.proof == SignatureProof.PASSWORD and signature.ip == "10.0.0.1"
    entry = AuditEntry.objects.get(action="jury.minutes_signed")
    assert entry.after["sha256"] == signature.document_sha256
    assert entry.after["document"] == minutes.pk


def test_wrong_password_is_refused_audited_and_throttled(world, version, settings):
    settings.REAUTH_FAILURE_LIMIT = 3
    session, members, _minutes = closed(world, version)
    user = members[1].user
    assert refusal(session, members[1], password="") == "reauth_password"
    for _ in range(2):
        with pytest.raises(services.JuryError, match="Mot de passe incorrect"):
            sign(session, members[1], password="pas-le-bon")
    assert not MinutesSignature.objects.exists()
    failures = AuditEntry.objects.filter(action="auth.reauth_failure", actor=user)
    assert failures.count() == 3 and "J-" in failures.first().reason
    # the limit is reached: even the right password waits for the window to pass
    with pytest.raises(services.JuryError, match="Trop d'essais"):
        sign(session, members[1])
    assert AuditEntry.objects.filter(action="auth.reauth_throttled").exists()
    cache.clear()  # the window passed
    assert sign(session, members[1]).proof == SignatureProof.PASSWORD


def test_two_factor_members_also_type_their_code(world, version):
    session, members, _minutes = closed(world, version)
    device = TOTPDevice.objects.create(user=members[2].user, name="application", confirmed=True)
    assert refusal(session, members[2]) == "reauth_otp"  # the code is missing
    assert refusal(session, members[2], otp="000000" if code_for(device) != "000000" else "1")
    assert AuditEntry.objects.filter(
        action="auth.reauth_failure", after__factor="totp", actor=members[2].user
    ).exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    signature = sign(session, members[2], otp=code_for(device))
    assert signature.proof == SignatureProof.PASSWORD_AND_TOTP


def test_the_pdf_must_be_produced_unchanged_and_the_one_shown(world, version):
    dossier = ready_dossier(world.centre_a, version)
    session, members, (item,) = deliberating_session(world, version, [dossier])
    vote_all(item, members, dict.fromkeys(all_codes(item), A))
    services.close_session(session, actor=members[0].user)
    assert refusal(session, members[0], document_sha256="0" * 64) == "minutes_not_ready"
    minutes = produce_minutes(session)
    assert refusal(session, members[0], document_sha256="f" * 64) == "minutes_changed"
    # the stored file altered after its checksum was taken
    minutes.file.delete(save=False)
    minutes.file.save("pv.pdf", ContentFile(FAKE_PV + b"% altered\n"), save=True)
    assert refusal(session, members[0]) == "minutes_altered"
    assert not MinutesSignature.objects.exists()


def test_documents_are_issued_at_the_last_signature_only(
    world, version, django_capture_on_commit_callbacks
):
    session, members, minutes = closed(world, version)
    assert list(GeneratedDocument.objects.values_list("kind", flat=True)) == [
        DocumentKind.JURY_MINUTES
    ]
    for member in members[:-1]:
        sign(session, member)
    assert not CertificateRecord.objects.exists()
    assert GeneratedDocument.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        sign(session, members[-1])
    record = CertificateRecord.objects.get()
    assert record.kind == "certificate" and record.signatory_name == members[0].name
    kinds = sorted(GeneratedDocument.objects.values_list("kind", flat=True))
    assert kinds == sorted(
        [DocumentKind.JURY_MINUTES] * 2 + [DocumentKind.CERTIFICATE, DocumentKind.RESULT_LETTER]
    )
    # every signature covers the same PDF, the one produced at closing
    assert set(MinutesSignature.objects.values_list("document_sha256", flat=True)) == {
        minutes.sha256
    }
    assert minutes_to_sign(session) == minutes


def test_the_seed_signs_through_the_service_without_a_password(world, version):
    session, members, _minutes = closed(world, version)
    signature = services.sign_minutes(session, actor=members[0].user, reauthenticated_by_seed=True)
    assert signature.proof == SignatureProof.SEED
    # without the flag, no password: refused
    assert refusal(session, members[1], password="") == "reauth_password"


# --- page --------------------------------------------------------------------------------


def page(client, session):
    return html.unescape(
        client.get(reverse("juries:minutes_sign", args=[session.pk])).content.decode()
    )


def test_the_signature_page_asks_for_the_password(client, world, version):
    session, members, minutes = closed(world, version)
    client.force_login(members[1].user)
    detail = client.get(reverse("juries:session_detail", args=[session.pk])).content.decode()
    assert reverse("juries:minutes_sign", args=[session.pk]) in detail
    text = page(client, session)
    assert minutes.sha256 in text and 'name="password"' in text and 'name="otp"' not in text
    url = reverse("juries:minutes_sign", args=[session.pk])
    response = client.post(url, {"password": "faux", "document_sha256": minutes.sha256})
    assert response.status_code == 200
    assert "Mot de passe incorrect" in html.unescape(response.content.decode())
    assert not MinutesSignature.objects.exists()
    stale = client.post(url, {"password": DEFAULT_PASSWORD, "document_sha256": "a" * 64})
    assert "a changé depuis que vous l'avez ouvert" in html.unescape(stale.content.decode())
    response = client.post(url, {"password": DEFAULT_PASSWORD, "document_sha256": minutes.sha256})
    assert response.status_code == 302
    signature = MinutesSignature.objects.get()
    assert signature.member == members[1] and signature.document_sha256 == minutes.sha256
    assert "Vous avez signé le procès-verbal le" in page(client, session)


def test_the_signature_page_asks_two_factor_members_for_their_code(client, world, version):
    session, members, minutes = closed(world, version)
    device = TOTPDevice.objects.create(user=members[1].user, name="application", confirmed=True)
    client.force_login(members[1].user)
    assert 'name="otp"' in page(client, session)
    url = reverse("juries:minutes_sign", args=[session.pk])
    data = {"password": DEFAULT_PASSWORD, "document_sha256": minutes.sha256}
    response = client.post(url, data)
    assert response.status_code == 200 and not MinutesSignature.objects.exists()
    response = client.post(url, {**data, "otp": code_for(device)})
    assert response.status_code == 302
    assert MinutesSignature.objects.get().proof == SignatureProof.PASSWORD_AND_TOTP


def test_the_page_waits_for_the_pdf(client, world, version):
    dossier = ready_dossier(world.centre_a, version)
    session, members, (item,) = deliberating_session(world, version, [dossier])
    vote_all(item, members, dict.fromkeys(all_codes(item), A))
    services.close_session(session, actor=members[0].user)
    client.force_login(members[1].user)
    text = page(client, session)
    assert "PV en cours de production" in text and 'name="password"' not in text


# --- API ---------------------------------------------------------------------------------


def test_api_sign_needs_the_password_and_the_hash(api_client, world, version):
    session, members, minutes = closed(world, version)
    api_client.force_login(members[1].user)
    url = reverse("api:jury-session-sign", args=[session.pk])
    shown = api_client.get(reverse("api:jury-session-minutes", args=[session.pk])).json()
    assert shown["sha256"] == minutes.sha256 and shown["ready"] and shown["signatures"] == []
    assert shown["download_url"] == reverse("documents:download", args=[minutes.pk])
    assert api_client.post(url, {}, format="json").status_code == 400
    response = api_client.post(
        url, {"password": "faux", "document_sha256": minutes.sha256}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "reauth_password"
    response = api_client.post(
        url, {"password": DEFAULT_PASSWORD, "document_sha256": "b" * 64}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "minutes_changed"
    response = api_client.post(
        url, {"password": DEFAULT_PASSWORD, "document_sha256": minutes.sha256}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["document_sha256"] == minutes.sha256 and body["proof"] == "password"
    assert body["member"] == members[1].pk and "password" not in body
    shown = api_client.get(reverse("api:jury-session-minutes", args=[session.pk])).json()
    assert [s["member"] for s in shown["signatures"]] == [members[1].pk]
