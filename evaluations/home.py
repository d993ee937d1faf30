"""What the evaluations app adds to the home page (assessors, company representatives,
staff) and to the candidates' dossier page (proposals beside the company's avis)."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.access import dossiers_for
from candidates.models import AccessStatus, DossierStatus
from candidates.selectors import competence_rows
from centres.roles import Capability
from core.search import french
from evaluations.access import is_staff, sessions_for
from evaluations.models import (
    CompanyOpinion,
    ConflictDeclaration,
    Grid,
    GridSignature,
    GridStatus,
    OpinionStatus,
    SessionStatus,
)
from evaluations.selectors import agreement

LIMIT = 20


def _start_of_today():
    today = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))


def assessor_section(request):
    """Today's and coming sessions, the grids to finish and those to sign."""
    actor = getattr(request, "actor", None)
    if actor is None or actor.centre is None or not actor.can(Capability.EVALUATE):
        return None
    user = actor.user
    mine = sessions_for(actor).filter(members__user=user).exclude(status=SessionStatus.CLOSED)
    sessions = list(
        mine.filter(Q(starts_at__gte=_start_of_today()) | Q(status=SessionStatus.IN_PROGRESS))
        .annotate(n_dossiers=Count("session_dossiers", distinct=True))
        .order_by("starts_at", "id")[:LIMIT]
    )
    today = timezone.localdate()
    for session in sessions:
        session.is_today = timezone.localtime(session.starts_at).date() == today
    declarations = ConflictDeclaration.objects.filter(
        member__user=user, member__session=OuterRef("session"), dossier=OuterRef("dossier")
    )
    grids = list(
        Grid.objects.filter(session__in=mine)
        .exclude(status=GridStatus.SIGNED)
        .annotate(
            missing=Count("scores", filter=Q(scores__state="")),
            signed_by_me=Exists(
                GridSignature.objects.filter(grid=OuterRef("pk"), member__user=user)
            ),
            declared=Exists(declarations.filter(accepted=True)),
            refused=Exists(declarations.filter(accepted=False)),
        )
        .filter(refused=False)
        .select_related("dossier__candidate", "competence", "session")
        .order_by("session__starts_at", "dossier__candidate__birth_name", "competence__number")[
            : LIMIT * 3
        ]
    )
    to_finish = [g for g in grids if g.missing or not g.proposal or not g.declared]
    to_sign = [
        g for g in grids if g.declared and not g.missing and g.proposal and not g.signed_by_me
    ]
    return {
        "title": _("Mes évaluations"),
        "template": "evaluations/home_assessor.html",
        "context": {"sessions": sessions, "to_finish": to_finish, "to_sign": to_sign},
    }


def company_section(request):
    """The avis to give, and how far the evaluation of the company's employees has got."""
    actor = getattr(request, "actor", None)
    if actor is None or actor.centre is None or not actor.is_company_rep:
        return None
    dossiers = list(
        dossiers_for(actor)
        .filter(
            status__in=[
                DossierStatus.AGREED,
                DossierStatus.IN_EVALUATION,
                DossierStatus.READY_FOR_JURY,
            ]
        )
        .exclude(access_route=AccessStatus.VAE)
        .select_related("company_opinion")
        .annotate(
            to_evaluate=Count("competences", distinct=True),
            signed=Count("grids", filter=Q(grids__status=GridStatus.SIGNED), distinct=True),
        )
        .order_by(french("candidate__birth_name"), french("candidate__first_names"), "id")[
            : LIMIT * 3
        ]
    )
    to_give = []
    for dossier in dossiers:
        dossier.opinion = opinion = opinion_of(dossier)
        if dossier.status != DossierStatus.READY_FOR_JURY and (
            opinion is None or opinion.status == OpinionStatus.DRAFT
        ):
            to_give.append(dossier)
    return {
        "title": _("Avis et suivi de vos salariés"),
        "template": "evaluations/home_company.html",
        "context": {"to_give": to_give, "dossiers": dossiers},
    }


def opinion_of(dossier):
    """The dossier's avis when ``select_related("company_opinion")`` fetched it, or None."""
    try:
        return dossier.company_opinion
    except CompanyOpinion.DoesNotExist:
        return None


def staff_section(request):
    actor = getattr(request, "actor", None)
    if actor is None or actor.centre is None or not is_staff(actor):
        return None
    sessions = list(
        sessions_for(actor)
        .exclude(status=SessionStatus.CLOSED)
        .filter(Q(starts_at__gte=_start_of_today()) | Q(status=SessionStatus.IN_PROGRESS))
        .annotate(n_dossiers=Count("session_dossiers", distinct=True))
        .order_by("starts_at", "id")[:5]
    )
    reopened = Grid.objects.filter(status=GridStatus.REOPENED).count()
    waiting_opinion = (
        dossiers_for(actor)
        .filter(status=DossierStatus.IN_EVALUATION, company__isnull=False)
        .exclude(access_route=AccessStatus.VAE)
        .exclude(company_opinion__status__in=[OpinionStatus.SIGNED, OpinionStatus.UNAVAILABLE])
        .count()
    )
    return {
        "title": _("Évaluations"),
        "template": "evaluations/home_staff.html",
        "context": {"sessions": sessions, "reopened": reopened, "waiting_opinion": waiting_opinion},
    }


def dossier_section(request, dossier):
    """On the dossier page: each competence's grid and proposal beside the company's avis,
    disagreements flagged (centre staff); the avis status for a company representative."""
    actor = getattr(request, "actor", None)
    if actor is None:
        return None
    staff = actor.can(Capability.VIEW_CENTRE)
    if not (staff or actor.is_company_rep):
        return None
    opinion = CompanyOpinion.objects.filter(dossier=dossier).select_related("signed_by").first()
    context = {
        "dossier": dossier,
        "opinion": opinion,
        "staff": staff,
        "opinion_possible": dossier.access_route != AccessStatus.VAE and dossier.company_id,
    }
    if staff:
        grids = {
            g.competence_id: g
            for g in Grid.objects.filter(dossier=dossier).select_related("session")
        }
        values = {}
        if opinion is not None:
            values = {i.competence_id: i for i in opinion.items.all()}
        rows = []
        for row in competence_rows(dossier):
            grid = grids.get(row.competence_id)
            item = values.get(row.competence_id)
            proposal = grid.proposal if grid and grid.status == GridStatus.SIGNED else ""
            value = item.value if item and opinion.status == OpinionStatus.SIGNED else ""
            rows.append(
                {
                    "competence": row.competence,
                    "grid": grid,
                    "item": item,
                    "agreement": agreement(proposal, value),
                }
            )
        context["rows"] = rows
        context["disagreements"] = sum(1 for r in rows if r["agreement"] == "disagree")
    return {
        "title": _("Évaluation et avis de l'entreprise"),
        "template": "evaluations/dossier_section.html",
        "context": context,
    }
