"""The company's avis (tutor or manager), per competence; never for a VAE dossier.

A representative of the dossier's company fills it in (draft) and signs it; centre staff
may instead record that no avis could be obtained, with the reason. Either way the dossier
may then become ready for the jury."""

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from candidates.models import AccessStatus, DossierCompetence, DossierStatus
from centres import audit
from centres.models import Membership
from centres.roles import Capability, Role
from core.services import check_version, user_of
from evaluations.errors import EvaluationError
from evaluations.models import (
    AuthorCapacity,
    CompanyOpinion,
    CompanyOpinionItem,
    OpinionStatus,
    OpinionValue,
)
from evaluations.services import notifications, readiness
from evaluations.services.common import require_capability, stale_record

OPEN_FOR_OPINION = {DossierStatus.AGREED, DossierStatus.IN_EVALUATION}


def opinion_refusal(dossier) -> EvaluationError | None:
    """Why this dossier can have no company avis at all (None: it can)."""
    if dossier.access_route == AccessStatus.VAE:
        return EvaluationError(
            _("Un dossier VAE n'a pas d'avis de l'entreprise."), code="vae_no_company_opinion"
        )
    if dossier.company_id is None:
        return EvaluationError(
            _("Ce dossier n'a pas d'entreprise : aucun avis ne peut être donné."),
            code="no_company",
        )
    return None


def _check_allowed(dossier) -> None:
    refusal = opinion_refusal(dossier)
    if refusal:
        raise refusal


def represents(user, company_id) -> bool:
    return Membership.all_centres.filter(
        user=user, company_id=company_id, role=Role.COMPANY_REP, is_active=True
    ).exists()


def _check_representative(user, dossier) -> None:
    require_capability(user, dossier.centre, Capability.GIVE_COMPANY_OPINION)
    if not represents(user, dossier.company_id):
        raise EvaluationError(
            _("Seul un représentant de l'entreprise du candidat donne son avis."),
            code="permission_denied",
        )


def _check_final(opinion) -> None:
    if opinion is not None and opinion.is_final:
        raise EvaluationError(
            _("L'avis est déjà %(status)s : il ne peut plus être modifié.")
            % {"status": opinion.get_status_display().lower()},
            code="opinion_final",
        )


def _lock_opinion(dossier):
    return CompanyOpinion.objects.select_for_update().filter(dossier=dossier).first()


def _new_opinion(dossier, **fields) -> CompanyOpinion:
    opinion = CompanyOpinion.objects.create(
        centre_id=dossier.centre_id, dossier=dossier, company_id=dossier.company_id, **fields
    )
    competence_ids = DossierCompetence.objects.filter(dossier=dossier).values_list(
        "competence_id", flat=True
    )
    CompanyOpinionItem.objects.bulk_create(
        CompanyOpinionItem(opinion=opinion, competence_id=cid) for cid in competence_ids
    )
    return opinion


def _clean_items(items, allowed_ids) -> dict:
    cleaned = {}
    for item in items or ():
        competence_id = getattr(item.get("competence"), "pk", item.get("competence"))
        try:
            competence_id = int(competence_id)
        except (TypeError, ValueError):
            competence_id = None
        if competence_id not in allowed_ids:
            raise EvaluationError(
                _("Cette compétence n'est pas évaluée dans ce dossier."), code="unknown_competence"
            )
        value = item.get("value") or ""
        if value and value not in OpinionValue.values:
            raise EvaluationError(_("Avis inconnu."), code="invalid_value")
        cleaned[competence_id] = (value, (item.get("comment") or "").strip())
    return cleaned


