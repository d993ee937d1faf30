"""In a real browser: a centre administrator invites someone, who accepts by the e-mailed
link, sets a password and lands on the home page of the right centre with the right role."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail

from centres.models import Membership
from centres.roles import Role
from tests.conftest import browser_login
from tests.factories import DEFAULT_PASSWORD, CentreFactory, CompanyFactory, user_with_role


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_invites_and_invitee_lands_on_home(page, settings, tmp_path):
    screenshots = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    centre = CentreFactory(name="UIMM Auvergne-Rhône-Alpes — Centre de Lyon", slug="lyon")
    CompanyFactory(centre=centre, name="Mécanique de Précision du Rhône")
    other = CentreFactory(name="UIMM Centre voisin", slug="voisin")
    admin = user_with_role(centre, Role.CENTRE_ADMIN, username="admin.lyon")
    user_with_role(other, Role.CENTRE_ADMIN, username="admin.voisin")

    browser_login(page, admin.username, DEFAULT_PASSWORD)
    page.get_by_role("link", name="Utilisateurs", exact=True).click()
    page.get_by_role("link", name="Inviter une personne").click()
    page.get_by_label("Adresse électronique").fill("lea.dupont@example.org")
    page.get_by_label("Rôle").select_option(label="Évaluateur")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Invitation envoyée à lea.dupont@example.org" in page.content()
    assert "lea.dupont@example.org" in page.locator("table").inner_text()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lea.dupont@example.org"]
    path = re.search(r"https?://[^/\s]+(/invitation/[^/\s]+/)", message.body).group(1)

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state("domcontentloaded")

    page.goto(path)
    assert "Créez votre compte" in page.content()
    page.get_by_label("Identifiant").fill("lea.dupont")
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label(re.compile(r"^Nom( \*)?$")).fill("Dupont")  # « Nom * »: required
    page.locator("#id_password1").fill("une-phrase-de-passe-solide")
    page.get_by_label("Confirmation du mot de passe").fill("une-phrase-de-passe-solide")
    page.get_by_role("button", name="Créer mon compte et rejoindre le centre").click()
    page.wait_for_load_state("domcontentloaded")

    assert urlparse(page.url).path == "/"  # the home page
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "UIMM Auvergne-Rhône-Alpes — Centre de Lyon"
    body = page.locator("main").inner_text()
    assert "Vos rôles : Évaluateur" in body
    assert "Bienvenue" in body
    assert "Léa Dupont" in page.locator(".account").inner_text()
    membership = Membership.objects.get(user__username="lea.dupont")
    assert (membership.centre_id, membership.role) == (centre.pk, Role.ASSESSOR)

    page.screenshot(path=str(screenshots / "home-after-invitation.png"), full_page=True)

    # The link is single-use.
    page.goto(path)
    assert "déjà été utilisée" in page.content()
