"""Benchmark of the accrochage file (issue 17; a measurement, not a test).

    .venv/bin/python bench/accrochage_bench.py [--holders 20000] [--repeat 3]

Builds the XML flux of ``--holders`` passages from plain data (``accrochage.xml``: the
same builder the services call, holders born in France and abroad, every access route),
validates it against the shipped XSD, and prints the median times and the file's size.
The target of the issue: a file of 20,000 holders in under a minute. Reading the holders
from the database is one query (``accrochage.selectors.holders_to_declare``, every
relation joined) and is not measured here.
"""

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import os  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parchemin.settings")

import django  # noqa: E402

django.setup()

from accrochage import xml  # noqa: E402
from accrochage.holders import ACCESS_MODES  # noqa: E402

MODES = sorted(set(ACCESS_MODES.values()))
PARIS = datetime.timezone(datetime.timedelta(hours=1))


def _flux(n: int) -> xml.FluxData:
    passages = []
    for i in range(n):
        abroad = i % 7 == 0
        holder = xml.Holder(
            birth_name=f"NOM{i}",
            first_name="Camille",
            birth_date=datetime.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
            sex="MF"[i % 2],
            commune_code="" if abroad else "69123",
            country_code="99134" if abroad else xml.FRANCE,
            country_label="Espagne" if abroad else "",
            nir="" if i % 3 else f"{1 + i % 2}{70 + i % 30:02d}0169123{i % 1000:03d}",
        )
        passages.append(
            xml.PassageData(
                id_technique=f"PARCH-1-{i}",
                holder=holder,
                award_date=datetime.date(2026, 6, 15),
                access_mode=MODES[i % len(MODES)],
            )
        )
    return xml.FluxData(
        id_flux="PARCH-BENCH",
        timestamp=datetime.datetime(2026, 12, 3, 14, 0, tzinfo=PARIS),
        emitter_id="UIMM0001",
        certifier_id="UIMM0001",
        contract_id="MCFCER000123",
        nature="CERTIFICATEUR",
        certifications=(xml.CertificationData(code="RNCP35000", passages=tuple(passages)),),
    )


def _median(fn, repeat):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--holders", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    data = _flux(args.holders)
    schema = xml.load_schema(xml.SHIPPED_XSD)
    build, content = _median(lambda: xml.build_flux(data), args.repeat)
    check, problems = _median(lambda: xml.validate(content, schema), args.repeat)
    assert problems == [], problems[:3]
    print(f"{args.holders} passages: {len(content) / 1e6:.1f} MB")
    print(
        f"build: {build:.2f} s, validation against the XSD: {check:.2f} s "
        f"(medians of {args.repeat}); total {build + check:.2f} s"
    )


if __name__ == "__main__":
    main()