def give_opinion(
    dossier,
    *,
    actor,
    items=(),
    general_comment=None,
    author_capacity=None,
    expected_version=None,
) -> CompanyOpinion:
    """Save the representative's avis as a draft (``items``: dicts with ``competence``,
    ``value`` in favourable/reserved/unfavourable or "", ``comment``)."""
    user = user_of(actor)
    _check_allowed(dossier)
    _check_representative(user, dossier)
    if author_capacity is not None and author_capacity not in AuthorCapacity.values:
        raise EvaluationError(_("Qualité inconnue."), code="invalid_capacity")
    with transaction.atomic():
        opinion = _lock_opinion(dossier)
        _check_final(opinion)
        if dossier.status not in OPEN_FOR_OPINION:
            raise EvaluationError(
                _("Le dossier n'est pas en évaluation : l'avis ne peut pas être donné."),
                code="dossier_not_in_evaluation",
            )
        created = opinion is None
        if created:
            opinion = _new_opinion(dossier)
        else:
            check_version(opinion, expected_version, stale=stale_record)
        current = {i.competence_id: i for i in opinion.items.all()}
        cleaned = _clean_items(items, set(current))
        before, after = {}, {}
        for competence_id, (value, comment) in cleaned.items():
            item = current[competence_id]
            if (item.value, item.comment) != (value, comment):
                before[competence_id] = [item.value, item.comment]
                after[competence_id] = [value, comment]
                item.value, item.comment = value, comment
                item.save(update_fields=["value", "comment"])
        fields = []
        if general_comment is not None and general_comment.strip() != opinion.general_comment:
            before["general_comment"] = opinion.general_comment
            opinion.general_comment = general_comment.strip()
            after["general_comment"] = opinion.general_comment
            fields.append("general_comment")
        if author_capacity is not None and author_capacity != opinion.author_capacity:
            before["author_capacity"] = opinion.author_capacity
            opinion.author_capacity = author_capacity
            after["author_capacity"] = author_capacity
            fields.append("author_capacity")
        if after or created:
            if not created:
                opinion.version += 1
            opinion.save(update_fields=[*fields, "version", "updated_at"])
            audit.record(
                centre=opinion.centre_id,
                actor=user,
                action="opinion.given",
                subject=opinion,
                before=before,
                after=after,
            )
    return opinion


def opinion_problems(opinion) -> list[str]:
    missing = opinion.items.filter(value="").count()
    if missing:
        return [
            ngettext(
                "Donnez votre avis sur chaque compétence (%(n)s manquante).",
                "Donnez votre avis sur chaque compétence (%(n)s manquantes).",
                missing,
            )
            % {"n": missing}
        ]
    return []


def sign_opinion(opinion, *, actor, expected_version=None) -> CompanyOpinion:
    user = user_of(actor)
    dossier = opinion.dossier
    _check_allowed(dossier)
    _check_representative(user, dossier)
    with transaction.atomic():
        opinion = _lock_opinion(dossier)
        if opinion.status == OpinionStatus.SIGNED:
            return opinion
        _check_final(opinion)
        check_version(opinion, expected_version, stale=stale_record)
        problems = opinion_problems(opinion)
        if problems:
            raise EvaluationError(" ".join(problems), code="opinion_incomplete")
        opinion.status = OpinionStatus.SIGNED
        opinion.signed_by, opinion.signed_at = user, timezone.now()
        opinion.version += 1
        opinion.save(update_fields=["status", "signed_by", "signed_at", "version", "updated_at"])
        audit.record(
            centre=opinion.centre_id,
            actor=user,
            action="opinion.signed",
            subject=opinion,
            before={"status": "draft"},
            after={"status": "signed"},
        )
        transaction.on_commit(partial(notifications.opinion_signed, opinion.pk, user.pk))
        readiness.check_ready_for_jury(dossier, actor=user)
    return opinion


def mark_opinion_unavailable(dossier, *, actor, reason) -> CompanyOpinion:
    """Centre staff record that no avis could be obtained (not once it is signed)."""
    user = user_of(actor)
    reason = (reason or "").strip()
    _check_allowed(dossier)
    require_capability(user, dossier.centre, Capability.SCHEDULE_EVALUATIONS)
    if not reason:
        raise EvaluationError(
            _("Indiquez pourquoi l'avis n'a pas pu être obtenu."), code="reason_required"
        )
    with transaction.atomic():
        opinion = _lock_opinion(dossier)
        if opinion is not None and opinion.status == OpinionStatus.UNAVAILABLE:
            return opinion
        _check_final(opinion)
        if opinion is None:
            opinion = _new_opinion(dossier)
        before = opinion.status
        opinion.status = OpinionStatus.UNAVAILABLE
        opinion.unavailable_reason = reason
        opinion.recorded_by = user
        opinion.version += 1
        opinion.save(
            update_fields=["status", "unavailable_reason", "recorded_by", "version", "updated_at"]
        )
        audit.record(
            centre=opinion.centre_id,
            actor=user,
            action="opinion.unavailable",
            subject=opinion,
            before={"status": before},
            after={"status": "unavailable"},
            reason=reason,
        )
        readiness.check_ready_for_jury(dossier, actor=user)
    return opinion
