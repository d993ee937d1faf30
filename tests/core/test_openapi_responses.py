"""What the API answers matches its schema (issue 18): real objects in every state that
leaves a field blank or null (an open grid without proposal, a document without
certificate, an agenda item without decision, a decision not revoked), every read endpoint
called by every role that may, each JSON answer validated against the documented schema
(OpenAPI 3.0 ``nullable`` read as JSON Schema's ``null``), with ``jsonschema``."""

import copy

import jsonschema
import pytest
from django.urls import reverse

from accrochage.models import Flux
from centres.access import build_actor
from documents.models import DocumentStatus
from evaluations.services import give_opinion
from juries import services as juries
from juries.models import Decision
from tests.candidates.factories import DossierDocumentFactory
from tests.documents.factories import make_batch, make_document
from tests.evaluations.factories import agreed_dossier, seated_session
from tests.evaluations.factories import referential as evaluation_referential
from tests.juries.factories import (
    NA,
    A,
    all_codes,
    deliberating_session,
    ready_dossier,
    vote_all,
)
from tests.juries.factories import referential as jury_referential

pytestmark = pytest.mark.django_db

ROLES = ("staff", "centre_admin", "assessor", "juror", "company_rep", "national_admin")


@pytest.fixture(autouse=True)
def _no_pdf_rendering(monkeypatch):
    monkeypatch.setattr("documents.services.enqueue_render", lambda document_id: True)


def as_json_schema(node):
    """OpenAPI 3.0 → JSON Schema: ``nullable: true`` becomes "or null"."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: as_json_schema(value) for key, value in node.items()}
    if converted.pop("nullable", False):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


class Checker:
    def __init__(self, schema):
        self.components = as_json_schema(copy.deepcopy(schema["components"]))
        self.schema = schema

    def check(self, path, method, status, body, who=""):
        responses = self.schema["paths"][path][method]["responses"]
        assert str(status) in responses, (path, method, status)
        documented = responses[str(status)]["content"]["application/json"]["schema"]
        validator = jsonschema.Draft202012Validator(
            {**as_json_schema(documented), "components": self.components},
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,  # "" is no email
        )
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        assert not errors, (
            path,
            method,
            who,
            [(list(e.absolute_path), e.message[:200]) for e in errors[:5]],
        )


@pytest.fixture
def schema(api_client):
    return api_client.get(reverse("api:api-schema"), {"format": "json"}).json()


@pytest.fixture
def objects(world):
    """Centre A's rows in the states where fields are blank or null."""
    staff = build_actor(world.user("staff"))
    version = evaluation_referential()
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    session = seated_session(world, [dossier])  # grids open, no proposal yet
    give_opinion(dossier, actor=build_actor(world.user("company_rep")))  # a draft
    DossierDocumentFactory(dossier=dossier)
    jury_version = jury_referential()
    voted = ready_dossier(world.centre_a, jury_version, company=world.company_a)
    pending = ready_dossier(world.centre_a, jury_version)
    jury, members, (item, waiting) = deliberating_session(world, jury_version, [voted, pending])
    vote_all(item, members, dict.fromkeys(all_codes(item), A))
    batch = make_batch(world.centre_a, count=2)
    make_document(world.centre_a, kind="certificate", status=DocumentStatus.PENDING)
    Flux.objects.create(centre=world.centre_a, flux_id="PARCH-TEST-1")  # pending: no file yet
    grid = session.grids.first()
    return {
        "/api/v1/document-batches/": batch.pk,
        "/api/v1/criterion-scores/": grid.scores.first().pk,
        "grid": grid,
        "jury": jury,
        "waiting": waiting,
        "staff": staff,
    }


def _get(api_client, world, role, url):
    api_client.logout()
    api_client.force_login(world.user(role))
    return api_client.get(url)


def _fill(path, ids):
    """The URL of a templated path, its parameter taken from the list of the same
    resource (``/evaluation-sessions/{id}/dossiers/`` ← ``/evaluation-sessions/``)."""
    if "{" not in path:
        return path
    base, _, rest = path.partition("{")
    name, _, tail = rest.partition("}")
    value = ids.get(base, {}).get(name)
    return None if value is None else f"{base}{value}{tail}"


