"""``make bench``: the whole benchmark, one command, writing ``bench/RESULTS.md``.

1. database ``parchemin_bench`` (created, migrated, filled by ``seed_scale`` when empty;
   BENCH_CENTRES / BENCH_DOSSIERS choose a smaller volume);
2. the SQL queries of every measured request, for few and for many rows (in process);
3. gunicorn (sync workers) behind nginx, both on 127.0.0.1 (their own, stopped at the end),
   with ``bench.settings``, and ``wrk``
   at 1, 10 and 50 concurrent connections on each page/endpoint and on the baseline view,
   side by side in the same run (BENCH_DURATION seconds each, 6 by default);
4. the candidate import of 5,000 and 50,000 rows, and the PDF figures
   (``bench/documents_bench.py``).

``BENCH_LOAD_ONLY=<file>``: steps 1–3 only (no import, no PDF), the facts written to
``<file>`` as JSON and ``bench/RESULTS.md`` left alone — a before/after of the pages and the
autosave.
"""

import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv/bin/python")
WORK = ROOT / "var/bench"
DB_NAME = "parchemin_bench"
SERVER = os.environ.get("BENCH_SERVER_URL", "postgres://postgres@127.0.0.1:5432")
DB_URL = os.environ.get("BENCH_DATABASE_URL", f"{SERVER}/{DB_NAME}")


