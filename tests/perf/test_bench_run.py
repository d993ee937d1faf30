"""``make bench`` on a fresh machine: the bench database is created before anything reads it."""

import sys
import uuid

import psycopg
import pytest
from django.conf import settings

from bench import run


def _server() -> str:
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        pytest.fail("the bench runs on PostgreSQL: run this test with DATABASE_URL=postgres://…")
    user, host, port = db.get("USER") or "postgres", db.get("HOST") or "127.0.0.1", db.get("PORT")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port or 5432}"


def _exists(server, name) -> bool:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone())


def test_start_creates_the_database_before_reading_its_facts(monkeypatch):
    server = _server()
    name = f"parchemin_bench_fresh_{uuid.uuid4().hex[:10]}"
    assert not _exists(server, name)
    monkeypatch.setattr(run, "SERVER", server)
    monkeypatch.setattr(run, "DB_NAME", name)
    monkeypatch.setattr(run, "DB_URL", f"{server}/{name}")
    monkeypatch.setattr(run, "PY", sys.executable)
    # migrate + seed_scale take minutes: this test is about what comes before them.
    monkeypatch.setattr(run, "ensure_database", lambda: {"generated_now": False})
    try:
        facts = run.start()
        assert _exists(server, name)
        assert facts["machine"]["postgresql"]
        assert facts["generation"] == {"generated_now": False}
        assert run.create_database() is False  # a second run finds it
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    assert not _exists(server, name)
