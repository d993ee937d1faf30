"""Every write of the documents app: requests, retries, the renderer registry, and the
certificate register.

A document is requested in two steps that cannot be separated: the row is written
(``pending``) and the render job is enqueued *after commit* (``transaction.on_commit``), so
a worker never looks for a row that is not there yet, and a rolled-back request enqueues
nothing. When the broker is unreachable the request still succeeds: the row stays
``pending`` and the periodic sweep (``documents.tasks.sweep_pending_documents``) enqueues it
once the broker is back.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from celery import current_app
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres import audit
from core.errors import DomainError
from documents.models import (
    CertificateCounter,
    CertificateKind,
    CertificateRecord,
    DocumentBatch,
    DocumentKind,
    DocumentStatus,
    GeneratedDocument,
    new_verification_code,
    subject_ref,
)

logger = logging.getLogger(__name__)


class DocumentError(DomainError):
    default_code = "document_error"


# --- renderer registry --------------------------------------------------------------------

Builder = Callable[[GeneratedDocument], tuple[str, object]]
_builders: dict[str, Builder] = {}


def register_renderer(kind: str, builder: Builder) -> None:
    """Plug the renderer of a document kind: ``builder(document) -> (template_name,
    context)``, the context being one of :mod:`documents.contexts`. Apps call it in their
    ``AppConfig.ready``; the builder reads the subject (``document.subject_type`` /
    ``subject_id``) inside the document's centre scope."""
    if kind not in DocumentKind.values:
        raise ValueError(f"Unknown document kind {kind!r}")
    _builders[kind] = builder


def get_renderer(kind: str) -> Builder | None:
    return _builders.get(kind)


def has_renderer(kind: str) -> bool:
    return kind in _builders


# --- enqueueing ---------------------------------------------------------------------------

# Fail fast when the broker is down: the sweep will enqueue the row later.
ENQUEUE_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}


RENDER_TASK = "documents.tasks.render_document"


def enqueue_render(document_id: int) -> bool:
    """Send the render job; ``False`` (logged, not raised) when the broker refuses it. The
    task is found by its name in Celery's registry (``documents.tasks`` imports this module,
    not the other way round)."""
    try:
        current_app.tasks[RENDER_TASK].apply_async(
            args=[document_id], retry=True, retry_policy=ENQUEUE_RETRY_POLICY
        )
    except Exception:  # the broker is unreachable: the sweep will re-enqueue the row
        logger.warning(
            "Document %s not enqueued (broker unreachable?); left pending",
            document_id,
            exc_info=True,
        )
        return False
    return True


def enqueue_many(document_ids) -> int:
    """Enqueue a batch; stops at the first refused send so that a broker outage does not
    hold the request for every document (the sweep enqueues the rest later)."""
    enqueued = 0
    for document_id in document_ids:
        if not enqueue_render(document_id):
            break
        enqueued += 1
    return enqueued


def _audit(centre, actor, action, subject, *, before=None, after=None, reason=""):
    audit.record(
        centre=centre,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        subject=subject,
        before=before,
        after=after,
        reason=reason,
    )


# --- requests -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentRequest:
    """One document of a batch."""

    kind: str
    subject: object  # a model instance or a (subject_type, subject_id) pair
    label: str = ""
    certificate: CertificateRecord | None = None


def _check_kind(kind: str) -> None:
    if kind not in DocumentKind.values:
        raise DocumentError(_("Type de document inconnu."), code="unknown_kind")
    if not has_renderer(kind):
        raise DocumentError(
            _("Ce type de document ne peut pas encore être produit."), code="no_renderer"
        )


def _new_document(kind, subject, *, centre, actor, batch, label, certificate):
    subject_type, subject_id = subject_ref(subject)
    if certificate is None and kind in CertificateKind.values:
        certificate = CertificateRecord.objects.filter(
            subject_type=subject_type, subject_id=subject_id, kind=kind
        ).first()
    now = timezone.now()
    return GeneratedDocument(
        centre=centre,
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        label=label[:200],
        certificate=certificate,
        batch=batch,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        updated_at=now,
    )


