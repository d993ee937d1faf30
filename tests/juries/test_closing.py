"""Closing: decisions frozen, credits recorded (and their expiry), dossiers decided,
documents asked for; PV signatures; audited revocation; the re-sit."""

import datetime

import pytest
from django.utils import timezone

from candidates.models import Credit, Dossier, DossierStatus
from candidates.services import add_months, covered_competence_codes
from centres.models import AuditEntry
from documents.models import CertificateRecord, DocumentKind, GeneratedDocument
from juries import services
from juries.models import Attendance, Decision, MinutesSignature, Outcome, SessionStatus

from .factories import (
    NA,
    A,
    all_codes,
    convene,
    deliberating_session,
    jurors,
    new_session,
    produce_minutes,
    ready_dossier,
    referential,
    sign,
    sign_all,
    travel_to,
    vote,
    vote_all,
)

pytestmark = pytest.mark.django_db


def three_candidates(world, version):
    """An awarded, a partial (C7 missing) and a not-awarded candidate, all voted."""
    dossiers = [
        ready_dossier(world.centre_a, version, company=world.company_a, birth_name=name)
        for name in ("Arnaud", "Barbier", "Carpentier")
    ]
    session, members, items = deliberating_session(world, version, dossiers)
    codes = all_codes(items[0])
    vote_all(items[0], members, dict.fromkeys(codes, A))
    vote_all(items[1], members, {c: (NA if c == "C7" else A) for c in codes})
    vote_all(items[2], members, dict.fromkeys(codes, NA))
    return session, members, items


def close(session, actor):
    return services.close_session(session, actor=actor, observations="RAS")


def test_close_freezes_records_credits_and_decides(
    world, version, staff, django_capture_on_commit_callbacks
):
    session, members, items = three_candidates(world, version)
    with django_capture_on_commit_callbacks(execute=True):
        close(session, members[0].user)  # the president closes
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED and session.observations == "RAS"
    outcomes = [Decision.objects.get(item=i).outcome for i in items]
    assert outcomes == [Outcome.AWARDED, Outcome.PARTIAL, Outcome.NOT_AWARDED]
    assert all(Decision.objects.get(item=i).frozen_at for i in items)
    for item in items:
        assert Dossier.objects.get(pk=item.dossier_id).status == DossierStatus.DECIDED

    partial = Decision.objects.get(item=items[1])
    assert sorted(b.code for b in partial.validated_blocs.all()) == ["B1", "B2"]
    credits = Credit.objects.filter(source_dossier=items[1].dossier)
    jury_date = session.jury_date
    competence_credits = {c.competence.code: c for c in credits if c.competence_id}
    bloc_credits = {c.bloc.code: c for c in credits if c.bloc_id}
    assert sorted(competence_credits) == ["C1", "C2", "C3", "C4", "C5", "C6", "C8"]
    assert sorted(bloc_credits) == ["B1", "B2"]
    assert competence_credits["C1"].valid_until == add_months(jury_date, 24)
    assert bloc_credits["B1"].valid_until == add_months(jury_date, 60)
    assert not Credit.objects.filter(source_dossier=items[0].dossier).exists()  # awarded
    assert not Credit.objects.filter(source_dossier=items[2].dossier).exists()

    # Closing asks for the PV only: nothing is issued before every member present signed it.
    kinds = list(GeneratedDocument.objects.values_list("kind", flat=True))
    assert kinds == [DocumentKind.JURY_MINUTES]
    assert not CertificateRecord.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(session, members)
    kinds = sorted(GeneratedDocument.objects.values_list("kind", flat=True))
    assert kinds == sorted(
        [DocumentKind.JURY_MINUTES] * 2  # the PV signed, then the signed PV
        + [DocumentKind.CERTIFICATE, DocumentKind.ATTESTATION]
        + [DocumentKind.RESULT_LETTER] * 3
    )
    certificate = CertificateRecord.objects.get(kind="certificate")
    assert certificate.subject_id == str(Decision.objects.get(item=items[0]).pk)
    assert len(certificate.competences) == 8 and len(certificate.blocs) == 3
    attestation = CertificateRecord.objects.get(kind="attestation")
    assert [b["code"] for b in attestation.blocs] == ["B1", "B2"]
    assert "C7" not in [c["code"] for c in attestation.competences]
    assert attestation.signatory_name == members[0].name
    assert AuditEntry.objects.filter(action="jury.decision_frozen").count() == 3

    with pytest.raises(services.JuryError, match="close"):
        vote(items[0], members[1], "C1", NA)  # frozen: no vote after close
    assert close(session, staff).status == SessionStatus.CLOSED  # no-op


