"""Benchmark of the accrochage file (issue 17; a measurement, not a test).

    .venv/bin/python bench/accrochage_bench.py [--holders 20000] [--repeat 3]

Builds the XML flux of ``--holders`` passages from plain data (``accrochage.xml``: the
same builder the services call, holders born in France and abroad, every access route),
validates it against the shipped XSD, and prints the median times and the file's size.
The target of the issue: a file of 20,000 holders in under a minute.

With ``--db``, it also measures the whole service on the database of ``DATABASE_URL`` (a
migrated one: the bench database, or a developer's): ``--holders`` awarded decisions are
bulk-created in one centre, ``accrochage.services.generate_flux`` reads them (one query),
composes, validates, writes the file and the passages; everything is rolled back at the
end (the file goes to a temporary ``MEDIA_ROOT``).
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


class _Rollback(Exception):
    pass


def _awards(n: int):
    """``n`` awarded, frozen decisions in a new centre, born in Lyon (bulk-created)."""
    from django.utils import timezone

    from candidates.models import AccessStatus, Candidate, Dossier
    from centres.models import Centre
    from cqpm.models import Qualification
    from juries.models import AgendaItem, Decision, JurySession, Outcome, SessionStatus
    from tests.juries.factories import referential

    version = referential()
    Qualification.objects.filter(pk=version.qualification_id).update(rncp_code="RNCP35000")
    centre = Centre.objects.create(name="Centre du banc d'essai", slug="banc-accrochage")
    moment = timezone.now() - datetime.timedelta(days=30)
    session = JurySession.objects.create(
        centre=centre,
        qualification=version.qualification,
        starts_at=moment,
        place="Salle",
        status=SessionStatus.CLOSED,
    )
    routes = list(AccessStatus)
    candidates = Candidate.objects.bulk_create(
        Candidate(
            centre=centre,
            birth_name=f"NOM{i}",
            first_names="Camille",
            sex="MF"[i % 2],
            birth_date=datetime.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
            birth_commune="Lyon",
        )
        for i in range(n)
    )
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            centre=centre,
            candidate=c,
            referential_version=version,
            access_route=routes[i % len(routes)],
            status="decided",
        )
        for i, c in enumerate(candidates)
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(session=session, dossier=d, position=i) for i, d in enumerate(dossiers)
    )
    decisions = Decision.objects.bulk_create(
        Decision(
            centre=centre,
            item=item,
            dossier=item.dossier,
            outcome=Outcome.AWARDED,
            decided_at=moment,
            frozen_at=moment,
        )
        for item in items
    )
    return centre, decisions


def _service(n: int) -> None:
    """The whole ``generate_flux`` on ``n`` holders, rolled back."""
    import tempfile

    from django.db import transaction
    from django.test.utils import override_settings
    from django_scopes import scope, scopes_disabled

    from accrochage import services
    from accrochage.models import CertifierAccount
    from candidates.models import Candidate
    from centres.access import Actor
    from centres.models import Membership, User

    if not hasattr(Candidate, "birth_commune_code"):  # before candidates migration 0007
        Candidate.birth_commune_code = "69123"
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        try:
            with transaction.atomic(), scopes_disabled():
                start = time.perf_counter()
                centre, decisions = _awards(n)
                CertifierAccount.objects.get_or_create(
                    key="national", defaults={"client_id": "UIMM0001", "contract_id": "C-1"}
                )
                user = User.objects.create(username="banc-accrochage")
                Membership.objects.create(user=user, centre=centre, role="staff")
                print(f"{n} awards bulk-created in {time.perf_counter() - start:.1f} s")
                actor = Actor(user=user, centre=centre)
                with scope(centre=centre):
                    start = time.perf_counter()
                    flux = services.generate_flux(centre, decisions, actor=actor)
                    took = time.perf_counter() - start
                print(
                    f"generate_flux: {flux.passage_count} passages, "
                    f"{flux.file.size / 1e6:.1f} MB, {took:.1f} s "
                    "(read, compose, validate, write the file and the passages)"
                )
                raise _Rollback
        except _Rollback:
            pass


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--holders", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", action="store_true", help="also the service on the database")
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
    if args.db:
        _service(args.holders)


if __name__ == "__main__":
    main()
