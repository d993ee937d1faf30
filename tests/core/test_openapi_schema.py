"""The OpenAPI schema as a generated client reads it (issue 18, first part): one body type
per operation (JSON, multipart only for the upload), every status an operation answers with
its body, ids readable, ASCII tags and operation ids, the PDF as bytes. The response
conformance itself (blank and null values) is ``test_openapi_responses.py``."""

import json
import re

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from core.api.schema import ascii_name
from core.api.schema_statuses import handler_source

pytestmark = pytest.mark.django_db

NAME = re.compile(r"^[A-Za-z0-9_-]+$")
UPLOADS = {
    ("/api/v1/dossier-documents/", "post"),
    ("/api/v1/accrochage/flux/{id}/report/", "post"),
}
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    """The schema as ``/api/v1/schema/`` serves it (generated once for the module; the
    view itself is exercised by ``test_the_served_schema_is_this_one``)."""
    with django_db_blocker.unblock():
        document = SchemaGenerator().get_schema(request=None, public=True)
        return json.loads(OpenApiJsonRenderer().render(document))


def test_the_served_schema_is_this_one(api_client, schema):
    response = api_client.get(reverse("api:api-schema"), {"format": "json"})
    assert response.status_code == 200
    assert response.json()["paths"] == schema["paths"]


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if isinstance(operation, dict) and "operationId" in operation:
                yield path, method, operation


@pytest.fixture(scope="module")
def endpoints(django_db_blocker):
    """(path, method, view) of every operation, the views as the generator builds them
    (``action`` set), to read what their handlers answer."""
    with django_db_blocker.unblock():
        generator = SchemaGenerator()
        generator._initialise_endpoints()
        return [
            (path, method.lower(), view)
            for path, _regex, method, view in generator._get_paths_and_endpoints()
        ]


def component(schema, ref):
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


# --- request bodies -------------------------------------------------------------------


def test_every_body_is_json_but_the_upload_multipart(schema):
    bodies = {}
    for path, method, operation in operations(schema):
        if "requestBody" in operation:
            bodies[(path, method)] = sorted(operation["requestBody"]["content"])
    assert len(bodies) > 40
    for key, types in bodies.items():
        expected = ["multipart/form-data"] if key in UPLOADS else ["application/json"]
        assert types == expected, key


def test_only_the_upload_carries_a_file(schema):
    """The multipart exception is exactly the operations whose body holds a binary field."""
    with_file = set()
    for path, method, operation in operations(schema):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            body = component(schema, media["schema"]["$ref"]) if "$ref" in media["schema"] else {}
            if any(p.get("format") == "binary" for p in body.get("properties", {}).values()):
                with_file.add((path, method))
    assert with_file == UPLOADS


def test_the_api_reads_json_and_refuses_a_form_post(api_client, world):
    api_client.force_login(world.user("staff"))
    url = reverse("api:company-list")
    form = api_client.post(url, {"name": "Formulaire SA"}, format="multipart")
    assert form.status_code == 415
    assert "multipart/form-data" in form.json()["detail"]
    urlencoded = api_client.generic(
        "POST", url, "name=Formulaire+SA", content_type="application/x-www-form-urlencoded"
    )
    assert urlencoded.status_code == 415


def test_the_token_endpoint_takes_json(api_client, world):
    from tests.factories import DEFAULT_PASSWORD

    user = world.user("company_rep")
    url = reverse("api:auth-token")
    body = {"username": user.username, "password": DEFAULT_PASSWORD}
    assert api_client.post(url, body, format="json").status_code == 200
    assert api_client.post(url, body, format="multipart").status_code == 415


# --- statuses ---------------------------------------------------------------------------


def test_every_created_answer_is_documented_201(schema, endpoints):
    """A POST whose handler answers 201 (a ``create``, or ``HTTP_201_CREATED`` in its
    code) documents 201 and not 200; a documented 201 is one the handler gives."""
    created = set()
    for path, method, view in endpoints:
        if method != "post":
            continue
        source = handler_source(view, method)
        if getattr(view, "action", None) == "create" or "HTTP_201_CREATED" in source:
            created.add(path)
    assert {
        "/api/v1/evaluation-sessions/{id}/dossiers/",
        "/api/v1/evaluation-sessions/{id}/members/",
        "/api/v1/jury-decisions/{id}/resit/",
        "/api/v1/dossiers/{id}/resit/",
        "/api/v1/candidates/",
    } <= created
    for path, method, operation in operations(schema):
        if method != "post":
            continue
        statuses = set(operation["responses"])
        if path in created:
            assert "201" in statuses and "200" not in statuses, path
        else:
            assert "201" not in statuses, path


