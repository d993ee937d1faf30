"""Anonymisation of a candidate: the PDFs that name them go with their personal data.

Convocations, signed grids, company avis and result letters whose subject is one of the
candidate's dossiers (or any record with a ``dossier`` foreign key to one of them) are
deleted, rows and files. The legal records stay: parchemins and attestations (the register
must remain verifiable) and the jury minutes (the PV of a whole session).
"""

from collections import defaultdict

from django.apps import apps
from django.db import transaction

from documents.models import DocumentKind, GeneratedDocument

KEPT_KINDS = frozenset(
    {DocumentKind.CERTIFICATE, DocumentKind.ATTESTATION, DocumentKind.JURY_MINUTES}
)


def _subject_ids_by_type(candidate_documents) -> dict[str, set[str]]:
    by_type: dict[str, set[str]] = defaultdict(set)
    for subject_type, subject_id in candidate_documents:
        by_type[subject_type].add(subject_id)
    return by_type


def documents_of_dossiers(dossier_ids):
    """The generated documents (other than the legal records) about these dossiers."""
    wanted = {str(pk) for pk in dossier_ids}
    candidates = GeneratedDocument.objects.exclude(kind__in=KEPT_KINDS).values_list(
        "subject_type", "subject_id"
    )
    matching: list[tuple[str, str]] = []
    for subject_type, ids in _subject_ids_by_type(candidates.distinct()).items():
        if subject_type == "candidates.dossier":
            matching += [(subject_type, i) for i in ids & wanted]
            continue
        try:
            model = apps.get_model(subject_type)
        except (LookupError, ValueError):
            continue
        if not any(f.name == "dossier" for f in model._meta.get_fields()):
            continue
        numeric = [int(i) for i in ids if i.isdigit()]
        linked = model._base_manager.filter(pk__in=numeric, dossier_id__in=dossier_ids)
        matching += [(subject_type, str(pk)) for pk in linked.values_list("pk", flat=True)]
    if not matching:
        return GeneratedDocument.objects.none()
    query = GeneratedDocument.objects.none()
    for subject_type, subject_id in matching:
        query = query | GeneratedDocument.objects.filter(
            subject_type=subject_type, subject_id=subject_id
        )
    return query.exclude(kind__in=KEPT_KINDS)


def anonymise_documents(candidate, dossiers) -> None:
    """Registered with ``core.privacy.register_anonymiser``."""
    documents = list(documents_of_dossiers([d.pk for d in dossiers]))
    if not documents:
        return
    storage = GeneratedDocument._meta.get_field("file").storage
    names = [d.file.name for d in documents if d.file]
    GeneratedDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()

    def remove_files():
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove_files)