def test_credits_expire(world, version):
    session, members, items = three_candidates(world, version)
    close(session, members[0].user)
    candidate = items[1].dossier.candidate
    qualification = version.qualification
    jury_date = session.jury_date
    assert set(covered_competence_codes(candidate, qualification, on=jury_date)) == {
        "C1",
        "C2",
        "C3",
        "C4",
        "C5",
        "C6",
        "C8",
    }
    after_two_years = add_months(jury_date, 24) + datetime.timedelta(days=1)
    # competence credits expired; the blocs (5 years) still cover their competences
    assert set(covered_competence_codes(candidate, qualification, on=after_two_years)) == {
        "C1",
        "C2",
        "C3",
        "C4",
        "C5",
    }
    after_five_years = add_months(jury_date, 60) + datetime.timedelta(days=1)
    assert covered_competence_codes(candidate, qualification, on=after_five_years) == {}


def test_close_is_refused_while_incomplete_or_without_quorum(world, version, staff):
    dossiers = [ready_dossier(world.centre_a, version) for _ in range(2)]
    session, members, items = deliberating_session(world, version, dossiers)
    codes = all_codes(items[0])
    vote_all(items[0], members, dict.fromkeys(codes, A))
    with pytest.raises(services.JuryError) as excinfo:
        close(session, staff)
    assert excinfo.value.code == "undecided"
    assert items[1].dossier.candidate.full_name in str(excinfo.value.message)
    with pytest.raises(services.JuryError, match="président"):
        close(session, members[1].user)  # a member who does not preside
    vote_all(items[1], members, dict.fromkeys(codes, A))
    services.set_attendance(members[3], Attendance.ABSENT, actor=staff)
    with pytest.raises(services.JuryError, match="Quorum"):
        close(session, staff)
    assert Decision.objects.filter(frozen_at__isnull=False).count() == 0


def test_absent_candidate_stays_ready_for_a_later_jury(world, version, staff):
    dossier = ready_dossier(world.centre_a, version)
    session, members, (item,) = deliberating_session(world, version, [dossier])
    services.set_candidate_absent(item, True, actor=staff)
    close(session, staff)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.READY_FOR_JURY
    assert Decision.objects.get(item=item).outcome == Outcome.ABSENT
    later = new_session(world, version, starts_at=timezone.now() + datetime.timedelta(days=30))
    assert services.eligible_dossiers(later).filter(pk=dossier.pk).exists()


def test_present_members_sign_the_minutes(
    world, version, staff, django_capture_on_commit_callbacks
):
    session, members, items = three_candidates(world, version)
    with pytest.raises(services.JuryError, match="close"):
        sign(session, members[0], document_sha256="0" * 64)
    services.set_attendance(members[3], Attendance.ABSENT, actor=staff)
    vote_all(items[0], members[:3], {})  # decisions stay complete without the 4th
    world.centre_a.jury_quorum = 3
    world.centre_a.save()
    session.refresh_from_db()
    close(session, staff)
    with pytest.raises(services.JuryError) as excinfo:
        sign(session, members[0], document_sha256="0" * 64)
    assert excinfo.value.code == "minutes_not_ready"  # the PV is not produced yet
    minutes = produce_minutes(session)
    with pytest.raises(services.JuryError, match="présents"):
        sign(session, members[3])
    before = GeneratedDocument.objects.filter(kind=DocumentKind.JURY_MINUTES).count()
    for member in members[:2]:
        sign(session, member, ip="127.0.0.1")
    assert not CertificateRecord.objects.exists()  # one member present has not signed
    sign(session, members[2], ip="127.0.0.1")
    first = sign(session, members[0], password="")  # already signed: no-op
    assert first.document == minutes and first.document_sha256 == minutes.sha256
    assert MinutesSignature.objects.filter(session=session).count() == 3
    # once everyone present has signed: the signed PV, the parchemin, the attestation and
    # the letters
    assert GeneratedDocument.objects.filter(kind=DocumentKind.JURY_MINUTES).count() == before + 1
    assert sorted(CertificateRecord.objects.values_list("kind", flat=True)) == [
        "attestation",
        "certificate",
    ]
    assert AuditEntry.objects.filter(action="jury.documents_issued").count() == 1
    with pytest.raises(services.JuryError):
        services.sign_minutes(session, actor=staff, password="x", document_sha256="0")


