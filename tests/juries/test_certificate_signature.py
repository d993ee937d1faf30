"""The "Signé électroniquement par <président>, le <date>" line of the parchemin: who and
which day, as the jury's records say."""

import datetime

import pytest
from django.utils import timezone

from documents.models import CertificateKind, CertificateRecord
from juries import paperwork, services
from juries.models import Attendance, Decision, MinutesSignature, Outcome

from .factories import (
    A,
    all_codes,
    deliberating_session,
    produce_minutes,
    ready_dossier,
    sign,
    vote_all,
)

pytestmark = pytest.mark.django_db


def closed_session(world, version):
    dossier = ready_dossier(world.centre_a, version, company=world.company_a, birth_name="Arnaud")
    session, members, items = deliberating_session(world, version, [dossier])
    vote_all(items[0], members, dict.fromkeys(all_codes(items[0]), A))
    services.close_session(session, actor=members[0].user, observations="RAS")
    session.refresh_from_db()
    return session, members, Decision.objects.get(item=items[0])


def test_the_certificate_is_issued_once_signed_and_takes_the_presidents_day(world, version):
    """Nothing is issued before every present member signed the PV; the register then
    carries the president's name and the day the president signed."""
    session, members, decision = closed_session(world, version)
    assert decision.outcome == Outcome.AWARDED
    president = next(m for m in members if m.is_president)
    assert paperwork.president_signed_on(session) is None
    assert not CertificateRecord.objects.filter(kind=CertificateKind.CERTIFICATE).exists()
    produce_minutes(session)
    others = [m for m in members if not m.is_president and m.attendance == Attendance.PRESENT]
    for member in others:
        sign(session, member)
    assert paperwork.president_signed_on(session) is None  # other members' signatures
    assert not CertificateRecord.objects.filter(kind=CertificateKind.CERTIFICATE).exists()
    sign(session, president)
    record = CertificateRecord.objects.get(kind=CertificateKind.CERTIFICATE)
    signed_at = MinutesSignature.objects.get(member=president).signed_at
    assert record.signatory_name == president.name
    assert (
        record.signed_on == timezone.localdate(signed_at) == paperwork.president_signed_on(session)
    )


def test_facts_fall_back_to_the_jury_date_without_a_signature(world, version):
    session, members, decision = closed_session(world, version)
    president = next(m for m in members if m.is_president)
    facts = paperwork.certificate_facts(
        decision, CertificateKind.CERTIFICATE, session=session, president=president
    )
    assert facts.signed_on is None and facts.jury_date == session.jury_date


def test_the_paris_day_counts(world, version):
    """Signed at 23:30 UTC on 1 December is 2 December in Paris."""
    session, members, _decision = closed_session(world, version)
    president = next(m for m in members if m.is_president)
    produce_minutes(session)
    sign(session, president)
    MinutesSignature.objects.filter(member=president).update(
        signed_at=datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC)
    )
    assert paperwork.president_signed_on(session) == datetime.date(2026, 12, 2)
