"""End to end on a real broker: a Celery worker process on Redis renders a document.

Needs Redis (``CI_REDIS_URL``, default ``redis://127.0.0.1:6379/0``). The worker runs
``celery -A parchemin worker -Q pdf`` against the *test* database, with the same code and
settings as production except for the environment set here.
"""

import os
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

from documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from documents.services import request_document

from .celery_utils import celery_broker
from .factories import issue

REDIS_URL = os.environ.get("CI_REDIS_URL", "redis://127.0.0.1:6379/0")
WAIT_SECONDS = 90
# A queue of this test run's own: another worker on the same Redis (a developer's
# `make worker`, a second CI run) listens on "pdf" and would take the job otherwise.
QUEUE = f"pdf-test-{uuid.uuid4().hex[:12]}"


def _database_url() -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    var_dir = tmp_path / "var"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "parchemin.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "VAR_DIR": str(var_dir),
        "AXES_ENABLED": "false",
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - fixed command line
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "parchemin",
            "worker",
            "-Q",
            QUEUE,
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"documents-test-{uuid.uuid4().hex[:8]}@%h",
            "--loglevel=INFO",
        ],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield var_dir, tmp_path / "worker.log"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_a_document_end_to_end(world, settings, worker):
    var_dir, log_path = worker
    settings.MEDIA_ROOT = var_dir / "media"  # where the worker stores files
    with celery_broker(settings, REDIS_URL, eager=False, routes={"documents.tasks.*": QUEUE}):
        record = issue(world.centre_a, world.user("staff"), subject=("juries.decision", "e2e"))
        document = request_document(
            DocumentKind.CERTIFICATE,
            ("juries.decision", "e2e"),
            centre=world.centre_a,
            actor=world.user("staff"),
            label="Parchemin de bout en bout",
        )
        assert document.status == DocumentStatus.PENDING
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            document = GeneratedDocument.objects.get(pk=document.pk)
            if document.status in (DocumentStatus.READY, DocumentStatus.FAILED):
                break
            time.sleep(0.5)
    log = log_path.read_text()
    assert document.status == DocumentStatus.READY, (document.status, document.error, log[-3000:])
    assert document.certificate_id == record.pk
    data = document.file.read()
    assert data.startswith(b"%PDF") and len(data) > 5000
    assert "documents.tasks.render_document" in log and "succeeded" in log
    assert QUEUE in log  # it listened on this run's own queue only
