"""On the dossier page: the documents the platform produced for the dossier — its
convocations and signed grids (subject: the session slot), the company's avis, the PV of
each jury session that examined it, its parchemin or attestation and result letter (subject:
the decision). This app sits above every app that produces them, so it gathers them; the
list is ``documents.access.documents_for(actor)``, so every link is one the reader may open
(the download view checks it again)."""

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from centres.roles import Capability
from documents.access import documents_for
from documents.models import subject_ref
from evaluations.models import CompanyOpinion, SessionDossier
from juries.models import AgendaItem, Decision


def _ids(queryset):
    return queryset.values(text=Cast("pk", CharField()))


def dossier_documents_filter(dossier) -> Q:
    subject_type, subject_id = subject_ref(dossier)
    sessions = AgendaItem.objects.filter(dossier=dossier).values(
        text=Cast("session_id", CharField())
    )
    pairs = [
        ("evaluations.sessiondossier", _ids(SessionDossier.objects.filter(dossier=dossier))),
        ("evaluations.companyopinion", _ids(CompanyOpinion.objects.filter(dossier=dossier))),
        ("juries.decision", _ids(Decision.objects.filter(dossier=dossier))),
        ("juries.jurysession", sessions),
    ]
    condition = Q(subject_type=subject_type, subject_id=subject_id)
    for kind, ids in pairs:
        condition |= Q(subject_type=kind, subject_id__in=ids)
    return condition


def dossier_documents(actor, dossier):
    """The produced documents of a dossier the actor may open, newest first (one query)."""
    return (
        documents_for(actor)
        .filter(dossier_documents_filter(dossier))
        .select_related("certificate")
        .order_by("-created_at", "-pk")
    )


def dossier_documents_section(request, dossier):
    actor = getattr(request, "actor", None)
    if actor is None:
        return None
    documents = list(dossier_documents(actor, dossier))
    if not documents and not actor.can(Capability.VIEW_CENTRE):
        return None  # a reader who may open none of them is not told they exist
    return {
        "title": _("Documents produits (convocations, grilles, PV, résultats)"),
        "template": "juries/_dossier_documents.html",
        "context": {"documents": documents},
    }