def test_every_read_answer_matches_the_schema(api_client, world, schema, objects):
    checker = Checker(schema)
    reads = [
        (path, operations["get"])
        for path, operations in schema["paths"].items()
        if "get" in operations
    ]
    ids = {key: {"id": value} for key, value in objects.items() if key.startswith("/api/")}
    checked = set()
    seen = []
    # lists first: their rows give the ids of the detail and nested paths
    for path, _operation in sorted(reads, key=lambda r: "{" in r[0]):
        url = _fill(path, ids)
        if url is None:
            continue
        for role in ROLES:
            response = _get(api_client, world, role, url)
            if response.status_code != 200:
                assert response.status_code in {401, 403, 404}, (path, role, response.content)
                if response.status_code != 401:
                    checker.check(path, "get", response.status_code, response.json(), role)
                continue
            if not response["Content-Type"].startswith("application/json"):
                continue
            body = response.json()
            checker.check(path, "get", 200, body, role)
            checked.add(path)
            seen.append((path, role, body))
            rows = body.get("results") if isinstance(body, dict) else body
            if isinstance(rows, list) and rows and "{" not in path:
                ids.setdefault(path, rows[0])
    assert {
        "/api/v1/grids/",
        "/api/v1/grids/{id}/",
        "/api/v1/evaluation-sessions/{id}/dossiers/",
        "/api/v1/documents/",
        "/api/v1/documents/{id}/",
        "/api/v1/document-batches/{id}/",
        "/api/v1/jury-agenda/",
        "/api/v1/jury-decisions/",
        "/api/v1/jury-decisions/{id}/",
        "/api/v1/referential-versions/{id}/",
        "/api/v1/qualifications/{slug}/",
        "/api/v1/criterion-scores/{id}/",
        "/api/v1/statistics/",
    } <= checked
    downloads = {p for p, _ in reads if p.endswith("/download/")}
    assert checked == {p for p, _ in reads} - downloads

    # the blank and null values were among the answers checked
    def values(path, key):
        for seen_path, _role, body in seen:
            if seen_path == path:
                rows = body.get("results", [body]) if isinstance(body, dict) else body
                yield from (row.get(key, "absent") for row in rows)

    assert "" in set(values("/api/v1/grids/", "proposal"))
    assert None in set(values("/api/v1/documents/", "certificate_number"))
    assert None in set(values("/api/v1/documents/", "download_url"))
    assert None in set(values("/api/v1/jury-agenda/", "decision"))
    assert None in set(values("/api/v1/jury-agenda/", "revises"))
    assert None in set(values("/api/v1/jury-decisions/", "revoked_by"))


def test_a_session_s_dossiers_show_the_blank_proposal(api_client, world, schema, objects):
    grid = objects["grid"]
    api_client.force_login(world.user("staff"))
    url = reverse("api:evaluationsession-dossiers", args=[grid.session_id])
    body = api_client.get(url).json()
    Checker(schema).check("/api/v1/evaluation-sessions/{id}/dossiers/", "get", 200, body)
    assert {g["proposal"] for row in body for g in row["grids"]} == {""}


def test_a_refusal_matches_the_documented_400(api_client, world, schema, objects):
    """A business refusal ({code, detail}) and a validation error (per field) both match
    the documented 400."""
    checker = Checker(schema)
    api_client.force_login(world.user("staff"))
    jury = objects["jury"]
    refused = api_client.post(reverse("api:jury-session-close", args=[jury.pk]), {})
    assert refused.status_code == 400 and set(refused.json()) == {"code", "detail"}
    checker.check("/api/v1/jury-sessions/{id}/close/", "post", 400, refused.json())
    invalid = api_client.post(reverse("api:company-list"), {"name": ""})
    assert invalid.status_code == 400 and "name" in invalid.json()
    checker.check("/api/v1/companies/", "post", 400, invalid.json())


def test_a_stale_version_matches_the_documented_412(api_client, world, schema, objects):
    jury = objects["jury"]
    api_client.force_login(world.user("staff"))
    url = reverse("api:jury-session-detail", args=[jury.pk])
    response = api_client.patch(url, {"place": "Salle B"}, HTTP_IF_MATCH='"999"')
    assert response.status_code == 412
    Checker(schema).check("/api/v1/jury-sessions/{id}/", "patch", 412, response.json())
    missing = api_client.patch(url, {"place": "Salle B"})
    assert missing.status_code == 428
    Checker(schema).check("/api/v1/jury-sessions/{id}/", "patch", 428, missing.json())


def test_a_resit_answers_the_documented_201(api_client, world, schema):
    """``jury-decisions/{id}/resit/`` after a partial result: 201, as documented."""
    version = jury_referential()
    dossier = ready_dossier(world.centre_a, version)
    session, members, (item,) = deliberating_session(world, version, [dossier])
    vote_all(item, members, {c: (NA if c == "C7" else A) for c in all_codes(item)})
    juries.close_session(session, actor=build_actor(world.user("staff")))
    decision = Decision.objects.get(item=item)
    api_client.force_login(world.user("staff"))
    response = api_client.post(reverse("api:jury-decision-resit", args=[decision.pk]))
    assert response.status_code == 201, response.content
    Checker(schema).check("/api/v1/jury-decisions/{id}/resit/", "post", 201, response.json())
    assert response.json()["dossier"] == dossier.resits.get().pk
