"""Celery tasks of the juries app (periodic, from ``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from juries.services.insertion import send_due_surveys


@shared_task
def send_insertion_surveys() -> int:
    """The follow-up questionnaires due to holders (6 months, 2 years after the jury);
    idempotent: a questionnaire already sent is never sent again."""
    return send_due_surveys()
