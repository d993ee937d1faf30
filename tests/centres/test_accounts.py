"""Accounts in French: login, lockout after repeated failures (django-axes), logout,
password change and reset by e-mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

from .helpers import text

pytestmark = pytest.mark.django_db


def test_login_page_is_french(client):
    page = text(client.get(reverse("login")))
    for label in ("Identifiant", "Mot de passe", "Se connecter", "Mot de passe oublié ?"):
        assert label in page


def test_login_and_logout(world, client):
    user = world.user("staff")
    response = client.post(
        reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_bad_password_shows_a_french_error(world, client):
    response = client.post(
        reverse("login"), {"username": world.user("staff").username, "password": "faux"}
    )
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in text(response)


def test_five_failures_lock_the_login(world, client, settings):
    assert settings.AXES_ENABLED and settings.AXES_FAILURE_LIMIT == 5
    user = world.user("staff")
    for _attempt in range(4):
        response = client.post(reverse("login"), {"username": user.username, "password": "x"})
        assert response.status_code == 200
    locked = client.post(reverse("login"), {"username": user.username, "password": "x"})
    assert locked.status_code == 429
    assert "Trop de tentatives de connexion" in text(locked)
    # Even the right password is refused while locked out.
    again = client.post(reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked (username + IP combination).
    other = world.user("juror")
    ok = client.post(reverse("login"), {"username": other.username, "password": DEFAULT_PASSWORD})
    assert ok.status_code == 302


def test_password_change(world, client):
    user = world.user("juror")
    client.force_login(user)
    page = text(client.get(reverse("password_change")))
    assert "Ancien mot de passe" in page
    response = client.post(
        reverse("password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "nouvelle-phrase-de-passe",
            "new_password2": "nouvelle-phrase-de-passe",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("nouvelle-phrase-de-passe")


def test_password_reset_by_email(world, client):
    user = world.user("assessor")
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.subject == "Parchemin : choisir un nouveau mot de passe"
    assert user.username in message.body
    link = re.search(r"https?://[^/\s]+(/comptes/mot-de-passe/nouveau/\S+/)", message.body)
    confirm = client.get(link.group(1), follow=True)
    assert "Nouveau mot de passe" in text(confirm)
    set_url = confirm.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "reinitialise-et-solide", "new_password2": "reinitialise-et-solide"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("reinitialise-et-solide")


def test_password_reset_for_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "inconnu@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_invalid_reset_link_is_explained(client, db):
    url = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "faux-jeton"})
    assert "n'est pas valide" in text(client.get(url))
