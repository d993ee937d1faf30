"""``python bench/seed_scale.py [--centres 40] [--dossiers 100000] [--seed 1]``: a national
volume for the benchmarks (PostgreSQL only; generation logic in ``bench/scale.py``). Run by
``bench/run.py`` once per database, with ``bench.settings``."""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from bench.scale import ScaleError, generate  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Génère un volume national (centres, candidats, dossiers, grilles, avis, "
        "jurys, documents) par COPY PostgreSQL ; déterministe pour une graine donnée."
    )
    parser.add_argument("--centres", type=int, default=40)
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--jury-sessions", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv)
    if options.centres < 1 or options.dossiers < 1 or options.jury_sessions < 1:
        parser.error("--centres, --dossiers and --jury-sessions must be >= 1")
    started = time.monotonic()
    try:
        counts = generate(
            centres=options.centres,
            dossiers=options.dossiers,
            seed=options.seed,
            jury_sessions=options.jury_sessions,
            log=print,
        )
    except ScaleError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"{sum(counts.values()):,} rows in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
