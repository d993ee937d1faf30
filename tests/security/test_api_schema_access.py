"""The API schema is not public in production (issue 14, finding 11): ``/api/v1/schema/``
described every endpoint and field to anyone. ``API_SCHEMA_PUBLIC`` (false in production,
true on the embedded default) decides; a token or a session opens it either way."""

import pytest
from django.urls import reverse

from tests.factories import api_key

from .helpers import production_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_schema(settings):
    settings.API_SCHEMA_PUBLIC = False


def _schema(client, **extra):
    return client.get(reverse("api:api-schema"), {"format": "json"}, **extra)


def test_an_anonymous_client_gets_no_schema_in_production(private_schema, api_client):
    response = _schema(api_client)
    assert response.status_code == 401
    assert b"/api/v1/" not in response.content and b"openapi" not in response.content


def test_a_token_or_a_session_reads_the_schema(private_schema, api_client, client, world):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(world.user('staff'))}")
    by_token = _schema(api_client)
    assert by_token.status_code == 200 and "/api/v1/companies/" in by_token.json()["paths"]
    client.force_login(world.user("assessor"))
    assert _schema(client).status_code == 200


def test_the_docs_page_sends_an_anonymous_visitor_to_the_login(private_schema, client, world):
    response = client.get(reverse("api:api-docs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(world.user("staff"))
    assert client.get(reverse("api:api-docs")).status_code == 200


def test_the_schema_is_public_when_configured(settings, api_client, client):
    settings.API_SCHEMA_PUBLIC = True
    response = _schema(api_client)
    assert response.status_code == 200 and "openapi" in response.json()
    assert client.get(reverse("api:api-docs")).status_code == 200


def test_production_defaults_to_private_and_development_to_public():
    assert production_settings("API_SCHEMA_PUBLIC") == {"API_SCHEMA_PUBLIC": False}
    opened = production_settings("API_SCHEMA_PUBLIC", API_SCHEMA_PUBLIC="true")
    assert opened == {"API_SCHEMA_PUBLIC": True}
    development = production_settings("API_SCHEMA_PUBLIC", DEBUG="true")
    assert development == {"API_SCHEMA_PUBLIC": True}
