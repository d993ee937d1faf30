"""The jury's members: convened jurors of the centre, one president from the employer
college; their attendance on the day. Adding a member grants them the session
(django-guardian); removing takes it back.

A seat's college and union come from the juror's standing record (``services.jurors``,
issue 15), copied onto the seat when they are convened: a later change of the record does
not rewrite the session. The employee college has at most one member per union."""

from django.db import transaction
from django.utils.translation import gettext as _

from centres import audit
from centres.models import Company
from centres.permissions import grant_object_permission, revoke_object_permission
from core.services import user_of
from juries.errors import JuryError
from juries.models import (
    SIT_PERMISSION,
    Attendance,
    College,
    Juror,
    JuryMember,
    SessionStatus,
    Sex,
)
from juries.services.agenda import detect_conflicts_for_member
from juries.services.common import (
    lock_session,
    require_convener,
    require_status,
    touch_board,
)
from juries.services.decisions import refresh_session
from juries.services.jurors import is_juror, register_juror, same_union, union_of

S = SessionStatus
MEMBER_FIELDS = ("college", "organisation", "company", "sex", "qualified_for_certification")
SEAT_FIELDS = ("company", "sex", "qualified_for_certification")  # per seat, defaulting to
# the record; the college and the union are the record's only


def _snapshot(member) -> dict:
    return {
        "user": member.user_id,
        "college": member.college,
        "company": member.company_id,
        "sex": member.sex,
        "is_president": member.is_president,
        "qualified_for_certification": member.qualified_for_certification,
        "attendance": member.attendance,
        # the organisation represented (union affiliation, art. 9) is never copied into
        # the audit trail: the trail says that it changed, not what it says
        "organisation_set": bool(member.organisation),
    }


def _clean(session, fields) -> dict:
    data = {k: v for k, v in fields.items() if k in MEMBER_FIELDS}
    if "college" in data and data["college"] not in College.values:
        raise JuryError(_("Collège inconnu."), code="bad_college")
    if "sex" in data:
        data["sex"] = data["sex"] or ""
        if data["sex"] and data["sex"] not in Sex.values:
            raise JuryError(_("Valeur inconnue."), code="bad_sex")
    if "organisation" in data:
        data["organisation"] = (data["organisation"] or "").strip()
    company = data.get("company")
    if company is not None and (
        not isinstance(company, Company) or company.centre_id != session.centre_id
    ):
        raise JuryError(_("Entreprise inconnue."), code="bad_company")
    return data


def _juror_record(session, user, *, actor, college, fields) -> Juror:
    """The juror's standing record; a juror convened for the first time with a college is
    registered then (audited). A college or a union other than the record's is refused."""
    juror = Juror.objects.filter(centre=session.centre, user=user).first()
    if juror is None:
        if college is None:
            raise JuryError(
                _("Enregistrez d'abord la fiche de ce juré (collège, organisation syndicale)."),
                code="juror_not_registered",
            )
        return register_juror(
            session.centre,
            user,
            actor=actor,
            college=college,
            union=fields.get("organisation", ""),
            **{k: fields[k] for k in SEAT_FIELDS if k in fields},
        )
    if college is not None and college != juror.college:
        raise JuryError(
            _(
                "%(name)s est inscrit(e) au %(college)s : un juré siège dans le collège de sa "
                "fiche, pas dans un autre."
            )
            % {"name": juror.name, "college": College(juror.college).label.lower()},
            code="college_mismatch",
        )
    organisation = (fields.get("organisation") or "").strip()
    if (
        organisation
        and juror.college == College.EMPLOYEE
        and not same_union(organisation, union_of(juror))
    ):
        raise JuryError(
            _("Ce juré siège pour l'organisation syndicale inscrite sur sa fiche."),
            code="union_mismatch",
        )
    return juror


def add_member(session, user, *, actor, college=None, **fields) -> JuryMember:
    """Convene a juror of the centre, in the college of their standing record (and, in the
    employee college, for the union of their record: one member per union). Conflicts with
    the candidates already on the agenda are detected at once."""
    require_convener(actor, session.centre)
    data = _clean(session, {**fields, **({"college": college} if college else {})})
    college = data.pop("college", None)
    with transaction.atomic():
        session = lock_session(session)
        require_status(
            session,
            {S.PLANNED, S.OPEN},
            _("La composition du jury ne change plus une fois la délibération commencée."),
        )
        if not is_juror(user, session.centre):
            raise JuryError(
                _("Cette personne n'a pas de rôle de juré actif dans le centre."),
                code="not_a_juror",
            )
        existing = JuryMember.objects.filter(session=session, user=user).first()
        if existing is not None:
            # seated before their role was withdrawn (which revoked the grant): convening
            # them again gives the session back (nothing written when still held)
            grant_object_permission(user, SIT_PERMISSION, session, actor=actor)
            return existing
        juror = _juror_record(session, user, actor=actor, college=college, fields=data)
        seat = {
            "college": juror.college,
            "organisation": union_of(juror),
            # a blank per-seat value (the form's default) takes the record's
            "company": data.get("company") or juror.company,
            "sex": data.get("sex") or juror.sex,
            "qualified_for_certification": bool(
                data.get("qualified_for_certification") or juror.qualified_for_certification
            ),
        }
        if seat["college"] == College.EMPLOYEE:
            _refuse_second_member_of_union(session, seat["organisation"])
        member = JuryMember.objects.create(
            session=session, user=user, added_by=user_of(actor), **seat
        )
        grant_object_permission(user, SIT_PERMISSION, session, actor=actor)
        detect_conflicts_for_member(member, actor=actor)
        audit.record(
            centre=session.centre,
            actor=actor,
            action="jury.member_add",
            subject=member,
            after=_snapshot(member),
        )
        touch_board(session)
    return member


