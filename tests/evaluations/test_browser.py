"""On a 1024×768 touch tablet, in a real browser: an assessor scores a whole competence by
tapping, loses the network while tapping and typing without losing anything, and the
commission signs; a second member's concurrent change is shown, not overwritten; a company
representative gives and signs the avis."""

import pytest
from playwright.sync_api import expect

from evaluations import services
from evaluations.models import CompanyOpinion, CriterionScore, Grid, GridStatus, OpinionStatus
from tests.conftest import browser_login
from tests.factories import DEFAULT_PASSWORD

from .factories import agreed_dossier, assessor, referential, seated_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _scene(world, criteria=8):
    version = referential(criteria=criteria, competences=1)
    dossier = agreed_dossier(
        world.centre_a,
        version,
        company=world.company_a,
        birth_name="Lambert",
        first_names="Élodie",
    )
    members = [world.user("assessor"), assessor(world.centre_a, "assessor.deux")]
    seated_session(world, [dossier], assessors=members)
    return dossier.grids.get(), members


def _rows(page):
    return page.locator("fieldset.criterion")


def _saved(page):
    expect(page.locator("#save-state")).to_have_text("Tout est enregistré")


def test_assessor_scores_a_competence_offline_and_online_then_signs(world, tablet_page):
    page = tablet_page
    grid, members = _scene(world)
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, members[0].username, DEFAULT_PASSWORD)
    page.get_by_role("link", name="LAMBERT Élodie").first.click()
    expect(page.get_by_role("heading", name="Méthodes utilisées")).to_be_visible()

    rows = _rows(page)
    assert rows.count() == 8
    for index in range(rows.count()):
        row = rows.nth(index)
        conditional = row.get_attribute("data-conditional") == "1"
        row.get_by_role(
            "button", name="Non applicable" if conditional else "Satisfait", exact=True
        ).tap()
        expect(row.locator(".row-state-text")).to_contain_text("Enregistré")
    # "non applicable" on a criterion that always applies asks for a justification first
    third = rows.nth(2)
    third.get_by_role("button", name="Non applicable").tap()
    expect(third.locator(".row-state-text")).to_have_text(
        "Justification requise pour enregistrer « non applicable »"
    )
    third.get_by_label("Justification de « non applicable » (obligatoire)").fill(
        "Pas d'équipe de nuit dans ce secteur"
    )
    expect(third.locator(".row-state-text")).to_contain_text("Enregistré")
    _saved(page)

    # the network drops while the assessor taps and types
    page.context.set_offline(True)
    rows.nth(1).get_by_role("button", name="Non satisfait").tap()
    rows.nth(4).get_by_label("Commentaire").fill("Planning affiché mais non tenu à jour")
    proposal = page.locator("#proposal")
    proposal.get_by_role("button", name="Non acquise", exact=True).tap()
    proposal.get_by_label("Justification (obligatoire pour « non acquise »)").fill(
        "Deux critères de méthode non satisfaits"
    )
    expect(page.locator("[data-global-state]")).to_have_attribute("data-global-state", "offline")
    expect(page.locator("#save-state")).to_contain_text("Hors ligne")
    assert CriterionScore.objects.get(pk=rows.nth(1).get_attribute("data-score")).state == (
        "satisfied"
    )
    assert Grid.objects.get(pk=grid.pk).proposal == ""

    page.context.set_offline(False)
    _saved(page)
    scores = {s.pk: s for s in CriterionScore.objects.filter(grid=grid)}
    assert scores[int(rows.nth(1).get_attribute("data-score"))].state == "not_satisfied"
    assert scores[int(rows.nth(4).get_attribute("data-score"))].comment == (
        "Planning affiché mais non tenu à jour"
    )
    assert scores[int(third.get_attribute("data-score"))].justification == (
        "Pas d'équipe de nuit dans ce secteur"
    )
    assert all(s.state for s in scores.values())
    assert all(s.updated_by == members[0] for s in scores.values())
    grid.refresh_from_db()
    assert grid.proposal == "non_acquise"
    assert grid.proposal_justification == "Deux critères de méthode non satisfaits"

    # both members sign: the grid is locked
    page.get_by_role("link", name="Signer la grille").tap()
    page.get_by_role("button", name="Je signe la grille").tap()
    expect(page.locator(".messages")).to_contain_text("Votre signature est enregistrée")
    page.context.clear_cookies()
    browser_login(page, members[1].username, DEFAULT_PASSWORD)
    page.goto(f"/evaluations/grilles/{grid.pk}/signer/")
    page.get_by_role("button", name="Je signe la grille").tap()
    expect(page.locator(".messages")).to_contain_text("verrouillée")
    grid.refresh_from_db()
    assert grid.status == GridStatus.SIGNED and grid.signatures.count() == 2
    expect(page.locator("#grid-app")).to_have_attribute("data-editable", "false")


