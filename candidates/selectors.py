"""Read helpers shared by the dossier page and the sections other apps add to it."""

from django.db.models import Prefetch, prefetch_related_objects

from candidates.models import DossierCompetence
from core.listing import SortColumns
from core.search import french

# What a candidate search looks in (``core.search.text_search``).
CANDIDATE_NAME_FIELDS = ("birth_name", "usage_name", "first_names")

# The columns the candidate and dossier lists sort by (pages ``?sort=``, API ``?ordering=``).
CANDIDATE_SORT = SortColumns(
    "name",
    name=(french("birth_name"), french("first_names")),
    birth_date="birth_date",
    status="access_status",
    created="created_at",
)
DOSSIER_SORT = SortColumns(
    "-created",
    reference="pk",
    candidate=(french("candidate__birth_name"), french("candidate__first_names")),
    qualification=french("referential_version__qualification__title"),
    route="access_route",
    company=french("company__name"),
    status="status",
    created="created_at",
)


def prefetch_competence_rows(dossier) -> None:
    """Load the dossier's competence rows once for the whole dossier page."""
    prefetch_related_objects(
        [dossier],
        Prefetch(
            "competences",
            queryset=DossierCompetence.objects.select_related("competence__bloc", "modality"),
        ),
    )


def competence_rows(dossier) -> list:
    """The dossier's competence rows with their competence, bloc and modality: those
    prefetched on the dossier by the page (``prefetch_competence_rows``), a query otherwise."""
    if "competences" in getattr(dossier, "_prefetched_objects_cache", {}):
        return list(dossier.competences.all())
    return list(dossier.competences.select_related("competence__bloc", "modality"))
