"""When a dossier is ready for the jury: every competence it must evaluate has a signed
grid and, outside VAE, the company's avis is signed or recorded as not obtained.

Checked after every signature (grid or avis) and every "avis not obtained"; the dossier
then moves through the candidates app's own transition (``mark_ready_for_jury``)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from candidates.models import AccessStatus, Dossier, DossierCompetence, DossierStatus
from candidates.services import DossierError, mark_ready_for_jury
from core.services import user_of
from evaluations.errors import EvaluationError
from evaluations.models import CompanyOpinion, Grid, GridStatus, OpinionStatus
from evaluations.services.common import actor_in


def opinion_required(dossier) -> bool:
    """The avis is required outside VAE, whenever the dossier has a company (a free
    candidate has none to give it)."""
    return dossier.access_route != AccessStatus.VAE and dossier.company_id is not None


def readiness_problems(dossier) -> list[str]:
    """What the dossier still waits for before the jury (empty list: ready)."""
    problems = []
    to_evaluate = set(
        DossierCompetence.objects.filter(dossier=dossier).values_list("competence_id", flat=True)
    )
    signed = set(
        Grid.objects.filter(
            dossier=dossier, status=GridStatus.SIGNED, competence_id__in=to_evaluate
        ).values_list("competence_id", flat=True)
    )
    if not to_evaluate:
        problems.append(_("Le dossier n'a aucune compétence à évaluer."))
    elif to_evaluate - signed:
        problems.append(
            ngettext(
                "%(count)s compétence sans grille signée.",
                "%(count)s compétences sans grille signée.",
                len(to_evaluate - signed),
            )
            % {"count": len(to_evaluate - signed)}
        )
    if opinion_required(dossier):
        status = (
            CompanyOpinion.objects.filter(dossier=dossier).values_list("status", flat=True).first()
        )
        if status not in {OpinionStatus.SIGNED, OpinionStatus.UNAVAILABLE}:
            problems.append(_("L'avis de l'entreprise n'est ni signé ni déclaré non obtenu."))
    return problems


def _guard(dossier):
    problems = readiness_problems(dossier)
    if problems:
        raise DossierError(" ".join(problems), code="not_ready_for_jury")


def check_ready_for_jury(dossier, *, actor) -> bool:
    """Move the dossier to "ready for jury" when the rule holds. True when it moved."""
    status = Dossier.objects.filter(pk=dossier.pk).values_list("status", flat=True).first()
    if status != DossierStatus.IN_EVALUATION or readiness_problems(dossier):
        return False
    mark_ready_for_jury(dossier, actor=actor_in(actor, dossier.centre), guard=_guard)
    return True


def allow_reopening(dossier) -> None:
    status = Dossier.objects.filter(pk=dossier.pk).values_list("status", flat=True).first()
    if status not in {DossierStatus.IN_EVALUATION, DossierStatus.READY_FOR_JURY}:
        raise EvaluationError(
            _(
                "Le dossier est à l'état « %(status)s » : ses grilles ne peuvent plus être "
                "rouvertes."
            )
            % {"status": DossierStatus(status).label},
            code="dossier_not_in_evaluation",
        )


def back_to_evaluation(dossier, *, actor, reason="") -> None:
    """A reopened grid sends a "ready for jury" dossier back to evaluation."""
    from candidates.services import transitions

    status = Dossier.objects.filter(pk=dossier.pk).values_list("status", flat=True).first()
    if status == DossierStatus.READY_FOR_JURY:
        transitions.reopen_evaluation(
            dossier, actor=actor_in(user_of(actor), dossier.centre), reason=reason
        )
