"""``manage.py seed_scale [--centres 40] [--dossiers 100000] [--seed 1]``: a national volume
for the benchmarks (PostgreSQL only; generation logic in ``bench/scale.py``)."""

import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Génère un volume national (centres, candidats, dossiers, grilles, avis, jurys, "
        "documents) par COPY PostgreSQL ; déterministe pour une graine donnée."
    )

    def add_arguments(self, parser):
        parser.add_argument("--centres", type=int, default=40)
        parser.add_argument("--dossiers", type=int, default=100_000)
        parser.add_argument("--jury-sessions", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        from bench.scale import ScaleError, generate

        if options["centres"] < 1 or options["dossiers"] < 1 or options["jury_sessions"] < 1:
            raise CommandError("--centres, --dossiers and --jury-sessions must be >= 1")
        started = time.monotonic()
        try:
            counts = generate(
                centres=options["centres"],
                dossiers=options["dossiers"],
                seed=options["seed"],
                jury_sessions=options["jury_sessions"],
                log=self.stdout.write,
            )
        except ScaleError as exc:
            raise CommandError(str(exc)) from exc
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(f"{total:,} rows in {time.monotonic() - started:.0f} s")
        )
