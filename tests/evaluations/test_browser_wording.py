"""The grid says what is missing: "non acquise" without justification asks for the
justification of "non acquise" (it said "non applicable"), and times read "14h05"."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login
from tests.factories import DEFAULT_PASSWORD

from .factories import agreed_dossier, assessor, referential, seated_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_non_acquise_without_justification_names_non_acquise(world, tablet_page):
    page = tablet_page
    version = referential(criteria=3, competences=1)
    dossier = agreed_dossier(
        world.centre_a, version, company=world.company_a, birth_name="Roux", first_names="Inès"
    )
    members = [world.user("assessor"), assessor(world.centre_a, "assessor.deux")]
    seated_session(world, [dossier], assessors=members)
    browser_login(page, members[0].username, DEFAULT_PASSWORD)
    page.get_by_role("link", name="ROUX Inès").first.click()
    proposal = page.locator("#proposal")
    proposal.get_by_role("button", name="Non acquise", exact=True).tap()
    wanted = "Justification requise pour enregistrer la proposition « non acquise »"
    expect(proposal.locator(".row-state-text")).to_have_text(wanted)
    expect(page.locator("#save-state")).to_have_text(wanted)
    assert "non applicable" not in proposal.locator(".row-state-text").inner_text()
    proposal.get_by_label("Justification (obligatoire pour « non acquise »)").fill(
        "Méthodes non maîtrisées"
    )
    expect(proposal.locator(".row-state-text")).to_contain_text("Enregistré")
    # the time of the save is written the French way, as the server writes it
    expect(proposal.locator(".row-state-text")).to_have_text(re.compile(r", \d{2}h\d{2}$"))
