"""Django set up in process on the bench database, with the bench server's settings (the
profilers import this first; every value can be overridden from the environment)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for name, value in {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/parchemin_bench",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SITE_URL": "http://127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "TWO_FACTOR_ENFORCED": "0",
    "AXES_ENABLED": "0",
    "API_USER_RATE": "10000000/minute",
}.items():
    os.environ.setdefault(name, value)

import django  # noqa: E402

django.setup()
