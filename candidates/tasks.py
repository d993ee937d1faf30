"""Celery tasks of the candidates app (default queue). They take ids only and re-enter the
centre scope themselves."""

from celery import shared_task

from candidates.import_parsing import parse_now


@shared_task(name="candidates.tasks.parse_import", acks_late=True)
def parse_import(import_id: int) -> str:
    """Read a bulk-import file once and store its rows (``import_parsing.parse_now``)."""
    return parse_now(import_id)
