"""In a real browser: a chargé de certification ticks a holder, generates the file (with
the confirmation), downloads it, imports the portal's report and sees the result."""

import pytest

from accrochage.holders import id_technique
from accrochage.models import Flux, PassageStatus
from tests.conftest import browser_login
from tests.factories import DEFAULT_PASSWORD

from .factories import awards, certifier


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_declaring_a_holder_and_importing_the_report(page, world, lyon, tmp_path):
    certifier()
    (decision,) = awards(world.centre_a, birth_name="NAVIGATEUR")
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm
    browser_login(page, world.user("staff").username, DEFAULT_PASSWORD)
    page.goto("/")
    page.get_by_role("link", name="Accrochage", exact=True).click()
    assert "NAVIGATEUR" in page.content()
    page.get_by_label("Déclarer NAVIGATEUR", exact=False).check()
    page.get_by_role("button", name="Générer le fichier").click()
    page.wait_for_load_state("domcontentloaded")
    assert "conforme au schéma : 1 passage" in page.content()
    flux = Flux.objects.get()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le fichier (XML)").click()
    assert download.value.suggested_filename == f"{flux.flux_id}.xml"

    report = tmp_path / "compte-rendu.xml"
    report.write_text(
        f"<rapport><idFlux>{flux.flux_id}</idFlux><PassagesKO><passage><idTechnique>"
        f"{id_technique(decision)}</idTechnique><messageErreur>Commune inconnue"
        "</messageErreur></passage></PassagesKO></rapport>",
        encoding="utf-8",
    )
    page.get_by_label("Compte rendu de traitement (XML)").set_input_files(str(report))
    page.get_by_role("button", name="Importer le compte rendu").click()
    page.wait_for_load_state("domcontentloaded")
    assert "0 accepté(s), 1 rejeté(s)" in page.content()
    assert "Commune inconnue" in page.content()
    assert flux.passages.get().status == PassageStatus.REJECTED
    page.get_by_role("button", name="Renvoyer les rejetés").click()
    page.wait_for_load_state("domcontentloaded")
    assert Flux.objects.count() == 2
    assert "1 passage(s) rejeté(s)" in page.content()