def request_document(
    kind, subject, *, centre, actor, batch=None, label="", certificate=None
) -> GeneratedDocument:
    """Write a ``pending`` document and enqueue its render after commit.

    Each call makes a new row (a new version of the document); certificate numbers are
    never duplicated by it, since they live in the register (:func:`issue_certificate`).
    """
    _check_kind(kind)
    with transaction.atomic():
        document = _new_document(
            kind,
            subject,
            centre=centre,
            actor=actor,
            batch=batch,
            label=label,
            certificate=certificate,
        )
        document.save()
        _audit(
            centre,
            actor,
            "document.requested",
            document,
            after={"kind": kind, "subject": f"{document.subject_type}#{document.subject_id}"},
        )
        transaction.on_commit(partial(enqueue_render, document.pk))
    return document


def request_batch(
    label: str, requests: Iterable[DocumentRequest], *, centre, actor, subject=None
) -> DocumentBatch:
    """One batch, one document per request (bulk-inserted), each enqueued after commit."""
    requests = list(requests)
    for item in requests:
        _check_kind(item.kind)
    subject_type, subject_id = subject_ref(subject) if subject is not None else ("", "")
    with transaction.atomic():
        batch = DocumentBatch.objects.create(
            centre=centre,
            label=label[:200],
            subject_type=subject_type,
            subject_id=subject_id,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        documents = GeneratedDocument.objects.bulk_create(
            [
                _new_document(
                    item.kind,
                    item.subject,
                    centre=centre,
                    actor=actor,
                    batch=batch,
                    label=item.label,
                    certificate=item.certificate,
                )
                for item in requests
            ]
        )
        _audit(centre, actor, "document.batch_requested", batch, after={"count": len(documents)})
        ids = [document.pk for document in documents]
        transaction.on_commit(partial(enqueue_many, ids))
    return batch


def retry_document(document: GeneratedDocument, *, actor) -> GeneratedDocument:
    """Send a failed document back to ``pending`` (attempts reset) and enqueue it.

    A pending document is only re-enqueued (no-op on the row); a ready or rendering one is
    refused."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
        if document.status == DocumentStatus.PENDING:
            transaction.on_commit(partial(enqueue_render, document.pk))
            return document
        if document.status != DocumentStatus.FAILED:
            raise DocumentError(
                _("Seul un document en échec peut être relancé."), code="not_failed"
            )
        before = {"status": document.status, "attempts": document.attempts, "error": document.error}
        document.status = DocumentStatus.PENDING
        document.attempts = 0
        document.error = ""
        document.updated_at = timezone.now()
        document.save(update_fields=["status", "attempts", "error", "updated_at"])
        _audit(
            document.centre,
            actor,
            "document.retried",
            document,
            before=before,
            after={"status": document.status},
        )
        transaction.on_commit(partial(enqueue_render, document.pk))
    return document


# --- certificate register -----------------------------------------------------------------


@dataclass(kw_only=True)
class CertificateFacts:
    """What a parchemin or an attestation states, frozen in the register when issued.

    ``subject`` identifies the decision it records (e.g. the jury decision of a dossier):
    issuing twice for the same subject and kind returns the first row. Unknown codes
    (RNCP number, levels, certifier) stay empty and print "à renseigner".
    """

    kind: str
    subject: object
    holder_first_name: str
    holder_last_name: str
    holder_birth_date: date | None = None
    holder_birth_place: str = ""
    holder_sex: str = ""
    qualification_title: str
    qualification_code: str = ""
    referential_version: str = ""
    certifier: str = ""
    rncp_number: str = ""
    france_competences_decision_date: date | None = None
    level_national: str = ""
    level_european: str = ""
    blocs: list[dict] = field(default_factory=list)
    competences: list[dict] = field(default_factory=list)
    jury_date: date
    issued_on: date | None = None
    issued_place: str
    signatory_name: str = ""
    signatory_title: str = ""
    signed_on: date | None = None  # the president's PV signature; else the jury date


def certificate_prefix(centre) -> str:
    """The centre part of a certificate number (its slug, upper case: unique per centre)."""
    return getattr(centre, "certificate_prefix", "") or centre.slug.upper()


def _unused_verification_code() -> str:
    for _attempt in range(8):
        code = new_verification_code()
        if not CertificateRecord.objects.filter(verification_code=code).exists():
            return code
    raise DocumentError(_("Impossible d'attribuer un code de vérification."), code="no_code")


def issue_certificate(facts: CertificateFacts, *, centre, actor) -> CertificateRecord:
    """Enter a parchemin or attestation in the register, or return the existing entry.

    The number (``<PREFIX>-<year>-<000123>``) is taken from the centre's counter row of the
    year, locked with ``SELECT … FOR UPDATE``: concurrent issuers queue on it, and the one
    that waited finds the row the first one created. A retried request or job therefore
    never produces a second number for the same subject and kind.
    """
    if facts.kind not in CertificateKind.values:
        raise DocumentError(_("Type de certificat inconnu."), code="unknown_kind")
    subject_type, subject_id = subject_ref(facts.subject)
    lookup = {"subject_type": subject_type, "subject_id": subject_id, "kind": facts.kind}
    issued_on = facts.issued_on or timezone.localdate()
    if facts.jury_date > issued_on:
        raise DocumentError(
            _("Un certificat ne peut pas être délivré avant la délibération du jury."),
            code="issued_before_jury",
        )
    with transaction.atomic():
        existing = CertificateRecord.objects.filter(**lookup).first()
        if existing is not None:
            return existing
        counter = _locked_counter(centre, issued_on.year)
        existing = CertificateRecord.objects.filter(**lookup).first()
        if existing is not None:  # issued by a concurrent request we waited for
            return existing
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
        record = CertificateRecord.objects.create(
            centre=centre,
            kind=facts.kind,
            number=f"{certificate_prefix(centre)}-{issued_on.year}-{counter.last_value:06d}",
            year=issued_on.year,
            sequence=counter.last_value,
            verification_code=_unused_verification_code(),
            subject_type=subject_type,
            subject_id=subject_id,
            holder_first_name=facts.holder_first_name,
            holder_last_name=facts.holder_last_name,
            holder_birth_date=facts.holder_birth_date,
            holder_birth_place=facts.holder_birth_place,
            holder_sex=facts.holder_sex or "",
            qualification_title=facts.qualification_title,
            qualification_code=facts.qualification_code,
            referential_version=facts.referential_version,
            certifier=facts.certifier,
            rncp_number=facts.rncp_number,
            france_competences_decision_date=facts.france_competences_decision_date,
            level_national=facts.level_national,
            level_european=facts.level_european,
            blocs=facts.blocs,
            competences=facts.competences,
            jury_date=facts.jury_date,
            issued_on=issued_on,
            issued_place=facts.issued_place,
            signatory_name=facts.signatory_name,
            signatory_title=facts.signatory_title,
            signed_on=facts.signed_on or facts.jury_date,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _audit(
            centre,
            actor,
            "certificate.issued",
            record,
            after={"number": record.number, "kind": record.kind, "subject": lookup},
        )
    return record


def _locked_counter(centre, year: int) -> CertificateCounter:
    try:
        with transaction.atomic():
            counter, _created = CertificateCounter.objects.select_for_update().get_or_create(
                centre=centre, year=year
            )
    except IntegrityError:  # created concurrently: take the lock on the row that won
        counter = CertificateCounter.objects.select_for_update().get(centre=centre, year=year)
    return counter


def revoke_certificate(record: CertificateRecord, *, reason: str, actor) -> CertificateRecord:
    """Revoke a register entry: who, when and why are recorded; the public page shows it.
    Revoking an already revoked entry changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError(_("Le motif de la révocation est obligatoire."), code="reason_required")
    with transaction.atomic():
        record = CertificateRecord.objects.select_for_update().get(pk=record.pk)
        if record.revoked_at is not None:
            return record
        record.revoked_at = timezone.now()
        record.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
        record.revocation_reason = reason
        record.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        _audit(
            record.centre,
            actor,
            "certificate.revoked",
            record,
            before={"revoked": False},
            after={"revoked": True},
            reason=reason,
        )
    return record
