"""The job pipeline: row first, enqueue on commit, idempotent render, retries, sweep."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage  # noqa: F401 - storage sanity
from django.utils import timezone
from kombu.exceptions import OperationalError
from pypdf import PdfReader

from centres.models import AuditEntry
from documents import services
from documents.builders import build_certificate
from documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from documents.services import DocumentRequest, request_batch, request_document, retry_document
from documents.storage import private_document_storage
from documents.tasks import render_now, sweep_pending_documents

from .celery_utils import celery_broker
from .factories import issue, make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def renderers(monkeypatch):
    """Register test renderers; the registry is restored afterwards."""
    monkeypatch.setattr(services, "_builders", dict(services._builders))
    return services._builders


@pytest.fixture
def staff(world):
    return world.user("staff")


def request_certificate(world, staff, subject=("juries.decision", "7"), **kwargs):
    record = issue(world.centre_a, staff, subject=subject)
    document = request_document(
        DocumentKind.CERTIFICATE,
        subject,
        centre=world.centre_a,
        actor=staff,
        label="Parchemin",
        **kwargs,
    )
    return record, document


def test_request_writes_the_row_then_renders_after_commit(
    world, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record, document = request_certificate(world, staff)
    assert document.status == DocumentStatus.PENDING
    assert document.certificate == record
    assert len(callbacks) == 1  # nothing is enqueued before the commit
    assert AuditEntry.objects.filter(action="document.requested").count() == 1
    callbacks[0]()
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.attempts == 1 and document.error == ""
    assert document.rendered_at is not None
    data = document.file.read()
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.file.path.startswith(str(private_document_storage.location))
    assert "/documents/" in document.file.path
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert record.number in text and record.display_code in text
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018 - never a public URL


def test_a_rolled_back_request_enqueues_nothing(world, staff, monkeypatch):
    from django.db import transaction

    sent = []
    monkeypatch.setattr(services, "enqueue_render", sent.append)
    with pytest.raises(RuntimeError), transaction.atomic():
        request_certificate(world, staff)
        raise RuntimeError
    assert sent == []
    assert not GeneratedDocument.objects.exists()


def test_render_is_idempotent(world, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _record, document = request_certificate(world, staff)
    document.refresh_from_db()
    name, sha = document.file.name, document.sha256
    assert render_now(document.pk).status == "skipped"
    document.refresh_from_db()
    assert (document.file.name, document.sha256, document.attempts) == (name, sha, 1)
    assert render_now(987654).status == "missing"


def test_unknown_kind_or_kind_without_renderer_is_refused(world, staff, renderers):
    renderers.pop(DocumentKind.CONVOCATION, None)
    with pytest.raises(services.DocumentError) as exc:
        request_document("brochure", ("x", "1"), centre=world.centre_a, actor=staff)
    assert exc.value.code == "unknown_kind"
    with pytest.raises(services.DocumentError) as exc:
        request_document(DocumentKind.CONVOCATION, ("x", "1"), centre=world.centre_a, actor=staff)
    assert exc.value.code == "no_renderer"


def test_failing_template_ends_failed_with_its_error_and_no_file(
    world, staff, renderers, settings, tmp_path, django_capture_on_commit_callbacks
):
    broken = tmp_path / "tpl" / "documents" / "pdf"
    broken.mkdir(parents=True)
    (broken / "broken.html").write_text("<p>{% if %}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "tpl"]}]
    settings.DOCUMENTS_MAX_ATTEMPTS = 3
    calls = []

    def builder(document):
        calls.append(document.pk)
        return "documents/pdf/broken.html", None

    services.register_renderer(DocumentKind.CONVOCATION, builder)
    with django_capture_on_commit_callbacks(execute=True):
        document = request_document(
            DocumentKind.CONVOCATION,
            ("evaluations.session", "3"),
            centre=world.centre_a,
            actor=staff,
        )
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "TemplateSyntaxError" in document.error
    assert not document.file and document.sha256 == ""
    assert document.attempts == 3 == len(calls)  # retried with backoff, then given up
    assert not list((tmp_path / "media").rglob("*.pdf"))


def test_backoff_is_exponential(settings):
    from documents import conf

    settings.DOCUMENTS_RETRY_BASE_SECONDS = 30
    assert [conf.retry_backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    settings.DOCUMENTS_RETRY_MAX_SECONDS = 100
    assert conf.retry_backoff_seconds(4) == 100


def test_transient_failure_is_retried_and_the_certificate_number_taken_once(
    world, staff, renderers, django_capture_on_commit_callbacks
):
    attempts = []

    def flaky(document):
        attempts.append(document.pk)
        if len(attempts) == 1:
            raise ConnectionError("database blip")
        return build_certificate(document)

    services.register_renderer(DocumentKind.CERTIFICATE, flaky)
    with django_capture_on_commit_callbacks(execute=True):
        record, document = request_certificate(world, staff)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.attempts == 2 and document.error == ""
    # the retried job and a second request reuse the register entry: one number only
    with django_capture_on_commit_callbacks(execute=True):
        again, second = request_certificate(world, staff)
    assert again.pk == record.pk and again.number == record.number
    second.refresh_from_db()
    assert second.certificate_id == record.pk
    from documents.models import CertificateCounter, CertificateRecord

    assert CertificateRecord.objects.count() == 1
    assert CertificateCounter.objects.get(centre=world.centre_a).last_value == 1


def test_document_without_register_entry_fails_clearly(
    world, staff, settings, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        document = request_document(
            DocumentKind.ATTESTATION,
            ("juries.decision", "404"),
            centre=world.centre_a,
            actor=staff,
        )
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "MissingCertificate" in document.error


def test_retry_document_resets_and_renders(world, staff, django_capture_on_commit_callbacks):
    record = issue(world.centre_a, staff)
    document = make_document(
        world.centre_a, status=DocumentStatus.FAILED, error="boom", certificate=record
    )
    document.attempts = 4
    document.save()
    with django_capture_on_commit_callbacks(execute=True):
        retry_document(document, actor=staff)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.attempts == 1
    assert AuditEntry.objects.filter(action="document.retried", actor=staff).count() == 1
    with pytest.raises(services.DocumentError) as exc:
        retry_document(document, actor=staff)
    assert exc.value.code == "not_failed"


def test_job_enqueued_while_broker_unreachable_is_rendered_by_the_sweep(
    world, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from documents.tasks import render_document

    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to broker. Connection refused.")

    monkeypatch.setattr(render_document, "apply_async", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        _record, document = request_certificate(world, staff)
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING  # the request itself succeeded
    assert sweep_pending_documents(older_than_minutes=0) == 0  # broker still down
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING

    monkeypatch.undo()  # the broker is back
    assert sweep_pending_documents() == 0  # too recent for the default delay
    GeneratedDocument.objects.filter(pk=document.pk).update(
        updated_at=timezone.now() - timedelta(minutes=30)
    )
    assert sweep_pending_documents() == 1
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.file


def test_broken_broker_url_then_sweep(world, staff, settings, django_capture_on_commit_callbacks):
    """Same, with a real broker connection refused (eager off), then the sweep eager."""
    with celery_broker(settings, "redis://127.0.0.1:1/0", eager=False):
        with django_capture_on_commit_callbacks(execute=True):
            _record, document = request_certificate(world, staff)
        document.refresh_from_db()
        assert document.status == DocumentStatus.PENDING
        assert sweep_pending_documents(older_than_minutes=0) == 0
    with celery_broker(settings, "memory://", eager=True):
        assert sweep_pending_documents(older_than_minutes=0) == 1
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY


def test_sweep_recovers_a_render_lost_with_its_worker(world, staff):
    record = issue(world.centre_a, staff)
    old = timezone.now() - timedelta(hours=1)
    lost = make_document(
        world.centre_a, status=DocumentStatus.RENDERING, certificate=record, updated_at=old
    )
    fresh = make_document(world.centre_a, status=DocumentStatus.RENDERING, certificate=record)
    failed = make_document(world.centre_a, status=DocumentStatus.FAILED, updated_at=old)
    assert sweep_pending_documents() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    failed.refresh_from_db()
    assert lost.status == DocumentStatus.READY
    assert fresh.status == DocumentStatus.RENDERING  # maybe still rendering: left alone
    assert failed.status == DocumentStatus.FAILED  # failed rows wait for a human retry


def test_sweep_does_not_loop_on_a_document_that_keeps_killing_workers(world, settings):
    settings.DOCUMENTS_MAX_ATTEMPTS = 2
    old = timezone.now() - timedelta(hours=1)
    document = make_document(world.centre_a, status=DocumentStatus.RENDERING, updated_at=old)
    GeneratedDocument.objects.filter(pk=document.pk).update(attempts=2)
    sweep_pending_documents()
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "tentatives" in document.error


def test_batch_progress(world, staff, django_capture_on_commit_callbacks):
    records = [issue(world.centre_a, staff, subject=("juries.decision", str(n))) for n in range(3)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch = request_batch(
            "Parchemins de la session",
            [
                DocumentRequest(
                    DocumentKind.CERTIFICATE, (r.subject_type, r.subject_id), label=r.holder_name
                )
                for r in records
            ],
            centre=world.centre_a,
            actor=staff,
        )
    progress = batch.progress()
    assert (progress.total, progress.pending, progress.percent) == (3, 3, 0)
    assert not progress.is_finished
    assert {d.certificate_id for d in batch.documents.all()} == {r.pk for r in records}
    for callback in callbacks:
        callback()
    progress = batch.progress()
    assert (progress.ready, progress.percent, progress.all_ready) == (3, 100, True)


def test_certificate_context_builder_costs_no_query(world, staff, django_assert_num_queries):
    record = issue(world.centre_a, staff)
    document = make_document(world.centre_a, certificate=record)
    document = GeneratedDocument.objects.select_related("centre", "certificate").get(pk=document.pk)
    with django_assert_num_queries(0):
        template, ctx = build_certificate(document)
    assert template == "documents/pdf/certificate.html"
    assert ctx.number == record.number and ctx.holder.last_name == "Curie"
    assert ctx.verification_url.endswith(f"/verifier/{record.display_code}/")


def test_a_batch_stops_sending_at_the_first_refusal(
    world, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from documents.tasks import render_document

    calls = []

    def unreachable(*args, **kwargs):
        calls.append(args)
        raise OperationalError("Connection refused")

    monkeypatch.setattr(render_document, "apply_async", unreachable)
    requests = [
        DocumentRequest(DocumentKind.CERTIFICATE, ("juries.decision", str(n))) for n in range(20)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        batch = request_batch("Lot", requests, centre=world.centre_a, actor=staff)
    assert len(calls) == 1
    assert batch.progress().pending == 20  # all kept for the sweep


def test_the_certificate_prints_and_encodes_the_served_address(world, staff, settings):
    """make run PORT=8101 sets SITE_URL to http://127.0.0.1:8101: so do the parchemin's
    verification URL and its QR code."""
    from documents.builders import qr_data_uri

    settings.SITE_URL = "http://127.0.0.1:8101"
    record = issue(world.centre_a, staff)
    document = make_document(world.centre_a, certificate=record)
    document = GeneratedDocument.objects.select_related("centre", "certificate").get(pk=document.pk)
    _template, ctx = build_certificate(document)
    assert ctx.verification_url == f"http://127.0.0.1:8101/verifier/{record.display_code}/"
    assert ctx.qr_data_uri == qr_data_uri(ctx.verification_url)
