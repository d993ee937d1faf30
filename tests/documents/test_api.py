"""Documents API: fields, filters, retry verb, download, batch progress, schema."""

import pytest
from django.urls import reverse

from documents.models import DocumentKind, DocumentStatus
from tests.factories import api_key

from .factories import FAKE_PDF, issue, make_batch, make_document

pytestmark = pytest.mark.django_db

LIST_QUERIES = 5  # session, user, memberships, count, page rows (certificate joined)


@pytest.fixture
def staff_api(api_client, world):
    api_client.force_login(world.user("staff"))
    return api_client


def test_list_fields_and_filters(world, staff_api):
    record = issue(world.centre_a)
    ready = make_document(
        world.centre_a, status=DocumentStatus.READY, with_file=True, certificate=record
    )
    make_document(world.centre_a, kind=DocumentKind.JURY_MINUTES, label="PV")
    make_document(world.centre_b, label="Ailleurs")
    data = staff_api.get(reverse("api:document-list")).json()
    assert data["count"] == 2
    by_id = {row["id"]: row for row in data["results"]}
    row = by_id[ready.pk]
    assert row["kind"] == "certificate" and row["status"] == "ready"
    assert row["verification_code"] == record.display_code
    assert row["certificate_number"] == record.number
    assert row["download_url"].endswith(reverse("api:document-download", args=[ready.pk]))
    pv = next(r for r in data["results"] if r["kind"] == "jury_minutes")
    assert pv["download_url"] is None and pv["verification_code"] is None
    filtered = staff_api.get(reverse("api:document-list"), {"kind": "jury_minutes"}).json()
    assert [r["label"] for r in filtered["results"]] == ["PV"]
    filtered = staff_api.get(reverse("api:document-list"), {"status": "ready"}).json()
    assert [r["id"] for r in filtered["results"]] == [ready.pk]


def test_list_query_count(world, staff_api, django_assert_num_queries):
    record = issue(world.centre_a)
    for _ in range(3):
        make_document(world.centre_a, certificate=record)
    with django_assert_num_queries(LIST_QUERIES):
        staff_api.get(reverse("api:document-list"))
    for _ in range(45):
        make_document(world.centre_a, certificate=record)
    with django_assert_num_queries(LIST_QUERIES):
        assert staff_api.get(reverse("api:document-list")).json()["count"] == 48


def test_retry_verb(world, staff_api, django_capture_on_commit_callbacks):
    record = issue(world.centre_a)
    failed = make_document(
        world.centre_a, status=DocumentStatus.FAILED, error="x", certificate=record
    )
    url = reverse("api:document-retry", args=[failed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post(url)
    assert response.status_code == 200
    assert response.json()["status"] == "pending"  # rendered after the commit
    failed.refresh_from_db()
    assert failed.status == DocumentStatus.READY
    response = staff_api.post(url)
    assert response.status_code == 400
    assert response.json()["code"] == "not_failed"


def test_status_is_read_only(world, staff_api):
    document = make_document(world.centre_a)
    url = reverse("api:document-detail", args=[document.pk])
    assert staff_api.patch(url, {"status": "ready"}, format="json").status_code == 405


def test_download_with_a_token(world, api_client):
    document = make_document(world.centre_a, status=DocumentStatus.READY, with_file=True)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(world.user('staff'))}")
    response = api_client.get(reverse("api:document-download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == FAKE_PDF
    pending = make_document(world.centre_a)
    assert api_client.get(reverse("api:document-download", args=[pending.pk])).status_code == 404


def test_batch_progress(world, staff_api):
    batch = make_batch(world.centre_a, count=2, status=DocumentStatus.PENDING)
    make_document(world.centre_a, status=DocumentStatus.FAILED, batch=batch)
    data = staff_api.get(reverse("api:document-batch-detail", args=[batch.pk])).json()
    assert data["label"] == batch.label
    assert data["progress"] == {
        "total": 3,
        "pending": 2,
        "rendering": 0,
        "ready": 0,
        "failed": 1,
        "percent": 33,
        "finished": False,
    }


def test_schema_documents_the_endpoints(staff_api):
    schema = staff_api.get(reverse("api:api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/documents/{id}/retry/" in paths
    assert "/api/v1/documents/{id}/download/" in paths
    assert "/api/v1/document-batches/{id}/" in paths
    download = paths["/api/v1/documents/{id}/download/"]["get"]["responses"]["200"]
    assert "application/pdf" in download["content"]
    document = schema["components"]["schemas"]["Document"]["properties"]
    assert document["status"]["readOnly"] is True
    assert {"download_url", "verification_code", "kind"} <= set(document)
