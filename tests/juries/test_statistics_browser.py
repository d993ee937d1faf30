"""In a real browser: centre staff open the "Statistiques" page; its three charts are drawn
by Chart.js (served from the app's static files, under the Content Security Policy), each
above the table that holds its figures, with no error in the console."""

import pytest

from centres.roles import Role
from tests.conftest import browser_login
from tests.factories import DEFAULT_PASSWORD

from .stats_fixture import build_statistics_fixture

CHARTS = ("by_year", "by_route", "competences")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_see_the_three_charts_and_their_tables(browser, live_server, world):
    build_statistics_fixture(world)
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 900},
        reduced_motion="reduce",  # no animation: the screenshot shows the final bars
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = []

    def console(message):
        # the browser's own request for /favicon.ico (the app has none) is not the page's
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"{message.text} {message.location}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        browser_login(page, world.user(Role.STAFF).username, DEFAULT_PASSWORD)
        page.goto("/jurys/statistiques/")
        page.wait_for_function("window.Chart && document.querySelectorAll('canvas').length === 3")
        for name in CHARTS:
            canvas = page.locator(f"canvas#chart-{name}")
            box = canvas.bounding_box()
            assert box["width"] > 100 and box["height"] > 100, name
            chart = page.evaluate(
                """(id) => {
                    const chart = window.Chart.getChart(document.getElementById(id));
                    return chart && {type: chart.config.type, labels: chart.data.labels,
                                     data: chart.data.datasets.map((d) => d.data)};
                }""",
                f"chart-{name}",
            )
            assert chart is not None, name
            assert canvas.get_attribute("role") == "img" and canvas.get_attribute("aria-label")
        # the figures drawn are those of the tables (hand-computed in stats_fixture)
        by_year = page.evaluate(
            "() => window.Chart.getChart(document.getElementById('chart-by_year')).data"
        )
        assert by_year["labels"] == ["2025", "2026"]
        assert by_year["datasets"][0]["data"] == [50.0, 50.0]  # 2 of 4 present, 1 of 2
        assert page.get_by_role("figure", name="Taux de réussite par année du jury").count() == 1
        for caption in (
            "Résultats par année du jury",
            "Résultats par voie d'accès",
            "Taux d'acquisition par compétence",
        ):
            assert page.get_by_role("table", name=caption).count() == 1
        page.screenshot(path="/tmp/charts.png", full_page=True)
        page.emulate_media(media="print")
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        printed = page.locator("canvas#chart-by_year").bounding_box()
        assert 600 <= printed["width"] <= 660  # the fixed print size, 17 cm
        page.screenshot(path="/tmp/charts-print.png", full_page=True)
        assert problems == []
    finally:
        context.close()
