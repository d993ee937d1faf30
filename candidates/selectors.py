"""Read helpers shared by the dossier page and the sections other apps add to it."""

from django.db.models import Prefetch, prefetch_related_objects

from .models import DossierCompetence


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