def _free_port() -> int:
    """A port nobody listens on (other engineers' servers share this loopback)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
PORT = int(os.environ.get("BENCH_PORT") or _free_port())  # nginx: what wrk measures
GUNICORN_PORT = _free_port()
DURATION = int(os.environ.get("BENCH_DURATION", "6"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1))))
CONCURRENCY = (1, 10, 50)
AUTOSAVE = "criterion autosave (PATCH + If-Match)"
AUTOSAVE_PACED = "criterion autosave, paced (one save/s per client)"


def env() -> dict:
    e = dict(os.environ)
    e.update(
        DATABASE_URL=DB_URL,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-not-for-production-0123456789abcdef",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SITE_URL="http://127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        TWO_FACTOR_ENFORCED="0",
        API_USER_RATE="10000000/minute",
        API_ANON_RATE="10000000/minute",
        AXES_ENABLED="0",
        # as deployed: the cache (throttles, jury boards) on Redis, shared by the workers
        REDIS_URL=REDIS_URL,
        VAR_DIR=str(WORK / "var"),
        PYTHONPATH=str(ROOT),
    )
    return e


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def manage(*args, capture=False):
    cmd = [PY, str(ROOT / "manage.py"), *args]
    return subprocess.run(cmd, env=env(), check=True, text=True, capture_output=capture)


def probe(*args) -> str:
    cmd = [PY, str(ROOT / "bench/probe.py"), *args]
    out = subprocess.run(cmd, env=env(), check=True, text=True, capture_output=True).stdout
    return out.strip().splitlines()[-1] if out.strip() else ""


def create_database() -> bool:
    """Create the bench database when the server has none (a fresh machine); True if created."""
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [DB_NAME]).fetchone()
        if not exists:
            log(f"create database {DB_NAME}")
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return not exists


def ensure_database() -> dict:
    create_database()
    log("migrate")
    manage("migrate", "--noinput", "-v0")
    with psycopg.connect(DB_URL) as conn:
        seeded = conn.execute(
            "SELECT count(*) FROM centres_centre WHERE slug LIKE 'scale-%%'"
        ).fetchone()[0]
    info = {"generated_now": False, "seconds": None}
    if seeded:
        # Earlier runs wrote grid events and scores; where autovacuum is off (this machine's
        # PostgreSQL), vacuum as autovacuum would have done in production.
        log("VACUUM (ANALYZE)")
        with psycopg.connect(DB_URL, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
    if not seeded:
        centres = os.environ.get("BENCH_CENTRES", "40")
        dossiers = os.environ.get("BENCH_DOSSIERS", "100000")
        log(f"seed_scale --centres {centres} --dossiers {dossiers} (once per database)")
        started = time.monotonic()
        subprocess.run(
            [PY, str(ROOT / "bench/seed_scale.py"), "--centres", centres, "--dossiers", dossiers],
            env=env(),
            check=True,
        )
        info = {"generated_now": True, "seconds": round(time.monotonic() - started)}
    return info


def dataset() -> dict:
    tables = [
        ("centres", "centres_centre"),
        ("candidates", "candidates_candidate"),
        ("dossiers", "candidates_dossier"),
        ("dossier competences", "candidates_dossiercompetence"),
        ("evaluation sessions", "evaluations_evaluationsession"),
        ("grids", "evaluations_grid"),
        ("criterion scores", "evaluations_criterionscore"),
        ("company opinions", "evaluations_companyopinion"),
        ("company opinion items", "evaluations_companyopinionitem"),
        ("jury sessions", "juries_jurysession"),
        ("agenda items", "juries_agendaitem"),
        ("decisions", "juries_decision"),
        ("decision competences", "juries_decisioncompetence"),
        ("generated documents", "documents_generateddocument"),
        ("certificate records", "documents_certificaterecord"),
    ]
    with psycopg.connect(DB_URL) as conn:
        counts = {
            label: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for label, table in tables
        }
        counts["database size"] = conn.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database()))"
        ).fetchone()[0]
    return counts


class Gunicorn:
    def __enter__(self):
        cmd = [
            str(ROOT / ".venv/bin/gunicorn"),
            "parchemin.wsgi:application",
            "--bind",
            f"127.0.0.1:{GUNICORN_PORT}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ]
        self.proc = subprocess.Popen(cmd, env=env(), cwd=ROOT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited (port {GUNICORN_PORT} taken?)")
            try:
                url = f"http://127.0.0.1:{GUNICORN_PORT}/healthz"
                with urllib.request.urlopen(url, timeout=2):  # noqa: S310
                    return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        raise SystemExit("gunicorn did not start")

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Nginx:
    """nginx in front of gunicorn (bench/nginx.conf), as deployed: the clients' connections
    end at nginx, gunicorn's sync workers see complete requests only. Without it, a client
    that opens its connection and pauses (a tablet between two saves) holds a sync worker."""

    def __enter__(self):
        conf = WORK / "nginx.conf"
        for name in ("nginx-body", "nginx-proxy", "nginx-fastcgi", "nginx-uwsgi", "nginx-scgi"):
            (WORK / name).mkdir(exist_ok=True)
        template = (ROOT / "bench/nginx.conf").read_text()
        conf.write_text(template.format(work=WORK, port=PORT, upstream=GUNICORN_PORT))
        cmd = [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(conf), "-p", str(WORK)]
        self.proc = subprocess.Popen(cmd, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"nginx exited (port {PORT} taken?): see {WORK}/nginx-error.log")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2):  # noqa: S310
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit("nginx did not start")

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def wrk(
    path: str, connections: int, headers: str = "", script="report.lua", extra=None, seconds=None
):
    e = dict(os.environ, BENCH_HEADERS=headers, **(extra or {}))
    cmd = [
        "wrk",
        "-t",
        str(min(2, connections)),
        "-c",
        str(connections),
        "-d",
        f"{seconds or DURATION}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / script),
        f"http://127.0.0.1:{PORT}{path}",
    ]
    out = subprocess.run(cmd, env=e, check=True, text=True, capture_output=True).stdout
    drain()
    match = re.search(r"BENCH_JSON (\{.*\})", out)
    data = json.loads(match.group(1))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def drain() -> None:
    """Wait until gunicorn has answered the requests still queued when wrk stopped (sync
    workers keep serving their backlog), so they do not slow the next measurement."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=60):  # noqa: S310
                pass
        except OSError:
            pass
        if time.monotonic() - started < 0.05:
            return
        time.sleep(0.2)


def reset_pool(ids) -> None:
    with psycopg.connect(DB_URL) as conn:
        conn.execute(
            "UPDATE evaluations_criterionscore SET version = 1, state = '', comment = '' "
            "WHERE id = ANY(%s)",
            [ids],
        )