def test_revocation_is_audited_and_revokes_credits_and_certificates(world, version, staff):
    session, members, items = three_candidates(world, version)
    close(session, staff)
    sign_all(session, members)
    partial = Decision.objects.get(item=items[1])
    awarded = Decision.objects.get(item=items[0])
    with pytest.raises(services.JuryError, match="motif"):
        services.revoke_decision(partial, reason=" ", actor=staff)
    with pytest.raises(services.JuryError, match="droit"):
        services.revoke_decision(partial, reason="Erreur", actor=members[0].user)
    later = new_session(world, version, starts_at=session.starts_at + datetime.timedelta(days=40))
    services.revoke_decision(
        partial,
        reason="Grille C3 signée par un évaluateur lié",
        actor=staff,
        later_session=later,
    )
    partial.refresh_from_db()
    assert partial.revoked_at and partial.revoked_by == world.user("staff")
    assert partial.revocation_reason.startswith("Grille C3")
    assert not Credit.objects.filter(
        source_dossier=items[1].dossier, revoked_at__isnull=True
    ).exists()
    assert CertificateRecord.objects.get(kind="attestation").revoked_at is not None
    entry = AuditEntry.objects.get(action="jury.decision_revoked")
    assert entry.reason.startswith("Grille C3") and entry.actor == world.user("staff")
    assert len(entry.after["credits_revoked"]) == 9
    assert AuditEntry.objects.filter(action="credit.revoke").count() == 9
    new_item = later.agenda.get()
    assert new_item.dossier_id == items[1].dossier_id and new_item.revises == partial
    # revoking twice changes nothing
    services.revoke_decision(partial, reason="Encore", actor=staff)
    assert AuditEntry.objects.filter(action="jury.decision_revoked").count() == 1

    # the later session decides again, on its day; the revoked decision is superseded
    new_members = convene(world, later, jurors(world))
    with travel_to(later.starts_at):
        services.open_session(later, actor=staff)
        for m in new_members:
            services.set_attendance(m, Attendance.PRESENT, actor=staff)
        services.start_deliberation(later, actor=staff)
        services.record_regularity(new_item, regular=True, actor=staff)
        vote_all(new_item, new_members, dict.fromkeys(all_codes(new_item), A))
        services.close_session(later, actor=staff)
    partial.refresh_from_db()
    assert partial.superseded_by.outcome == Outcome.AWARDED
    assert not awarded.revoked_at


def test_revocation_needs_a_frozen_decision_and_a_later_session(world, version, staff):
    dossier = ready_dossier(world.centre_a, version)
    session, members, (item,) = deliberating_session(world, version, [dossier])
    vote_all(item, members, dict.fromkeys(all_codes(item), A))
    decision = Decision.objects.get(item=item)
    with pytest.raises(services.JuryError, match="figée"):
        services.revoke_decision(decision, reason="x", actor=staff)
    close(session, staff)
    earlier = new_session(world, version, starts_at=session.starts_at)  # not later
    with pytest.raises(services.JuryError, match="ultérieure"):
        services.revoke_decision(decision, reason="x", actor=staff, later_session=earlier)
    other = referential(rncp=False)
    elsewhere = new_session(world, other, starts_at=session.starts_at + datetime.timedelta(days=3))
    with pytest.raises(services.JuryError, match="même CQPM"):
        services.revoke_decision(decision, reason="x", actor=staff, later_session=elsewhere)
    decision.refresh_from_db()
    assert decision.revoked_at is None


def test_resit_after_a_partial_result(world, version, staff):
    session, members, items = three_candidates(world, version)
    close(session, staff)
    partial = Decision.objects.get(item=items[1])
    with pytest.raises(services.JuryError, match="partielle"):
        services.open_resit(Decision.objects.get(item=items[2]), actor=staff)
    with pytest.raises(services.JuryError, match="droit"):
        services.open_resit(partial, actor=members[0].user)
    # The credits run from the jury date (today here).
    resit = services.open_resit(partial, actor=staff)
    assert resit.previous_dossier_id == items[1].dossier_id
    assert list(resit.competences.values_list("competence__code", flat=True)) == ["C7"]


def test_non_rncp_partial_has_no_bloc(world, staff):
    version = referential(rncp=False)
    dossier = ready_dossier(world.centre_a, version)
    session, members, (item,) = deliberating_session(world, version, [dossier])
    vote_all(item, members, {c: (NA if c == "C8" else A) for c in all_codes(item)})
    close(session, staff)
    decision = Decision.objects.get(item=item)
    assert decision.outcome == Outcome.PARTIAL
    assert not decision.validated_blocs.exists()
    assert not Credit.objects.filter(source_dossier=dossier, bloc__isnull=False).exists()
    assert Credit.objects.filter(source_dossier=dossier, competence__isnull=False).count() == 7


def test_carried_credits_fill_the_gap(world, version, staff):
    from tests.candidates.factories import CreditFactory

    dossier = ready_dossier(world.centre_a, version, codes=["C4", "C5", "C6", "C7", "C8"])
    bloc = version.blocs.get(code="B1")
    CreditFactory(
        candidate=dossier.candidate,
        qualification=version.qualification,
        bloc=bloc,
        jury_date=timezone.localdate() - datetime.timedelta(days=300),
    )
    session, members, (item,) = deliberating_session(world, version, [dossier])
    vote_all(item, members, dict.fromkeys(all_codes(item), A))
    decision = Decision.objects.get(item=item)
    assert decision.outcome == Outcome.AWARDED
    sources = dict(decision.competences.values_list("competence__code", "source"))
    assert sources["C1"] == "credit" and sources["C4"] == "evaluated"
