"""Issue 15: colleges and unions are facts about people, and the quorum has a floor.

- a juror's standing record carries their college and, stored apart, the union an employee
  member sits for; a seat copies it, a later change is audited and rewrites no past seat;
- one employee member per union; an employee-registered juror never sits as employer nor
  presides;
- the quorum never goes below two present, one per college; unbalanced present colleges
  need a reason, printed on the PV, as is the reason for a late invitation.
"""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from centres import services as centre_services
from centres.audit import AuditEntry
from centres.errors import CentreError
from documents.rendering import render_pdf
from juries import paperwork, services
from juries.composition import check_composition
from juries.models import (
    Attendance,
    College,
    Juror,
    JurorUnion,
    JuryMember,
    LateInvitationReason,
    SessionStatus,
)

from .factories import A, all_codes, convene, jurors, new_session, ready_dossier, vote_all
from .test_paperwork import pdf_text

pytestmark = pytest.mark.django_db


def _register(staff, world, user, college, union=""):
    return services.register_juror(world.centre_a, user, actor=staff, college=college, union=union)


# --- the standing record ------------------------------------------------------------------


def test_two_employee_members_of_the_same_union_are_refused(world, version, staff):
    session = new_session(world, version)
    users = jurors(world, 4)
    _register(staff, world, users[1], College.EMPLOYEE, "CGT-FO")
    _register(staff, world, users[3], College.EMPLOYEE, "cgt-fo ")  # same union, spelt lower
    services.add_member(session, users[1], actor=staff)
    with pytest.raises(services.JuryError) as excinfo:
        services.add_member(session, users[3], actor=staff)
    assert excinfo.value.code == "union_already_seated"
    assert not session.members.filter(user=users[3]).exists()


def test_an_employee_juror_never_sits_as_employer_nor_presides(world, version, staff):
    session = new_session(world, version)
    users = jurors(world, 2)
    _register(staff, world, users[1], College.EMPLOYEE, "CFDT")
    with pytest.raises(services.JuryError) as excinfo:
        services.add_member(session, users[1], actor=staff, college=College.EMPLOYER)
    assert excinfo.value.code == "college_mismatch"
    member = services.add_member(session, users[1], actor=staff)
    assert (member.college, member.organisation) == (College.EMPLOYEE, "CFDT")
    with pytest.raises(services.JuryError) as excinfo:
        services.set_president(member, actor=staff)
    assert excinfo.value.code == "president_employer_college"
    with pytest.raises(services.JuryError) as excinfo:
        services.update_member(member, actor=staff, college=College.EMPLOYER)
    assert excinfo.value.code == "college_from_record"
    # the database refuses an employee president too
    with pytest.raises(IntegrityError), transaction.atomic():
        JuryMember.objects.filter(pk=member.pk).update(is_president=True)


def test_a_record_moved_to_the_employee_side_cannot_preside_a_seat_taken_before(
    world, version, staff
):
    session = new_session(world, version)
    user = jurors(world, 1)[0]
    juror = _register(staff, world, user, College.EMPLOYER)
    member = services.add_member(session, user, actor=staff)
    services.update_juror(juror, actor=staff, college=College.EMPLOYEE, union="CGT")
    with pytest.raises(services.JuryError) as excinfo:
        services.set_president(member, actor=staff)
    assert excinfo.value.code == "president_employer_college"


def test_an_employee_record_needs_a_union_and_registration_is_once(world, staff):
    user = jurors(world, 2)[1]
    with pytest.raises(services.JuryError) as excinfo:
        _register(staff, world, user, College.EMPLOYEE)
    assert excinfo.value.code == "union_required"
    _register(staff, world, user, College.EMPLOYEE, "CFTC")
    with pytest.raises(services.JuryError) as excinfo:
        _register(staff, world, user, College.EMPLOYER)
    assert excinfo.value.code == "juror_exists"
    with pytest.raises(services.JuryError) as excinfo:
        services.register_juror(
            world.centre_a, user, actor=world.user("juror"), college=College.EMPLOYER
        )
    assert excinfo.value.code == "permission_denied"


