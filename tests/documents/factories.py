"""Test data of the documents app: register entries, document rows, batches."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from documents.models import DocumentBatch, DocumentStatus, GeneratedDocument
from documents.services import CertificateFacts, issue_certificate

FAKE_PDF = b"%PDF-1.4\n% test document\n%%EOF\n"

BLOCS = [
    {
        "code": "B1",
        "title": "La construction de l'organisation de son secteur",
        "competences": [
            {"code": "C1", "title": "Définir l'organisation de l'activité de son secteur"},
            {"code": "C2", "title": "Optimiser le fonctionnement du secteur"},
            {"code": "C3", "title": "Manager son secteur"},
        ],
    }
]


def certificate_facts(subject=("juries.decision", "1"), kind="certificate", **overrides):
    values = {
        "kind": kind,
        "subject": subject,
        "holder_first_name": "Marie",
        "holder_last_name": "Curie",
        "holder_birth_date": datetime.date(1991, 11, 7),
        "holder_birth_place": "Varsovie",
        "qualification_title": "Manager de secteur d'activités",
        "blocs": BLOCS,
        "competences": BLOCS[0]["competences"],
        "jury_date": datetime.date(2026, 6, 18),
        "issued_on": datetime.date(2026, 6, 25),
        "issued_place": "Lyon",
        "signatory_name": "Anne Lefèvre",
        "signatory_title": "Présidente du jury",
    }
    values.update(overrides)
    return CertificateFacts(**values)


def issue(centre, user=None, **overrides):
    return issue_certificate(certificate_facts(**overrides), centre=centre, actor=user)


def make_document(
    centre,
    *,
    kind="certificate",
    status=DocumentStatus.PENDING,
    label="Parchemin — Marie CURIE",
    subject=("juries.decision", "1"),
    with_file=False,
    batch=None,
    certificate=None,
    error="",
    updated_at=None,
):
    now = timezone.now()
    document = GeneratedDocument.objects.create(
        centre=centre,
        kind=kind,
        subject_type=subject[0],
        subject_id=subject[1],
        label=label,
        status=status,
        error=error,
        batch=batch,
        certificate=certificate,
        updated_at=updated_at or now,
    )
    if with_file:
        document.file.save(f"{kind}-{document.pk}.pdf", ContentFile(FAKE_PDF), save=False)
        document.sha256 = "0" * 64
        document.rendered_at = now
        document.save(update_fields=["file", "sha256", "rendered_at"])
    return document


def make_batch(centre, *, count=3, status=DocumentStatus.READY, label="Parchemins session juin"):
    batch = DocumentBatch.objects.create(centre=centre, label=label)
    for index in range(count):
        make_document(
            centre,
            status=status,
            batch=batch,
            label=f"{label} — {index}",
            subject=("juries.decision", str(index)),
            with_file=status == DocumentStatus.READY,
        )
    return batch
