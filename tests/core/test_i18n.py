"""The English catalogue: pages switch to English when the user chose it, and the committed
catalogue (locale/en/LC_MESSAGES/django.po and its compiled .mo) is complete and current."""

import gettext
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.cqpm.factories import load_small

MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
MO = MESSAGES / "django.mo"


def _msgfmt() -> str:
    path = shutil.which("msgfmt")
    if path is None:
        pytest.fail(
            "msgfmt is missing: install GNU gettext (Debian: apt-get install gettext); "
            "it checks the English catalogue and compiles it."
        )
    return path


def _english(client, url) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="en"' in html
    return html


@pytest.mark.django_db
def test_login_page_in_english(client):
    html = _english(client, reverse("login"))
    for label in ("Log in", "Username", "Password", "Forgotten your password?"):
        assert label in html, label
    for french in ("Connexion", "Identifiant", "Mot de passe", "Se connecter"):
        assert french not in html, french


@pytest.mark.django_db
def test_referential_catalogue_in_english(client):
    load_small()
    html = _english(client, reverse("cqpm:catalogue"))
    for label in ("CQPM catalogue", "Search for a CQPM", "CQPM code", "RNCP record"):
        assert label in html, label
    assert "to be completed" in html  # the official codes not known yet
    assert "View the referential" in html
    for french in ("Catalogue des CQPM", "Rechercher un CQPM", "à renseigner", "Consulter"):
        assert french not in html, french


@pytest.mark.django_db
def test_referential_page_uses_the_glossary(client):
    load_small(slug="cqpm-glossaire")
    html = _english(client, reverse("cqpm:referential", kwargs={"slug": "cqpm-glossaire"}))
    for label in ("Skills block", "Expected results", "Associated knowledge"):
        assert label in html, label
    assert "Résultats attendus" not in html


@pytest.mark.django_db
def test_french_stays_the_default(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert "Se connecter" in html
    assert "Log in" not in html


def test_catalogue_has_no_untranslated_or_fuzzy_entry():
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [_msgfmt(), "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "translated message" in report, report
    assert "untranslated" not in report, report
    assert "fuzzy" not in report, report


def test_compiled_catalogue_matches_the_po(tmp_path):
    """The committed .mo is what compilemessages makes of the committed .po."""
    fresh = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [_msgfmt(), "--check-format", "-o", str(fresh), str(PO)], check=True
    )
    with MO.open("rb") as committed, fresh.open("rb") as compiled:
        committed_catalog = gettext.GNUTranslations(committed)._catalog
        compiled_catalog = gettext.GNUTranslations(compiled)._catalog
    assert committed_catalog == compiled_catalog, (
        "locale/en/LC_MESSAGES/django.mo is stale: run "
        "`.venv/bin/python manage.py compilemessages --ignore=.venv`"
    )


def test_english_declaration_model_is_accepted():
    """The no-conflict statement offered in English must pass the statement check."""
    from evaluations.services.conflicts import statement_model, statement_problems

    dossier = SimpleNamespace(
        candidate=SimpleNamespace(first_names="Léa", usage_name="", birth_name="Martin")
    )
    user = SimpleNamespace(get_full_name=lambda: "Paul Durand", username="pdurand")
    with translation.override("en"):
        statement = statement_model(dossier, user)
        assert statement.startswith("I, the undersigned Paul Durand")
        assert statement_problems(statement, dossier) == []
