"""Celery tasks of the candidates app (default queue). They take ids only and re-enter the
centre scope themselves."""

import logging

from celery import shared_task
from django.utils import timezone

from candidates.import_parsing import STALE_AFTER, parse_now
from candidates.models import CandidateImport

logger = logging.getLogger(__name__)
Status = CandidateImport.ParseStatus


@shared_task(name="candidates.tasks.parse_import", acks_late=True)
def parse_import(import_id: int) -> str:
    """Read a bulk-import file once and store its rows (``import_parsing.parse_now``)."""
    return parse_now(import_id)


def enqueue_parse(import_id: int) -> bool:
    """Send the parse job; ``False`` (logged) when the broker refuses it: the mapping page
    sends it again (``resume_if_stale``)."""
    try:
        parse_import.apply_async(args=[import_id], retry=False)
    except Exception:
        logger.warning("Import %s not enqueued (broker unreachable?)", import_id, exc_info=True)
        return False
    return True


def resume_if_stale(batch) -> bool:
    """Send the job again when it was lost (pending or parsing, and silent for too long)."""
    if batch.parse_status not in (Status.PENDING, Status.PARSING):
        return False
    last = batch.parse_updated_at or batch.created_at
    if last and timezone.now() - last < STALE_AFTER:
        return False
    CandidateImport.objects.filter(pk=batch.pk).update(parse_updated_at=timezone.now())
    return enqueue_parse(batch.pk)
