"""Celery tasks of the ``pdf`` queue (routed by ``CELERY_TASK_ROUTES``).

``render_document`` takes an id only and is idempotent: a ready document is skipped, a
document finished by a concurrent run is not overwritten, and the certificate number is
never allocated here (it lives in the register). Failures leave the row ``failed`` with the
error text and no file, then retry with exponential backoff up to
``DOCUMENTS_MAX_ATTEMPTS``. ``sweep_pending_documents`` (Celery beat) re-enqueues rows left
``pending`` or ``rendering`` — a broker outage or a killed worker delays a document but
never loses it. The kinds a centre issues are sealed (``documents.signing``) between the
render and the store, so the stored file and its checksum are the signed bytes.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from centres.scoping import centre_scope, scopes_disabled
from documents import conf
from documents.models import DocumentStatus, GeneratedDocument
from documents.rendering import render_pdf
from documents.services import enqueue_render, get_renderer
from documents.signing import sign_if_issued

logger = logging.getLogger(__name__)

ERROR_MAX_CHARS = 2000


@dataclass(frozen=True)
class Outcome:
    status: str  # "ready", "failed", "skipped", "missing"
    retry_in: int | None = None


class NoRenderer(LookupError):
    pass


def _build(document):
    builder = get_renderer(document.kind)
    if builder is None:
        raise NoRenderer(f"No renderer registered for {document.kind!r}")
    return builder(document)


def _start(document_id: int) -> GeneratedDocument | None:
    """Lock the row and mark it ``rendering``; ``None`` when there is nothing to do."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == DocumentStatus.READY:
            return None
        if document.attempts >= conf.max_attempts():
            # Killed repeatedly (hard time limit, lost worker) and re-enqueued by the sweep.
            document.status = DocumentStatus.FAILED
            document.error = document.error or "Nombre maximal de tentatives atteint."
            document.updated_at = timezone.now()
            document.save(update_fields=["status", "error", "updated_at"])
            return None
        document.status = DocumentStatus.RENDERING
        document.attempts += 1
        document.updated_at = timezone.now()
        document.save(update_fields=["status", "attempts", "updated_at"])
    return document


def _store(document_id: int, pdf: bytes) -> Outcome:
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document_id)
        if document.status == DocumentStatus.READY:  # a concurrent run finished first
            return Outcome("skipped")
        if document.file:
            document.file.delete(save=False)
        document.file.save(f"{document.kind}-{document.pk}.pdf", ContentFile(pdf), save=False)
        document.sha256 = hashlib.sha256(pdf).hexdigest()
        document.status = DocumentStatus.READY
        document.error = ""
        document.rendered_at = document.updated_at = timezone.now()
        document.save(
            update_fields=["file", "sha256", "status", "error", "rendered_at", "updated_at"]
        )
    return Outcome("ready")


def _fail(document_id: int, exc: BaseException) -> Outcome:
    message = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document_id)
        if document.status == DocumentStatus.READY:
            return Outcome("skipped")
        if document.file:
            document.file.delete(save=False)
        document.file = ""
        document.sha256 = ""
        document.status = DocumentStatus.FAILED
        document.error = message
        document.updated_at = timezone.now()
        document.save(update_fields=["file", "sha256", "status", "error", "updated_at"])
    retry_in = None
    if document.attempts < conf.max_attempts():
        retry_in = conf.retry_backoff_seconds(document.attempts)
    return Outcome("failed", retry_in)


def render_now(document_id: int) -> Outcome:
    """One render attempt, in the document's centre scope (shared by the task and tests)."""
    with scopes_disabled():
        centre_id = (
            GeneratedDocument.objects.filter(pk=document_id)
            .values_list("centre_id", flat=True)
            .first()
        )
    if centre_id is None:
        logger.warning("render_document: document %s does not exist", document_id)
        return Outcome("missing")
    with centre_scope(centre_id):
        if _start(document_id) is None:
            return Outcome("skipped")
        try:
            document = GeneratedDocument.objects.select_related("centre", "certificate").get(
                pk=document_id
            )
            template_name, context = _build(document)
            # Sealed before it is stored: the file and its checksum are the signed bytes.
            pdf = sign_if_issued(
                document.kind, render_pdf(template_name, context), centre=document.centre
            )
        except Exception as exc:  # any failure (incl. SoftTimeLimitExceeded) is recorded
            logger.exception("render_document: document %s failed", document_id)
            return _fail(document_id, exc)
        return _store(document_id, pdf)


@shared_task(
    bind=True,
    name="documents.tasks.render_document",
    acks_late=True,
    max_retries=None,  # bounded by the row's attempts (DOCUMENTS_MAX_ATTEMPTS)
    soft_time_limit=conf.soft_time_limit(),
    time_limit=conf.hard_time_limit(),
)
def render_document(self, document_id: int) -> str:
    outcome = render_now(document_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="documents.tasks.sweep_pending_documents")
def sweep_pending_documents(older_than_minutes: int | None = None) -> int:
    """Re-enqueue documents left ``pending`` or ``rendering`` for too long; returns how many
    were enqueued. Stops at the first refused send (the broker is still down)."""
    minutes = conf.sweep_after_minutes() if older_than_minutes is None else older_than_minutes
    cutoff = timezone.now() - timedelta(minutes=minutes)
    stale = {"status__in": [DocumentStatus.PENDING, DocumentStatus.RENDERING]}
    with scopes_disabled():
        ids = list(
            GeneratedDocument.objects.filter(updated_at__lte=cutoff, **stale)
            .order_by("updated_at", "pk")
            .values_list("pk", flat=True)[: conf.sweep_batch_size()]
        )
        enqueued = 0
        for document_id in ids:
            if not enqueue_render(document_id):
                break  # the broker is still down: the next sweep tries again
            enqueued += 1
            # Not re-enqueued by the next sweep unless still untouched after another delay
            # (a worker that picked it up has already moved updated_at past the cutoff).
            GeneratedDocument.objects.filter(
                pk=document_id, updated_at__lte=cutoff, **stale
            ).update(updated_at=timezone.now())
    if ids:
        logger.info(
            "sweep_pending_documents: %s of %s stale documents enqueued", enqueued, len(ids)
        )
    return enqueued
