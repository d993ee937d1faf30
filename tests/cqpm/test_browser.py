"""Browsing the referential in a real Chromium, after logging in."""

import re

import pytest
from playwright.sync_api import expect

from centres.roles import Role
from tests.conftest import browser_login
from tests.factories import DEFAULT_PASSWORD, CentreFactory, user_with_role

from .factories import load_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_and_browse_the_referential(page):
    load_seed()
    centre = CentreFactory(name="UIMM Centre A", slug="centre-a")
    user_with_role(centre, Role.STAFF, username="chargee")

    browser_login(page, "chargee", DEFAULT_PASSWORD)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    page.get_by_role("link", name="Référentiels").first.click()
    expect(page.get_by_role("heading", name="Catalogue des CQPM")).to_be_visible()
    page.get_by_role("link", name="Consulter le référentiel").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Manager de secteur d'activités")
    c5 = page.locator("#competence-C5")
    expect(c5.get_by_role("heading", level=3)).to_contain_text(
        "Conduire des projets d'amélioration de la performance de son secteur"
    )
    markers = page.locator(".criterion-conditional .conditional-marker")
    expect(markers).to_have_count(10)
    expect(markers.first).to_be_visible()
    expect(markers.first).to_have_text(
        "Uniquement en cas d'accueil de personnes en situation de handicap déclaré"
    )

    page.get_by_role("link", name="Rechercher dans les critères").click()
    page.get_by_label("Mots recherchés").fill("securite")
    page.get_by_label("Compétence").select_option("C4")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"2 critères trouvés"))
    expect(page.locator("mark").first).to_have_text("sécurité")
