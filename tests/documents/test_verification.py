"""The public page ``/verifier/<code>/``."""

import pytest
from django.urls import reverse

from documents.models import VERIFICATION_ALPHABET
from documents.services import revoke_certificate

from .factories import issue

pytestmark = pytest.mark.django_db


def verify(client, code):
    return client.get(reverse("verification:verify", kwargs={"code": code}))


def test_a_real_code_shows_every_field_of_the_certificate(world, client):
    record = issue(world.centre_a, world.user("staff"), kind="attestation")
    response = verify(client, record.display_code)
    assert response.status_code == 200
    body = response.content.decode()
    for expected in (
        "Document authentique",
        "Marie CURIE",
        "7 novembre 1991",
        "Varsovie",
        "Manager de secteur d&#x27;activités",
        "B1 — La construction de l&#x27;organisation de son secteur",
        "C3 — Manager son secteur",
        "18 juin 2026",  # jury
        "25 juin 2026",  # issue
        "Lyon",
        "UIMM Centre A",
        record.number,
        "Attestation de blocs ou de compétences",
        "Valide",
    ):
        assert expected in body, expected
    assert "à renseigner" in body  # RNCP number, levels: unknown, said so
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_code_may_be_typed_loosely(world, client):
    record = issue(world.centre_a)
    assert verify(client, record.verification_code.lower()).status_code == 200


def test_forged_malformed_and_unknown_codes_get_the_same_neutral_answer(world, client):
    record = issue(world.centre_a)
    code = record.verification_code
    forged = code[:-1] + next(c for c in VERIFICATION_ALPHABET if c != code[-1])
    answers = [verify(client, c) for c in (forged, "ZZZZZ-ZZZZZ", "n'importe-quoi", "A" * 40)]
    assert {a.status_code for a in answers} == {404}
    bodies = {a.content for a in answers}
    assert len(bodies) == 1
    body = answers[0].content.decode()
    assert "Code inconnu" in body
    assert "Marie" not in body and record.number not in body


def test_a_revoked_certificate_says_so(world, client):
    record = issue(world.centre_a)
    revoke_certificate(record, reason="Fraude", actor=world.user("staff"))
    body = verify(client, record.display_code).content.decode()
    assert "Document révoqué" in body and "il n'est plus valable" in body
    assert "Fraude" not in body  # the reason stays internal


def test_verification_is_throttled_per_ip(world, client, settings):
    settings.VERIFICATION_RATE = "3/min"
    record = issue(world.centre_a)
    statuses = [verify(client, record.display_code).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    throttled = verify(client, record.display_code)
    assert throttled.status_code == 429
    assert "Trop de demandes" in throttled.content.decode()
    other_ip = client.get(
        reverse("verification:verify", kwargs={"code": record.display_code}),
        REMOTE_ADDR="192.0.2.7",
    )
    assert other_ip.status_code == 200


def test_form_redirects_to_the_code_page(client):
    response = client.get(reverse("verification:form"), {"code": "abcde-fghjk/../x"})
    assert response.status_code == 302
    assert response["Location"] == "/verifier/abcde-fghjkx/"
    page = client.get(reverse("verification:form"))
    assert "Code de vérification" in page.content.decode()
