"""The audit log's CSV export speaks the administrator's language (French by default)."""

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french_again():
    """A request with the English cookie leaves English active in this thread: restore the
    default so that the next tests, which call services directly, get French again."""
    yield
    translation.deactivate()


@pytest.mark.parametrize(
    ("language", "header"),
    [
        (
            "fr",
            [
                "date",
                "acteur",
                "nom de l'acteur",
                "action",
                "type d'objet",
                "identifiant",
                "avant",
                "après",
                "motif",
            ],
        ),
        (
            "en",
            [
                "date",
                "actor",
                "actor name",
                "action",
                "object type",
                "object id",
                "before",
                "after",
                "reason",
            ],
        ),
    ],
)
def test_audit_export_header_in_the_chosen_language(client, world, language, header):
    client.force_login(world.user("centre_admin"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("centres:audit_export"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(body), delimiter=";")) == header
