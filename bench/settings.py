"""Settings of the benchmark's gunicorn: the product settings plus the baseline view.

``make bench`` runs gunicorn with ``DJANGO_SETTINGS_MODULE=bench.settings``: the product
URLconf and settings stay untouched; the baseline view exists only here (``bench/urls.py``).
"""

from parchemin.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
BENCH_BASELINE_ENABLED = True
