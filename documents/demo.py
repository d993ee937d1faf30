"""Demo documents (``seed_demo``; idempotent).

Earlier demo modules may hand documents to produce through the shared context:
``context["document_batches"]`` is a list of ``(centre, label, [DocumentRequest])`` and
``context["certificates"]`` a list of ``(centre, CertificateFacts)`` to enter in the register
first (the juries demo will do so for its decided session). Until then, each demo centre
gets one parchemin and one attestation of a demonstration holder, so the register, the PDFs
and the public verification page can be tried. Documents render after the seed's commit
(in process on the embedded default, on the workers with ``REDIS_URL``).
"""

import datetime

from django.conf import settings

from centres.roles import Role
from documents.models import DocumentBatch, DocumentKind
from documents.services import CertificateFacts, DocumentRequest, issue_certificate, request_batch

DEMO_BATCH_LABEL = "Démonstration : parchemin et attestation"
B1 = {
    "code": "B1",
    "title": "La construction de l'organisation de son secteur",
    "competences": [
        {"code": "C1", "title": "Définir l'organisation de l'activité de son secteur"},
        {"code": "C2", "title": "Optimiser le fonctionnement du secteur"},
        {"code": "C3", "title": "Manager son secteur"},
    ],
}
B2 = {
    "code": "B2",
    "title": "La conduite du changement de son secteur",
    "competences": [
        {"code": "C4", "title": "Mesurer la performance de son secteur"},
        {"code": "C5", "title": "Conduire des projets d'amélioration de la performance"},
    ],
}
B3 = {
    "code": "B3",
    "title": "Le management des compétences de son secteur",
    "competences": [
        {"code": "C6", "title": "Définir les besoins en compétences de son secteur"},
        {"code": "C7", "title": "Evaluer les compétences des membres de son équipe"},
        {"code": "C8", "title": "Assurer l'évolution des compétences des membres"},
    ],
}


def _staff(context, key):
    staff = ((context.get("roles") or {}).get(key) or {}).get(Role.STAFF) or []
    return staff[0] if staff else None


def _demo_facts(centre, key, kind):
    partial = kind == DocumentKind.ATTESTATION
    blocs = [B1, B2] if partial else [B1, B2, B3]
    return CertificateFacts(
        kind=kind,
        subject=("documents.demo", f"{key}-{kind}"),
        holder_first_name="Léa" if partial else "Camille",
        holder_last_name="Démonstration",
        holder_birth_date=datetime.date(1990, 4, 12),
        holder_birth_place=centre.city or "Lyon",
        qualification_title="Manager de secteur d'activités",
        blocs=blocs,
        competences=[c for bloc in blocs for c in bloc["competences"]],
        jury_date=datetime.date(2026, 6, 18),
        issued_on=datetime.date(2026, 6, 25),
        issued_place=centre.city or "Lyon",
        signatory_name="Présidence du jury paritaire",
    )


def seed(context: dict) -> None:
    summary = context.setdefault("summary", [])
    for centre, facts in context.get("certificates", []):
        issue_certificate(facts, centre=centre, actor=None)
    batches = list(context.get("document_batches", []))
    if not batches and context.get("centres"):
        summary.append("Documents de démonstration (pages publiques de vérification) :")
        for key, centre in (context.get("centres") or {}).items():
            actor = _staff(context, key)
            requests = []
            for kind in (DocumentKind.CERTIFICATE, DocumentKind.ATTESTATION):
                record = issue_certificate(
                    _demo_facts(centre, key, kind), centre=centre, actor=actor
                )
                requests.append(
                    DocumentRequest(
                        kind,
                        (record.subject_type, record.subject_id),
                        label=f"{record.get_kind_display()} — {record.holder_name}",
                        certificate=record,
                    )
                )
                summary.append(
                    f"  {centre.name} · {record.get_kind_display()} {record.number} : "
                    f"{settings.SITE_URL}/verifier/{record.display_code}/"
                )
            batches.append((centre, DEMO_BATCH_LABEL, requests, actor))
    for centre, label, requests, *rest in batches:
        if DocumentBatch.objects.filter(centre=centre, label=label).exists():
            continue  # already requested by a previous seed
        request_batch(label, requests, centre=centre, actor=rest[0] if rest else None)
