"""Candidates with a past: an expired closed dossier with every kind of personal data."""

import datetime

from django.utils import timezone

from candidates.models import Accommodation, CandidateIdentity, Dossier, DossierEvent
from centres.models import AuditEntry
from tests.candidates.factories import CandidateFactory, DossierDocumentFactory, DossierFactory

NIR = "190057512345678"


def expired_candidate(centre, *, years_ago=10, birth_name="OUBLIÉ", status="closed"):
    candidate = CandidateFactory(
        centre=centre,
        birth_name=birth_name,
        first_names="Mireille",
        birth_date=datetime.date(1980, 6, 15),
        phone="06 12 34 56 78",
        address="3 rue des Lilas, Lyon",
    )
    CandidateIdentity.objects.create(candidate=candidate, nir=NIR)
    dossier = DossierFactory(centre=centre, candidate=candidate, tutor_email="tuteur@example.org")
    finished = timezone.now() - datetime.timedelta(days=365 * years_ago)
    Dossier.objects.filter(pk=dossier.pk).update(
        status=status, closed_at=finished, updated_at=finished
    )
    DossierEvent.objects.create(
        dossier=dossier, action="close", to_status=status, reason="Motif nominatif Mireille"
    )
    Accommodation.objects.create(
        centre=centre, dossier=dossier, needs="SECRET-MEDICAL", to_apply="Tiers temps"
    )
    DossierDocumentFactory(dossier=dossier)
    AuditEntry.objects.create(
        centre=centre,
        action="candidate.register",
        subject_type="candidates.candidate",
        subject_id=str(candidate.pk),
        after={"birth_name": birth_name, "first_names": "Mireille", "sex": "F"},
    )
    dossier.refresh_from_db()
    return candidate, dossier
