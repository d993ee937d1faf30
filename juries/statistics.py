"""Statistics of results (issue 17): what the juries decided, counted by aggregate queries.

Only standing decisions count (frozen, not revoked). The outcomes are counted by one
``values()`` / ``annotate()`` query grouped by (year of the jury, CQPM, access route,
centre); each breakdown sums those few aggregate rows. Competences and the monthly
throughput are one aggregate query each. Never a loop over dossiers.

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

Insertion (the holders' follow-up, ``juries.models.insertion``), per CQPM and year of jury
and per wave (6 months, 2 years), over the questionnaires of the holders counted here: *sent*,
*answered*; the *insertion rate* = holders in employment / answers; the *rate in the target
trade* = holders in employment in the trade the CQPM prepares for / answers. One aggregate
query.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import ExtractYear, TruncMonth
from django_scopes import scopes_disabled

from candidates.models.choices import AccessStatus
from centres.models import Centre
from centres.roles import Capability
from cqpm.models import Competence, Qualification
from cqpm.selectors import is_national_admin
from juries.models import (
    CompetenceSource,
    Decision,
    DecisionCompetence,
    EmploymentStatus,
    InsertionSurvey,
    Outcome,
    SurveyWave,
)

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


YEAR = ExtractYear("item__session__starts_at")


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
    insertion: list = field(default_factory=list)  # per (CQPM, year): both waves
    insertion_totals: dict = field(default_factory=dict)  # per wave


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
    return qs


def _cube(decisions) -> list[dict]:
    """One aggregate query: the counts per (year, CQPM, route, centre) — a few hundred rows
    at most, whatever the number of dossiers — from which every breakdown is summed."""
    return list(
        decisions.annotate(year=YEAR)
        .values(
            "year",
            "centre_id",
            route=F("dossier__access_route"),
            cqpm=F("dossier__referential_version__qualification_id"),
        )
        .annotate(**COUNTS, delay=Sum(DELAY))
        .order_by()
    )


def _rollup(cube, key, label, *, extra=(), sort=None, reverse=False) -> list[dict]:
    """Sum the cube's counts by ``key`` (a tuple of the cube's fields for a composite)."""
    groups: dict = {}
    for row in cube:
        k = tuple(row[f] for f in key) if isinstance(key, tuple) else row[key]
        group = groups.get(k)
        if group is None:
            group = groups[k] = {
                "key": k,
                "label": row[label],
                **{f: row[f] for f in extra},
                **dict.fromkeys(COUNTS, 0),
            }
        for name in COUNTS:
            group[name] += row[name]
    rows = sorted(groups.values(), key=sort or (lambda g: g["key"]), reverse=reverse)
    return [_with_rates(row) for row in rows]


def _totals(cube) -> dict:
    totals = dict.fromkeys(COUNTS, 0)
    delay = None
    for row in cube:
        for name in COUNTS:
            totals[name] += row[name]
        if row["delay"] is not None:
            delay = row["delay"] if delay is None else delay + row["delay"]
    totals["average_days"] = _days(delay / totals["presented"]) if delay is not None else None
    return _with_rates(totals)


def _competences(decisions) -> list[dict]:
    counts = (
        DecisionCompetence.objects.filter(
            decision__in=decisions.values("pk"), source=CompetenceSource.EVALUATED
        )
        .values("competence_id")
        .annotate(evaluated=Count("id"), acquired=Count("id", filter=Q(acquired=True)))
        .order_by()
    )
    counts = {row["competence_id"]: row for row in counts}
    labels = (
        Competence.objects.filter(pk__in=counts)
        .values("pk", "code", "title", qualification=F("version__qualification__title"))
        .order_by("qualification", "code", "pk")
    )
    return [
        {
            "qualification": label["qualification"],
            "code": label["code"],
            "title": label["title"],
            "evaluated": counts[label["pk"]]["evaluated"],
            "acquired": counts[label["pk"]]["acquired"],
            "acquisition_rate": rate(
                counts[label["pk"]]["acquired"], counts[label["pk"]]["evaluated"]
            ),
        }
        for label in labels
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


INSERTION_COUNTS = {
    "sent": Count("id"),
    "answered": Count("id", filter=Q(answered_at__isnull=False)),
    "employed": Count("id", filter=Q(employment_status=EmploymentStatus.EMPLOYED)),
    "in_trade": Count(
        "id", filter=Q(employment_status=EmploymentStatus.EMPLOYED, in_target_trade=True)
    ),
}


def _insertion_rates(counts: dict) -> dict:
    counts["insertion_rate"] = rate(counts["employed"], counts["answered"])
    counts["trade_rate"] = rate(counts["in_trade"], counts["answered"])
    return counts


def _empty_wave() -> dict:
    return _insertion_rates(dict.fromkeys(INSERTION_COUNTS, 0))


def _insertion(decisions, labels: dict) -> tuple[list[dict], dict]:
    """The follow-up answers per (CQPM, year of jury) and wave (one aggregate query), and
    the totals per wave. ``labels``: the CQPM's code and title by id."""
    rows = (
        InsertionSurvey.objects.filter(decision__in=decisions.values("pk"))
        .annotate(year=ExtractYear("decision__item__session__starts_at"))
        .values("year", "wave", cqpm=F("decision__dossier__referential_version__qualification_id"))
        .annotate(**INSERTION_COUNTS)
        .order_by()
    )
    groups: dict = {}
    totals = {wave: dict.fromkeys(INSERTION_COUNTS, 0) for wave in SurveyWave.values}
    for row in rows:
        key = (row["cqpm"], row["year"])
        group = groups.setdefault(
            key,
            {
                "key": key,
                "year": row["year"],
                "code": labels[row["cqpm"]][0],
                "title": labels[row["cqpm"]][1],
                **{wave: _empty_wave() for wave in SurveyWave.values},
            },
        )
        group[row["wave"]] = _insertion_rates({name: row[name] for name in INSERTION_COUNTS})
        for name in INSERTION_COUNTS:
            totals[row["wave"]][name] += row[name]
    ordered = sorted(groups.values(), key=lambda g: (g["title"], g["key"][0], -g["year"]))
    return ordered, {wave: _insertion_rates(counts) for wave, counts in totals.items()}


