"""``manage.py load_referential FILE``: load a referential JSON (all or nothing)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from cqpm.errors import ReferentialError
from cqpm.loader import load_referential, parse_referential_text, read_referential_file


class Command(BaseCommand):
    help = (
        "Charge un référentiel CQPM depuis un fichier JSON (format : docs/referential-format.md). "
        "Tout ou rien ; recharger la même version ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="chemin du fichier JSON, ou « - » pour l'entrée standard")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path == "-":
                data = parse_referential_text(sys.stdin.read())
            else:
                data = read_referential_file(path)
            result = load_referential(data)
        except ReferentialError as exc:
            raise CommandError(f"{path} : {exc.message}") from exc
        version = result.version
        label = f"{version.qualification.title} v{version.number}"
        counts = result.counts
        summary = (
            f"{counts['blocs']} blocs, {counts['competences']} compétences, "
            f"{counts['conditions']} conditions de réalisation, {counts['criteria']} critères "
            f"(dont {counts['conditional']} conditionnels), {counts['expected_results']} "
            f"résultats attendus, {counts['knowledge']} connaissances, "
            f"{counts['modalities']} modalités"
        )
        if result.action == "unchanged":
            self.stdout.write(f"Référentiel « {label} » déjà chargé à l'identique : rien à faire.")
        elif result.action == "replaced":
            self.stdout.write(self.style.SUCCESS(f"Brouillon « {label} » remplacé ({summary})."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Référentiel « {label} » chargé, {version.get_status_display().lower()} "
                    f"({summary})."
                )
            )
        if result.qualification_filled:
            self.stdout.write(
                "Champs du CQPM complétés : " + ", ".join(result.qualification_filled) + "."
            )
        for note in result.notes:
            self.stdout.write(f"Note : {note}")
