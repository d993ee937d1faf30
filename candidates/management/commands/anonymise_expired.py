"""Anonymise every candidate whose dossiers have all passed their centre's retention period
(run daily, e.g. from cron or a Celery beat entry): ``manage.py anonymise_expired``."""

from django.core.management.base import BaseCommand

from candidates.privacy import anonymise_expired
from centres.models import Centre
from centres.scoping import centre_scope


class Command(BaseCommand):
    help = "Anonymise les candidats dont la durée de conservation est écoulée."

    def add_arguments(self, parser):
        parser.add_argument("--centre", help="identifiant (slug) d'un seul centre")

    def handle(self, *args, centre=None, **options):
        centres = Centre.objects.order_by("pk")
        if centre:
            centres = centres.filter(slug=centre)
        total = 0
        for each in centres:
            with centre_scope(each):
                count = anonymise_expired(each)
            total += count
            if count:
                self.stdout.write(f"{each.slug}: {count} candidat(s) anonymisé(s)")
        self.stdout.write(self.style.SUCCESS(f"{total} candidat(s) anonymisé(s) au total"))