def test_every_write_documents_its_refusals(schema):
    error = "#/components/schemas/Error"
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        if method in WRITES:
            bad = responses["400"]["content"]["application/json"]["schema"]
            assert {"$ref": error} in bad["anyOf"], (method, path)
            assert {"$ref": "#/components/schemas/ValidationErrors"} in bad["anyOf"]
        if "{" in path:
            assert "404" in responses, (method, path)
        for status in ("401", "403", "404", "415", "428", "429"):
            if status in responses:
                body = responses[status]["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/Detail"}, (status, method, path)
                assert responses[status]["description"]
    assert component(schema, error) == {
        "type": "object",
        "description": "Refus métier : un code stable et son message en français.",
        "properties": {"code": {"type": "string"}, "detail": {"type": "string"}},
        "required": ["code", "detail"],
    }


def test_the_statuses_are_described_in_english_too(api_client):
    from django.conf import settings

    api_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = api_client.get(reverse("api:api-schema"), {"format": "json"}).json()
    responses = english["paths"]["/api/v1/companies/{id}/"]["put"]["responses"]
    assert responses["412"]["description"].startswith("Stale version")
    assert responses["429"]["description"].startswith("Too many requests")


def test_authentication_throttling_and_bodies(schema):
    national = ("/api/v1/qualifications/", "/api/v1/referential-versions/", "/api/v1/criteria/")
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert "429" in responses, (method, path)  # every view is throttled
        public = path.startswith(national) or path == "/api/v1/auth/token/"
        assert ("401" in responses) == (not public), (method, path)
        assert ("403" in responses) == (not public), (method, path)
        assert ("415" in responses) == ("requestBody" in operation), (method, path)


def test_if_match_where_the_version_is_read(schema, endpoints):
    """If-Match (and 412) exactly on the operations whose handler reads the version; 428
    where it is mandatory. Checked against known operations, not only the rule."""
    declared = {}
    for path, method, operation in operations(schema):
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        if "If-Match" in headers:
            assert "412" in operation["responses"], (method, path)
        else:
            assert "412" not in operation["responses"], (method, path)
        declared[(method, path)] = ("If-Match" in headers, "428" in operation["responses"])
    checked = 0
    for path, method, view in endpoints:
        if (method, path) not in declared:  # the schema and docs views themselves
            continue
        reads = "expected_version(" in handler_source(view, method)
        assert declared[(method, path)][0] == reads, (method, path)
        checked += 1
    assert checked == len(declared)
    assert declared[("put", "/api/v1/companies/{id}/")] == (True, True)
    assert declared[("patch", "/api/v1/dossiers/{id}/")] == (True, True)
    assert declared[("put", "/api/v1/jurors/{id}/")] == (True, False)  # optional version
    assert declared[("post", "/api/v1/dossiers/{id}/submit/")] == (True, False)
    assert declared[("post", "/api/v1/company-opinions/{id}/sign/")] == (True, False)
    assert declared[("post", "/api/v1/jury-decisions/{id}/revoke/")] == (False, False)
    assert declared[("post", "/api/v1/jury-agenda/{id}/absent/")] == (False, False)


def test_a_stale_score_keeps_its_own_412_body(schema):
    responses = schema["paths"]["/api/v1/criterion-scores/{id}/"]["put"]["responses"]
    stale = responses["412"]["content"]["application/json"]["schema"]
    assert stale != {"$ref": "#/components/schemas/Error"}


def test_the_documented_428_is_answered(api_client, world):
    """Spot check of the rule: a company update without any version answers 428."""
    from tests.factories import CompanyFactory

    company = CompanyFactory(centre=world.centre_a)
    api_client.force_login(world.user("staff"))
    url = reverse("api:company-detail", args=[company.pk])
    response = api_client.patch(url, {"city": "Lyon"})
    assert response.status_code == 428
    assert set(response.json()) >= {"detail"}


# --- blank and null -------------------------------------------------------------------


def _refs(prop):
    return {alt.get("$ref", "").rsplit("/", 1)[-1] for alt in prop.get("oneOf", [])}


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("GridSummary", "proposal"),
        ("Grid", "proposal"),
        ("GridDetail", "proposal"),
        ("ProposalState", "proposal"),
    ],
)
def test_a_proposal_may_be_blank(schema, name, field):
    prop = schema["components"]["schemas"][name]["properties"][field]
    assert _refs(prop) == {"JuryVoteValueEnum", "BlankEnum"}
    assert schema["components"]["schemas"]["BlankEnum"] == {"enum": [""]}


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("Document", "certificate_number"),
        ("Document", "verification_code"),
        ("Document", "download_url"),
        ("AgendaItem", "decision"),
        ("AgendaItem", "revises"),
        ("Decision", "revoked_by"),
        ("Decision", "superseded_by"),
        ("Decision", "frozen_at"),
    ],
)
def test_a_value_that_may_be_null_is_nullable(schema, name, field):
    assert schema["components"]["schemas"][name]["properties"][field]["nullable"] is True


