"""Load the birth-place reference tables: ``manage.py load_communes [PATH] [--countries PATH]``.

PATH is the ``data/communes.json`` of the npm package ``@etalab/decoupage-administratif``
(``make communes`` fetches it with ``npm pack`` and loads it): a list of objects with ``code``,
``nom``, ``departement``, ``type`` (and ``population``). Current communes are kept, and the
former ones people were born in (« commune déléguée », « commune associée ») and the municipal
districts of Paris, Lyon and Marseille. Without PATH, the small sample shipped in
``candidates/data/`` is loaded (tests, ``make run``). The countries come from
``candidates/data/countries.json`` (INSEE codes 99xxx) unless ``--countries`` names another
file of the same shape. Nothing is downloaded. Re-running updates the rows in place; a commune
gone from the list is kept (candidates may have been born there).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from candidates.models import Commune, Country
from candidates.models.birthplace import search_form

DATA = Path(__file__).resolve().parents[2] / "data"
SAMPLE = DATA / "communes-sample.json"
COUNTRIES = DATA / "countries.json"
KINDS = {kind.value for kind in Commune.Kind}


def _read(path: Path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise CommandError(f"Lecture impossible de {path} : {exc}") from None


def load_communes(rows) -> tuple[int, int]:
    """Create or update the communes of ``rows`` (the etalab format); (created, updated)."""
    wanted = {}
    for row in rows:
        kind = row.get("type", Commune.Kind.CURRENT)
        if kind not in KINDS or not row.get("code") or not row.get("nom"):
            continue
        wanted[(row["code"], kind)] = Commune(
            code=row["code"],
            name=row["nom"],
            department=row.get("departement", ""),
            kind=kind,
            population=row.get("population"),
            search_name=search_form(row["nom"]),
        )
    fields = ["name", "department", "population", "search_name"]
    with transaction.atomic():
        existing = {(c.code, c.kind): c for c in Commune.objects.all()}
        new, changed = [], []
        for key, commune in wanted.items():
            current = existing.get(key)
            if current is None:
                new.append(commune)
            elif any(getattr(current, f) != getattr(commune, f) for f in fields):
                for f in fields:
                    setattr(current, f, getattr(commune, f))
                changed.append(current)
        Commune.objects.bulk_create(new, batch_size=2000)
        Commune.objects.bulk_update(changed, fields, batch_size=2000)
    return len(new), len(changed)


def load_countries(rows) -> tuple[int, int]:
    """Create or update the countries (``{"code", "name"}``); (created, updated)."""
    with transaction.atomic():
        existing = dict(Country.objects.values_list("code", "name"))
        new = [Country(code=r["code"], name=r["name"]) for r in rows if r["code"] not in existing]
        changed = [
            Country(code=r["code"], name=r["name"])
            for r in rows
            if r["code"] in existing and existing[r["code"]] != r["name"]
        ]
        Country.objects.bulk_create(new)
        Country.objects.bulk_update(changed, ["name"])
    return len(new), len(changed)


class Command(BaseCommand):
    help = "Charge les communes (liste INSEE d'etalab) et les pays (codes INSEE 99xxx)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", help="communes.json de @etalab/decoupage-administratif"
        )
        parser.add_argument("--countries", help="fichier des pays (JSON)")

    def handle(self, *args, path=None, countries=None, **options):
        communes = _read(Path(path) if path else SAMPLE)
        if not isinstance(communes, list):
            raise CommandError("Le fichier des communes doit contenir une liste.")
        created, updated = load_communes(communes)
        self.stdout.write(f"Communes : {created} ajoutée(s), {updated} mise(s) à jour.")
        data = _read(Path(countries) if countries else COUNTRIES)
        rows = data["countries"] if isinstance(data, dict) else data
        created, updated = load_countries(rows)
        self.stdout.write(self.style.SUCCESS(f"Pays : {created} ajouté(s), {updated} mis à jour."))
