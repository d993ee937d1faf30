"""Benchmark of the PDF rendering (a measurement, not a test).

    .venv/bin/python bench/documents_bench.py [--repeat 5] [--batch 500] [--workers 2]

Prints the time to render one parchemin (median of ``--repeat`` warm renders), the time to
render the PV of a 200-candidate jury session (and its page count), and the throughput of
a batch of ``--batch`` parchemins rendered by ``--workers`` processes — the shape of a
``celery -A parchemin worker -Q pdf --concurrency=2`` worker (same template code path, minus the
broker round trip and the database writes, which are negligible next to a render).

It needs no database: contexts come from ``documents.samples``.
"""

import argparse
import io
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parchemin.settings")


def _setup():
    import django

    django.setup()


def _render_certificate(index: int) -> int:
    from documents import samples
    from documents.rendering import render_pdf

    pdf = render_pdf("documents/pdf/certificate.html", samples.certificate(holder_index=index))
    return len(pdf)


def one_parchemin(repeat: int) -> tuple[float, float]:
    _render_certificate(0)  # warm-up: template loading, font parsing
    timings = []
    for index in range(repeat):
        start = time.perf_counter()
        _render_certificate(index)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), min(timings)


def jury_minutes(candidates: int) -> tuple[float, int, int]:
    from pypdf import PdfReader

    from documents import samples
    from documents.rendering import render_pdf

    context = samples.jury_minutes(candidates=candidates)
    start = time.perf_counter()
    pdf = render_pdf("documents/pdf/jury_minutes.html", context)
    elapsed = time.perf_counter() - start
    return elapsed, len(PdfReader(io.BytesIO(pdf)).pages), len(pdf)


def batch(count: int, workers: int) -> tuple[float, int]:
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with context.Pool(processes=workers, initializer=_setup) as pool:
        pool.map(_render_certificate, range(workers))  # warm every worker
        start = time.perf_counter()
        sizes = pool.map(_render_certificate, range(count), chunksize=1)
        elapsed = time.perf_counter() - start
    return elapsed, sum(sizes)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    _setup()

    median, best = one_parchemin(args.repeat)
    print(
        f"{'Parchemin (1 page)':<24}: médiane {median * 1000:7.0f} ms, "
        f"meilleur {best * 1000:.0f} ms"
    )
    elapsed, pages, size = jury_minutes(args.candidates)
    print(
        f"{f'PV de {args.candidates} candidats':<24}: {elapsed:7.2f} s, {pages} pages, "
        f"{size / 1024:.0f} Kio"
    )
    elapsed, total = batch(args.batch, args.workers)
    rate = args.batch / elapsed
    print(
        f"{f'Lot de {args.batch} parchemins':<24}: {elapsed:7.1f} s sur {args.workers} processus, "
        f"{rate:.1f} documents/s ({rate * 60:.0f}/min), {total / 1024 / 1024:.1f} Mio"
    )


if __name__ == "__main__":
    main()
