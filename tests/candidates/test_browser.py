"""In a real browser: centre staff registers a candidate, builds the dossier (target,
company, modalities and report deadline), uploads the report and submits the dossier."""

import re

import pytest

from candidates.models import Candidate, Dossier
from centres.roles import Role
from tests.conftest import browser_login
from tests.factories import DEFAULT_PASSWORD, CentreFactory, CompanyFactory, user_with_role

from .factories import build_referential

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_registers_builds_uploads_and_submits(page):
    centre = CentreFactory(name="UIMM Centre de Lyon", slug="lyon")
    CompanyFactory(centre=centre, name="Mécanique de Précision du Rhône")
    version = build_referential()
    staff = user_with_role(centre, Role.STAFF, username="staff.lyon")

    browser_login(page, staff.username, DEFAULT_PASSWORD)
    page.get_by_role("link", name="Candidats", exact=True).click()
    page.get_by_role("link", name="Inscrire un candidat").click()
    page.get_by_label("Nom de naissance").fill("Lambert")
    page.get_by_label("Prénoms").fill("Élodie")
    page.get_by_label("Sexe").select_option(label="Femme")
    page.get_by_label("Date de naissance").fill("1990-05-17")
    page.get_by_label("Commune de naissance").fill("Villeurbanne")
    page.get_by_label("Adresse électronique").fill("elodie.lambert@example.org")
    page.get_by_label("Statut").select_option(label="Salarié (formation continue)")
    page.get_by_role("button", name="Inscrire").click()
    page.wait_for_load_state("domcontentloaded")
    assert "LAMBERT Élodie est inscrit(e)." in page.content()
    assert Candidate.objects.get().birth_name == "Lambert"

    page.get_by_role("link", name="Ouvrir un dossier").click()
    page.get_by_label(re.compile(r"^Entreprise")).select_option(
        label="Mécanique de Précision du Rhône"
    )
    page.get_by_label(re.compile(r"^Tuteur")).fill("Jean Tuteur")
    page.get_by_role("button", name="Ouvrir le dossier").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Choisissez maintenant les modalités" in page.content()

    for number in range(1, 9):
        label = (
            "Présentation de projets ou activités réalisés en milieu professionnel"
            if number == 8
            else "Évaluation en situation professionnelle réelle"
        )
        page.get_by_label(f"Modalité de C{number}", exact=True).select_option(label=label)
    page.get_by_label("Date limite du rapport pour C8", exact=True).fill("2031-06-30")
    page.get_by_role("button", name="Enregistrer les modalités").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Modalités d'évaluation enregistrées." in page.content()

    page.get_by_label("Type").select_option(label="Rapport")
    page.get_by_label("Fichier").set_input_files(
        {"name": "rapport-lambert.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Déposer", exact=True).click()
    page.wait_for_load_state("domcontentloaded")
    assert "Document « rapport-lambert.pdf » déposé." in page.content()
    assert page.get_by_role("link", name="rapport-lambert.pdf").is_visible()

    page.get_by_role("button", name="Soumettre le dossier").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Dossier à l'état « Soumis »." in page.content()
    timeline = page.locator(".timeline").inner_text()
    assert "Brouillon → Soumis" in timeline

    dossier = Dossier.objects.get()
    assert dossier.status == "submitted"
    assert dossier.referential_version == version
    assert dossier.company.name == "Mécanique de Précision du Rhône"
    report = dossier.competences.get(competence__code="C8")
    assert str(report.report_deadline) == "2031-06-30"
    assert dossier.documents.get().original_name == "rapport-lambert.pdf"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_finds_sorts_and_pages_the_dossiers(page):
    """Search without accents, sort by a column header, filter again and page: the sort and
    the filters stay in the address all along."""
    from .factories import CandidateFactory, DossierFactory

    centre = CentreFactory(name="UIMM Centre de Lyon", slug="lyon")
    company = CompanyFactory(centre=centre, name="Précision Usinage")
    version = build_referential()
    staff = user_with_role(centre, Role.STAFF, username="staff.lyon")
    for name in ["EVRARD", "bonnet", "ÉTIENNE", "BARBIER", "MÉNARD"] + [
        f"Zed{i:02d}" for i in range(25)
    ]:
        DossierFactory(
            centre=centre,
            referential_version=version,
            company=company,
            candidate=CandidateFactory(centre=centre, birth_name=name, first_names="Amélie"),
        )

    browser_login(page, staff.username, DEFAULT_PASSWORD)
    page.goto("/candidats/dossiers/")
    page.get_by_label("Rechercher").fill("menard")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state("domcontentloaded")
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and "MÉNARD Amélie" in rows.first.inner_text()

    page.get_by_label("Rechercher").fill("")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Candidat", exact=True).click()
    page.wait_for_load_state("domcontentloaded")
    assert "sort=candidate" in page.url
    names = [
        cell.split(" ")[0] for cell in page.locator("tbody tr td:nth-child(2)").all_inner_texts()
    ]
    assert names[:5] == ["BARBIER", "BONNET", "ÉTIENNE", "EVRARD", "MÉNARD"]

    page.get_by_label("Rechercher").fill("amelie")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state("domcontentloaded")
    assert "sort=candidate" in page.url and "q=amelie" in page.url
    page.get_by_role("link", name="Suivante").click()
    page.wait_for_load_state("domcontentloaded")
    assert "sort=candidate" in page.url and "q=amelie" in page.url and "page=2" in page.url
    names = [
        cell.split(" ")[0] for cell in page.locator("tbody tr td:nth-child(2)").all_inner_texts()
    ]
    assert names == ["ZED20", "ZED21", "ZED22", "ZED23", "ZED24"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_closes_a_decided_dossier_with_the_button(page, world):
    from django.urls import reverse

    from .factories import DossierFactory

    version = build_referential()
    dossier = DossierFactory(
        centre=world.centre_a,
        referential_version=version,
        company=world.company_a,
        status="decided",
    )
    browser_login(page, "staff_a", DEFAULT_PASSWORD)
    page.goto(reverse("candidates:dossier_detail", args=[dossier.pk]))
    page.get_by_role("button", name="Clore le dossier").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Dossier à l'état « Clos »." in page.content()
    dossier.refresh_from_db()
    assert dossier.status == "closed"
