"""Votes: each present member without a link to the candidate votes on each competence;
one vote per member per competence, changeable until the session closes."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.models import DossierStatus
from centres import audit
from centres.roles import Capability
from juries.errors import JuryError
from juries.models import (
    AgendaItem,
    Attendance,
    ConflictOfInterest,
    RegularityCheck,
    Vote,
    VoteValue,
)
from juries.services.common import can, lock_session, seat_of, touch_board
from juries.services.decisions import refresh_item


def vote_refusal(session, item, seat) -> str:
    """Why this seat may not vote on this candidate now ("" when it may)."""
    if not session.accepts_votes:
        if session.is_closed:
            return _("La séance est close : les décisions sont figées.")
        return _("Les votes s'ouvrent quand la délibération commence.")
    if seat is None:
        return _("Vous ne siégez pas lors de cette séance.")
    if seat.attendance != Attendance.PRESENT:
        return _("Seuls les membres présents votent.")
    if item.candidate_absent:
        return _("Le candidat est absent : aucune compétence n'est examinée.")
    if not item.revises_id and item.dossier.status != DossierStatus.READY_FOR_JURY:
        return _(
            "Le dossier n'est plus « prêt pour le jury » (une grille a été rouverte) : "
            "retirez-le de l'ordre du jour."
        )
    check = RegularityCheck.objects.filter(item=item).first()
    if check is None:
        return _("Le jury vérifie d'abord la régularité de l'évaluation.")
    if not check.regular:
        return _("L'évaluation a été jugée non conforme : ce dossier ne peut pas être voté.")
    if ConflictOfInterest.objects.filter(item=item, member=seat).exists():
        return _("Vous avez un lien avec ce candidat : vous vous abstenez.")
    return ""


def cast_vote(item, competence, value, *, actor) -> Vote:
    """Record (or change) the acting member's vote on one competence of one candidate."""
    if value not in VoteValue.values:
        raise JuryError(_("Vote inconnu."), code="bad_vote")
    session = item.session
    if not can(actor, session.centre, Capability.DELIBERATE):
        raise JuryError(_("Seuls les membres du jury votent."), code="permission_denied")
    with transaction.atomic():
        session = lock_session(session)
        item = AgendaItem.objects.select_related("session", "dossier").get(pk=item.pk)
        seat = seat_of(session, actor)
        refusal = vote_refusal(session, item, seat)
        if refusal:
            raise JuryError(refusal, code="vote_refused")
        if not item.dossier.competences.filter(competence=competence).exists():
            raise JuryError(
                _("Cette compétence n'est pas à examiner pour ce candidat."),
                code="not_to_decide",
            )
        vote = (
            Vote.objects.select_for_update()
            .filter(item=item, member=seat, competence=competence)
            .first()
        )
        if vote is not None and vote.value == value:
            return vote
        before = {"value": vote.value} if vote else None
        now = timezone.now()
        if vote is None:
            vote = Vote.objects.create(
                item=item,
                member=seat,
                competence=competence,
                value=value,
                cast_at=now,
                updated_at=now,
            )
        else:
            vote.value = value
            vote.updated_at = now
            vote.save(update_fields=["value", "updated_at"])
        audit.record(
            centre=session.centre,
            actor=actor,
            action="jury.vote",
            subject=vote,
            before=before,
            after={"item": item.pk, "competence": competence.code, "value": value},
        )
        refresh_item(item)
        touch_board(session)
    return vote
