"""Sessions: scheduling, invitations, and the transitions planned → open → deliberating
(closing is in ``closing.py``)."""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from centres import audit
from centres.models import Centre
from core.services import check_version, transition, user_of
from cqpm.models import Qualification, ReferentialVersion
from juries.composition import check_composition
from juries.errors import JuryError
from juries.models import (
    INVITATION_NOTICE_DAYS,
    JuryMember,
    JurySession,
    LateInvitationReason,
    SessionStatus,
)
from juries.services.common import (
    lock_session,
    require_convener,
    require_status,
    stale_session,
)

logger = logging.getLogger(__name__)
S = SessionStatus
SESSION_FIELDS = ("qualification", "label", "starts_at", "place", "town")


def _clean(fields) -> dict:
    data = {k: v for k, v in fields.items() if k in SESSION_FIELDS}
    for name in ("label", "place", "town"):
        if name in data:
            data[name] = (data[name] or "").strip()
    if "place" in data and not data["place"]:
        raise JuryError(_("Indiquez le lieu de la séance."), code="place_required")
    if "starts_at" in data and data["starts_at"] is None:
        raise JuryError(_("Indiquez la date et l'heure de la séance."), code="date_required")
    if data.get("starts_at") is not None and not 2000 <= data["starts_at"].year <= 2100:
        raise JuryError(
            _("Date invraisemblable : indiquez une date entre %(first)s et %(last)s.")
            % {"first": 2000, "last": 2100},
            code="invalid_date",
        )
    qualification = data.get("qualification")
    if qualification is not None:
        if not isinstance(qualification, Qualification):
            raise JuryError(_("CQPM inconnu."), code="bad_qualification")
        if not ReferentialVersion.objects.filter(
            qualification=qualification, status=ReferentialVersion.Status.PUBLISHED
        ).exists():
            raise JuryError(
                _("Ce CQPM n'a aucune version publiée de son référentiel."),
                code="no_published_version",
            )
    return data


def _check_not_past(starts_at) -> None:
    """A session is dated today or later (Europe/Paris): the PV and the certificates carry
    the day the jury really met, which cannot be a day already gone."""
    if starts_at is not None and timezone.localtime(starts_at).date() < timezone.localdate():
        raise JuryError(
            _(
                "Une séance ne peut pas être datée dans le passé (%(date)s) : choisissez "
                "aujourd'hui ou une date à venir."
            )
            % {"date": formats.date_format(timezone.localtime(starts_at), "SHORT_DATE_FORMAT")},
            code="session_in_past",
        )


def _check_open_time(session) -> None:
    """A session opens on its scheduled day, at most ``JURY_OPEN_WINDOW_MINUTES`` before
    its start time."""
    opens_from = session.opens_from
    if timezone.now() < opens_from:
        raise JuryError(
            _("La séance est prévue le %(when)s : elle ne peut pas être ouverte avant le %(from)s.")
            % {
                "when": formats.date_format(
                    timezone.localtime(session.starts_at), "DATETIME_FORMAT"
                ),
                "from": formats.date_format(opens_from, "DATETIME_FORMAT"),
            },
            code="session_not_yet",
        )


def _snapshot(session) -> dict:
    return {
        "qualification": session.qualification_id,
        "label": session.label,
        "starts_at": session.starts_at.isoformat() if session.starts_at else None,
        "place": session.place,
        "town": session.town,
        "status": session.status,
        "invitations_sent_at": session.invitations_sent_at.isoformat()
        if session.invitations_sent_at
        else None,
    }


def create_session(centre: Centre, *, actor, **fields) -> JurySession:
    require_convener(actor, centre)
    data = _clean(fields)
    for name in ("qualification", "starts_at", "place"):
        if not data.get(name):
            raise JuryError(_("Renseignez le CQPM, la date et le lieu."), code="missing_fields")
    _check_not_past(data["starts_at"])
    with transaction.atomic():
        session = JurySession.objects.create(centre=centre, created_by=user_of(actor), **data)
        audit.record(
            centre=centre,
            actor=actor,
            action="jury.session_create",
            subject=session,
            after=_snapshot(session),
        )
    return session


