"""Helpers of the security tests: production-mode subprocesses, the HTML inline-code scan."""

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "tests-only-7f3c9a1e5b2d4c6e8a0b1c3d5e7f9a2b4c6d8e0f1a3b5c7d9e",
    "ALLOWED_HOSTS": "parchemin.example.org",
    "SITE_URL": "https://parchemin.example.org",
}


def production_env(**extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "REDIS_URL",
            "HOST",
            "PORT",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "TWO_FACTOR_ENFORCED",
            # Set by the browser tests' fixture for the whole session: never in production.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(PRODUCTION_ENV)
    env.update(extra)
    return env


def run_manage(*args, env=None, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        cwd=settings.BASE_DIR,
        env=env or production_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def production_settings(*names, **extra) -> dict:
    """The values of ``names`` in a fresh interpreter started in production mode (``extra``:
    more environment variables)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**production_env(**extra), "DJANGO_SETTINGS_MODULE": "parchemin.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Inline code -----------------------------------------------------------------------

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineCodeFinder(HTMLParser):
    """Collects what a ``script-src 'self'; style-src 'self'`` policy would block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        line = self.getpos()[0]
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"line {line}: <{tag} {name}=…> (inline event handler)")
            if name == "style":
                self.problems.append(f"line {line}: <{tag} style=…> (inline style)")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"line {line}: <{tag} {name}=javascript:…>")
        if tag == "style":
            self.problems.append(f"line {line}: <style> block")
        if tag == "script":
            script_type = (attributes.get("type") or "").lower()
            if "src" not in attributes and script_type not in DATA_SCRIPT_TYPES:
                self._in_script = line

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None and data.strip():
            self.problems.append(f"line {self._in_script}: inline <script>")
            self._in_script = None


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
