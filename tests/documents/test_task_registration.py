"""The render task is found by its name as soon as Django is set up: a web process that
never imported ``documents.tasks`` (a page asking for a PDF first thing) can enqueue it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_render_task_is_registered_when_django_starts():
    code = (
        "import django, sys; django.setup(); "
        "from celery import current_app; "
        "from documents.services import RENDER_TASK; "
        "sys.exit(0 if RENDER_TASK in current_app.tasks else 3)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "parchemin.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
