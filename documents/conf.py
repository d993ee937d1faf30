"""Tunables of the document pipeline, each overridable in settings (defaults here so the
shared settings module only carries what operators usually change)."""

from django.conf import settings


def max_attempts() -> int:
    """How many times a render is tried before the document stays ``failed``."""
    return getattr(settings, "DOCUMENTS_MAX_ATTEMPTS", 4)


def retry_backoff_seconds(attempt: int) -> int:
    """Exponential backoff after the ``attempt``-th failure: 30 s, 60 s, 120 s… capped."""
    base = getattr(settings, "DOCUMENTS_RETRY_BASE_SECONDS", 30)
    cap = getattr(settings, "DOCUMENTS_RETRY_MAX_SECONDS", 900)
    return min(cap, base * 2 ** max(0, attempt - 1))


def soft_time_limit() -> int:
    """Seconds a render may take before Celery interrupts it (SoftTimeLimitExceeded)."""
    return getattr(settings, "DOCUMENTS_RENDER_SOFT_TIME_LIMIT", 120)


def hard_time_limit() -> int:
    return soft_time_limit() + 30


def sweep_after_minutes() -> int:
    """A pending or rendering row older than this is re-enqueued by the sweep. It must exceed
    the hard time limit, or a render still running would be enqueued twice."""
    minutes = getattr(settings, "DOCUMENTS_SWEEP_AFTER_MINUTES", 10)
    return max(minutes, hard_time_limit() // 60 + 1)


def sweep_batch_size() -> int:
    return getattr(settings, "DOCUMENTS_SWEEP_BATCH_SIZE", 500)