def _compute(actor, filters: StatisticsFilters) -> Statistics:
    decisions = _decisions(actor, filters)
    cube = _cube(decisions)
    # the labels of the few CQPM and centres counted (not joined into the big query)
    cqpms = Qualification.objects.filter(pk__in={r["cqpm"] for r in cube}).in_bulk()
    centres = dict(
        Centre.objects.filter(pk__in={r["centre_id"] for r in cube}).values_list("pk", "name")
    )
    routes = dict(AccessStatus.choices)
    for row in cube:
        row["route_label"] = str(routes.get(row["route"], row["route"]))
        row["code"], row["title"] = cqpms[row["cqpm"]].code, cqpms[row["cqpm"]].title
        row["centre__name"] = centres[row["centre_id"]]
    national = is_national_view(actor)
    insertion, insertion_totals = _insertion(
        decisions, {pk: (q.code, q.title) for pk, q in cqpms.items()}
    )
    by_cqpm_year = _rollup(
        cube,
        ("cqpm", "year"),
        "title",
        extra=("code", "title", "year"),
        sort=lambda g: (g["title"], g["key"][0], -g["year"]),
    )
    return Statistics(
        national=national,
        totals=_totals(cube),
        by_year=_rollup(cube, "year", "year", reverse=True),
        by_cqpm=_rollup(
            cube, "cqpm", "title", extra=("code",), sort=lambda g: (g["code"], g["label"], g["key"])
        ),
        by_route=_rollup(cube, "route", "route_label"),
        by_centre=_rollup(
            cube,
            "centre_id",
            "centre__name",
            extra=("centre__name",),
            sort=lambda g: (g["label"], g["key"]),
        )
        if national
        else [],
        competences=_competences(decisions),
        by_month=_throughput(decisions),
        by_cqpm_year=by_cqpm_year,
        insertion=insertion,
        insertion_totals=insertion_totals,
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
    insertion rates from the holders' follow-up (overall at 6 months, in the target trade
    at 6 months and at 2 years; empty while no holder of that promotion has answered)."""
    insertion = {row["key"]: row for row in stats.insertion}
    rows = []
    for row in stats.by_cqpm_year:
        follow_up = insertion.get(row["key"])
        six, two = (
            (follow_up[SurveyWave.SIX_MONTHS], follow_up[SurveyWave.TWO_YEARS])
            if follow_up
            else (_empty_wave(), _empty_wave())
        )
        rows.append(
            [row["code"], row["title"], row["year"], row["awarded"], row["awarded_vae"]]
            + [_float(six["insertion_rate"]), _float(six["trade_rate"]), _float(two["trade_rate"])]
        )
    return rows


def _float(value):
    return float(value) if value is not None else None