def load_runs(t: dict, pool: Path) -> dict:
    cookie = f"Cookie: sessionid={t['cookie']}"
    token = f"Authorization: Token {t['token']}"
    search = "q=MAR&status=decided"
    targets = {
        "baseline (1 indexed query)": (f"/bench/baseline/?id={t['candidate']}", cookie),
        "candidate list (search + filters)": (f"/candidats/?{search}", cookie),
        "dossier page": (f"/candidats/dossiers/{t['dossier']}/", cookie),
        "grid page": (f"/evaluations/grilles/{t['grid']}/", cookie),
        "jury session page": (f"/jurys/{t['jury']}/", cookie),
        "API candidates": ("/api/v1/candidates/?search=MAR", token),
        "API dossiers": ("/api/v1/dossiers/", token),
        "API grids": ("/api/v1/grids/", token),
        "API jury sessions": ("/api/v1/jury-sessions/", token),
        "API documents": ("/api/v1/documents/", token),
    }
    results = {name: {} for name in [*targets, AUTOSAVE, AUTOSAVE_PACED]}
    for path, header in targets.values():  # warm every worker
        wrk_quiet(path, header)
    for connections in CONCURRENCY:
        for name, (path, header) in targets.items():
            log(f"wrk -c {connections} {name}")
            results[name][connections] = wrk(path, connections, header)
        reset_pool(t["pool_ids"])
        log(f"wrk -c {connections} autosave")
        results[AUTOSAVE][connections] = wrk(
            "/api/v1/criterion-scores/0/",
            connections,
            script="autosave.lua",
            extra={"BENCH_POOL": str(pool), "BENCH_OFFSET": "0"},
        )
    # 50 tablets at an assessor's pace: each saves about once a second (pauses of 0.5–1.5 s,
    # not counted in the latency) — the load a commission day really puts on the server.
    reset_pool(t["pool_ids"])
    log("wrk -c 50 autosave, paced (one save per second per client)")
    results[AUTOSAVE_PACED][50] = wrk(
        "/api/v1/criterion-scores/0/",
        50,
        script="autosave.lua",
        extra={"BENCH_POOL": str(pool), "BENCH_OFFSET": "0", "BENCH_THINK_MS": "1000"},
        seconds=max(15, DURATION),
    )
    reset_pool(t["pool_ids"])
    return {"targets": {k: v[0] for k, v in targets.items()}, "results": results}


def wrk_quiet(path, header):
    global DURATION
    saved, DURATION = DURATION, 1
    try:
        wrk(path, 2, header)
    finally:
        DURATION = saved


def pdf_figures() -> str:
    cmd = [PY, str(ROOT / "bench/documents_bench.py"), "--repeat", "5", "--batch", "60"]
    done = subprocess.run(cmd, env=env(), text=True, capture_output=True, timeout=900)
    return (done.stdout + ("\n" + done.stderr[-2000:] if done.returncode else "")).strip()


def machine() -> dict:
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    with psycopg.connect(DB_URL) as conn:  # start() has created the database
        pg = conn.execute("SHOW server_version").fetchone()[0]
    versions = subprocess.run(
        [PY, "-c", "import django, gunicorn; print(django.get_version(), gunicorn.__version__)"],
        text=True,
        capture_output=True,
    ).stdout.split()
    wrk_version = (
        subprocess.run(["wrk", "-v"], text=True, capture_output=True).stdout
        if shutil.which("wrk")
        else "?"
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": versions[0] if versions else "?",
        "gunicorn": versions[1] if len(versions) > 1 else "?",
        "postgresql": pg,
        "wrk": wrk_version.split("[")[0].strip(),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def start() -> dict:
    """The first facts: the database first (a fresh machine has none, and ``machine()``
    reads the server's version from it), then the machine as found, then the data."""
    create_database()
    facts = {"machine": machine()}
    facts["generation"] = ensure_database()
    return facts


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench does it)")
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        raise SystemExit("nginx is missing: apt-get install nginx-light (make bench does it)")
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    facts = start()
    facts["dataset"] = dataset()
    targets_path, pool = WORK / "targets.json", WORK / "pool.txt"
    log("prepare targets")
    probe("prepare", str(targets_path), str(pool))
    t = json.loads(targets_path.read_text())
    log("query counts")
    facts["queries"] = json.loads(probe("queries", str(targets_path)))
    with Gunicorn(), Nginx():
        facts["load"] = load_runs(t, pool)
    if os.environ.get("BENCH_LOAD_ONLY"):
        facts["workers"], facts["duration"] = WORKERS, DURATION
        facts["finished_at"] = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
        Path(os.environ["BENCH_LOAD_ONLY"]).write_text(json.dumps(facts, indent=1, default=str))
        log(f"wrote {os.environ['BENCH_LOAD_ONLY']}")
        return
    log("import 5,000 and 50,000 rows")
    facts["import"] = json.loads(probe("import", "5000", "50000"))
    log("PDF figures (bench/documents_bench.py)")
    facts["pdf"] = pdf_figures()
    facts["workers"] = WORKERS
    facts["cache"] = REDIS_URL
    facts["duration"] = DURATION
    facts["total_seconds"] = round(time.monotonic() - started)
    facts["finished_at"] = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    (WORK / "facts.json").write_text(json.dumps(facts, indent=1, default=str))
    from report import write_results  # bench/report.py

    write_results(facts, ROOT / "bench/RESULTS.md")
    log("wrote bench/RESULTS.md")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
