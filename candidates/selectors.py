"""Read helpers shared by the dossier page and the sections other apps add to it."""

import re

from django.db.models import Case, F, Prefetch, Q, Value, When, prefetch_related_objects

from candidates.models import Commune, DossierCompetence
from candidates.models.birthplace import search_form
from core.listing import SortColumns
from core.search import french, search_terms

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


COMMUNE_SEARCH_LIMIT = 20
_COMMUNE_CODE_QUERY = re.compile(r"^(?:\d{2,5}|2[ABab]\d{0,3})$")


def search_communes(query: str, *, limit: int = COMMUNE_SEARCH_LIMIT) -> list[Commune]:
    """The communes for the birth-place picker: every word of ``query`` in the name (accents,
    case, hyphens and apostrophes ignored: "saint etienne" finds « Saint-Étienne »), or the
    start of an INSEE code ("69123", "2A"); names that begin with the query first, then the
    most populous.
    One query; empty for a query under two characters."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    if _COMMUNE_CODE_QUERY.match(query):
        condition = Q(code__startswith=query.upper())
        starts = Q(code=query.upper())
    else:
        # ``search_name`` is stored folded (``core.text.fold``): the words are compared to
        # it as they are, which a trigram index serves (migration 0007), not through
        # ``lower(unaccent())`` row by row
        folded = search_form(query)
        condition = Q()
        for word in search_terms(folded):
            condition &= Q(search_name__contains=word)
        starts = Q(search_name__startswith=folded)
    return list(
        Commune.objects.filter(condition)
        .annotate(starts=Case(When(starts, then=Value(0)), default=Value(1)))
        .order_by("starts", F("population").desc(nulls_last=True), french("name"), "code")[:limit]
    )
