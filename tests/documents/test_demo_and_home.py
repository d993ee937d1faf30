"""The demo documents and the home page section."""

import pytest
from django.urls import reverse

from centres.roles import Role
from documents import demo
from documents.models import CertificateRecord, DocumentBatch, DocumentStatus, GeneratedDocument

from .factories import make_document

pytestmark = pytest.mark.django_db


def test_demo_issues_and_renders_a_parchemin_and_an_attestation_once(
    world, django_capture_on_commit_callbacks
):
    context = {
        "centres": {"a": world.centre_a},
        "roles": {"a": {Role.STAFF: [world.user("staff")]}},
    }
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(context)
    records = CertificateRecord.objects.filter(centre=world.centre_a)
    assert sorted(records.values_list("kind", flat=True)) == ["attestation", "certificate"]
    documents = GeneratedDocument.objects.filter(centre=world.centre_a)
    assert {d.status for d in documents} == {DocumentStatus.READY}
    assert any("/verifier/" in line for line in context["summary"])
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(context)  # idempotent
    assert records.count() == 2 and documents.count() == 2
    assert DocumentBatch.objects.count() == 1


def test_home_shows_failed_documents_to_those_who_can_retry(world, client):
    client.force_login(world.user("staff"))
    assert "Documents en échec" not in client.get(reverse("home")).content.decode()
    make_document(world.centre_a, status=DocumentStatus.FAILED, error="x")
    body = client.get(reverse("home")).content.decode()
    assert "Documents en échec" in body and "1 document n'a pas pu être produit" in body
    assert reverse("documents:list") in body  # and in the navigation
    client.force_login(world.user("assessor"))
    body = client.get(reverse("home")).content.decode()
    assert "Documents en échec" not in body and reverse("documents:list") not in body
