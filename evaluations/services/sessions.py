"""Scheduling: sessions, the dossiers they evaluate, their commission (with the guardian
grants that let each assessor reach their sessions, and nothing else)."""

import datetime
from functools import partial

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from candidates.models import DossierCompetence, DossierStatus
from candidates.services import mark_in_evaluation
from centres import audit
from centres.audit import snapshot
from centres.permissions import grant_object_permission, revoke_object_permission
from centres.roles import Capability, Role
from centres.selectors import holds_role
from core.services import check_version, transition, user_of
from evaluations.errors import EvaluationError
from evaluations.models import (
    EVALUATE_PERMISSION,
    CommissionMember,
    CriterionScore,
    EvaluationSession,
    Grid,
    GridSignature,
    SessionDossier,
    SessionModality,
    SessionStatus,
)
from evaluations.services import notifications
from evaluations.services.common import actor_in, require_capability, stale_record
from evaluations.services.conflicts import company_refusal
from evaluations.services.grids import create_grids, relock_session_grids

SESSION_FIELDS = ("label", "starts_at", "ends_at", "place", "town", "modality", "notes")
ACCEPTED_DOSSIER_STATUSES = {DossierStatus.AGREED, DossierStatus.IN_EVALUATION}


def _clean_session_fields(fields) -> dict:
    data = {k: v for k, v in fields.items() if k in SESSION_FIELDS}
    for key in ("label", "place", "town", "notes"):
        if key in data:
            data[key] = (data[key] or "").strip()
    if "place" in data and not data["place"]:
        raise EvaluationError(_("Indiquez le lieu de l'évaluation."), code="place_required")
    if "modality" in data and data["modality"] not in SessionModality.values:
        raise EvaluationError(_("Modalité d'évaluation inconnue."), code="invalid_modality")
    return data


PLAUSIBLE_YEARS = (2000, 2100)


def _check_dates(session) -> None:
    if session.starts_at is None:
        raise EvaluationError(_("Indiquez la date et l'heure de début."), code="start_required")
    for moment in (session.starts_at, session.ends_at):
        # Dates outside any plausible certification calendar are typing errors (and years
        # before 1900 have no fixed UTC offset in Europe/Paris).
        if moment is not None and not (PLAUSIBLE_YEARS[0] <= moment.year <= PLAUSIBLE_YEARS[1]):
            raise EvaluationError(
                _("Date invraisemblable : indiquez une date entre %(first)s et %(last)s.")
                % {"first": PLAUSIBLE_YEARS[0], "last": PLAUSIBLE_YEARS[1]},
                code="invalid_dates",
            )
    if session.ends_at and session.ends_at <= session.starts_at:
        raise EvaluationError(
            _("La fin de la session doit suivre son début."), code="invalid_dates"
        )


# A session may start earlier today or yesterday (entered on the day, or the morning after);
# an older date is a typing error unless the user confirms a session already held.
PAST_TOLERANCE = datetime.timedelta(days=1)


def _check_not_past(starts_at, confirm_past: bool) -> None:
    if confirm_past or starts_at is None or starts_at >= timezone.now() - PAST_TOLERANCE:
        return
    raise EvaluationError(
        _(
            "La session commencerait le %(date)s, il y a plus d'un jour. Corrigez la date, ou "
            "confirmez qu'il s'agit d'une session déjà tenue que vous enregistrez après coup."
        )
        % {"date": formats.date_format(timezone.localtime(starts_at), "DATE_FORMAT")},
        code="session_in_past",
    )


def schedule_session(centre, *, actor, confirm_past=False, **fields) -> EvaluationSession:
    """Plan a session. A start more than a day ago is refused unless ``confirm_past``."""
    user = user_of(actor)
    require_capability(user, centre, Capability.SCHEDULE_EVALUATIONS)
    data = _clean_session_fields(fields)
    if "place" not in data:
        raise EvaluationError(_("Indiquez le lieu de l'évaluation."), code="place_required")
    with transaction.atomic():
        session = EvaluationSession(centre=centre, created_by=user, **data)
        _check_dates(session)
        _check_not_past(session.starts_at, confirm_past)
        session.save()
        audit.record(
            centre=centre,
            actor=user,
            action="session.scheduled",
            subject=session,
            after=snapshot(session, SESSION_FIELDS),
        )
    return session


def _lock_session(session) -> EvaluationSession:
    return (
        EvaluationSession.objects.select_for_update(of=("self",))
        .select_related("centre")
        .get(pk=session.pk)
    )