def update_session(session, *, actor, expected_version=None, **fields) -> JurySession:
    require_convener(actor, session.centre)
    data = _clean(fields)
    with transaction.atomic():
        session = lock_session(session)
        check_version(session, expected_version, stale=stale_session)
        require_status(
            session,
            {S.PLANNED, S.OPEN},
            _("La séance est en délibération ou close : elle ne peut plus être modifiée."),
        )
        if (
            "qualification" in data
            and data["qualification"].pk != session.qualification_id
            and session.agenda.exists()
        ):
            raise JuryError(
                _("Retirez les dossiers de l'ordre du jour avant de changer de CQPM."),
                code="agenda_not_empty",
            )
        before = _snapshot(session)
        changed = [
            name
            for name, value in data.items()
            if getattr(session, name + ("_id" if name == "qualification" else ""))
            != (value.pk if name == "qualification" else value)
        ]
        if not changed:
            return session
        moved = "starts_at" in changed
        if moved:
            _check_move(session, data["starts_at"])
        for name in changed:
            setattr(session, name, data[name])
        fields = [*changed, "version", "updated_at"]
        if moved and session.invitations_sent_at is not None:
            fields += _withdraw_invitations(session, before=before["starts_at"])
        session.version += 1
        session.save(update_fields=fields)
        audit.record(
            centre=session.centre,
            actor=actor,
            action="jury.session_moved" if moved else "jury.session_update",
            subject=session,
            before=before,
            after=_snapshot(session),
        )
    return session


def _check_move(session, starts_at) -> None:
    """Moving a session: never into the past, never once the meeting has begun."""
    if session.status != S.PLANNED:
        raise JuryError(
            _("La séance est ouverte : sa date ne peut plus être changée."),
            code="session_already_open",
        )
    _check_not_past(starts_at)


def _withdraw_invitations(session, *, before) -> list[str]:
    """The session moved to another day: the invitations named the old date, so the
    15-day rule is checked again when they are sent for the new one (``record_invitations``);
    until then the session cannot open. Same day, another time: the invitations stand."""
    old_day = timezone.localtime(datetime.datetime.fromisoformat(before)).date()
    if old_day == session.scheduled_date:
        return []
    session.invitations_sent_at = None
    session.late_invitation_justification = ""
    JuryMember.objects.filter(session=session).update(invited_at=None)
    return ["invitations_sent_at", "late_invitation_justification"]


def _invitation_email(member_id: int) -> None:
    """Send one member their invitation (after commit; a mail failure is logged only)."""
    from centres.scoping import scopes_disabled

    with scopes_disabled():
        member = JuryMember.objects.select_related("user", "session__qualification").get(
            pk=member_id
        )
    if not member.user.email:
        return
    session = member.session
    when = formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
    body = _(
        "Bonjour,\n\nVous êtes convoqué(e) au jury paritaire de délibération du CQPM "
        "« %(title)s », le %(when)s, %(place)s.\n\nLes dossiers à examiner sont "
        "consultables sur Parchemin : %(url)s\n"
    ) % {
        "title": session.qualification.title,
        "when": when,
        "place": session.where,
        "url": f"{settings.SITE_URL}/jurys/{session.pk}/",
    }
    try:
        send_mail(
            _("Convocation au jury paritaire de délibération"),
            body,
            None,
            [member.user.email],
        )
    except Exception:  # the invitation is recorded; the mail can be sent again
        logger.warning("Jury invitation mail to member %s failed", member_id, exc_info=True)


