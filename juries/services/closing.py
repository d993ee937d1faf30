"""Closing a session (decisions frozen, credits recorded, dossiers decided, the PV to sign
asked for), the audited revocation of a frozen decision, the re-sit. The PV signatures and
the issue of the documents: ``services.signing``."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.models import Credit, DossierStatus
from candidates.services import DossierError, mark_decided, open_resit_dossier, record_credit
from centres import audit
from core.services import check_version, user_of
from juries import paperwork
from juries.composition import check_composition
from juries.deliberation import session_states
from juries.dossier_file import late_signatures
from juries.errors import JuryError
from juries.models import (
    CompetenceSource,
    Decision,
    JurySession,
    Outcome,
    SessionStatus,
)
from juries.services.agenda import add_to_agenda
from juries.services.common import (
    actor_in,
    lock_session,
    require_convener,
    require_convener_or_president,
    require_status,
    stale_session,
    touch_board,
)
from juries.services.decisions import referential_blocs, refresh_decision
from juries.services.signing import require_mentions

S = SessionStatus


def _decision_snapshot(decision) -> dict:
    rows = decision.competences.select_related("competence").order_by("competence__number")
    return {
        "outcome": decision.outcome,
        "competences": {
            r.competence.code: {"acquired": r.acquired, "source": r.source} for r in rows
        },
        "blocs": sorted(b.code for b in decision.validated_blocs.all()),
    }


def _record_credits(actor, decision, jury_date) -> list:
    """Partial result: the competences acquired in this session (24 months by default) and
    the blocs they complete (60 months), from the jury date."""
    dossier = decision.dossier
    acquired_now = list(
        decision.competences.filter(source=CompetenceSource.EVALUATED, acquired=True)
        .select_related("competence")
        .order_by("competence__number")
    )
    now_ids = {row.competence_id for row in acquired_now}
    credits = [
        record_credit(actor=actor, dossier=dossier, jury_date=jury_date, competence=row.competence)
        for row in acquired_now
    ]
    for bloc in decision.validated_blocs.prefetch_related("competences").order_by("order"):
        if {c.pk for c in bloc.competences.all()} & now_ids:
            credits.append(
                record_credit(actor=actor, dossier=dossier, jury_date=jury_date, bloc=bloc)
            )
    return credits


def close_session(session, *, actor, expected_version=None, observations=None):
    """Freeze every decision and close the session (centre staff or the president).

    Refused while the quorum is not reached or a candidate is undecided (a vote missing, a
    tie without the president's vote, the regularity not checked)."""
    require_convener_or_president(session, actor)
    with transaction.atomic():
        session = lock_session(session)
        if session.status == S.CLOSED:
            return session
        check_version(session, expected_version, stale=stale_session)
        require_status(
            session,
            {S.DELIBERATING},
            _("Seule une séance en délibération peut être close."),
        )
        require_mentions(session)  # production: the PV would print « à renseigner »
        composition = check_composition(session)
        if not composition.quorum_reached:
            raise JuryError(
                _("Quorum non atteint : %(present)s présent(s) pour %(quorum)s requis.")
                % {"present": composition.present, "quorum": composition.quorum},
                code="quorum_not_reached",
            )
        _members, states = session_states(session, members=composition.members)
        if not states:
            raise JuryError(_("L'ordre du jour est vide."), code="empty_agenda")
        blocs_by_version: dict = {}
        decisions, undecided = [], []
        for state in states:
            dossier = state.item.dossier
            if (
                not state.item.candidate_absent
                and not state.item.revises_id
                and dossier.status != DossierStatus.READY_FOR_JURY
            ):
                undecided.append(
                    _("%(name)s (dossier à l'état « %(status)s »)")
                    % {"name": dossier.candidate.full_name, "status": dossier.get_status_display()}
                )
                continue
            version = dossier.referential_version
            if version.pk not in blocs_by_version:
                blocs_by_version[version.pk] = referential_blocs(version)
            decision = refresh_decision(session, state, blocs=blocs_by_version[version.pk])
            if decision is None:
                undecided.append(state.item.dossier.candidate.full_name)
            else:
                decisions.append((state.item, decision))
        if undecided:
            raise JuryError(
                _(
                    "Délibération incomplète pour : %(names)s (régularité à vérifier, votes "
                    "manquants ou égalité sans voix du président)."
                )
                % {"names": ", ".join(undecided)},
                code="undecided",
            )
        _refuse_late_signatures(session, [item for item, _d in decisions])
        now = timezone.now()
        session.deliberated_at = now  # the date the credits and documents carry
        dossier_actor = actor_in(actor, session.centre)
        for item, decision in decisions:
            _freeze(session, item, decision, dossier_actor, now, actor)
        session.status = S.CLOSED
        session.closed_at = now
        session.closed_by = user_of(actor)
        fields = ["status", "closed_at", "closed_by", "version", "board_version", "updated_at"]
        fields.append("deliberated_at")
        if observations is not None:
            session.observations = (observations or "").strip()
            fields.append("observations")
        session.version += 1
        session.board_version += 1  # decisions frozen
        session.save(update_fields=fields)
        audit.record(
            centre=session.centre,
            actor=actor,
            action="jury.closed",
            subject=session,
            before={"status": S.DELIBERATING},
            after={
                "status": S.CLOSED,
                "deliberated_at": now.isoformat(),
                "decisions": {str(d.dossier_id): d.outcome for _i, d in decisions},
            },
        )
        # Only the PV to sign: the certificates and letters are issued once every member
        # present has signed it (services.signing).
        paperwork.after_close(session, actor=actor)
    return session


def _refuse_late_signatures(session, items) -> None:
    """A grid or an avis signed after the deliberation began is not part of the file the jury
    deliberated on: the decision cannot rest on it (``juries.dossier_file``)."""
    late = late_signatures(session, [item.dossier_id for item in items])
    if late:
        raise JuryError(
            _(
                "Signé(s) après le début de la délibération, hors du dossier du jury : "
                "%(what)s. Inscrivez ces dossiers à une séance ultérieure."
            )
            % {"what": "; ".join(late)},
            code="signed_after_deliberation",
        )


def _freeze(session, item, decision, dossier_actor, now, actor) -> None:
    decision.frozen_at = now
    decision.save(update_fields=["frozen_at"])
    audit.record(
        centre=session.centre,
        actor=actor,
        action="jury.decision_frozen",
        subject=decision,
        after=_decision_snapshot(decision),
    )
    if item.revises_id:
        previous = Decision.objects.select_for_update().get(pk=item.revises_id)
        if previous.superseded_by_id is None and decision.outcome != Outcome.ABSENT:
            previous.superseded_by = decision
            previous.save(update_fields=["superseded_by"])
            audit.record(
                centre=session.centre,
                actor=actor,
                action="jury.decision_superseded",
                subject=previous,
                after={"superseded_by": decision.pk},
            )
    if decision.outcome == Outcome.PARTIAL:
        _record_credits(dossier_actor, decision, session.jury_date)
    if decision.outcome != Outcome.ABSENT:
        dossier = item.dossier
        if dossier.status == DossierStatus.READY_FOR_JURY:
            mark_decided(dossier, actor=dossier_actor)


def revoke_decision(decision, *, reason, actor, later_session=None) -> Decision:
    """Revoke a frozen decision: who, when, why; its credits and certificates are revoked;
    with ``later_session``, the dossier joins that session's agenda to be decided again."""
    require_convener(actor, decision.centre)
    reason = (reason or "").strip()
    if not reason:
        raise JuryError(_("Le motif de la révocation est obligatoire."), code="reason_required")
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("item__session", "dossier")
            .get(pk=decision.pk)
        )
        if decision.revoked_at is not None:
            return decision
        if decision.frozen_at is None:
            raise JuryError(
                _("Seule une décision figée (séance close) peut être révoquée."),
                code="not_frozen",
            )
        session = decision.item.session
        if later_session is not None:
            _check_later_session(session, later_session)
        now = timezone.now()
        decision.revoked_at = now
        decision.revoked_by = user_of(actor)
        decision.revocation_reason = reason
        decision.version += 1
        decision.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "version"])
        credits = list(
            Credit.objects.select_for_update().filter(
                source_dossier=decision.dossier,
                jury_date=session.jury_date,
                revoked_at__isnull=True,
            )
        )
        for credit in credits:
            credit.revoked_at = now
            credit.save(update_fields=["revoked_at"])
            audit.record(
                centre=decision.centre,
                actor=actor,
                action="credit.revoke",
                subject=credit,
                before={"revoked": False},
                after={"revoked": True, "decision": decision.pk},
                reason=reason,
            )
        certificates = paperwork.revoke_certificates(decision, reason=reason, actor=actor)
        audit.record(
            centre=decision.centre,
            actor=actor,
            action="jury.decision_revoked",
            subject=decision,
            before={"outcome": decision.outcome, "revoked": False},
            after={
                "revoked": True,
                "credits_revoked": [c.pk for c in credits],
                "certificates_revoked": certificates,
                "later_session": later_session.pk if later_session else None,
            },
            reason=reason,
        )
        touch_board(session)  # the closed session's board shows the revocation
        if later_session is not None:
            add_to_agenda(later_session, decision.dossier, actor=actor)
    return decision


