"""In a real browser: centre staff open the "Statistiques" page; its three charts are drawn
by Chart.js (served from the app's static files, under the Content Security Policy), each
above the table that holds its figures, with no error in the console. A holder answers the
follow-up questionnaire from the link of their mail."""

import datetime
import re

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from centres.roles import Role
from juries.models import InsertionSurvey
from juries.services.insertion import send_due_surveys
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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_holder_answers_the_follow_up_in_a_browser(page, world, mailoutbox):
    build_statistics_fixture(world)
    send_due_surveys(now=timezone.make_aware(datetime.datetime(2026, 1, 1, 9, 0)))
    with scopes_disabled():  # sent "today", so that the link is open on the real clock
        InsertionSurvey.objects.update(
            sent_at=timezone.now(), expires_at=timezone.now() + datetime.timedelta(days=60)
        )
    link = re.search(r"(/suivi/[^/\s]+/)", mailoutbox[0].body).group(1)
    page.goto(link)
    page.get_by_label("En emploi").check()
    page.get_by_role("group", name="Si vous êtes en emploi").get_by_label("Oui").check()
    page.screenshot(path="/tmp/survey.png", full_page=True)
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Merci pour vos réponses" in page.content()
    page.goto(link)
    assert "Vous avez déjà répondu à ce questionnaire" in page.content()
    with scopes_disabled():
        answered = InsertionSurvey.objects.get(answered_at__isnull=False)
    assert (answered.employment_status, answered.in_target_trade) == ("employed", True)
