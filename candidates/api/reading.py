"""How the dossiers API reads what it shows: the list, the detail and the answer of every
write. At national volume a page costs what it decodes, so it reads only the columns the
serializer shows, and a page's target blocs and competences as plain values, two queries
whatever the page size (Django's prefetch builds a related manager and a queryset for
every dossier, then three model instances for every competence shown)."""

from collections import defaultdict

from candidates.access import dossiers_for
from candidates.models import Dossier, DossierCompetence
from cqpm.models import Bloc

# What ``DossierSerializer`` (and the company's subset) reads, and nothing more.
DOSSIER_COLUMNS = (
    "id",
    "candidate",
    "referential_version",
    "target",
    "access_route",
    "company",
    "tutor_name",
    "tutor_email",
    "manager_name",
    "manager_email",
    "status",
    "withdrawn_reason",
    "previous_dossier",
    "submitted_at",
    "agreed_at",
    "closed_at",
    "version",
    "created_at",
    "candidate__birth_name",
    "candidate__usage_name",
    "candidate__first_names",
    "candidate__sex",
    "referential_version__number",
    "referential_version__qualification__title",
)
# A competence as ``DossierCompetenceSerializer`` shows it, in its order.
COMPETENCE_VALUES = (
    "dossier_id",
    "competence_id",
    "competence__code",
    "competence__title",
    "competence__bloc__code",
    "modality_id",
    "report_deadline",
)


def dossiers_to_show(actor):
    """The dossiers the actor may read, with what the serializer shows of them; give the
    ones shown their lists with :func:`attach_lists`."""
    return (
        dossiers_for(actor)
        .select_related(None)
        .select_related("candidate", "referential_version__qualification")
        .only(*DOSSIER_COLUMNS)
        .order_by("-created_at", "-id")
    )


def _related_ordering(prefix, model):
    """``model``'s default ordering, seen from a relation named ``prefix``."""
    return [
        f"-{prefix}__{name[1:]}" if name.startswith("-") else f"{prefix}__{name}"
        for name in model._meta.ordering
    ]


def attach_lists(dossiers) -> None:
    """Set ``listed_target_blocs`` (bloc ids, in the blocs' order) and
    ``listed_competences`` (:data:`COMPETENCE_VALUES` rows, by competence number) on each
    dossier. The dossiers come from a scoped query: their competences are selected by
    dossier id alone, without the scope's join on the centre's dossiers (PostgreSQL hashed
    every dossier of the centre for it)."""
    ids = [dossier.pk for dossier in dossiers]
    if not ids:
        return
    blocs = defaultdict(list)
    links = (
        Dossier.target_blocs.through.objects.filter(dossier_id__in=ids)
        .order_by(*_related_ordering("bloc", Bloc))
        .values_list("dossier_id", "bloc_id")
    )
    for dossier_id, bloc_id in links:
        blocs[dossier_id].append(bloc_id)
    competences = defaultdict(list)
    rows = (
        DossierCompetence.objects.with_scopes_disabled()
        .filter(dossier_id__in=ids)
        .order_by("competence__number")
        .values_list(*COMPETENCE_VALUES)
    )
    for row in rows:
        competences[row[0]].append(row)
    for dossier in dossiers:
        dossier.listed_target_blocs = blocs.get(dossier.pk, [])
        dossier.listed_competences = competences.get(dossier.pk, [])
