"""Demo data for every state of the process. Idempotent; refuses to run with DEBUG off
unless ``--force``.

Each app contributes a ``<app>/demo.py`` module with ``seed(context)``; they run in the
order of ``DEMO_MODULES``, each reading and enriching the shared ``context`` dict (centres,
users, companies, candidates…), all in one transaction.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scopes_disabled

DEMO_MODULES = [
    "centres.demo",
    "candidates.demo",
    "evaluations.demo",
    "juries.demo",
    "documents.demo",
]


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Autorise DEBUG désactivé.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo refuse de s'exécuter avec DEBUG désactivé (utilisez --force)."
            )
        context: dict = {"stdout": self.stdout, "style": self.style}
        with scopes_disabled(), transaction.atomic():
            for module_name in DEMO_MODULES:
                try:
                    module = import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name != module_name:
                        raise
                    continue
                module.seed(context)
        for line in context.get("summary", []):
            self.stdout.write(line)