def _check_later_session(session, later_session) -> None:
    if (
        later_session.centre_id != session.centre_id
        or later_session.qualification_id != session.qualification_id
    ):
        raise JuryError(_("Choisissez une séance à venir du même CQPM."), code="bad_later_session")
    if later_session.starts_at <= session.starts_at or later_session.status not in {
        S.PLANNED,
        S.OPEN,
    }:
        raise JuryError(
            _(
                "La nouvelle décision est prise lors d'une séance ultérieure, pas encore ouverte "
                "à la délibération."
            ),
            code="bad_later_session",
        )


def later_sessions(session):
    """Sessions that may decide again on a revoked decision of ``session``."""
    return JurySession.objects.filter(
        centre_id=session.centre_id,
        qualification_id=session.qualification_id,
        starts_at__gt=session.starts_at,
        status__in=[S.PLANNED, S.OPEN],
    ).order_by("starts_at")


def open_resit(decision, *, actor):
    """A partial result: staff open the new dossier that carries the valid credits and is
    evaluated only on the rest (candidates' ``open_resit_dossier``)."""
    require_convener(actor, decision.centre)
    if not decision.is_standing or decision.outcome != Outcome.PARTIAL:
        raise JuryError(
            _("Un nouveau passage s'ouvre après une validation partielle en vigueur."),
            code="not_partial",
        )
    try:
        dossier = open_resit_dossier(decision.dossier, actor=actor_in(actor, decision.centre))
    except DossierError as exc:
        raise JuryError(exc.message, code=exc.code) from exc
    audit.record(
        centre=decision.centre,
        actor=actor,
        action="jury.resit_opened",
        subject=decision,
        after={"dossier": dossier.pk},
    )
    return dossier
