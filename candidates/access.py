"""Who sees which candidate, dossier, document and accommodation.

- centre staff and administrators (``view_centre``): everything of their centre;
- company representatives: read-only, the dossiers whose company is one of theirs — never a
  candidate record, an NIR, a document or an accommodation;
- assessors and jurors: nothing here (later issues grant them their own dossiers);
- accommodations (health data): only ``manage_accommodations``.

Helpers return 404 when the object is missing or not visible, 403 when it is visible but
the action is not allowed.
"""

from django.db.models import Prefetch

from candidates.models import (
    Accommodation,
    Candidate,
    CandidateImport,
    Dossier,
    DossierDocument,
)
from centres.access import get_object_or_404_scoped, require
from centres.roles import Capability


def candidates_for(actor):
    if actor.can(Capability.VIEW_CENTRE):
        return Candidate.objects.all()
    return Candidate.objects.none()


def get_candidate_for_user(actor, pk, *, write=False) -> Candidate:
    candidate = get_object_or_404_scoped(candidates_for(actor), pk=pk)
    if write:
        require(actor, Capability.REGISTER_CANDIDATES)
    return candidate


def dossiers_for(actor):
    qs = Dossier.objects.select_related(
        "candidate", "company", "referential_version__qualification"
    )
    if actor.can(Capability.VIEW_CENTRE):
        return qs
    if actor.is_company_rep and actor.company_ids:
        return qs.filter(company_id__in=actor.company_ids)
    return qs.none()


def get_dossier_for_user(actor, pk, *, write=False) -> Dossier:
    dossier = get_object_or_404_scoped(dossiers_for(actor), pk=pk)
    if write:
        require(actor, Capability.REGISTER_CANDIDATES)
    return dossier


def can_see_documents(actor) -> bool:
    return actor.can(Capability.VIEW_CENTRE)


def documents_for(actor):
    if not can_see_documents(actor):
        return DossierDocument.objects.none()
    return DossierDocument.objects.select_related("dossier", "uploaded_by")


def get_document_for_user(actor, pk, *, write=False) -> DossierDocument:
    document = get_object_or_404_scoped(documents_for(actor), pk=pk)
    if write:
        require(actor, Capability.REGISTER_CANDIDATES)
    return document


def can_see_accommodation(actor) -> bool:
    return actor.can(Capability.MANAGE_ACCOMMODATIONS)


def has_accommodation(actor, dossier) -> bool:
    """Whether the dossier has an accommodation, for the dossier page's indicator: False
    for anyone not allowed to know (the existence of an accommodation is health data too)."""
    return can_see_accommodation(actor) and Accommodation.objects.filter(dossier=dossier).exists()


def get_accommodation_for_user(actor, dossier_pk, *, write=False):
    """The dossier and its accommodation (or None). The dossier must be visible (else 404);
    the accommodation needs ``manage_accommodations`` (else 403)."""
    dossier = get_object_or_404_scoped(dossiers_for(actor), pk=dossier_pk)
    require(actor, Capability.MANAGE_ACCOMMODATIONS)
    return dossier, Accommodation.objects.filter(dossier=dossier).first()


def accommodation_to_apply(dossier) -> str:
    """What an assessor must apply — never the declared needs or medical information.
    For the evaluations issue, once it has checked the assessor's grant on the dossier."""
    return (
        Accommodation.objects.filter(dossier=dossier).values_list("to_apply", flat=True).first()
        or ""
    )


def imports_for(actor):
    if not actor.can(Capability.REGISTER_CANDIDATES):
        return CandidateImport.objects.none()
    return CandidateImport.objects.all()


def get_import_for_user(actor, pk, *, write=False) -> CandidateImport:
    require(actor, Capability.REGISTER_CANDIDATES)
    return get_object_or_404_scoped(imports_for(actor), pk=pk)


def candidate_list_queryset(actor):
    """Candidates with their dossiers (one prefetch: constant query count)."""
    return candidates_for(actor).prefetch_related(
        Prefetch(
            "dossiers",
            queryset=Dossier.objects.select_related(
                "company", "referential_version__qualification"
            ).order_by("-created_at", "-id"),
        )
    )
