"""Point the Celery app at another broker for one test, and back."""

from contextlib import contextmanager

from kombu import pools as kombu_pools

from parchemin.celery import app


def _reset_pools():
    """Forget every connection and producer pool: kombu keeps global pools keyed by
    connection, which would otherwise hand out the previous broker's (closed) pool."""
    kombu_pools.reset()
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def celery_broker(settings, url: str, *, eager: bool, routes: dict | None = None):
    """Override the Django settings *and* the Celery app (which may have cached its
    connection pool), then restore both. ``routes``: task name pattern -> queue."""
    saved = {
        "broker_url": app.conf.broker_url,
        "task_always_eager": app.conf.task_always_eager,
        "task_routes": app.conf.task_routes,
    }
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    app.conf.update(broker_url=url, task_always_eager=eager)
    if routes is not None:  # (an update of task_routes also rebuilds Celery's router)
        app.conf.update(task_routes={name: {"queue": queue} for name, queue in routes.items()})
    _reset_pools()
    try:
        yield app
    finally:
        _reset_pools()
        app.conf.update(**saved)
