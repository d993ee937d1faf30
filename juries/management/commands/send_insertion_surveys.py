"""Send the holders' follow-up questionnaires that are due (6 months and 2 years after the
jury): ``manage.py send_insertion_surveys``. Celery beat runs the same thing
(``juries.tasks.send_insertion_surveys``); without a beat process (the embedded set-up),
run this from cron. Idempotent: a questionnaire already sent is never sent again."""

from django.core.management.base import BaseCommand

from juries.services.insertion import send_due_surveys


class Command(BaseCommand):
    help = "Envoie aux titulaires les questionnaires de suivi arrivés à échéance."

    def handle(self, *args, **options):
        sent = send_due_surveys()
        self.stdout.write(self.style.SUCCESS(f"{sent} questionnaire(s) de suivi envoyé(s)"))
