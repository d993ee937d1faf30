"""Where a measured request spends its time, in process (cProfile), on the bench database.

    .venv/bin/python bench/profile_requests.py [NAME ...] [--repeat 20] [--top 30]

NAME is a substring of a target's name ("grid", "jury", "API dossiers"…); without one,
every target; ``--sort tottime`` sorts by own time. It reads ``var/bench/targets.json``
(written by ``make bench`` or ``bench/probe.py prepare``) and runs each request through
Django's test client with the bench settings (DEBUG off, the product middleware), after one
warm-up request. Wall time per request is printed first, then the profile of the repeated
requests.
"""

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.test import Client  # noqa: E402
from inprocess import ROOT  # noqa: E402  (sets Django up on the bench database)


def targets(t: dict) -> dict:
    session = {"cookie": t["cookie"]}
    token = {"HTTP_AUTHORIZATION": f"Token {t['token']}"}
    return {
        "baseline": ("get", f"/bench/baseline/?id={t['candidate']}", session),
        "candidate list": ("get", "/candidats/?q=MAR&status=decided", session),
        "dossier page": ("get", f"/candidats/dossiers/{t['dossier']}/", session),
        "grid page": ("get", f"/evaluations/grilles/{t['grid']}/", session),
        "jury session page": ("get", f"/jurys/{t['jury']}/", session),
        "API candidates": ("get", "/api/v1/candidates/?search=MAR", token),
        "API dossiers": ("get", "/api/v1/dossiers/", token),
        "API grids": ("get", "/api/v1/grids/", token),
        "API jury sessions": ("get", "/api/v1/jury-sessions/", token),
        "API documents": ("get", "/api/v1/documents/", token),
    }


def run_one(client: Client, method: str, url: str, extra: dict):
    response = getattr(client, method)(url, **extra)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return response


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--targets", default=str(ROOT / "var/bench/targets.json"))
    args = parser.parse_args()
    t = json.loads(Path(args.targets).read_text())
    for name, (method, url, extra) in targets(t).items():
        if args.names and not any(n.lower() in name.lower() for n in args.names):
            continue
        client = Client()
        headers = dict(extra)
        cookie = headers.pop("cookie", None)
        if cookie:
            client.cookies["sessionid"] = cookie
        run_one(client, method, url, headers)
        started = time.perf_counter()
        for _ in range(args.repeat):
            run_one(client, method, url, headers)
        plain = (time.perf_counter() - started) / args.repeat * 1000
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            run_one(client, method, url, headers)
        profiler.disable()
        print(f"\n=== {name}: {url} — {plain:.1f} ms per request (without the profiler)")
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
