"""Faults: the database dropping mid-request (clean French 503, nothing half-written), a
worker killed mid-render (completes once, one certificate number), Redis down (pages still
serve, documents wait), and the French error pages."""

import datetime
import hashlib

import pytest
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate
from candidates.services import register_candidate
from centres import services as centre_services
from centres.access import build_actor
from centres.models import AuditEntry, Company
from documents.models import CertificateRecord, DocumentKind, DocumentStatus, GeneratedDocument
from documents.services import request_document
from documents.tasks import _start, render_now, sweep_pending_documents
from tests.documents.celery_utils import celery_broker
from tests.documents.factories import issue

from .helpers import inline_code

pytestmark = pytest.mark.django_db

CLOSED_REDIS = "redis://127.0.0.1:6390/0"  # nothing listens there


def drop(self, *args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def audit_write_fails(monkeypatch):
    """The connection drops on the last write of any service: its audit row."""
    monkeypatch.setattr(AuditEntry, "save", drop)


# --- Database dropping mid-request --------------------------------------------------------


def test_a_service_interrupted_after_its_first_write_leaves_nothing(world, audit_write_fails):
    before = Company.objects.count()
    with pytest.raises(OperationalError):
        centre_services.create_company(
            world.centre_a, actor=world.user("staff"), name="Société Gamma"
        )
    assert Company.objects.count() == before
    assert not Company.objects.filter(name="Société Gamma").exists()


def test_a_registration_interrupted_leaves_no_candidate(world, audit_write_fails):
    actor = build_actor(world.user("staff"))
    with pytest.raises(OperationalError):
        register_candidate(
            actor=actor,
            data={
                "birth_name": "Interrompu",
                "first_names": "Jean",
                "sex": "M",
                "birth_date": datetime.date(1990, 1, 2),
            },
            nir="",
        )
    assert not Candidate.objects.filter(birth_name="Interrompu").exists()


def test_the_page_is_a_clean_french_503_and_nothing_is_saved(world, client, monkeypatch):
    client.raise_request_exception = False
    client.force_login(world.user("staff"))
    monkeypatch.setattr(AuditEntry, "save", drop)
    response = client.post(reverse("centres:company_create"), {"name": "Société Delta"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Service momentanément indisponible" in page and "Rien n'a été enregistré" in page
    assert inline_code(page) == []
    assert not Company.objects.filter(name="Société Delta").exists()


def test_a_connection_lost_in_a_middleware_also_gives_503(world, client, monkeypatch):
    import centres.access

    def lost(user):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(centres.access, "active_memberships", lost)
    client.raise_request_exception = False
    client.force_login(world.user("staff"))
    response = client.get(reverse("centres:companies"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    api = client.get(reverse("api:company-list"))
    assert api.status_code == 503
    assert api.json()["code"] == "service_unavailable"


def test_other_crashes_give_the_french_500_page(world, client, monkeypatch):
    import centres.views.shell

    def boom(request):
        raise RuntimeError("bug")

    monkeypatch.setattr(centres.views.shell, "home_sections", boom)
    client.raise_request_exception = False
    client.force_login(world.user("staff"))
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "Erreur du serveur" in response.content.decode()


def test_error_pages_are_french(world, client):
    client.force_login(world.user("assessor"))
    not_found = client.get("/cette-page-n-existe-pas/")
    assert not_found.status_code == 404
    assert "Page introuvable" in not_found.content.decode()
    denied = client.get(reverse("centres:users"))
    assert denied.status_code == 403
    assert "Accès refusé" in denied.content.decode()
    from django.template.loader import render_to_string

    assert "Trop de requêtes" in render_to_string("429.html")
    assert "Erreur du serveur" in render_to_string("500.html")


# --- A worker killed in the middle of a render --------------------------------------------


def test_a_render_killed_midway_completes_once_with_one_certificate_number(world):
    staff = world.user("staff")
    subject = ("juries.decision", "4242")
    record = issue(world.centre_a, staff, subject=subject)
    document = request_document(
        DocumentKind.CERTIFICATE, subject, centre=world.centre_a, actor=staff
    )
    # The worker takes the job (acks_late: the message stays unacknowledged) and is killed
    # (OOM, deploy) after marking the row "rendering": no file, no outcome.
    GeneratedDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.PENDING)
    assert _start(document.pk) is not None
    document.refresh_from_db()
    assert document.status == DocumentStatus.RENDERING and not document.file
    # reject_on_worker_lost re-delivers the message, and the sweep re-enqueues stale rows:
    # both may run. Age the row past the sweep delay.
    GeneratedDocument.objects.filter(pk=document.pk).update(
        updated_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert sweep_pending_documents() == 1
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY and document.attempts == 2
    digest = document.sha256
    assert hashlib.sha256(document.file.read()).hexdigest() == digest
    # The redelivered message arrives afterwards: nothing is rendered twice.
    assert render_now(document.pk).status == "skipped"
    document.refresh_from_db()
    assert document.sha256 == digest and document.attempts == 2
    records = CertificateRecord.objects.filter(subject_type=subject[0], subject_id=subject[1])
    assert records.count() == 1 and records.get().number == record.number
    assert document.certificate_id == record.pk


# --- Redis down ---------------------------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": CLOSED_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield
    cache.close()


def test_the_tolerant_cache_treats_an_outage_as_a_miss(redis_down):
    assert cache.get("clé", "défaut") == "défaut"
    cache.set("clé", 1)
    assert cache.add("clé", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.incr("compteur") == 1
    assert cache.get_or_set("x", 5) == 5
    assert cache.has_key("clé") is False
    cache.delete("clé")


def test_pages_api_and_verification_still_serve_without_redis(redis_down, world, client):
    client.force_login(world.user("staff"))
    assert client.get(reverse("centres:companies")).status_code == 200
    assert client.get(reverse("api:company-list")).status_code == 200  # throttled via cache
    client.logout()
    record = issue(world.centre_a, world.user("staff"), subject=("juries.decision", "77"))
    response = client.get(reverse("verification:verify", args=[record.display_code]))
    assert response.status_code == 200
    health = client.get(reverse("healthz"))
    assert health.status_code == 503 and health.json()["cache"] == "error"


def test_documents_wait_while_the_broker_is_down(redis_down, world, settings):
    staff = world.user("staff")
    subject = ("juries.decision", "88")
    issue(world.centre_a, staff, subject=subject)
    with celery_broker(settings, CLOSED_REDIS, eager=False):
        document = request_document(
            DocumentKind.CERTIFICATE, subject, centre=world.centre_a, actor=staff
        )
        document.refresh_from_db()
        assert document.status == DocumentStatus.PENDING
        assert sweep_pending_documents(older_than_minutes=0) == 0  # still down: it waits
    with celery_broker(settings, "memory://", eager=True):
        assert sweep_pending_documents(older_than_minutes=0) == 1
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
