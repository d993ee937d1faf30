"""Statistics of results (issue 17): what the juries decided, counted by aggregate queries.

Only standing decisions count (frozen, not revoked). Each breakdown is one ``values()`` /
``annotate()`` query grouped by its dimension — CQPM, year of the jury, access route,
centre — never a loop over dossiers.

- centre staff (``view_centre``): their active centre only (the centre scope, and an
  explicit filter on it);
- the national administrator (GTP): every centre, aggregated and anonymous (counts only),
  optionally narrowed to one centre;
- anybody else: 403.

Definitions: *presented* = every dossier the jury decided on (absent ones included);
*success rate* = awarded / (presented − absent); *acquisition rate* of a competence =
acquired / evaluated during the session (credits and competences outside the dossier's
target are not counted); *throughput* = dossiers decided per month of jury, and the average
days from the registration of the dossier (its creation) to the decision.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import ExtractYear, TruncMonth
from django_scopes import scopes_disabled

from candidates.models.choices import AccessStatus
from centres.roles import Capability
from cqpm.selectors import is_national_admin

from .models import CompetenceSource, Decision, DecisionCompetence, Outcome

DIMENSIONS = {
    "year": "year",
    "cqpm": "dossier__referential_version__qualification_id",
    "route": "dossier__access_route",
    "centre": "centre_id",
}

COUNTS = {
    "presented": Count("id"),
    "awarded": Count("id", filter=Q(outcome=Outcome.AWARDED)),
    "partial": Count("id", filter=Q(outcome=Outcome.PARTIAL)),
    "not_awarded": Count("id", filter=Q(outcome=Outcome.NOT_AWARDED)),
    "absent": Count("id", filter=Q(outcome=Outcome.ABSENT)),
    "awarded_vae": Count(
        "id", filter=Q(outcome=Outcome.AWARDED, dossier__access_route=AccessStatus.VAE)
    ),
}


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal (None when there is nothing to divide by)."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class StatisticsFilters:
    cqpm: int | None = None
    year: int | None = None
    route: str | None = None
    centre: int | None = None  # national administrator only


@dataclass
class Statistics:
    national: bool
    totals: dict
    by_year: list = field(default_factory=list)
    by_cqpm: list = field(default_factory=list)
    by_route: list = field(default_factory=list)
    by_centre: list = field(default_factory=list)
    competences: list = field(default_factory=list)
    by_cqpm_year: list = field(default_factory=list)
    by_month: list = field(default_factory=list)


def is_national_view(actor) -> bool:
    return is_national_admin(getattr(actor, "user", None))


def require_statistics_reader(actor) -> None:
    if is_national_view(actor):
        return
    if actor.centre is None or not actor.can(Capability.VIEW_CENTRE):
        raise PermissionDenied


def _with_rates(row: dict) -> dict:
    present = row["presented"] - row["absent"]
    row["success_rate"] = rate(row["awarded"], present)
    row["partial_rate"] = rate(row["partial"], present)
    return row


def _decisions(actor, filters: StatisticsFilters):
    qs = Decision.objects.filter(frozen_at__isnull=False, revoked_at__isnull=True)
    if is_national_view(actor):
        if filters.centre:
            qs = qs.filter(centre_id=filters.centre)
    else:
        qs = qs.filter(centre=actor.centre)
    if filters.cqpm:
        qs = qs.filter(dossier__referential_version__qualification_id=filters.cqpm)
    if filters.year:
        qs = qs.filter(item__session__starts_at__year=filters.year)
    if filters.route:
        qs = qs.filter(dossier__access_route=filters.route)
    return qs.annotate(year=ExtractYear("item__session__starts_at"))


def _grouped(decisions, dimension: str, *labels: str) -> list[dict]:
    key = DIMENSIONS[dimension]
    rows = (
        decisions.values(key, *labels)
        .annotate(**COUNTS)
        .order_by(*([F(key).desc()] if dimension == "year" else [*labels, key]))
    )
    result = []
    for row in rows:
        row["key"] = row.pop(key)
        row["label"] = row[labels[-1]] if labels else row["key"]
        result.append(_with_rates(row))
    return result


def _competences(decisions) -> list[dict]:
    rows = (
        DecisionCompetence.objects.filter(
            decision__in=decisions.values("pk"), source=CompetenceSource.EVALUATED
        )
        .values(
            "competence__code",
            "competence__title",
            qualification=F("decision__dossier__referential_version__qualification__title"),
        )
        .annotate(evaluated=Count("id"), acquired=Count("id", filter=Q(acquired=True)))
        .order_by("qualification", "competence__code")
    )
    return [
        {
            "qualification": row["qualification"],
            "code": row["competence__code"],
            "title": row["competence__title"],
            "evaluated": row["evaluated"],
            "acquired": row["acquired"],
            "acquisition_rate": rate(row["acquired"], row["evaluated"]),
        }
        for row in rows
    ]


DELAY = ExpressionWrapper(F("decided_at") - F("dossier__created_at"), output_field=DurationField())


def _days(delta) -> Decimal | None:
    if delta is None:
        return None
    return (Decimal(delta.total_seconds()) / 86400).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _throughput(decisions) -> list[dict]:
    """Jury throughput: dossiers decided per month of jury, and the average time from the
    registration of the dossier to the jury's decision (in days)."""
    rows = (
        decisions.values(month=TruncMonth("item__session__starts_at"))
        .annotate(decided=Count("id"), average_delay=Avg(DELAY))
        .order_by("-month")
    )
    return [
        {
            "month": row["month"].date() if hasattr(row["month"], "date") else row["month"],
            "decided": row["decided"],
            "average_days": _days(row["average_delay"]),
        }
        for row in rows
    ]


