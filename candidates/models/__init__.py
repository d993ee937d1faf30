"""Candidates, dossiers (inscriptions), credits, documents, accommodations, imports."""

from candidates.models.birthplace import Commune, Country
from candidates.models.candidate import Candidate, CandidateIdentity
from candidates.models.choices import (
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    ROUTES_WITHOUT_COMPANY,
    AccessStatus,
    DocumentKind,
    DossierStatus,
    Sex,
    Target,
)
from candidates.models.dossier import Credit, Dossier, DossierCompetence, DossierEvent
from candidates.models.files import Accommodation, CandidateImport, DossierDocument

__all__ = [
    "EDITABLE_STATUSES",
    "OPEN_STATUSES",
    "ROUTES_WITHOUT_COMPANY",
    "AccessStatus",
    "Accommodation",
    "Candidate",
    "CandidateIdentity",
    "CandidateImport",
    "Commune",
    "Country",
    "Credit",
    "DocumentKind",
    "Dossier",
    "DossierCompetence",
    "DossierDocument",
    "DossierEvent",
    "DossierStatus",
    "Sex",
    "Target",
]
