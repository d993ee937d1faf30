"""The "Signé électroniquement par <président>, le <date>" line of the parchemin: who and
which day, as the jury's records say."""

import datetime

import pytest
from django.utils import timezone

from documents.models import CertificateKind, CertificateRecord
from juries import paperwork, services
from juries.models import Decision, MinutesSignature, Outcome

from .factories import A, all_codes, deliberating_session, ready_dossier, vote_all

pytestmark = pytest.mark.django_db


def closed_session(world, version):
    dossier = ready_dossier(world.centre_a, version, company=world.company_a, birth_name="Arnaud")
    session, members, items = deliberating_session(world, version, [dossier])
    vote_all(items[0], members, dict.fromkeys(all_codes(items[0]), A))
    services.close_session(session, acting_user=members[0].user, observations="RAS")
    session.refresh_from_db()
    return session, members, Decision.objects.get(item=items[0])


def test_before_the_president_signs_the_certificate_is_dated_by_the_jury(world, version):
    session, members, decision = closed_session(world, version)
    assert decision.outcome == Outcome.AWARDED
    president = next(m for m in members if m.is_president)
    assert paperwork.president_signed_on(session) is None
    record = CertificateRecord.objects.get(kind=CertificateKind.CERTIFICATE)
    assert record.signatory_name == president.name
    assert record.signed_on == record.jury_date == session.jury_date


def test_once_the_president_has_signed_the_certificate_takes_that_day(world, version):
    session, members, decision = closed_session(world, version)
    president = next(m for m in members if m.is_president)
    other = next(m for m in members if not m.is_president)
    services.sign_minutes(session, acting_user=other.user)
    assert paperwork.president_signed_on(session) is None  # another member's signature
    services.sign_minutes(session, acting_user=president.user)
    signed_at = MinutesSignature.objects.get(member=president).signed_at
    signed_on = paperwork.president_signed_on(session)
    assert signed_on == timezone.localdate(signed_at)
    facts = paperwork.certificate_facts(
        decision,
        CertificateKind.CERTIFICATE,
        session=session,
        president=president.name,
        signed_on=signed_on,
    )
    assert facts.signed_on == signed_on


def test_the_paris_day_counts(world, version):
    """Signed at 23:30 UTC on 1 December is 2 December in Paris."""
    session, members, _decision = closed_session(world, version)
    president = next(m for m in members if m.is_president)
    services.sign_minutes(session, acting_user=president.user)
    MinutesSignature.objects.filter(member=president).update(
        signed_at=datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC)
    )
    assert paperwork.president_signed_on(session) == datetime.date(2026, 12, 2)