def _compute(actor, filters: StatisticsFilters) -> Statistics:
    decisions = _decisions(actor, filters)
    totals = _with_rates(decisions.aggregate(**COUNTS, average_delay=Avg(DELAY)))
    totals["average_days"] = _days(totals.pop("average_delay"))
    routes = dict(AccessStatus.choices)
    by_route = _grouped(decisions, "route")
    for row in by_route:
        row["label"] = str(routes.get(row["key"], row["key"]))
    national = is_national_view(actor)
    return Statistics(
        national=national,
        totals=totals,
        by_year=_grouped(decisions, "year"),
        by_cqpm=_grouped(
            decisions,
            "cqpm",
            "dossier__referential_version__qualification__code",
            "dossier__referential_version__qualification__title",
        ),
        by_route=by_route,
        by_centre=_grouped(decisions, "centre", "centre__name") if national else [],
        competences=_competences(decisions),
        by_month=_throughput(decisions),
        by_cqpm_year=list(
            decisions.values(
                "year",
                code=F("dossier__referential_version__qualification__code"),
                title=F("dossier__referential_version__qualification__title"),
            )
            .annotate(**COUNTS)
            .order_by("title", "-year")
        ),
    )


def statistics_for(actor, filters: StatisticsFilters | None = None) -> Statistics:
    """The statistics the actor may see, narrowed by ``filters`` (403 for anyone else)."""
    require_statistics_reader(actor)
    filters = filters or StatisticsFilters()
    if is_national_view(actor):
        with scopes_disabled():
            return _compute(actor, filters)
    return _compute(actor, filters)


def france_competences_rows(stats: Statistics) -> list[list]:
    """The RNCP ``STATISTIQUES_PROMOTION`` layout, one row per CQPM and year of jury: CQPM
    code and title, year, number certified, number certified through VAE, then the
    insertion rates (overall at 6 months, in the target trade at 6 months and 2 years),
    left empty: the follow-up of holders is not collected yet."""
    return [
        [row["code"], row["title"], row["year"], row["awarded"], row["awarded_vae"]]
        + [None, None, None]
        for row in stats.by_cqpm_year
    ]
