import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidates.models import Candidate, CandidateIdentity, Dossier
from candidates.nir import nir_key

from .factories import CandidateFactory, DossierDocumentFactory, DossierFactory, modality

NIR_BODY = "1850578006084"
NIR = f"{NIR_BODY}{nir_key(NIR_BODY):02d}"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def api(api_client, world):
    api_client.force_login(world.user("staff"))
    return api_client


def test_create_candidate_nir_masked(api, world):
    response = api.post(
        reverse("api:candidate-list"),
        {
            "birth_name": "Api",
            "first_names": "Léa",
            "sex": "F",
            "birth_date": "1990-01-01",
            "nir": NIR,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert "nir" not in body and NIR not in str(body)
    assert body["nir_masked"].endswith(NIR[13:])
    assert response["ETag"] == '"1"'
    assert CandidateIdentity.objects.get().nir == NIR


def test_duplicate_is_409_then_confirmed(api, world):
    CandidateFactory(
        centre=world.centre_a,
        birth_name="Api",
        first_names="Léa",
        birth_date=datetime.date(1990, 1, 1),
    )
    data = {"birth_name": "API", "first_names": "léa", "sex": "F", "birth_date": "1990-01-01"}
    response = api.post(reverse("api:candidate-list"), data, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "possible_duplicate"
    response = api.post(
        reverse("api:candidate-list"), {**data, "confirm_duplicate": True}, format="json"
    )
    assert response.status_code == 201


def test_bad_nir_is_400_with_code(api):
    response = api.post(
        reverse("api:candidate-list"),
        {
            "birth_name": "X",
            "first_names": "Y",
            "sex": "F",
            "birth_date": "1990-01-01",
            "nir": "185057800608400",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "nir_key"


def test_if_match_on_candidate_edit(api, world):
    candidate = CandidateFactory(centre=world.centre_a)
    url = reverse("api:candidate-detail", args=[candidate.pk])
    etag = api.get(url)["ETag"]
    assert api.patch(url, {"phone": "04 72 00 00 01"}, format="json").status_code == 428
    response = api.patch(url, {"phone": "04 72 00 00 01"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] == '"2"'
    response = api.patch(url, {"phone": "04 72 00 00 02"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert response.json()["code"] == "stale_version"


def test_dossier_lifecycle_with_verbs(api, world, version):
    candidate = CandidateFactory(centre=world.centre_a)
    response = api.post(
        reverse("api:dossier-list"),
        {
            "candidate": candidate.pk,
            "qualification": version.qualification.pk,
            "company": world.company_a.pk,
            "target": "blocs",
            "target_blocs": [version.blocs.get(code="B2").pk],
            "status": "closed",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"  # status is read-only
    assert [c["code"] for c in body["competences"]] == ["C4", "C5"]
    pk = body["id"]
    response = api.patch(
        reverse("api:dossier-detail", args=[pk]),
        {"status": "agreed", "tutor_name": "T"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200
    assert response.json()["status"] == "draft" and response.json()["tutor_name"] == "T"
    report = modality(version, "project_presentation")
    response = api.post(reverse("api:dossier-agree", args=[pk]), format="json")
    assert response.status_code == 400 and response.json()["code"] == "bad_state"
    api.post(reverse("api:dossier-submit", args=[pk]), format="json")
    response = api.post(reverse("api:dossier-agree", args=[pk]), format="json")
    assert response.json()["code"] == "modality_missing"
    rows = [
        {"competence": c["competence"], "modality": report.pk, "report_deadline": "2031-01-31"}
        for c in body["competences"]
    ]
    response = api.post(
        reverse("api:dossier-modalities", args=[pk]), {"modalities": rows}, format="json"
    )
    assert response.status_code == 200, response.json()
    response = api.post(reverse("api:dossier-agree", args=[pk]), format="json")
    assert response.status_code == 200 and response.json()["status"] == "agreed"
    response = api.post(reverse("api:dossier-withdraw", args=[pk]), {"reason": ""}, format="json")
    assert response.status_code == 400
    response = api.post(
        reverse("api:dossier-withdraw", args=[pk]),
        {"reason": "Départ"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 412
    response = api.post(
        reverse("api:dossier-withdraw", args=[pk]), {"reason": "Départ"}, format="json"
    )
    assert response.json()["status"] == "withdrawn"


def test_foreign_company_or_candidate_refused(api, world, version):
    foreign = CandidateFactory(centre=world.centre_b)
    response = api.post(
        reverse("api:dossier-list"),
        {"candidate": foreign.pk, "qualification": version.qualification.pk},
        format="json",
    )
    assert response.status_code == 400 and "candidate" in response.json()
    mine = CandidateFactory(centre=world.centre_a)
    response = api.post(
        reverse("api:dossier-list"),
        {
            "candidate": mine.pk,
            "qualification": version.qualification.pk,
            "company": world.company_b.pk,
        },
        format="json",
    )
    assert response.status_code == 400 and "company" in response.json()
    assert not Dossier.objects.exists()


def test_documents_upload_and_download(api, world, version):
    dossier = DossierFactory(centre=world.centre_a, referential_version=version)
    url = reverse("api:dossier-document-list")
    response = api.post(
        url,
        {"dossier": dossier.pk, "kind": "report", "file": SimpleUploadedFile("r.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    doc_id = response.json()["id"]
    download = api.get(reverse("api:dossier-document-download", args=[doc_id]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    response = api.post(
        url,
        {
            "dossier": dossier.pk,
            "kind": "report",
            "file": SimpleUploadedFile("r.pdf", b"MZ" + b"\0" * 64),
        },
        format="multipart",
    )
    assert response.status_code == 400 and response.json()["code"] == "file_type_refused"
    other = DossierFactory(centre=world.centre_b, referential_version=version)
    response = api.post(
        url,
        {"dossier": other.pk, "kind": "report", "file": SimpleUploadedFile("r.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 400
    listing = api.get(url + f"?dossier={dossier.pk}").json()
    assert listing["count"] == 1


def test_company_rep_reads_only_their_dossiers(api_client, world, version):
    mine = DossierFactory(
        centre=world.centre_a,
        referential_version=version,
        company=world.company_a,
        tutor_email="tuteur@example.org",
    )
    CandidateIdentity.objects.create(candidate=mine.candidate, nir=NIR)
    DossierFactory(centre=world.centre_a, referential_version=version)
    DossierDocumentFactory(dossier=mine)
    api_client.force_login(world.user("company_rep"))
    listing = api_client.get(reverse("api:dossier-list")).json()
    assert [d["id"] for d in listing["results"]] == [mine.pk]
    assert NIR not in str(listing) and "tutor_email" not in listing["results"][0]
    assert api_client.post(reverse("api:dossier-submit", args=[mine.pk])).status_code == 403
    assert api_client.get(reverse("api:candidate-list")).status_code == 403
    assert api_client.get(reverse("api:dossier-document-list")).status_code == 403


def _bulk(world, version, n):
    for i in range(n):
        candidate = CandidateFactory(centre=world.centre_a, birth_name=f"Bulk{i}")
        CandidateIdentity.objects.create(candidate=candidate, nir=NIR)
        dossier = DossierFactory(
            centre=world.centre_a,
            referential_version=version,
            candidate=candidate,
            company=world.company_a,
        )
        DossierDocumentFactory(dossier=dossier)


@pytest.mark.parametrize(
    "url",
    [
        "api:candidate-list",
        "api:dossier-list",
        "api:dossier-document-list",
    ],
)
@pytest.mark.parametrize("query", ["", "?q=bulk"])
def test_api_list_query_count_is_constant(
    api, world, version, django_assert_num_queries, url, query
):
    target = reverse(url) + (query if url != "api:dossier-document-list" else "")
    _bulk(world, version, 2)
    api.get(target)
    with CaptureQueriesContext(connection) as few:
        assert api.get(target).status_code == 200
    _bulk(world, version, 20)
    with django_assert_num_queries(len(few.captured_queries)):
        response = api.get(target)
    assert response.status_code == 200 and response.json()["count"] >= 22


def test_schema_lists_candidate_endpoints(api):
    schema = api.get(reverse("api:api-schema"), HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/candidates/",
        "/api/v1/dossiers/{id}/submit/",
        "/api/v1/dossiers/{id}/withdraw/",
        "/api/v1/dossier-documents/{id}/download/",
    ):
        assert path in schema
    assert Candidate.objects.count() == 0


def test_close_through_the_api_honours_if_match(api, world, version):
    dossier = DossierFactory(
        centre=world.centre_a, referential_version=version, company=world.company_a
    )
    Dossier.objects.filter(pk=dossier.pk).update(status="decided")
    url = reverse("api:dossier-close", args=[dossier.pk])
    response = api.post(url, format="json", HTTP_IF_MATCH=f'"{dossier.version + 3}"')
    assert response.status_code == 412
    response = api.post(url, format="json", HTTP_IF_MATCH=f'"{dossier.version}"')
    assert response.status_code == 200 and response.json()["status"] == "closed"
