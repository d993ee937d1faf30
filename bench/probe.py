"""In-process parts of the benchmark (run by ``bench/run.py`` with ``bench.settings``).

probe.py prepare OUT.json POOL.txt   targets, session cookie, tokens, autosave pool
probe.py queries TARGETS.json        SQL queries of each measured request (few / many rows)
probe.py import 5000 50000           time of the candidate import (parse + validate + insert)
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from accounts.tokens import create_token  # noqa: E402
from centres.models import Centre, User  # noqa: E402

CENTRE = "scale-01"


def _one(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _session_cookie(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(6 * 3600)
    store.save()
    return store.session_key


def prepare(out: str, pool_path: str) -> None:
    with scopes_disabled():
        centre = Centre.objects.get(slug=CENTRE)
        staff = User.objects.get(username=f"{CENTRE}-staff")
        token_key = create_token(staff)[1]
        cid = centre.pk
        candidate = _one(
            "SELECT id FROM candidates_candidate WHERE centre_id=%s ORDER BY id LIMIT 1", [cid]
        )[0]
        # a common surname prefix: a realistic "type the first letters" search
        dossier = _one(
            "SELECT d.id FROM candidates_dossier d WHERE d.centre_id=%s AND d.status='decided' "
            "ORDER BY d.id LIMIT 1",
            [cid],
        )[0]
        grid = _one(
            "SELECT g.id FROM evaluations_grid g JOIN evaluations_evaluationsession s "
            "ON s.id=g.session_id WHERE g.centre_id=%s AND s.status='in_progress' "
            "ORDER BY g.id LIMIT 1",
            [cid],
        )[0]
        jury_small, jury_large = _one(
            "SELECT min(session_id), max(session_id) FROM juries_agendaitem a "
            "JOIN juries_jurysession j ON j.id=a.session_id WHERE j.centre_id=%s",
            [cid],
        )
        jury = _one(
            "SELECT a.session_id FROM juries_agendaitem a JOIN juries_jurysession j "
            "ON j.id=a.session_id WHERE j.centre_id=%s AND j.status='closed' "
            "GROUP BY a.session_id ORDER BY count(*) DESC, a.session_id LIMIT 1",
            [cid],
        )[0]
        company = _one("SELECT id FROM centres_company WHERE centre_id=%s ORDER BY id", [cid])[0]
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT DISTINCT ON (cs.id) cs.id, cm.user_id
                   FROM evaluations_criterionscore cs
                   JOIN evaluations_grid g ON g.id = cs.grid_id
                   JOIN evaluations_evaluationsession s ON s.id = g.session_id
                   JOIN evaluations_commissionmember cm ON cm.session_id = s.id
                   WHERE s.status = 'in_progress' AND g.status = 'open'
                   ORDER BY cs.id, cm.user_id LIMIT 60000"""
            )
            pool = cursor.fetchall()
        tokens = {}
        for user_id in sorted({u for _s, u in pool}):
            tokens[user_id] = create_token(User.objects.get(pk=user_id))[1]
        Path(pool_path).write_text("".join(f"{s} {tokens[u]}\n" for s, u in pool))
        data = {
            "centre_id": cid,
            "cookie": _session_cookie(staff),
            "token": token_key,
            "candidate": candidate,
            "dossier": dossier,
            "grid": grid,
            "jury": jury,
            "jury_small": jury_small,
            "jury_large": jury_large,
            "company": company,
            "pool_size": len(pool),
            "autosave_probe": [
                [pool[0][0], tokens[pool[0][1]]],
                [pool[-1][0], tokens[pool[-1][1]]],
            ],
            "pool_ids": [s for s, _u in pool],
        }
    Path(out).write_text(json.dumps(data))


def _count(client, url, headers=None) -> tuple[int, int]:
    client.get(url, **(headers or {}))  # warm (caches, first-connection queries)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **(headers or {}))
    return response.status_code, len(ctx.captured_queries)


