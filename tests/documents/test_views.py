"""Staff pages: list, detail, download, retry, batches, the register."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils.html import escape

from centres.models import AuditEntry
from documents.models import DocumentKind, DocumentStatus, GeneratedDocument

from .factories import FAKE_PDF, issue, make_batch, make_document

pytestmark = pytest.mark.django_db

LIST_QUERIES = 6  # session, user, memberships, count, page rows, recent batches
REGISTER_QUERIES = 5  # session, user, memberships, count, page rows


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


def _rows(world, count, start=0):
    record = issue(world.centre_a)
    for n in range(start, start + count):
        make_document(
            world.centre_a,
            label=f"Parchemin n°{n}",
            certificate=record,
            status=DocumentStatus.READY if n % 2 else DocumentStatus.FAILED,
            with_file=bool(n % 2),
        )


def test_list_filters_and_paginates(world, staff_client):
    _rows(world, 35)
    minutes = make_document(
        world.centre_a, kind=DocumentKind.JURY_MINUTES, label="PV de la session 12"
    )
    make_document(world.centre_b, label="Parchemin d'un autre centre")
    url = reverse("documents:list")
    body = staff_client.get(url).content.decode()
    # listed under its title in the reader's language: the kind, then the session's reference
    assert escape(minutes.title) in body and "autre centre" not in body
    assert "Page 1 sur 2" in body
    body = staff_client.get(url, {"kind": "jury_minutes"}).content.decode()
    assert escape(minutes.title) in body and "Parchemin n°" not in body
    body = staff_client.get(url, {"status": "failed", "q": "n°4"}).content.decode()
    assert "Parchemin n°4<" in body and "Parchemin n°5<" not in body
    assert "Aucun document ne correspond" in staff_client.get(url, {"q": "zzz"}).content.decode()


def test_list_query_count_does_not_grow_with_rows(world, staff_client, django_assert_num_queries):
    url = reverse("documents:list")
    _rows(world, 3)
    with django_assert_num_queries(LIST_QUERIES):
        staff_client.get(url)
    _rows(world, 60, start=3)
    with django_assert_num_queries(LIST_QUERIES):
        staff_client.get(url)


def test_detail_of_a_failed_document_shows_the_error_and_retry(world, staff_client):
    document = make_document(world.centre_a, status=DocumentStatus.FAILED, error="Boom: ligne 3")
    body = staff_client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "La production a échoué" in body and "Boom: ligne 3" in body
    assert reverse("documents:retry", args=[document.pk]) in body


def test_retry_button_renders_the_document(world, staff_client, django_capture_on_commit_callbacks):
    record = issue(world.centre_a)
    document = make_document(
        world.centre_a, status=DocumentStatus.FAILED, error="x", certificate=record
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("documents:retry", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    response = staff_client.post(reverse("documents:retry", args=[document.pk]), follow=True)
    assert "Seul un document en échec peut être relancé" in response.content.decode()


def test_download_goes_through_the_permission_check(world, client, staff_client):
    document = make_document(world.centre_a, status=DocumentStatus.READY, with_file=True)
    url = reverse("documents:download", args=[document.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == FAKE_PDF
    client.force_login(world.user("staff", "b"))
    assert client.get(url).status_code == 404
    pending = make_document(world.centre_a)
    assert staff_client.get(reverse("documents:download", args=[pending.pk])).status_code == 404


def test_batch_page_progress_fragment_and_zip(world, staff_client):
    batch = make_batch(world.centre_a, count=3, status=DocumentStatus.READY)
    body = staff_client.get(reverse("documents:batch", args=[batch.pk])).content.decode()
    assert "3 documents traités sur 3" in body
    assert "hx-trigger" not in body  # finished: no more polling
    assert reverse("documents:batch-zip", args=[batch.pk]) in body
    response = staff_client.get(reverse("documents:batch-zip", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert len(archive.namelist()) == 3
    assert all(archive.read(name) == FAKE_PDF for name in archive.namelist())


def test_unfinished_batch_polls_and_refuses_the_zip(world, staff_client):
    batch = make_batch(world.centre_a, count=2, status=DocumentStatus.PENDING)
    make_document(world.centre_a, status=DocumentStatus.READY, with_file=True, batch=batch)
    fragment = staff_client.get(reverse("documents:batch-progress", args=[batch.pk]))
    body = fragment.content.decode()
    assert 'hx-trigger="every 2s"' in body and "1 document traité sur 3" in body
    assert "<html" not in body
    response = staff_client.get(reverse("documents:batch-zip", args=[batch.pk]), follow=True)
    assert "quand tous les documents seront prêts" in response.content.decode()


def test_register_search_and_query_count(world, staff_client, django_assert_num_queries):
    url = reverse("documents:certificates")
    for n in range(3):
        issue(world.centre_a, subject=("juries.decision", str(n)), holder_last_name=f"Nom{n}")
    with django_assert_num_queries(REGISTER_QUERIES):
        staff_client.get(url)
    for n in range(3, 50):
        issue(world.centre_a, subject=("juries.decision", str(n)), holder_last_name=f"Nom{n}")
    with django_assert_num_queries(REGISTER_QUERIES):
        body = staff_client.get(url).content.decode()
    assert "NOM49" in body
    body = staff_client.get(url, {"q": "Nom7"}).content.decode()
    assert "NOM7<" in body and "NOM8<" not in body


def test_register_revoke_and_render(world, staff_client, django_capture_on_commit_callbacks):
    record = issue(world.centre_a)
    detail = reverse("documents:certificate", args=[record.pk])
    body = staff_client.get(detail).content.decode()
    assert record.display_code in body and "data-confirm" in body
    response = staff_client.post(
        reverse("documents:certificate-revoke", args=[record.pk]), {"reason": ""}, follow=True
    )
    assert "Indiquez le motif" in response.content.decode()
    staff_client.post(
        reverse("documents:certificate-revoke", args=[record.pk]), {"reason": "Doublon"}
    )
    record.refresh_from_db()
    assert record.is_revoked
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("documents:certificate-render", args=[record.pk]))
    document = GeneratedDocument.objects.get(certificate=record)
    assert response["Location"] == reverse("documents:detail", args=[document.pk])
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert AuditEntry.objects.filter(action="certificate.revoked").exists()


def test_subject_documents_partial(world, rf, django_assert_num_queries):
    from django.template.loader import render_to_string

    from centres.access import build_actor
    from documents.access import subject_documents_for

    record = issue(world.centre_a)
    ready = make_document(
        world.centre_a,
        status=DocumentStatus.READY,
        with_file=True,
        certificate=record,
        subject=("juries.jurysession", "5"),
    )
    make_document(world.centre_a, label="Autre sujet", subject=("juries.jurysession", "6"))
    actor = build_actor(world.user("staff"))
    with django_assert_num_queries(1):
        documents = list(subject_documents_for(actor, ("juries.jurysession", 5)))
    assert documents == [ready]
    with django_assert_num_queries(0):
        html = render_to_string("documents/_subject_documents.html", {"documents": documents})
    assert record.number in html and reverse("documents:download", args=[ready.pk]) in html
    assert list(subject_documents_for(build_actor(world.user("assessor")), ("x", "5"))) == []
