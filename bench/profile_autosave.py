"""The criterion autosave in process, on the bench database: ms per request, its queries,
and optionally its profile.

    .venv/bin/python bench/profile_autosave.py [--offset 0] [--count 60] [--queries]
                                               [--profile] [--top 40] [--sort tottime]

Each request PATCHes a score not written yet (``var/bench/pool.txt``: "score_id token"
lines, scores at ``version=1``) with ``If-Match: "1"``, as ``bench/autosave.lua`` does, through
Django's test client with the bench settings (see ``bench/profile_requests.py``). Use a fresh
``--offset`` for each run: the scores used are reset afterwards (version 1, empty state and
comment), the only direct write this script makes; the grid events the requests wrote stay.
"""

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from inprocess import ROOT  # noqa: E402  (sets Django up on the bench database)

BODY = '{"state": "satisfied", "comment": "ok"}'


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offset", type=int, default=0, help="first line of the pool to use")
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--queries", action="store_true", help="print the first request's SQL")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--pool", default=str(ROOT / "var/bench/pool.txt"))
    args = parser.parse_args()
    lines = Path(args.pool).read_text().splitlines()
    wanted = 1 + args.count * (2 if args.profile else 1)
    pool = [line.split() for line in lines[args.offset : args.offset + wanted]]
    if len(pool) < wanted:
        raise SystemExit("not enough lines left in the pool after --offset")
    clients: dict[str, Client] = {}
    used: list[int] = []

    def patch(score_id: str, token: str):
        client = clients.setdefault(token, Client(HTTP_AUTHORIZATION=f"Token {token}"))
        used.append(int(score_id))
        response = client.patch(
            f"/api/v1/criterion-scores/{score_id}/",
            BODY,
            content_type="application/json",
            HTTP_IF_MATCH='"1"',
        )
        if response.status_code != 200:
            raise SystemExit(f"score {score_id}: HTTP {response.status_code} {response.content!r}")

    try:
        with CaptureQueriesContext(connection) as ctx:
            patch(*pool[0])  # also the warm-up
        print(f"first request: {len(ctx.captured_queries)} queries")
        if args.queries:
            for query in ctx.captured_queries:
                print("  ", " ".join(query["sql"].split())[:200])
        batch = pool[1 : 1 + args.count]
        started = time.perf_counter()
        for item in batch:
            patch(*item)
        elapsed = (time.perf_counter() - started) / len(batch) * 1000
        print(f"{elapsed:.2f} ms per request over {len(batch)} (without the profiler)")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for item in pool[1 + args.count :]:
                patch(*item)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE evaluations_criterionscore SET version = 1, state = '', comment = '' "
                "WHERE id = ANY(%s)",
                [used],
            )
        print(f"reset {len(used)} scores (next free offset: {args.offset + len(pool)})")


if __name__ == "__main__":
    main()