def record_invitations(
    session, *, actor, sent_at=None, reason="", justification="", notify=True
) -> JurySession:
    """Record that the members were invited (and, with ``notify``, mail them). Unions are
    invited at least 15 calendar days before the session: later than that, a reason chosen
    from ``LateInvitationReason`` and a text are required (both printed on the PV)."""
    require_convener(actor, session.centre)
    justification = (justification or "").strip()
    reason = reason or ""
    if reason and reason not in LateInvitationReason.values:
        raise JuryError(_("Motif inconnu."), code="bad_late_invitation_reason")
    sent_at = sent_at or timezone.now()
    with transaction.atomic():
        session = lock_session(session)
        require_status(
            session,
            {S.PLANNED},
            _("Les convocations s'envoient avant l'ouverture de la séance."),
        )
        members = list(JuryMember.objects.select_for_update().filter(session=session))
        if not members:
            raise JuryError(_("Ajoutez d'abord les membres du jury."), code="no_member")
        late = timezone.localtime(sent_at).date() > session.invitation_deadline()
        if late and not (justification and reason):
            raise JuryError(
                _(
                    "Les organisations syndicales doivent être convoquées au moins %(days)s "
                    "jours avant la séance (au plus tard le %(deadline)s) : choisissez le "
                    "motif de cette convocation tardive et justifiez-la."
                )
                % {
                    "days": INVITATION_NOTICE_DAYS,
                    "deadline": formats.date_format(
                        session.invitation_deadline(), "SHORT_DATE_FORMAT"
                    ),
                },
                code="late_invitation_justification_required",
            )
        before = {
            "invitations_sent_at": session.invitations_sent_at.isoformat()
            if session.invitations_sent_at
            else None
        }
        session.invitations_sent_at = sent_at
        session.late_invitation_justification = justification if late else ""
        session.late_invitation_reason = reason if late else ""
        session.version += 1
        session.save(
            update_fields=[
                "invitations_sent_at",
                "late_invitation_reason",
                "late_invitation_justification",
                "version",
                "updated_at",
            ]
        )
        JuryMember.objects.filter(pk__in=[m.pk for m in members]).update(invited_at=sent_at)
        audit.record(
            centre=session.centre,
            actor=actor,
            action="jury.invitations",
            subject=session,
            before=before,
            after={
                "invitations_sent_at": sent_at.isoformat(),
                "late": late,
                "late_reason": reason if late else "",
            },
            reason=justification,
        )
        if notify:
            for member in members:
                transaction.on_commit(partial(_invitation_email, member.pk))
    return session


def _transition(
    session, *, actor, to, allowed_from, guard, timestamp, expected_version, extra=None
):
    def audit_it(locked, before, after):
        audit.record(
            centre=locked.centre,
            actor=actor,
            action=f"jury.{after}",
            subject=locked,
            before={"status": before},
            after={"status": after, **(extra or {})},  # recorded with the transition
        )

    return transition(
        session,
        to=to,
        allowed_from=allowed_from,
        error=JuryError,
        state_message=_("Action impossible : la séance est à l'état « %(status)s »."),
        stale=stale_session,
        queryset=JurySession.objects.select_related("centre", "qualification"),
        permit=lambda locked: require_convener(actor, locked.centre),
        guard=guard,
        expected_version=expected_version,
        timestamp_field=timestamp,
        extra=extra,
        counters=("board_version",),  # the board's polling follows the status
        audit=audit_it,
    )


def _guard_open(session):
    _check_open_time(session)
    composition = check_composition(session)
    if composition.errors:
        raise JuryError(" ".join(composition.errors), code="composition_invalid")


def _guard_deliberate(session, imbalance_reason=None):
    _check_open_time(session)
    composition = check_composition(session, imbalance_reason=imbalance_reason)
    problems = composition.errors + composition.deliberation_errors
    if problems:
        raise JuryError(" ".join(problems), code="deliberation_refused")
    if not session.agenda.exists():
        raise JuryError(_("L'ordre du jour est vide."), code="empty_agenda")


def open_session(session, *, actor, expected_version=None) -> JurySession:
    """The meeting begins: composition checked (parity, president, invitations, VAE)."""
    return _transition(
        session,
        actor=actor,
        to=S.OPEN,
        allowed_from={S.PLANNED},
        guard=_guard_open,
        timestamp="opened_at",
        expected_version=expected_version,
    )


def start_deliberation(
    session, *, actor, expected_version=None, imbalance_reason=None
) -> JurySession:
    """Votes open: attendance recorded, quorum reached (never below two members present, one
    of each college), president present. Present members unbalanced between the colleges
    need ``imbalance_reason``, recorded and printed on the PV."""
    reason = None if imbalance_reason is None else imbalance_reason.strip()
    return _transition(
        session,
        actor=actor,
        to=S.DELIBERATING,
        allowed_from={S.OPEN},
        guard=lambda locked: _guard_deliberate(locked, reason),
        timestamp="deliberation_started_at",
        expected_version=expected_version,
        extra={"imbalance_reason": reason} if reason else None,
    )