def test_every_null_model_field_shown_is_nullable(schema, endpoints):
    """Any response field whose model field is ``null=True`` says so (read-only fields
    included), and any choice field with ``blank=True`` admits ""."""
    from rest_framework import serializers

    from core.api.schema import _may_be_blank_or_null

    checked = 0
    for _path, _method, view in endpoints:
        get_class = getattr(view, "get_serializer_class", None)
        try:
            serializer_class = get_class() if get_class else None
        except Exception:  # noqa: BLE001 - views choosing by request state
            serializer_class = None
        if not serializer_class or not issubclass(serializer_class, serializers.ModelSerializer):
            continue
        name = serializer_class.__name__.removesuffix("Serializer")
        component = schema["components"]["schemas"].get(name)
        if component is None:
            continue
        for field_name, field in serializer_class().fields.items():
            prop = component["properties"].get(field_name)
            if prop is None or field.write_only:
                continue
            blank, null, _absent = _may_be_blank_or_null(field)
            if null:
                assert prop.get("nullable") is True, (name, field_name)
                checked += 1
            if blank and "oneOf" in prop:
                assert "BlankEnum" in _refs(prop), (name, field_name)
    assert checked > 20


def test_what_drf_shows_across_a_null_relation(world):
    """The premises of ``_may_be_blank_or_null``, on DRF's own serialisation: a read-only
    field across a null foreign key is left out (or shows its default, or None when it
    allows it); across a missing reverse one-to-one it shows None."""
    from rest_framework import serializers

    from candidates.models import Dossier
    from core.api.schema import Shown, _may_be_blank_or_null
    from tests.candidates.factories import DossierFactory

    class Probe(serializers.ModelSerializer):
        company_name = serializers.CharField(source="company.name", read_only=True)
        company_city = serializers.CharField(source="company.city", read_only=True, default="")
        company_siret = serializers.CharField(
            source="company.siret", read_only=True, allow_null=True
        )
        nir = serializers.CharField(source="candidate.identity.nir", read_only=True)

        class Meta:
            model = Dossier
            fields = ["company", "company_name", "company_city", "company_siret", "nir"]

    dossier = DossierFactory(centre=world.centre_a, company=None)
    shown = Probe(dossier).data
    fields = Probe().fields
    assert "company_name" not in shown
    assert _may_be_blank_or_null(fields["company_name"]) == Shown(absent=True)
    assert shown["company_city"] == ""
    assert _may_be_blank_or_null(fields["company_city"]) == Shown()
    assert shown["company_siret"] is None
    assert _may_be_blank_or_null(fields["company_siret"]) == Shown(null=True)
    assert shown["nir"] is None
    assert _may_be_blank_or_null(fields["nir"]) == Shown(null=True)
    assert shown["company"] is None
    assert _may_be_blank_or_null(fields["company"]) == Shown(null=True)


# --- ids, names, downloads ----------------------------------------------------------


@pytest.mark.parametrize("name", ["Modality", "Qualification", "QualificationDetail"])
def test_referred_objects_show_their_id(schema, name):
    properties = schema["components"]["schemas"][name]["properties"]
    assert properties["id"] == {"type": "integer", "readOnly": True}


def test_tags_and_operation_ids_are_ascii_and_unique(schema):
    ids = []
    for _path, _method, operation in operations(schema):
        ids.append(operation["operationId"])
        assert NAME.match(operation["operationId"]), operation["operationId"]
        for tag in operation.get("tags", []):
            assert NAME.match(tag), tag
        for parameter in operation.get("parameters", []):
            assert NAME.match(parameter["name"]), parameter["name"]
            assert "title" not in parameter.get("schema", {}), parameter["name"]
    assert len(ids) == len(set(ids))
    for name, component in schema["components"]["schemas"].items():
        assert NAME.match(name), name
        for prop in component.get("properties", {}):
            assert NAME.match(prop), (name, prop)
    tags = {t for _p, _m, op in operations(schema) for t in op.get("tags", [])}
    assert {"referentiel", "journal-d-audit", "jurys"} <= tags


def test_french_summaries_stay(schema):
    operation = schema["paths"]["/api/v1/jury-decisions/{id}/resit/"]["post"]
    assert operation["summary"] == "Ouvrir un nouveau passage après une validation partielle"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("référentiel", "referentiel"),
        ("journal d'audit", "journal-d-audit"),
        ("Décision", "Decision"),
        ("jury_decisions_list", "jury_decisions_list"),
    ],
)
def test_ascii_name(text, expected):
    assert ascii_name(text) == expected


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("/api/v1/documents/{id}/download/", "application/pdf"),
        ("/api/v1/dossier-documents/{id}/download/", "application/octet-stream"),
    ],
)
def test_downloads_are_bytes(schema, path, media):
    content = schema["paths"][path]["get"]["responses"]["200"]["content"]
    assert content == {media: {"schema": {"type": "string", "format": "binary"}}}
