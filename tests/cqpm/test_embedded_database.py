"""The embedded default database (SQLite, no ``DATABASE_URL``) takes concurrent writes: WAL
journal, a busy timeout, and transactions that take the write lock when they begin.

The test suite runs on PostgreSQL: the settings are read in a child process started without
``DATABASE_URL``, with a temporary ``VAR_DIR``."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, threading, time
import django
django.setup()
from django.db import connection, connections, transaction

with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy = cursor.fetchone()[0]
    cursor.execute("CREATE TABLE burst (n integer)")

errors = []

def write(n):
    # read, then write in the same transaction: what every service does
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM burst")
                cursor.fetchone()
                time.sleep(0.02)
                cursor.execute("INSERT INTO burst (n) VALUES (%s)", [n])
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connections.close_all()

threads = [threading.Thread(target=write, args=(n,)) for n in range(12)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM burst")
    rows = cursor.fetchone()[0]
print(json.dumps({
    "vendor": connection.vendor,
    "journal": journal,
    "busy": busy,
    "mode": connection.transaction_mode,
    "rows": rows,
    "errors": errors,
}))
"""


def _probe(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="parchemin.settings", VAR_DIR=str(tmp_path), DEBUG="true")
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_embedded_sqlite_uses_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    facts = _probe(tmp_path)
    assert facts["vendor"] == "sqlite"
    assert facts["journal"] == "wal"
    assert facts["busy"] >= 5000  # milliseconds a writer waits for the lock
    assert facts["mode"] == "IMMEDIATE"
    assert (tmp_path / "parchemin.sqlite3").exists()
    # a burst of read-then-write transactions on a dozen threads: all written, none refused
    assert facts["errors"] == []
    assert facts["rows"] == 12
