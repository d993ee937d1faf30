"""The OpenAPI schema declares the ``X-Centre`` header (``core.api.schema``) on every
centre-scoped operation, and only there."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client):
    response = api_client.get(reverse("api:api-schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def x_centre(schema, path, method):
    parameters = schema["paths"][path][method].get("parameters", [])
    found = [p for p in parameters if p["in"] == "header" and p["name"] == "X-Centre"]
    assert len(found) <= 1
    return found[0] if found else None


def test_candidate_list_declares_the_header(schema):
    header = x_centre(schema, "/api/v1/candidates/", "get")
    assert header is not None
    assert header["schema"] == {"type": "integer"}
    assert not header.get("required", False)
    assert header["description"].startswith("Centre actif de la requête")


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/me/", "get"),
        ("/api/v1/companies/{id}/", "put"),  # @extend_schema with its own header (If-Match)
        ("/api/v1/memberships/{id}/deactivate/", "post"),  # an @action verb
        ("/api/v1/dossiers/{id}/", "get"),
        ("/api/v1/jury-sessions/", "get"),
        ("/api/v1/documents/", "get"),
    ],
)
def test_every_centre_operation_declares_it(schema, path, method):
    assert x_centre(schema, path, method) is not None


def test_the_centre_scoped_operations_all_declare_it(schema):
    """Every operation but the national referential and the token endpoint."""
    national = {"/api/v1/auth/token/"} | {
        path
        for path in schema["paths"]
        if path.startswith(("/api/v1/qualifications/", "/api/v1/referential-versions/"))
        or path.startswith("/api/v1/criteria/")
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            declared = x_centre(schema, path, method) is not None
            assert declared == (path not in national), (method, path)


def test_description_in_english(api_client):
    api_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = api_client.get(reverse("api:api-schema"), {"format": "json"})
    header = x_centre(response.json(), "/api/v1/candidates/", "get")
    assert header["description"].startswith("Active centre of the request (its id).")
