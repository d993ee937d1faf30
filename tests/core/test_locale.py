import pytest
from django.conf import settings


@pytest.mark.django_db
def test_french_by_default_whatever_the_browser_says(client):
    response = client.get("/comptes/connexion/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()
    assert "Connexion" in response.content.decode()


@pytest.mark.django_db
def test_english_when_chosen(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/comptes/connexion/")
    assert 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_sets_the_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/comptes/connexion/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
