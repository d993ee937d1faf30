"""Parity, president, invitations (15 days), quorum, VAE rules."""

import datetime

import pytest
from django.utils import timezone
from guardian.shortcuts import get_perms

from candidates.models import AccessStatus
from centres.models import AuditEntry
from juries import services
from juries.composition import check_composition
from juries.models import Attendance, College, JurySession, LateInvitationReason, SessionStatus, Sex

from .factories import convene, jurors, new_session, ready_dossier

pytestmark = pytest.mark.django_db


def test_parity_is_required_to_open(world, version, staff):
    session = new_session(world, version)
    users = jurors(world, 3)
    convene(world, session, users, colleges=[College.EMPLOYER, College.EMPLOYER, College.EMPLOYEE])
    composition = check_composition(session)
    assert not composition.parity
    with pytest.raises(services.JuryError, match="paritaire"):
        services.open_session(session, actor=staff)
    extra = jurors(world, 4)[3]
    services.add_member(session, extra, actor=staff, college=College.EMPLOYEE, organisation="UNSA")
    services.record_invitations(
        session, actor=staff, sent_at=session.starts_at - datetime.timedelta(days=16)
    )
    assert check_composition(session).parity
    services.open_session(session, actor=staff)
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN


def test_president_comes_from_the_employer_college(world, version, staff):
    session = new_session(world, version)
    members = convene(world, session, jurors(world), president=None)
    employee = next(m for m in members if m.college == College.EMPLOYEE)
    with pytest.raises(services.JuryError, match="collège employeurs"):
        services.set_president(employee, actor=staff)
    assert "Désignez le président" in " ".join(check_composition(session).errors)
    employer = [m for m in members if m.college == College.EMPLOYER]
    services.set_president(employer[0], actor=staff)
    services.set_president(employer[1], actor=staff)  # the president changes
    assert list(session.members.filter(is_president=True)) == [employer[1]]
    with pytest.raises(services.JuryError, match="fiche de juré") as excinfo:
        services.update_member(employer[1], actor=staff, college=College.EMPLOYEE)
    assert excinfo.value.code == "college_from_record"


def test_only_jurors_of_the_centre_sit_and_get_the_session(world, version, staff):
    session = new_session(world, version)
    with pytest.raises(services.JuryError, match="juré actif"):
        services.add_member(session, world.user("assessor"), actor=staff, college="employer")
    with pytest.raises(services.JuryError, match="juré actif"):
        services.add_member(session, world.user("juror", "b"), actor=staff, college="employer")
    member = services.add_member(session, world.user("juror"), actor=staff, college="employer")
    assert "sit_on_jury_session" in get_perms(world.user("juror"), session)
    services.remove_member(member, actor=staff)
    assert "sit_on_jury_session" not in get_perms(world.user("juror"), session)
    with pytest.raises(services.JuryError, match="droit"):
        services.add_member(
            session, world.user("juror"), actor=world.user("juror"), college="employer"
        )


def test_late_invitations_need_a_justification(world, version, staff):
    session = new_session(world, version, starts_at=timezone.now() + datetime.timedelta(days=10))
    convene_users = jurors(world)
    for i, user in enumerate(convene_users):
        services.add_member(
            session,
            user,
            actor=staff,
            college="employer" if i % 2 == 0 else "employee",
            organisation=f"Union {i}",
        )
    with pytest.raises(services.JuryError) as excinfo:
        services.record_invitations(session, actor=staff)
    assert excinfo.value.code == "late_invitation_justification_required"
    assert "15" in str(excinfo.value.message)
    with pytest.raises(services.JuryError) as excinfo:  # a text alone is not enough
        services.record_invitations(
            session, actor=staff, justification="Session avancée à la demande de la GTP."
        )
    assert excinfo.value.code == "late_invitation_justification_required"
    with pytest.raises(services.JuryError) as excinfo:
        services.record_invitations(
            session, actor=staff, reason="whim", justification="Session avancée."
        )
    assert excinfo.value.code == "bad_late_invitation_reason"
    services.record_invitations(
        session,
        actor=staff,
        reason=LateInvitationReason.RESCHEDULED,
        justification="Session avancée à la demande de la GTP.",
    )
    session.refresh_from_db()
    assert session.late_invitation_justification.startswith("Session avancée")
    assert session.late_invitation_reason == LateInvitationReason.RESCHEDULED
    composition = check_composition(session)
    assert any("Motif : Séance reportée ou avancée" in w for w in composition.warnings)
    assert all(m.invited_at for m in session.members.all())
    entry = AuditEntry.objects.get(action="jury.invitations")
    assert entry.after["late"] is True and entry.reason


