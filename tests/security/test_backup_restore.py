"""The restore drill of docs/backups.md, automated: ``pg_dump -Fc`` of a database holding
real rows, ``pg_restore`` into a brand-new database, the same row counts on both sides,
the append-only trigger restored too, then the copy is dropped."""

import os
import shutil
import subprocess
import uuid

import psycopg
import pytest
from django.db import connection

from centres.models import AuditEntry
from tests.candidates.factories import DossierFactory

from .privacy_helpers import expired_candidate

pytestmark = [pytest.mark.backup, pytest.mark.django_db(transaction=True)]

TABLES = [
    "centres_centre",
    "centres_user",
    "centres_membership",
    "centres_company",
    "centres_auditentry",
    "candidates_candidate",
    "candidates_candidateidentity",
    "candidates_dossier",
    "candidates_dossiercompetence",
    "candidates_accommodation",
    "cqpm_competence",
    "cqpm_criterion",
    "django_migrations",
]


def _conninfo(dbname=None) -> dict:
    s = connection.settings_dict
    return {
        "host": s["HOST"] or "127.0.0.1",
        "port": str(s["PORT"] or 5432),
        "user": s["USER"] or "postgres",
        "password": s["PASSWORD"] or "",
        "dbname": dbname or s["NAME"],
    }


def _env(info) -> dict:
    return {**os.environ, "PGPASSWORD": info["password"]}


def _args(info) -> list[str]:
    return ["-h", info["host"], "-p", info["port"], "-U", info["user"]]


def _counts(dbname) -> dict[str, int]:
    info = _conninfo(dbname)
    with psycopg.connect(**info) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL")
def test_dump_then_restore_into_a_fresh_database(world, tmp_path):
    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "install postgresql-client"
    expired_candidate(world.centre_a)
    for _ in range(3):
        DossierFactory(centre=world.centre_a)
    AuditEntry.objects.create(
        centre=world.centre_a, action="drill.marker", subject_type="x", subject_id="1"
    )
    source = _conninfo()
    copy_name = f"parchemin_restore_{uuid.uuid4().hex[:12]}"
    dump = tmp_path / "parchemin.dump"
    env = _env(source)
    subprocess.run(
        ["pg_dump", "-Fc", "--no-owner", "-f", str(dump), *_args(source), source["dbname"]],
        env=env,
        check=True,
        timeout=300,
    )
    assert dump.stat().st_size > 0
    subprocess.run(["createdb", *_args(source), copy_name], env=env, check=True, timeout=60)
    try:
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "-d",
                copy_name,
                *_args(source),
                str(dump),
            ],
            env=env,
            check=True,
            timeout=300,
        )
        before, after = _counts(source["dbname"]), _counts(copy_name)
        assert after == before
        assert after["candidates_dossier"] >= 4 and after["centres_auditentry"] >= 1
        with psycopg.connect(**_conninfo(copy_name)) as conn:
            marker = conn.execute(
                "SELECT count(*) FROM centres_auditentry WHERE action = 'drill.marker'"
            ).fetchone()[0]
            assert marker == 1
            # The append-only trigger came back with the data.
            with pytest.raises(psycopg.Error, match="append-only"):
                conn.execute("DELETE FROM centres_auditentry")
    finally:
        subprocess.run(
            ["dropdb", "--if-exists", *_args(source), copy_name], env=env, check=True, timeout=60
        )