def update_session(session, *, actor, expected_version=None, confirm_past=False, **fields):
    """Edit a session; moving its start more than a day into the past needs ``confirm_past``
    (a session already in the past may be edited otherwise)."""
    user = user_of(actor)
    data = _clean_session_fields(fields)
    with transaction.atomic():
        session = _lock_session(session)
        require_capability(user, session.centre, Capability.SCHEDULE_EVALUATIONS)
        check_version(session, expected_version, stale=stale_record)
        if session.status == SessionStatus.CLOSED:
            raise EvaluationError(_("La session est close."), code="session_closed")
        changed = [k for k, v in data.items() if getattr(session, k) != v]
        if not changed:
            return session
        if "modality" in changed and session.grids.exists():
            raise EvaluationError(
                _("La modalité ne peut plus changer : des grilles sont ouvertes."),
                code="modality_locked",
            )
        before = snapshot(session, changed)
        for key in changed:
            setattr(session, key, data[key])
        _check_dates(session)
        if "starts_at" in changed:
            _check_not_past(session.starts_at, confirm_past)
        session.version += 1
        session.save(update_fields=[*changed, "version", "updated_at"])
        audit.record(
            centre=session.centre,
            actor=user,
            action="session.updated",
            subject=session,
            before=before,
            after=snapshot(session, changed),
        )
    return session


def _set_status(session, to, *, actor, allowed_from, guard=None, expected_version=None):
    user = user_of(actor)

    def audit_it(locked, before, after):
        audit.record(
            centre=locked.centre,
            actor=user,
            action=f"session.{after}",
            subject=locked,
            before={"status": before},
            after={"status": after},
        )

    return transition(
        session,
        to=to,
        allowed_from=allowed_from,
        error=EvaluationError,
        state_message=_("Action impossible : la session est à l'état « %(status)s »."),
        stale=stale_record,
        queryset=EvaluationSession.objects.select_related("centre"),
        permit=lambda locked: require_capability(
            user, locked.centre, Capability.SCHEDULE_EVALUATIONS
        ),
        guard=guard,
        expected_version=expected_version,
        audit=audit_it,
    )


def _guard_start(session):
    minimum = session.centre.commission_min_assessors
    if session.members.count() < minimum:
        raise EvaluationError(
            ngettext(
                "La commission doit compter au moins %(n)s évaluateur.",
                "La commission doit compter au moins %(n)s évaluateurs.",
                minimum,
            )
            % {"n": minimum},
            code="commission_too_small",
        )
    if not session.session_dossiers.exists():
        raise EvaluationError(_("Ajoutez au moins un dossier."), code="no_dossier")


def _guard_close(session):
    unsigned = (
        session.grids.exclude(status="signed")
        .filter(dossier__status__in=ACCEPTED_DOSSIER_STATUSES)
        .count()
    )
    if unsigned:
        raise EvaluationError(
            ngettext("%(n)s grille reste à signer.", "%(n)s grilles restent à signer.", unsigned)
            % {"n": unsigned},
            code="grids_unsigned",
        )


def start_session(session, *, actor, expected_version=None):
    return _set_status(
        session,
        SessionStatus.IN_PROGRESS,
        actor=actor,
        allowed_from={SessionStatus.PLANNED},
        guard=_guard_start,
        expected_version=expected_version,
    )


def close_session(session, *, actor, expected_version=None):
    return _set_status(
        session,
        SessionStatus.CLOSED,
        actor=actor,
        allowed_from={SessionStatus.IN_PROGRESS},
        guard=_guard_close,
        expected_version=expected_version,
    )


def _open_session_for_change(session, user):
    session = _lock_session(session)
    require_capability(user, session.centre, Capability.SCHEDULE_EVALUATIONS)
    if session.status == SessionStatus.CLOSED:
        raise EvaluationError(_("La session est close."), code="session_closed")
    return session


def add_dossier(session, dossier, *, actor) -> SessionDossier:
    """Evaluate the dossier during the session: its competences assessed with the session's
    modality get their grids; an agreed dossier moves to "in evaluation"."""
    user = user_of(actor)
    with transaction.atomic():
        session = _open_session_for_change(session, user)
        if dossier.centre_id != session.centre_id:
            raise EvaluationError(_("Dossier inconnu."), code="foreign_dossier")
        existing = SessionDossier.objects.filter(session=session, dossier=dossier).first()
        if existing:
            return existing
        if dossier.status not in ACCEPTED_DOSSIER_STATUSES:
            raise EvaluationError(
                _(
                    "Seul un dossier aux modalités validées ou en évaluation peut être évalué "
                    "(état actuel : « %(status)s »)."
                )
                % {"status": dossier.get_status_display()},
                code="dossier_not_ready",
            )
        competence_ids = list(
            DossierCompetence.objects.filter(
                dossier=dossier, modality__code=session.modality
            ).values_list("competence_id", flat=True)
        )
        if not competence_ids:
            raise EvaluationError(
                _(
                    "Aucune compétence de ce dossier n'est évaluée selon la modalité de la "
                    "session (« %(modality)s »)."
                )
                % {"modality": session.get_modality_display()},
                code="no_competence_for_modality",
            )
        for member in session.members.select_related("user"):
            refusal = company_refusal(member.user, dossier)
            if refusal:
                raise EvaluationError(refusal, code="conflict_of_interest")
        slot = SessionDossier.objects.create(session=session, dossier=dossier, added_by=user)
        create_grids(session, dossier, competence_ids, actor=user)
        audit.record(
            centre=session.centre,
            actor=user,
            action="session.dossier_added",
            subject=session,
            after={"dossier": dossier.pk},
        )
        if dossier.status == DossierStatus.AGREED:
            mark_in_evaluation(dossier, actor=actor_in(user, session.centre))
        transaction.on_commit(partial(notifications.convoke_candidate, slot.pk))
    return slot