def _refuse_second_member_of_union(session, union) -> None:
    seated = JuryMember.objects.filter(session=session, college=College.EMPLOYEE).values_list(
        "organisation", flat=True
    )
    if any(same_union(union, other) for other in seated):
        raise JuryError(
            _(
                "Le collège salariés compte déjà un membre de cette organisation syndicale : "
                "un seul membre par organisation."
            ),
            code="union_already_seated",
        )


def update_member(member, *, actor, **fields) -> JuryMember:
    require_convener(actor, member.session.centre)
    data = _clean(member.session, fields)
    with transaction.atomic():
        session = lock_session(member.session)
        require_status(
            session,
            {S.PLANNED, S.OPEN},
            _("La composition du jury ne change plus une fois la délibération commencée."),
        )
        member = JuryMember.objects.select_for_update().get(pk=member.pk)
        changed = [
            name
            for name, value in data.items()
            if getattr(member, name + ("_id" if name == "company" else ""))
            != (value.pk if name == "company" and value is not None else value)
        ]
        if not changed:
            return member
        if "college" in changed or "organisation" in changed:
            raise JuryError(
                _(
                    "Le collège et l'organisation syndicale d'un membre sont ceux de sa fiche "
                    "de juré : ils ne se choisissent pas pour une session."
                ),
                code="college_from_record",
            )
        before = _snapshot(member)
        for name in changed:
            setattr(member, name, data[name])
        member.save(update_fields=changed)
        if "company" in changed:
            detect_conflicts_for_member(member, actor=actor)
        audit.record(
            centre=session.centre,
            actor=actor,
            action="jury.member_update",
            subject=member,
            before=before,
            after=_snapshot(member),
        )
        touch_board(session)
    return member


def remove_member(member, *, actor) -> None:
    require_convener(actor, member.session.centre)
    with transaction.atomic():
        session = lock_session(member.session)
        require_status(
            session,
            {S.PLANNED, S.OPEN},
            _("La composition du jury ne change plus une fois la délibération commencée."),
        )
        member = JuryMember.objects.select_for_update().filter(pk=member.pk).first()
        if member is None:
            return
        before = _snapshot(member)
        user = member.user
        audit.record(
            centre=session.centre,
            actor=actor,
            action="jury.member_remove",
            subject=member,
            before=before,
        )
        member.delete()
        revoke_object_permission(user, SIT_PERMISSION, session, actor=actor)
        touch_board(session)


def set_president(member, *, actor) -> JuryMember:
    """The employer side names the president, who has the casting vote."""
    require_convener(actor, member.session.centre)
    with transaction.atomic():
        session = lock_session(member.session)
        require_status(
            session,
            {S.PLANNED, S.OPEN},
            _("Le président ne change plus une fois la délibération commencée."),
        )
        member = JuryMember.objects.select_for_update().get(pk=member.pk)
        if member.is_president:
            return member
        record_college = (
            Juror.objects.filter(centre=session.centre, user_id=member.user_id)
            .values_list("college", flat=True)
            .first()
        )
        if member.college != College.EMPLOYER or record_college not in {None, College.EMPLOYER}:
            raise JuryError(
                _("Le président du jury est désigné parmi les membres du collège employeurs."),
                code="president_employer_college",
            )
        previous = JuryMember.objects.filter(session=session, is_president=True).first()
        if previous is not None:
            previous.is_president = False
            previous.save(update_fields=["is_president"])
        member.is_president = True
        member.save(update_fields=["is_president"])
        audit.record(
            centre=session.centre,
            actor=actor,
            action="jury.president",
            subject=member,
            before={"president": previous.pk if previous else None},
            after={"president": member.pk},
        )
        touch_board(session)
    return member


def set_attendance(member, attendance, *, actor) -> JuryMember:
    """Present, excused or absent. During the deliberation a member who leaves is marked
    absent: their votes stop counting and the provisional decisions are recomputed."""
    require_convener(actor, member.session.centre)
    if attendance not in Attendance.values:
        raise JuryError(_("Présence inconnue."), code="bad_attendance")
    with transaction.atomic():
        session = lock_session(member.session)
        require_status(
            session,
            {S.PLANNED, S.OPEN, S.DELIBERATING},
            _("La séance est close : la feuille d'émargement est arrêtée."),
        )
        member = JuryMember.objects.select_for_update().get(pk=member.pk)
        if member.attendance == attendance:
            return member
        before = member.attendance
        member.attendance = attendance
        member.save(update_fields=["attendance"])
        audit.record(
            centre=session.centre,
            actor=actor,
            action="jury.attendance",
            subject=member,
            before={"attendance": before},
            after={"attendance": attendance},
        )
        if session.status == S.DELIBERATING:
            refresh_session(session)
        touch_board(session)
    return member
