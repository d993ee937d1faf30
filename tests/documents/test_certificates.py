"""The certificate register: numbers taken once, sequential per centre and year; codes."""

import datetime
import threading

import pytest
from django.db import connection

from centres.models import AuditEntry
from centres.scoping import scopes_disabled
from documents.models import (
    VERIFICATION_ALPHABET,
    CertificateCounter,
    CertificateRecord,
    normalise_verification_code,
)
from documents.services import DocumentError, issue_certificate, revoke_certificate

from .factories import certificate_facts, issue


@pytest.mark.django_db
def test_numbers_are_sequential_per_centre_and_year(world):
    a, b = world.centre_a, world.centre_b
    first = issue(a, subject=("juries.decision", "1"))
    second = issue(a, subject=("juries.decision", "2"), kind="attestation")
    other_centre = issue(b, subject=("juries.decision", "3"))
    next_year = issue(a, subject=("juries.decision", "4"), issued_on=datetime.date(2027, 1, 4))
    assert first.number == "CENTRE-A-2026-000001"
    assert second.number == "CENTRE-A-2026-000002"
    assert other_centre.number == "CENTRE-B-2026-000001"
    assert next_year.number == "CENTRE-A-2027-000001"
    assert (first.year, first.sequence) == (2026, 1)


@pytest.mark.django_db
def test_issuing_twice_returns_the_same_entry(world):
    user = world.user("staff")
    first = issue(world.centre_a, user)
    again = issue(world.centre_a, user, holder_last_name="Autre nom")
    assert again.pk == first.pk and again.number == first.number
    assert again.holder_last_name == "Curie"  # the register entry is frozen
    assert CertificateRecord.objects.count() == 1
    assert CertificateCounter.objects.get(centre=world.centre_a).last_value == 1
    entries = AuditEntry.objects.filter(action="certificate.issued")
    assert [(e.actor, e.subject_id) for e in entries] == [(user, str(first.pk))]
    # the same decision may have a certificate and an attestation: two kinds, two entries
    attestation = issue(world.centre_a, user, kind="attestation")
    assert attestation.pk != first.pk


@pytest.mark.django_db
def test_unknown_kind_is_refused(world):
    with pytest.raises(DocumentError):
        issue_certificate(certificate_facts(kind="diploma"), centre=world.centre_a, actor=None)


@pytest.mark.django_db
def test_verification_codes_are_random_unguessable_and_forgiving_when_typed(world):
    records = [issue(world.centre_a, subject=("juries.decision", str(n))) for n in range(20)]
    codes = {r.verification_code for r in records}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 10 and set(code) <= set(VERIFICATION_ALPHABET)
    record = records[0]
    display = record.display_code
    assert display[5] == "-" and display.replace("-", "") == record.verification_code
    assert normalise_verification_code(display.lower()) == record.verification_code
    assert normalise_verification_code(f" {record.verification_code} ") == record.verification_code
    assert normalise_verification_code("O0000-11111") == "0000011111"  # O/I/L read as 0/1
    for bad in ("", "ABC", "ABCDE-FGHIJK", "ABCDE-FGHU1", "../../etc", "ABCDE_FGHJK"):
        assert normalise_verification_code(bad) is None


@pytest.mark.django_db
def test_revocation_is_recorded_and_idempotent(world):
    user = world.user("staff")
    record = issue(world.centre_a, user)
    with pytest.raises(DocumentError) as exc:
        revoke_certificate(record, reason="  ", actor=user)
    assert exc.value.code == "reason_required"
    revoke_certificate(record, reason="Erreur sur la date de naissance", actor=user)
    record.refresh_from_db()
    assert record.is_revoked and record.revoked_by == user
    assert record.revocation_reason == "Erreur sur la date de naissance"
    revoked_at = record.revoked_at
    revoke_certificate(record, reason="Autre", actor=user)
    record.refresh_from_db()
    assert record.revoked_at == revoked_at and record.revocation_reason.startswith("Erreur")
    entry = AuditEntry.objects.get(action="certificate.revoked")
    assert entry.reason == "Erreur sur la date de naissance" and entry.actor == user


def _in_threads(targets):
    errors = []
    barrier = threading.Barrier(len(targets))

    def run(target):
        try:
            barrier.wait(timeout=10)
            with scopes_disabled():
                target()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_of_one_decision_get_one_number(world):
    results = []

    def issue_once():
        results.append(issue(world.centre_a, subject=("juries.decision", "race")).number)

    _in_threads([issue_once] * 4)
    assert len(set(results)) == 1 and len(results) == 4
    assert CertificateRecord.objects.count() == 1
    assert CertificateCounter.objects.get(centre=world.centre_a).last_value == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_of_different_decisions_get_consecutive_numbers(world):
    def issuer(n):
        return lambda: issue(world.centre_a, subject=("juries.decision", f"d{n}"))

    _in_threads([issuer(n) for n in range(5)])
    sequences = sorted(CertificateRecord.objects.values_list("sequence", flat=True))
    assert sequences == [1, 2, 3, 4, 5]
