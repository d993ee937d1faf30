"""The Celery application. Tasks take ids only and re-enter the centre scope themselves."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parchemin.settings")

app = Celery("parchemin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
