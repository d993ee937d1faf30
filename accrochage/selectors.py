"""The read models of the accrochage: holders to declare (with their deadline), withdrawals
owed, the register of fluxes and their passages.

A whole-CQPM award in force is a frozen, not revoked decision whose outcome is "awarded";
attestations of blocs (partial outcomes) are not declared. A holder is *to declare* while
no passage declaring the award is pending or accepted (a rejected one puts it back in the
list). A revoked award that the portal accepted owes a SUPPRESSION.
"""

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accrochage.dates import deadline, overdue_cutoff
from accrochage.models import Flux, Passage, PassageAction, PassageStatus
from core.listing import SortColumns
from core.search import french, text_search
from juries.models import Decision, Outcome

LIVE = (PassageStatus.PENDING, PassageStatus.ACCEPTED)
# The day the jury deliberated (a frozen decision's session is closed: ``jury_date``).
JURY_DAY = TruncDate(Coalesce("item__session__deliberated_at", "item__session__starts_at"))

HOLDER_SORT = SortColumns(
    "deadline",
    deadline=("jury_day", "id"),
    candidate=(
        french("dossier__candidate__birth_name"),
        french("dossier__candidate__first_names"),
        "id",
    ),
    cqpm=(french("dossier__referential_version__qualification__title"), "jury_day", "id"),
    route=("dossier__access_route", "jury_day", "id"),
)
FLUX_SORT = SortColumns("-created", created=("created_at", "id"), passages=("passage_count", "id"))
PASSAGE_SORT = SortColumns(
    "holder", holder=("holder", "id"), status=("status", "holder", "id"), action=("action", "id")
)


def _passages(action, statuses):
    return Passage.objects.filter(decision=OuterRef("pk"), action=action, status__in=statuses)


def awarded_in_force(centre):
    return Decision.objects.filter(
        centre=centre,
        frozen_at__isnull=False,
        revoked_at__isnull=True,
        outcome=Outcome.AWARDED,
    )


def holders_to_declare(centre, *, today=None, query: str = ""):
    """The awards in force not yet declared (nor waiting for the portal's report), with
    ``jury_day``, ``overdue`` and ``rejected`` (a previous declaration was refused)."""
    cutoff = overdue_cutoff(today or timezone.localdate())
    rows = (
        awarded_in_force(centre)
        .annotate(
            jury_day=JURY_DAY,
            declared=Exists(_passages(PassageAction.CREATION, LIVE)),
            rejected=Exists(_passages(PassageAction.CREATION, (PassageStatus.REJECTED,))),
        )
        .filter(declared=False)
        .annotate(
            overdue=Case(
                When(jury_day__lt=cutoff, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related(
            "item__session",
            "dossier__candidate__identity",
            "dossier__referential_version__qualification",
        )
    )
    if query:
        rows = rows.filter(
            text_search(
                query,
                "dossier__candidate__birth_name",
                "dossier__candidate__usage_name",
                "dossier__candidate__first_names",
            )
        )
    return rows


def with_deadlines(rows) -> list:
    """The rows of a page, each with its ``deadline`` (jury date + 3 months)."""
    rows = list(rows)
    for row in rows:
        row.deadline = deadline(row.jury_day)
    return rows


def overdue_count(centre, *, today=None) -> int:
    return holders_to_declare(centre, today=today).filter(overdue=True).count()


def suppressions_owed(centre):
    """Revoked awards the portal accepted and no withdrawal pending or accepted yet."""
    return (
        Decision.objects.filter(centre=centre, revoked_at__isnull=False)
        .filter(Exists(_passages(PassageAction.CREATION, (PassageStatus.ACCEPTED,))))
        .exclude(Exists(_passages(PassageAction.SUPPRESSION, LIVE)))
        .select_related(
            "item__session",
            "dossier__candidate__identity",
            "dossier__referential_version__qualification",
        )
    )


def fluxes(centre, *, query: str = ""):
    rows = Flux.objects.filter(centre=centre).select_related("created_by")
    if query:
        rows = rows.filter(Q(flux_id__icontains=query.strip()))
    return rows


def passages_of(flux, *, status: str = "", query: str = ""):
    rows = flux.passages.select_related("decision__dossier")
    if status:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(text_search(query, "holder", "id_technique"))
    return rows


def resendable(flux):
    """The flux's rejected passages not declared again since (by a later pending or
    accepted passage of the same action)."""
    later = Passage.objects.filter(
        decision=OuterRef("decision"), action=OuterRef("action"), status__in=LIVE
    )
    return (
        flux.passages.filter(status=PassageStatus.REJECTED)
        .exclude(Exists(later))
        .select_related(
            "decision__item__session",
            "decision__dossier__candidate__identity",
            "decision__dossier__referential_version__qualification",
        )
    )