def queries(targets_path: str) -> None:
    """Queries per request for a filter showing few rows and one showing many (or, for a
    detail page, a small and a large object). Printed as JSON lines."""
    t = json.loads(Path(targets_path).read_text())
    with scopes_disabled():
        staff = User.objects.get(username=f"{CENTRE}-staff")
    client = Client()
    client.force_login(staff)
    api = Client(HTTP_AUTHORIZATION=f"Token {t['token']}")
    rows = {}
    few_name = _one(
        "SELECT birth_name FROM candidates_candidate WHERE centre_id=%s GROUP BY birth_name "
        "HAVING count(*) BETWEEN 1 AND 10 ORDER BY count(*) DESC, birth_name LIMIT 1",
        [t["centre_id"]],
    )[0]
    pairs = {
        "candidate list (search + filters)": (
            f"/candidats/?q={few_name}",
            "/candidats/?status=decided",
        ),
        "dossier list": (f"/candidats/dossiers/?q={few_name}", "/candidats/dossiers/"),
        "dossier page": (f"/candidats/dossiers/{t['dossier']}/",) * 2,
        "grid page": (f"/evaluations/grilles/{t['grid']}/",) * 2,
        "jury session page": (f"/jurys/{t['jury_small']}/", f"/jurys/{t['jury']}/"),
        "API candidates": (
            f"/api/v1/candidates/?search={few_name}&page_size=10",
            "/api/v1/candidates/?page_size=100",
        ),
        "API dossiers": ("/api/v1/dossiers/?page_size=10", "/api/v1/dossiers/?page_size=100"),
        "API grids": ("/api/v1/grids/?page_size=10", "/api/v1/grids/?page_size=100"),
        "API jury sessions": (
            "/api/v1/jury-sessions/?page_size=10",
            "/api/v1/jury-sessions/?page_size=100",
        ),
        "API documents": ("/api/v1/documents/?page_size=10", "/api/v1/documents/?page_size=100"),
        "baseline": (f"/bench/baseline/?id={t['candidate']}",) * 2,
    }
    for name, (few, many) in pairs.items():
        c = api if few.startswith("/api/") else client
        s1, q1 = _count(c, few)
        s2, q2 = _count(c, many)
        rows[name] = {"few": q1, "many": q2, "status": [s1, s2], "urls": [few, many]}
    counts = []
    for score_id, key in t["autosave_probe"]:
        writer = Client(HTTP_AUTHORIZATION=f"Token {key}")
        with CaptureQueriesContext(connection) as ctx:
            response = writer.patch(
                f"/api/v1/criterion-scores/{score_id}/",
                {"state": "satisfied"},
                content_type="application/json",
                HTTP_IF_MATCH='"1"',
            )
        counts.append((response.status_code, len(ctx.captured_queries)))
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE evaluations_criterionscore SET version = 1, state = '' WHERE id = %s",
                [score_id],
            )
    rows["criterion autosave (two scores)"] = {
        "few": counts[0][1],
        "many": counts[1][1],
        "status": [counts[0][0], counts[1][0]],
        "urls": ["PATCH /api/v1/criterion-scores/<id>/"] * 2,
    }
    print(json.dumps(rows))


def import_rows(*sizes: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from candidates import importing

    results = {}
    for size in map(int, sizes):
        with scopes_disabled():
            stamp = f"{int(time.time() * 1000)}-{size}"
            centre = Centre.objects.create(name=f"Import bench {stamp}", slug=f"imp-{stamp}")
            user = User.objects.create(username=f"imp-{stamp}")
            from centres.models import Membership

            Membership.objects.create(user=user, centre=centre, role="staff")
        content = _import_file(size)
        actor = _actor(user, centre)
        from django_scopes import scope

        started = time.perf_counter()
        with scope(centre=centre):
            batch = importing.create_import(
                actor, SimpleUploadedFile("candidats.csv", content, content_type="text/csv")
            )
            importing.parse_now(batch.pk)  # idempotent: a no-op when the job already ran
            batch.refresh_from_db()
            sheet = importing.load(batch)
            mapping = importing.guess_mapping(sheet.headers)
            importing.set_mapping(actor, batch, mapping, "utf-8")
            created, skipped = importing.run_import(actor, batch)
        elapsed = time.perf_counter() - started
        results[size] = {"seconds": round(elapsed, 2), "created": created, "skipped": skipped}
    print(json.dumps(results))


def _actor(user, centre):
    from centres.access import build_actor

    return build_actor(user, centre.pk)


def _import_file(size: int) -> bytes:
    """The import template's columns, the example row with a distinct name and birth date."""
    import csv
    import io

    from candidates.importing import COLUMNS, EXAMPLE_ROW

    keys = [c.key for c in COLUMNS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([c.header for c in COLUMNS])
    for i in range(size):
        row = list(EXAMPLE_ROW)
        row[keys.index("birth_name")] = f"NOM{i:06d}"
        if "birth_date" in keys:
            row[keys.index("birth_date")] = f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 40}"
        if "nir" in keys:
            row[keys.index("nir")] = ""
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"prepare": prepare, "queries": queries, "import": import_rows}[command](*args)
