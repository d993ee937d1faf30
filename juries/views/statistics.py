"""The "Statistiques" page (issue 17): results of the juries counted per year, CQPM, access
route, centre (national administrator) and competence, with CSV and XLSX exports in the
France Compétences layout (RNCP ``STATISTIQUES_PROMOTION``)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.disposition import name_download
from core.spreadsheets import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_bytes,
    new_workbook,
    xlsx_bytes,
    xlsx_sheet,
)
from juries.forms import StatisticsFilterForm
from juries.statistics import (
    france_competences_rows,
    is_national_view,
    require_statistics_reader,
    statistics_for,
)


def _statistics(request):
    actor = request.actor
    require_statistics_reader(actor)
    form = StatisticsFilterForm(request.GET or None, national=is_national_view(actor))
    return form, statistics_for(actor, form.filters())


def _number(value):
    return float(value) if value is not None else None


def chart_data(stats) -> dict:
    """What the three charts draw, taken from the tables already computed (no query): the
    page puts it in a ``json_script`` that ``static/js/statistics.js`` reads."""
    years = sorted(stats.by_year, key=lambda r: r["key"])  # oldest first, left to right
    several = len({r["qualification"] for r in stats.competences}) > 1
    return {
        "by_year": {
            "labels": [str(r["key"]) for r in years],
            "datasets": [
                {
                    "key": "success_rate",
                    "label": _("Taux de réussite (%)"),
                    "data": [_number(r["success_rate"]) for r in years],
                }
            ],
        },
        "by_route": {
            "labels": [r["label"] for r in stats.by_route],
            "datasets": [
                {"key": key, "label": label, "data": [r[key] for r in stats.by_route]}
                for key, label in (
                    ("awarded", _("CQPM délivrés")),
                    ("partial", _("Validations partielles")),
                    ("not_awarded", _("Non délivrés")),
                    ("absent", _("Absents")),
                )
            ],
        },
        "competences": {
            "labels": [
                (f"{r['qualification']} · " if several else "") + f"{r['code']} — {r['title']}"
                for r in stats.competences
            ],
            "datasets": [
                {
                    "key": "acquisition_rate",
                    "label": _("Taux d'acquisition (%)"),
                    "data": [_number(r["acquisition_rate"]) for r in stats.competences],
                }
            ],
        },
    }


@login_required
@require_GET
def statistics(request):
    form, stats = _statistics(request)
    return render(
        request,
        "juries/statistics.html",
        {
            "filter_form": form,
            "stats": stats,
            "charts": chart_data(stats),
            "query_string": request.GET.urlencode(),
        },
    )


def insertion_note() -> str:
    return _(
        "Taux d'insertion : réponses des titulaires au questionnaire de suivi envoyé 6 mois et "
        "2 ans après le jury ; titulaires en emploi (dans le métier visé) rapportés aux "
        "réponses. Vide quand aucun titulaire de la promotion n'a répondu."
    )


def france_competences_header() -> list[str]:
    return [
        _("Code CQPM"),
        _("Intitulé"),
        _("Année"),
        _("Nombre de certifiés"),
        _("Nombre de certifiés par la VAE"),
        _("Taux d'insertion global à 6 mois (%)"),
        _("Taux d'insertion dans le métier visé à 6 mois (%)"),
        _("Taux d'insertion dans le métier visé à 2 ans (%)"),
    ]


def _outcome_header(first: str) -> list[str]:
    return [
        first,
        _("Présentés"),
        _("CQPM délivrés"),
        _("Validations partielles"),
        _("Non délivrés"),
        _("Absents"),
        _("Taux de réussite (%)"),
    ]


def _outcome_row(label, row) -> list:
    rate = row["success_rate"]
    return [
        label,
        row["presented"],
        row["awarded"],
        row["partial"],
        row["not_awarded"],
        row["absent"],
        float(rate) if rate is not None else None,
    ]


def _detail_rows(stats) -> list[list]:
    """The outcome tables, one after the other, separated by an empty row."""
    rows = [_outcome_header(_("Année du jury"))]
    rows += [_outcome_row(r["key"], r) for r in stats.by_year]
    rows += [[], _outcome_header(_("CQPM"))]
    rows += [_outcome_row(r["label"], r) for r in stats.by_cqpm]
    rows += [[], _outcome_header(_("Voie d'accès"))]
    rows += [_outcome_row(r["label"], r) for r in stats.by_route]
    if stats.national:
        rows += [[], _outcome_header(_("Centre"))]
        rows += [_outcome_row(r["label"], r) for r in stats.by_centre]
    rows += [[], _outcome_row(_("Total"), stats.totals)]
    return rows


def _competence_rows(stats) -> list[list]:
    header = [
        _("CQPM"),
        _("Compétence"),
        _("Intitulé"),
        _("Évaluées"),
        _("Acquises"),
        _("Taux d'acquisition (%)"),
    ]
    return [header] + [
        [
            r["qualification"],
            r["code"],
            r["title"],
            r["evaluated"],
            r["acquired"],
            float(r["acquisition_rate"]) if r["acquisition_rate"] is not None else None,
        ]
        for r in stats.competences
    ]


def _month_rows(stats) -> list[list]:
    header = [_("Mois"), _("Dossiers décidés"), _("Délai moyen (jours)")]
    return [header] + [
        [
            r["month"],
            r["decided"],
            float(r["average_days"]) if r["average_days"] is not None else None,
        ]
        for r in stats.by_month
    ]


def _filename(ext) -> str:
    return f"statistiques-france-competences-{timezone.localdate():%Y%m%d}.{ext}"


@login_required
@require_GET
def statistics_csv(request):
    _form, stats = _statistics(request)
    rows = [*france_competences_rows(stats), [], [insertion_note()]]
    response = HttpResponse(
        csv_bytes(france_competences_header(), rows), content_type=CSV_CONTENT_TYPE
    )
    name_download(response, _filename("csv"))
    return response


@login_required
@require_GET
def statistics_xlsx(request):
    _form, stats = _statistics(request)
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = "France Compétences"
    xlsx_sheet(
        sheet,
        [
            france_competences_header(),
            *france_competences_rows(stats),
            [],
            [insertion_note()],
        ],
    )
    sheet.freeze_panes = "A2"
    xlsx_sheet(workbook.create_sheet(_("Résultats")), _detail_rows(stats))
    xlsx_sheet(workbook.create_sheet(_("Compétences")), _competence_rows(stats))
    activity = workbook.create_sheet(_("Activité"))
    xlsx_sheet(activity, _month_rows(stats))
    for cell in activity["A"][1:]:
        cell.number_format = "MM/YYYY"
    response = HttpResponse(xlsx_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    name_download(response, _filename("xlsx"))
    return response