def test_timely_invitations_need_no_justification(world, version, staff):
    session = new_session(world, version, starts_at=timezone.now() + datetime.timedelta(days=20))
    services.add_member(session, world.user("juror"), actor=staff, college="employer")
    services.record_invitations(session, actor=staff)
    session.refresh_from_db()
    assert session.invitations_sent_at and not session.late_invitation_justification


def test_quorum_and_attendance_gate_the_deliberation(world, version, staff):
    session = new_session(world, version)
    members = convene(world, session, jurors(world))
    services.add_to_agenda(session, ready_dossier(world.centre_a, version), actor=staff)
    services.open_session(session, actor=staff)
    with pytest.raises(services.JuryError, match="présence"):
        services.start_deliberation(session, actor=staff)
    for member in members[:3]:
        services.set_attendance(member, Attendance.PRESENT, actor=staff)
    services.set_attendance(members[3], Attendance.EXCUSED, actor=staff)
    with pytest.raises(services.JuryError, match="Quorum"):
        services.start_deliberation(session, actor=staff)
    world.centre_a.jury_quorum = 3
    world.centre_a.save()
    session = JurySession.objects.get(pk=session.pk)
    composition = check_composition(session)
    assert composition.quorum_reached and composition.present == 3
    assert any("membres présents" in w for w in composition.warnings)  # present not at parity
    with pytest.raises(services.JuryError, match="motif"):  # issue 15: a reason is needed
        services.start_deliberation(session, actor=staff)
    services.start_deliberation(session, actor=staff, imbalance_reason="Un membre excusé.")
    session.refresh_from_db()
    assert session.status == SessionStatus.DELIBERATING


def test_president_must_be_present(world, version, staff):
    world.centre_a.jury_quorum = 2
    world.centre_a.save()
    session = new_session(world, version)
    members = convene(world, session, jurors(world))
    services.add_to_agenda(session, ready_dossier(world.centre_a, version), actor=staff)
    services.open_session(session, actor=staff)
    services.set_attendance(members[0], Attendance.ABSENT, actor=staff)
    for member in members[1:]:
        services.set_attendance(member, Attendance.PRESENT, actor=staff)
    with pytest.raises(services.JuryError, match="président du jury doit être présent"):
        services.start_deliberation(session, actor=staff)


def test_vae_composition(world, version, staff):
    session = new_session(world, version)
    users = jurors(world, 2)
    convene(world, session, users)
    vae = ready_dossier(world.centre_a, version, route=AccessStatus.VAE)
    item = services.add_to_agenda(session, vae, actor=staff)
    composition = check_composition(session)
    assert composition.has_vae
    assert any("qualifié" in e for e in composition.errors)
    assert any("femmes et des hommes" in w for w in composition.warnings)
    for member, sex in zip(session.members.all(), [Sex.FEMALE, Sex.MALE], strict=True):
        services.update_member(member, actor=staff, sex=sex, qualified_for_certification=True)
    composition = check_composition(session)
    assert not composition.errors
    assert not any("femmes" in w for w in composition.warnings)
    services.declare_conflict(
        item,
        session.members.first(),
        kind="accompanist",
        details="L'a accompagné",
        actor=staff,
    )
    errors = check_composition(session).errors
    assert any("ne peut pas siéger" in e for e in errors)
    with pytest.raises(services.JuryError, match="siéger"):
        services.open_session(session, actor=staff)


def test_vae_needs_two_members(world, version, staff):
    session = new_session(world, version)
    services.add_member(
        session,
        world.user("juror"),
        actor=staff,
        college="employer",
        qualified_for_certification=True,
    )
    services.add_to_agenda(
        session, ready_dossier(world.centre_a, version, route=AccessStatus.VAE), actor=staff
    )
    assert any("au moins 2 membres" in e for e in check_composition(session).errors)


def test_invitations_are_mailed_after_commit(
    world, version, staff, mailoutbox, django_capture_on_commit_callbacks
):
    session = new_session(world, version, starts_at=timezone.now() + datetime.timedelta(days=30))
    users = jurors(world, 2)
    for user, college in zip(users, ["employer", "employee"], strict=True):
        services.add_member(session, user, actor=staff, college=college, organisation="SUD")
    with django_capture_on_commit_callbacks(execute=True):
        services.record_invitations(session, actor=staff)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in users)
    assert "Convocation au jury paritaire" in mailoutbox[0].subject
    assert f"/jurys/{session.pk}/" in mailoutbox[0].body