def test_a_concurrent_change_is_shown_not_overwritten(world, tablet_page):
    page = tablet_page
    grid, members = _scene(world, criteria=4)
    browser_login(page, members[0].username, DEFAULT_PASSWORD)
    page.goto(f"/evaluations/grilles/{grid.pk}/")
    row = _rows(page).first
    score = CriterionScore.objects.get(pk=row.get_attribute("data-score"))
    # the other member saves this criterion after the page was loaded
    services.score_criterion(
        grid,
        score.criterion,
        "not_satisfied",
        "Vu en atelier",
        expected_version=1,
        actor=members[1],
    )
    row.get_by_role("button", name="Satisfait", exact=True).tap()
    conflict = row.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text(members[1].get_full_name())
    expect(conflict).to_contain_text("Non satisfait — « Vu en atelier »")
    expect(conflict).to_contain_text("Votre saisie : Satisfait")
    assert CriterionScore.objects.get(pk=score.pk).state == "not_satisfied"
    conflict.get_by_role("button", name="Remplacer par ma saisie").tap()
    expect(row.locator(".row-state-text")).to_contain_text("Enregistré")
    score.refresh_from_db()
    assert score.state == "satisfied" and score.version == 3 and score.updated_by == members[0]

    # the keyboard works too: focus a toggle and press Space
    second = _rows(page).nth(1)
    second.get_by_role("button", name="Non satisfait").focus()
    page.keyboard.press("Space")
    expect(second.get_by_role("button", name="Non satisfait")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(second.locator(".row-state-text")).to_contain_text("Enregistré")
    assert CriterionScore.objects.get(pk=second.get_attribute("data-score")).state == (
        "not_satisfied"
    )


def test_company_representative_gives_and_signs_the_avis(world, tablet_page):
    page = tablet_page
    version = referential(criteria=4, competences=2)
    dossier = agreed_dossier(
        world.centre_a, version, company=world.company_a, birth_name="Roux", first_names="Marc"
    )
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, world.user("company_rep").username, DEFAULT_PASSWORD)
    page.get_by_role("link", name="ROUX Marc").first.click()
    items = page.locator("fieldset.opinion-item")
    assert items.count() == 2
    items.nth(0).get_by_text("Favorable", exact=True).tap()
    items.nth(0).get_by_label("Commentaire").fill("Autonome sur le planning")
    items.nth(1).get_by_text("Réservé", exact=True).tap()
    items.nth(1).get_by_label("Commentaire").fill("Doit encore progresser en animation")
    page.get_by_label("Vous donnez cet avis en qualité de").select_option(label="Tuteur")
    page.get_by_role("button", name="Enregistrer et signer l'avis").tap()
    expect(page.locator(".messages")).to_contain_text("Avis signé et transmis au centre")
    opinion = CompanyOpinion.objects.get(dossier=dossier)
    assert opinion.status == OpinionStatus.SIGNED
    assert opinion.signed_by == world.user("company_rep")
    values = dict(opinion.items.values_list("competence__code", "value"))
    assert values == {"C1": "favourable", "C2": "reserved"}