def test_a_record_change_is_audited_and_rewrites_no_past_seat(world, version, staff):
    session = new_session(world, version)
    user = jurors(world, 2)[1]
    juror = _register(staff, world, user, College.EMPLOYEE, "CFE-CGC")
    seat = services.add_member(session, user, actor=staff)
    services.update_juror(juror, actor=staff, union="FTM-CGT")
    seat.refresh_from_db()
    assert seat.organisation == "CFE-CGC"  # the session keeps what it was composed with
    assert JurorUnion.objects.get(juror=juror).union == "FTM-CGT"
    entry = AuditEntry.objects.get(action="jury.juror_update")
    assert entry.after["union_changed"] is True
    assert "CGT" not in str(entry.before) + str(entry.after)  # art. 9: never in the trail
    later = new_session(world, version, starts_at=timezone.now() + datetime.timedelta(days=30))
    assert services.add_member(later, user, actor=staff).organisation == "FTM-CGT"
    services.update_juror(juror, actor=staff, college=College.EMPLOYER)
    assert not JurorUnion.objects.filter(juror=juror).exists()  # an employer keeps none
    with pytest.raises(services.JuryError):  # stale version
        services.update_juror(juror, actor=staff, expected_version=1, sex="F")


def test_the_data_migration_makes_records_from_seats(world, version, staff):
    session = new_session(world, version)
    users = jurors(world, 2)
    convene(world, session, users)
    Juror.objects.all().delete()  # JurorUnion rows cascade
    migration = importlib.import_module("juries.migrations.0008_juror_records_quorum_floor")
    migration.jurors_from_seats(apps, None)
    records = {j.user_id: j for j in Juror.objects.select_related("union_record")}
    assert records[users[0].pk].college == College.EMPLOYER
    assert records[users[1].pk].college == College.EMPLOYEE
    assert records[users[1].pk].union_record.union == "CFE-CGC"


# --- quorum floor ---------------------------------------------------------------------------


