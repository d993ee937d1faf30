"""The centre's results: frozen decisions by session, with filters, CSV and XLSX exports;
a decision's page, its audited revocation and the re-sit after a partial result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from centres.access import require
from centres.models import AuditEntry
from centres.roles import Capability
from core.disposition import name_download
from core.listing import SortColumns, paginate
from core.search import french, text_search
from core.spreadsheets import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_bytes,
    new_workbook,
    xlsx_bytes,
    xlsx_sheet,
)
from core.views import error_message
from juries import services
from juries.access import decisions_for, get_decision_for_user, is_convener
from juries.forms import ResultsFilterForm, RevokeForm
from juries.models import DecisionCompetence, Outcome

RESULT_SORT = SortColumns(
    "position",
    position="item__position",
    candidate=(french("dossier__candidate__birth_name"), french("dossier__candidate__first_names")),
    dossier="dossier_id",
    outcome=("outcome", "item__position"),
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _results(actor, request):
    require(actor, Capability.VIEW_CENTRE)
    form = ResultsFilterForm(request.GET or None)
    decisions = (
        decisions_for(actor)
        .filter(frozen_at__isnull=False)
        .select_related(
            "item__session",
            "dossier__candidate",
            "dossier__referential_version__qualification",
        )
        .prefetch_related(
            Prefetch(
                "competences",
                queryset=DecisionCompetence.objects.filter(acquired=True)
                .select_related("competence")
                .order_by("competence__number"),
                to_attr="acquired_rows",
            ),
            "validated_blocs",
        )
    )
    # grouped by session (newest first), sorted inside a session by the chosen column
    decisions = decisions.order_by(
        "-item__session__starts_at",
        "item__session_id",
        *RESULT_SORT.order_by(request.GET.get("sort")),
    )
    if form.is_valid():
        data = form.cleaned_data
        decisions = decisions.filter(
            text_search(
                data["q"],
                "dossier__candidate__birth_name",
                "dossier__candidate__usage_name",
                "dossier__candidate__first_names",
            )
        )
        if data["outcome"]:
            decisions = decisions.filter(outcome=data["outcome"])
        if data["date_from"]:
            decisions = decisions.filter(item__session__starts_at__date__gte=data["date_from"])
        if data["date_to"]:
            decisions = decisions.filter(item__session__starts_at__date__lte=data["date_to"])
        if data["state"] == "standing":
            decisions = decisions.filter(revoked_at__isnull=True)
        elif data["state"] == "revoked":
            decisions = decisions.filter(revoked_at__isnull=False)
    return form, decisions


@login_required
@require_GET
def results(request):
    form, decisions = _results(request.actor, request)
    page, querystring = paginate(request, decisions, per_page=50)
    return render(
        request,
        "juries/results.html",
        {
            "page": page,
            "filter_form": form,
            "query_string": querystring,
            "sort": RESULT_SORT.resolve(request.GET.get("sort")),
        },
    )


def _headers() -> list[str]:
    """The export's header row, in the language of the request."""
    return [
        _("Séance"),
        _("Date du jury"),
        _("Lieu"),
        _("CQPM"),
        _("Dossier"),
        _("Nom"),
        _("Prénoms"),
        _("Date de naissance"),
        _("Décision"),
        _("Compétences validées"),
        _("Blocs validés"),
        _("Révoquée le"),
        _("Motif de la révocation"),
    ]


def _row(decision) -> list:
    session = decision.item.session
    candidate = decision.dossier.candidate
    revoked = timezone.localtime(decision.revoked_at) if decision.revoked_at else None
    return [
        session.reference,
        session.jury_date,
        session.place,
        decision.dossier.referential_version.qualification.title,
        decision.dossier.reference,
        candidate.usage_name or candidate.birth_name,
        candidate.first_names,
        candidate.birth_date,
        decision.get_outcome_display(),
        ", ".join(r.competence.code for r in decision.acquired_rows),
        ", ".join(sorted(b.code for b in decision.validated_blocs.all())),
        revoked.replace(tzinfo=None) if revoked else None,
        decision.revocation_reason,
    ]


def _filename(ext) -> str:
    return f"resultats-jurys-{timezone.localdate():%Y%m%d}.{ext}"


@login_required
@require_GET
def results_csv(request):
    _form, decisions = _results(request.actor, request)
    # core.spreadsheets: BOM, French dates, formula-like names neutralised
    body = csv_bytes(_headers(), (_row(decision) for decision in decisions))
    response = HttpResponse(body, content_type=CSV_CONTENT_TYPE)
    name_download(response, _filename("csv"))
    return response


@login_required
@require_GET
def results_xlsx(request):
    _form, decisions = _results(request.actor, request)
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = _("Résultats")
    # core.spreadsheets: texts as string cells, never formulas
    xlsx_sheet(sheet, [_headers(), *(_row(decision) for decision in decisions)])
    for column in ("B", "H"):
        for cell in sheet[column][1:]:
            cell.number_format = "DD/MM/YYYY"
    for cell in sheet["L"][1:]:
        cell.number_format = "DD/MM/YYYY HH:MM"
    sheet.freeze_panes = "A2"
    response = HttpResponse(xlsx_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    name_download(response, _filename("xlsx"))
    return response


@login_required
@require_GET
def decision_detail(request, pk):
    actor = request.actor
    decision = get_decision_for_user(actor, pk)
    rows = list(
        decision.competences.select_related("competence__bloc").order_by("competence__number")
    )
    audit = []
    if is_convener(actor):
        audit = list(
            AuditEntry.objects.filter(subject_type="juries.decision", subject_id=str(decision.pk))
            .select_related("actor")
            .order_by("-created_at", "-id")[:50]
        )
    return render(
        request,
        "juries/decision_detail.html",
        {
            "decision": decision,
            "rows": rows,
            "blocs": list(decision.validated_blocs.order_by("order")),
            "audit": audit,
            "can_convene": is_convener(actor),
            "revisions": list(
                decision.revisions.select_related("session").order_by("session__starts_at")
            ),
            "is_partial": decision.outcome == Outcome.PARTIAL,
        },
    )


@login_required
def decision_revoke(request, pk):
    actor = request.actor
    decision = get_decision_for_user(actor, pk, write=True)
    sessions = services.later_sessions(decision.item.session)
    form = RevokeForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_decision(
                decision,
                reason=form.cleaned_data["reason"],
                later_session=form.cleaned_data["later_session"],
                actor=actor,
            )
        except services.JuryError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _(
                    "Décision révoquée : ses acquis et ses certificats sont révoqués ; une "
                    "nouvelle décision sera prise lors d'une séance ultérieure."
                ),
            )
            return redirect("juries:decision_detail", pk=decision.pk)
    return render(request, "juries/decision_revoke.html", {"decision": decision, "form": form})


@login_required
@require_POST
def decision_resit(request, pk):
    actor = request.actor
    decision = get_decision_for_user(actor, pk, write=True)
    try:
        dossier = services.open_resit(decision, actor=actor)
    except services.JuryError as exc:
        error_message(request, exc)
        return redirect("juries:decision_detail", pk=decision.pk)
    messages.success(
        request,
        _("Nouveau dossier ouvert : il porte les acquis encore valables."),
    )
    return redirect("candidates:dossier_detail", pk=dossier.pk)
