"""Demo data for every state of the process. Idempotent; refuses to run with DEBUG off
unless ``--force``.

``make run`` runs it before the server: its output ends with the demo logins and the
address to open. The e-mails the demo sends (convocations, invitations…) would flood the
console with a thousand lines: with the console backend (the embedded default) they are
written to files under ``var/demo-mails/`` instead, and the output says where.

Each app contributes a ``<app>/demo.py`` module with ``seed(context)``; they run in the
order of ``DEMO_MODULES``, each reading and enriching the shared ``context`` dict (centres,
users, companies, candidates…), all in one transaction.
"""

from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django_scopes import scopes_disabled

DEMO_MODULES = [
    "centres.demo",
    "candidates.demo",
    "evaluations.demo",
    "juries.demo",
    "documents.demo",
]

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Autorise DEBUG désactivé.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo refuse de s'exécuter avec DEBUG désactivé (utilisez --force)."
            )
        mail_dir = None
        mail = {}
        if settings.EMAIL_BACKEND == CONSOLE_BACKEND:
            mail_dir = Path(settings.VAR_DIR) / "demo-mails"
            mail = {"EMAIL_BACKEND": FILE_BACKEND, "EMAIL_FILE_PATH": str(mail_dir)}
        context: dict = {"stdout": self.stdout, "style": self.style}
        # The mails leave on commit: the override spans the transaction.
        with override_settings(**mail), scopes_disabled(), transaction.atomic():
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
        if mail_dir is not None:
            self.stdout.write(
                f"E-mails de la démonstration : un fichier par envoi dans {mail_dir}/"
            )
        self.stdout.write("")
        for line in context.get("logins", []):
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write("Connectez-vous avec l'un de ces comptes, à l'adresse :")
        self.stdout.write(self.style.SUCCESS(f"    {settings.SITE_URL}{reverse('login')}"))
