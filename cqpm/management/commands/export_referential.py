"""``manage.py export_referential SLUG [--version N]``: print a referential as JSON."""

from django.core.management.base import BaseCommand, CommandError

from cqpm.loader import dumps, export_referential
from cqpm.models import ReferentialVersion


class Command(BaseCommand):
    help = (
        "Affiche un référentiel CQPM en JSON sur la sortie standard (même format que "
        "load_referential). Sans --version : la dernière version publiée, à défaut la dernière."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version (the referential's) replaces Django's --version (its own release).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("slug", help="identifiant du CQPM, ex. manager-secteur-activites")
        parser.add_argument("--version", type=int, dest="number", help="numéro de version")

    def handle(self, *args, **options):
        slug, number = options["slug"], options["number"]
        versions = ReferentialVersion.objects.filter(qualification__slug=slug)
        if number is not None:
            version = versions.filter(number=number).first()
        else:
            version = (
                versions.filter(status=ReferentialVersion.Status.PUBLISHED)
                .order_by("-number")
                .first()
                or versions.order_by("-number").first()
            )
        if version is None:
            which = f" v{number}" if number is not None else ""
            raise CommandError(f"Aucun référentiel « {slug} »{which} dans la base.")
        self.stdout.write(dumps(export_referential(version)), ending="")