def test_a_quorum_below_the_floor_is_refused_everywhere(world, client, api_client):
    admin = world.user("centre_admin")
    with pytest.raises(CentreError) as excinfo:
        centre_services.update_centre_settings(world.centre_a, actor=admin, jury_quorum=1)
    assert excinfo.value.code == "invalid_quorum"
    client.force_login(admin)
    response = client.post(
        reverse("centres:settings"),
        {
            "jury_quorum": 1,
            "commission_min_assessors": 2,
            "retention_active_months": 36,
            "retention_archive_months": 60,
            "version": world.centre_a.version,
        },
    )
    assert response.status_code == 200 and "inférieur à 2 membres" in response.content.decode()
    api_client.force_login(admin)
    response = api_client.patch(
        reverse("api:centre-settings"), {"jury_quorum": 1}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 400
    world.centre_a.refresh_from_db()
    assert world.centre_a.jury_quorum >= 2
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database
        type(world.centre_a).objects.filter(pk=world.centre_a.pk).update(jury_quorum=1)


def _open_with(world, version, staff, present):
    """A 2 + 2 session, opened, with ``present`` (indexes) present and the others absent."""
    session = new_session(world, version)
    members = convene(world, session, jurors(world, 4))
    services.add_to_agenda(session, ready_dossier(world.centre_a, version), actor=staff)
    services.open_session(session, actor=staff)
    for index, member in enumerate(members):
        value = Attendance.PRESENT if index in present else Attendance.ABSENT
        services.set_attendance(member, value, actor=staff)
    return session, members


def test_one_member_alone_never_deliberates(world, version, staff):
    type(world.centre_a).objects.filter(pk=world.centre_a.pk).update(jury_quorum=2)
    world.centre_a.refresh_from_db()
    session, _members = _open_with(world, version, staff, present={0})
    with pytest.raises(services.JuryError) as excinfo:
        services.start_deliberation(session, actor=staff, imbalance_reason="Absences")
    assert "Quorum non atteint" in str(excinfo.value.message)


def test_each_college_must_be_present(world, version, staff):
    world.centre_a.jury_quorum = 2
    world.centre_a.save(update_fields=["jury_quorum"])
    session, members = _open_with(world, version, staff, present={0, 2})  # two employers
    president = members[0]
    assert president.is_president
    composition = check_composition(session)
    assert composition.present == 2 and not composition.quorum_reached
    with pytest.raises(services.JuryError, match="chaque collège"):
        services.start_deliberation(session, actor=staff, imbalance_reason="Grève")


def test_unbalanced_colleges_need_a_reason_printed_on_the_pv(world, version, staff):
    world.centre_a.jury_quorum = 3
    world.centre_a.save(update_fields=["jury_quorum"])
    session, members = _open_with(world, version, staff, present={0, 1, 2})
    with pytest.raises(services.JuryError) as excinfo:
        services.start_deliberation(session, actor=staff)
    assert "motif" in str(excinfo.value.message)
    services.start_deliberation(
        session, actor=staff, imbalance_reason="Membre salarié retenu par une grève SNCF."
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.DELIBERATING
    assert session.imbalance_reason.startswith("Membre salarié")
    item = session.agenda.get()
    present = [
        m
        for m in members
        if m.attendance == Attendance.PRESENT
        or m.pk in {members[0].pk, members[1].pk, members[2].pk}
    ]
    services.record_regularity(item, regular=True, actor=staff)
    vote_all(item, present[:3], dict.fromkeys(all_codes(item), A))
    services.close_session(session, actor=staff)
    from documents.models import DocumentKind, GeneratedDocument

    document = GeneratedDocument.objects.get(kind=DocumentKind.JURY_MINUTES)
    template, context = paperwork.build_minutes(document)
    text = pdf_text(render_pdf(template, context))
    text = " ".join(text.split())
    assert "grève SNCF" in text and "inégalement représentés" in text


def test_a_late_invitation_reason_is_printed_on_the_pv(world, version, staff):
    world.centre_a.jury_quorum = 2
    world.centre_a.save(update_fields=["jury_quorum"])
    session = new_session(world, version)
    users = jurors(world, 2)
    services.add_member(session, users[0], actor=staff, college=College.EMPLOYER)
    member = services.add_member(
        session, users[1], actor=staff, college=College.EMPLOYEE, organisation="CFTC"
    )
    president = session.members.get(user=users[0])
    services.set_president(president, actor=staff)
    services.record_invitations(
        session,
        actor=staff,
        reason=LateInvitationReason.MEMBER_REPLACED,
        justification="Remplacement de M. X, hospitalisé.",
    )
    services.add_to_agenda(
        session, (dossier := ready_dossier(world.centre_a, version)), actor=staff
    )
    services.open_session(session, actor=staff)
    for seat in (president, member):
        services.set_attendance(seat, Attendance.PRESENT, actor=staff)
    services.start_deliberation(session, actor=staff)
    item = session.agenda.get(dossier=dossier)
    services.record_regularity(item, regular=True, actor=staff)
    president.refresh_from_db()
    member.refresh_from_db()
    vote_all(item, [president, member], dict.fromkeys(all_codes(item), A))
    services.close_session(session, actor=staff)
    from documents.models import DocumentKind, GeneratedDocument

    document = GeneratedDocument.objects.get(kind=DocumentKind.JURY_MINUTES)
    template, context = paperwork.build_minutes(document)
    text = pdf_text(render_pdf(template, context))
    text = " ".join(text.split())
    assert "Motif : Remplacement d'un membre empêché" in text
    assert "hospitalisé" in text
    assert "CFTC" not in text  # the union is never on the PV
