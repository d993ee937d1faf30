"""The candidates section of the home page: dossiers by state, reports due or late, and
what each state waits for."""

import datetime

from django.db.models import Count, Exists, Min, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidates.access import dossiers_for
from candidates.models import DocumentKind, DossierCompetence, DossierDocument, DossierStatus
from centres.roles import Capability

S = DossierStatus
REPORT_HORIZON_DAYS = 30
WAITING_FOR = {
    S.DRAFT: gettext_lazy("le centre (compléter et soumettre)"),
    S.SUBMITTED: gettext_lazy("le centre (valider les modalités)"),
    S.AGREED: gettext_lazy("la planification des évaluations"),
    S.IN_EVALUATION: gettext_lazy("la commission d'évaluation"),
    S.READY_FOR_JURY: gettext_lazy("le jury"),
    S.DECIDED: gettext_lazy("le centre (clore le dossier)"),
}
SHOWN = [S.DRAFT, S.SUBMITTED, S.AGREED, S.IN_EVALUATION, S.READY_FOR_JURY, S.DECIDED]


def _display_name(row) -> str:
    last = row["dossier__candidate__usage_name"] or row["dossier__candidate__birth_name"]
    return f"{last.upper()} {row['dossier__candidate__first_names']}"


def reports_due(dossiers, *, today=None, limit=15):
    """Reports expected within the horizon (or already late) and not yet uploaded."""
    today = today or timezone.localdate()
    report_uploaded = DossierDocument.objects.filter(
        dossier_id=OuterRef("dossier_id"), kind=DocumentKind.REPORT
    )
    rows = (
        DossierCompetence.objects.filter(
            dossier__in=dossiers.filter(
                status__in=[S.DRAFT, S.SUBMITTED, S.AGREED, S.IN_EVALUATION]
            ),
            modality__requires_report=True,
            report_deadline__lte=today + datetime.timedelta(days=REPORT_HORIZON_DAYS),
        )
        .exclude(Exists(report_uploaded))
        .values(
            "dossier_id",
            "dossier__candidate__birth_name",
            "dossier__candidate__usage_name",
            "dossier__candidate__first_names",
        )
        .annotate(deadline=Min("report_deadline"))
        .order_by("deadline", "dossier_id")[:limit]
    )
    return [
        {
            "dossier_id": r["dossier_id"],
            "name": _display_name(r),
            "deadline": r["deadline"],
            "late": r["deadline"] < today,
        }
        for r in rows
    ]


def dossiers_section(request):
    actor = getattr(request, "actor", None)
    if actor is None or actor.centre is None:
        return None
    if not (actor.can(Capability.VIEW_CENTRE) or actor.is_company_rep):
        return None
    dossiers = dossiers_for(actor).order_by()
    counts = dict(dossiers.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    by_status = [
        {
            "status": s.value,
            "label": s.label,
            "count": counts.get(s.value, 0),
            "waiting_for": WAITING_FOR.get(s),
        }
        for s in SHOWN
        if counts.get(s.value)
    ]
    return {
        "title": _("Dossiers des candidats")
        if actor.can(Capability.VIEW_CENTRE)
        else _("Dossiers de vos salariés"),
        "template": "candidates/home_section.html",
        "context": {"by_status": by_status, "reports": reports_due(dossiers), "show_reports": True},
    }
