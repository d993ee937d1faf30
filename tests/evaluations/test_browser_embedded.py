"""On the embedded default (SQLite, as ``make run`` serves it), a 1024×768 touch tablet that
scored a whole competence offline sends everything when the network comes back: every score
reaches the server exactly once, with no error and no conflict; and a change the server
applied but whose answer was lost is recognised as applied, not as a conflict with itself.

The usual live server runs on the PostgreSQL test database: here a real ``runserver`` is
started on 127.0.0.1 with a temporary SQLite file (migrated, then filled by
``tests/evaluations/sqlite_scene.py``), and stopped at the end of the module.

The page cannot be reloaded while offline (no service worker: that is the offline app's
business), so the reloads happen once the network is back, with the tablet's queue still in
``localStorage``."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login, touch_page
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
CRITERIA = 24
SCORE_URL = "**/api/v1/criterion-scores/**"


@dataclass
class EmbeddedServer:
    url: str
    database: Path
    grids: list
    username: str

    def rows(self, sql, params=()):
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=20) as db:
            return db.execute(sql, params).fetchall()

    def scores(self, grid):
        """{score id: (state, version, author's username, score events)} of the grid."""
        rows = self.rows(
            "SELECT s.id, s.state, s.version, u.username,"
            " (SELECT COUNT(*) FROM evaluations_gridevent e"
            "   WHERE e.score_id = s.id AND e.action = 'score')"
            " FROM evaluations_criterionscore s"
            " LEFT JOIN centres_user u ON u.id = s.updated_by_id WHERE s.grid_id = ?",
            [grid],
        )
        return {row[0]: row[1:] for row in rows}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args, env):
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode:
        pytest.fail(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@pytest.fixture(scope="module")
def embedded_server(tmp_path_factory):
    var = tmp_path_factory.mktemp("embedded")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="parchemin.settings",
        VAR_DIR=str(var),
        DEBUG="true",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    _run(["manage.py", "migrate", "--noinput", "-v0"], env)
    scene = json.loads(
        _run(["-m", "tests.evaluations.sqlite_scene", str(CRITERIA), "3"], env).splitlines()[-1]
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with open(var / "server.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if server.poll() is not None:
                    pytest.fail(f"runserver stopped: {(var / 'server.log').read_text()}")
                try:
                    urllib.request.urlopen(f"{url}/comptes/connexion/", timeout=2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail("runserver did not answer within 60 s")
                    time.sleep(0.3)
            yield EmbeddedServer(url, var / "parchemin.sqlite3", scene["grids"], scene["username"])
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture
def embedded_tablet(browser, embedded_server):
    """The 1024×768 touch tablet of the tablet_page fixture, on the embedded server."""
    with touch_page(browser, embedded_server.url, 1024, 768) as page:
        yield page


def _writes(page):
    """Every score or proposal write the page sends: (url, status), and the most sent at once."""
    log = {"answers": [], "inflight": 0, "most": 0}

    def started(request):
        if request.method in {"PATCH", "PUT"}:
            log["inflight"] += 1
            log["most"] = max(log["most"], log["inflight"])

    def ended(request):
        if request.method in {"PATCH", "PUT"}:
            log["inflight"] -= 1

    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)
    page.on(
        "response",
        lambda r: r.request.method in {"PATCH", "PUT"} and log["answers"].append((r.url, r.status)),
    )
    return log


def _score_everything_offline(page, grid):
    page.goto(f"/evaluations/grilles/{grid}/")
    rows = page.locator("fieldset.criterion")
    expect(rows).to_have_count(CRITERIA)
    page.context.set_offline(True)
    for index in range(CRITERIA):
        row = rows.nth(index)
        conditional = row.get_attribute("data-conditional") == "1"
        name = "Non applicable" if conditional else ("Satisfait", "Non satisfait")[index % 2]
        row.get_by_role("button", name=name, exact=True).tap()
    return rows


def _all_saved_no_error(page):
    expect(page.locator("#save-state")).to_have_text("Tout est enregistré", timeout=60_000)
    expect(page.locator("[data-global-state]")).to_have_attribute("data-global-state", "saved")
    for state in ("conflict", "failed", "error", "needs", "offline"):
        expect(page.locator(f'[data-row-state="{state}"]')).to_have_count(0)
    expect(page.locator(".conflict:visible")).to_have_count(0)
    assert page.evaluate("Object.keys(window.localStorage).length") == 0


def test_an_offline_burst_reaches_the_embedded_server_exactly_once(
    embedded_server, embedded_tablet
):
    page = embedded_tablet
    grid = embedded_server.grids[0]
    browser_login(page, embedded_server.username, DEFAULT_PASSWORD)
    rows = _score_everything_offline(page, grid)
    proposal = page.locator("#proposal")
    proposal.get_by_role("button", name="Acquise", exact=True).tap()
    expect(page.locator("#save-state")).to_contain_text("Hors ligne")
    assert {v[1] for v in embedded_server.scores(grid).values()} == {1}  # nothing sent yet

    writes = _writes(page)
    page.context.set_offline(False)
    _all_saved_no_error(page)
    assert 1 <= writes["most"] <= 4, writes["most"]  # sent a few at a time, not all at once
    assert all(status == 200 for _url, status in writes["answers"]), writes["answers"]

    scores = embedded_server.scores(grid)
    assert len(scores) == CRITERIA
    for index in range(CRITERIA):
        row = rows.nth(index)
        state, version, author, events = scores[int(row.get_attribute("data-score"))]
        expected = "not_applicable" if row.get_attribute("data-conditional") == "1" else None
        assert state == (expected or ("satisfied", "not_satisfied")[index % 2])
        assert (version, author, events) == (2, embedded_server.username, 1)
    assert embedded_server.rows("SELECT proposal FROM evaluations_grid WHERE id = ?", [grid]) == [
        ("acquise",)
    ]

    # a reload sends nothing again
    sent = len(writes["answers"])
    page.reload()
    _all_saved_no_error(page)
    page.wait_for_timeout(500)
    assert len(writes["answers"]) == sent
    assert embedded_server.scores(grid) == scores


def test_a_change_applied_but_unanswered_is_not_a_conflict_after_a_reload(
    embedded_server, embedded_tablet
):
    page = embedded_tablet
    grid = embedded_server.grids[1]
    browser_login(page, embedded_server.username, DEFAULT_PASSWORD)
    _score_everything_offline(page, grid)
    # the network comes back, then drops again: the server applies what it receives, but its
    # answers never reach the tablet
    applied = set()

    def lost(route):
        route.fetch()
        applied.add(route.request.url)
        route.abort("connectionreset")

    page.route(SCORE_URL, lost)
    page.context.set_offline(False)
    deadline = time.monotonic() + 60
    while len(applied) < CRITERIA and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert len(applied) == CRITERIA
    page.unroute_all(behavior="wait")  # the tablet's own retries are answered from now on
    assert {v[1:] for v in embedded_server.scores(grid).values()} == {
        (2, embedded_server.username, 1)
    }

    # the assessor reloads the page: the changes kept on the tablet are sent again
    page.reload()
    _all_saved_no_error(page)
    assert {v[1:] for v in embedded_server.scores(grid).values()} == {
        (2, embedded_server.username, 1)
    }


def test_transient_failures_are_retried_by_themselves_and_a_refusal_is_shown(
    embedded_server, embedded_tablet
):
    page = embedded_tablet
    grid = embedded_server.grids[2]
    browser_login(page, embedded_server.username, DEFAULT_PASSWORD)
    rows = _score_everything_offline(page, grid)
    refused = f"/api/v1/criterion-scores/{rows.nth(0).get_attribute('data-score')}/"
    seen = {}

    def flaky(route):
        """The first answer is a 503, the second a 429 (Retry-After: 1 s), then the server's;
        one criterion is refused (403)."""
        url = route.request.url
        seen[url] = seen.get(url, 0) + 1
        if url.endswith(refused):
            route.fulfill(status=403, json={"detail": "Vous ne pouvez pas évaluer ce candidat."})
        elif seen[url] == 1:
            route.fulfill(status=503, body="")
        elif seen[url] == 2:
            route.fulfill(status=429, headers={"Retry-After": "1"}, json={"detail": "Trop vite"})
        else:
            route.continue_()

    page.route(SCORE_URL, flaky)
    page.context.set_offline(False)
    for index in range(1, CRITERIA):
        expect(rows.nth(index)).to_have_attribute("data-row-state", "saved", timeout=30_000)
    first = rows.nth(0)
    expect(first).to_have_attribute("data-row-state", "failed")
    expect(first.locator(".row-state-text")).to_have_text("Vous ne pouvez pas évaluer ce candidat.")
    expect(page.locator("[data-global-state]")).to_have_attribute("data-global-state", "failed")
    page.wait_for_timeout(1500)
    counts = {url.removeprefix(embedded_server.url): n for url, n in seen.items()}
    assert counts.pop(refused) == 1  # a refusal is shown, not retried
    assert len(counts) == CRITERIA - 1 and set(counts.values()) == {3}
    scores = embedded_server.scores(grid)
    assert scores.pop(int(first.get_attribute("data-score")))[1:] == (1, None, 0)
    assert {v[1:] for v in scores.values()} == {(2, embedded_server.username, 1)}