def remove_dossier(session, dossier, *, actor) -> None:
    """Take a dossier out of a session, while nothing of it has been scored there."""
    user = user_of(actor)
    with transaction.atomic():
        session = _open_session_for_change(session, user)
        slot = SessionDossier.objects.filter(session=session, dossier=dossier).first()
        if slot is None:
            return
        grids = Grid.objects.filter(session=session, dossier=dossier)
        touched = (
            CriterionScore.objects.filter(grid__in=grids).exclude(state="").exists()
            or GridSignature.objects.filter(grid__in=grids).exists()
            or grids.exclude(proposal="").exists()
        )
        if touched:
            raise EvaluationError(
                _(
                    "Ce dossier a déjà été évalué lors de cette session : il ne peut plus en "
                    "sortir."
                ),
                code="dossier_evaluated",
            )
        grids.delete()
        slot.delete()
        audit.record(
            centre=session.centre,
            actor=user,
            action="session.dossier_removed",
            subject=session,
            before={"dossier": dossier.pk},
        )


def _assessor_membership(user, centre) -> bool:
    return holds_role(user, centre, Role.ASSESSOR)


def add_member(session, user, *, actor) -> CommissionMember:
    """Seat an assessor on the commission and grant them the session (guardian)."""
    actor_user = user_of(actor)
    with transaction.atomic():
        session = _open_session_for_change(session, actor_user)
        existing = CommissionMember.objects.filter(session=session, user=user).first()
        if existing:
            if _assessor_membership(user, session.centre):
                # seated before their role was withdrawn (which revoked the grant): adding
                # them again gives the session back (nothing written when still held)
                grant_object_permission(
                    user,
                    EVALUATE_PERMISSION,
                    session,
                    actor=actor_user,
                    reason=_("Membre de la commission"),
                )
            return existing
        if not _assessor_membership(user, session.centre):
            raise EvaluationError(
                _("Cette personne n'est pas évaluateur dans ce centre."), code="not_assessor"
            )
        for slot in session.session_dossiers.select_related("dossier__candidate"):
            refusal = company_refusal(user, slot.dossier)
            if refusal:
                raise EvaluationError(refusal, code="conflict_of_interest")
        member = CommissionMember.objects.create(session=session, user=user, added_by=actor_user)
        grant_object_permission(
            user,
            EVALUATE_PERMISSION,
            session,
            actor=actor_user,
            reason=_("Membre de la commission"),
        )
        audit.record(
            centre=session.centre,
            actor=actor_user,
            action="session.member_added",
            subject=session,
            after={"user": user.pk},
        )
        transaction.on_commit(partial(notifications.convoke_member, member.pk))
    return member


def remove_member(member, *, actor) -> None:
    """Take an assessor off the commission (not once they signed a grid): the grant goes."""
    actor_user = user_of(actor)
    with transaction.atomic():
        session = _open_session_for_change(member.session, actor_user)
        member = CommissionMember.objects.select_for_update().filter(pk=member.pk).first()
        if member is None:
            return
        if member.signatures.exists():
            raise EvaluationError(
                _("Ce membre a signé une grille : il ne peut plus quitter la commission."),
                code="member_signed",
            )
        user = member.user
        member.delete()
        revoke_object_permission(
            user,
            EVALUATE_PERMISSION,
            session,
            actor=actor_user,
            reason=_("Retiré de la commission"),
        )
        audit.record(
            centre=session.centre,
            actor=actor_user,
            action="session.member_removed",
            subject=session,
            before={"user": user.pk},
        )
        relock_session_grids(session, actor_user)


def set_presence(member, present: bool, *, actor) -> CommissionMember:
    actor_user = user_of(actor)
    with transaction.atomic():
        session = _open_session_for_change(member.session, actor_user)
        member = CommissionMember.objects.select_for_update().get(pk=member.pk)
        if member.present == present:
            return member
        if not present and member.signatures.exists():
            raise EvaluationError(
                _("Ce membre a déjà signé des grilles : il était présent."), code="member_signed"
            )
        member.present = present
        member.save(update_fields=["present"])
        audit.record(
            centre=session.centre,
            actor=actor_user,
            action="session.member_presence",
            subject=member,
            before={"present": not present},
            after={"present": present},
        )
        if not present:
            relock_session_grids(session, actor_user)
    return member
