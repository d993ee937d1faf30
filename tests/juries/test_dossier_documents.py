"""The dossier page says that a confidential accommodation exists (to those allowed to
know) and links to the documents produced for the dossier — convocations, grids, PV,
parchemin or attestation, result letter — each link one the reader may open."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import Accommodation
from documents.models import DocumentKind, DocumentStatus, GeneratedDocument, subject_ref
from documents.tasks import render_now
from evaluations.models import EvaluationSession, SessionDossier
from juries.models import Decision
from tests.conftest import login

from .test_paperwork import closed_session

pytestmark = pytest.mark.django_db

INDICATOR = "Aménagement confidentiel prévu"
TITLE = "Documents produits"


def _scene(world, version):
    session, _members, items = closed_session(world, version, 2)
    dossier, other = items[0].dossier, items[1].dossier
    dossier.company = world.company_a
    dossier.save(update_fields=["company"])
    evaluation = EvaluationSession.objects.create(
        centre=world.centre_a, starts_at=timezone.now(), place="Atelier"
    )
    slot = SessionDossier.objects.create(session=evaluation, dossier=dossier)
    subject_type, subject_id = subject_ref(slot)
    convocation = GeneratedDocument.objects.create(
        centre=world.centre_a,
        kind=DocumentKind.CONVOCATION,
        subject_type=subject_type,
        subject_id=subject_id,
        label="Convocation — dossier 1",
        status=DocumentStatus.READY,
    )
    Accommodation.objects.create(
        centre=world.centre_a,
        dossier=dossier,
        needs="Fauteuil",
        to_apply="Salle au rez-de-chaussée",
    )
    return session, dossier, other, convocation


def _page(client, user, dossier):
    login(client, user)
    response = client.get(reverse("candidates:dossier_detail", args=[dossier.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _document_links(page):
    return {int(pk) for pk in re.findall(r'href="/documents/(\d+)/', page)}


def test_an_administrator_sees_the_indicator_and_every_document_of_the_dossier(
    client, world, version
):
    session, dossier, other, convocation = _scene(world, version)
    page = _page(client, world.user("centre_admin"), dossier)
    assert INDICATOR in page
    assert reverse("candidates:accommodation", args=[dossier.pk]) in page
    assert TITLE in page
    decision = Decision.objects.get(dossier=dossier)
    expected = {
        convocation.pk,
        *GeneratedDocument.objects.filter(
            subject_type="juries.decision", subject_id=str(decision.pk)
        ).values_list("pk", flat=True),
        *GeneratedDocument.objects.filter(
            subject_type="juries.jurysession", subject_id=str(session.pk)
        ).values_list("pk", flat=True),
    }
    kinds = set(GeneratedDocument.objects.filter(pk__in=expected).values_list("kind", flat=True))
    assert {
        DocumentKind.CONVOCATION,
        DocumentKind.JURY_MINUTES,
        DocumentKind.RESULT_LETTER,
    } <= kinds
    assert kinds & {DocumentKind.CERTIFICATE, DocumentKind.ATTESTATION}
    assert _document_links(page) == expected
    other_decision = Decision.objects.get(dossier=other)
    other_letter = GeneratedDocument.objects.get(
        subject_type="juries.decision",
        subject_id=str(other_decision.pk),
        kind=DocumentKind.RESULT_LETTER,
    )
    assert other_letter.pk not in _document_links(page)
    for pk in expected:  # every link opens
        assert client.get(reverse("documents:detail", args=[pk])).status_code == 200
    letter = GeneratedDocument.objects.get(
        subject_type="juries.decision", subject_id=str(decision.pk), kind=DocumentKind.RESULT_LETTER
    )
    render_now(letter.pk)
    page = _page(client, world.user("centre_admin"), dossier)
    download = reverse("documents:download", args=[letter.pk])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_staff_who_do_not_organise_accommodations_see_the_documents_not_the_indicator(
    client, world, version
):
    _session, dossier, _other, convocation = _scene(world, version)
    page = _page(client, world.user("staff"), dossier)
    assert INDICATOR not in page
    assert reverse("candidates:accommodation", args=[dossier.pk]) not in page
    assert convocation.pk in _document_links(page)


def test_a_company_representative_sees_neither_the_indicator_nor_links_it_cannot_open(
    client, world, version
):
    _session, dossier, _other, convocation = _scene(world, version)
    page = _page(client, world.user("company_rep"), dossier)
    assert INDICATOR not in page
    assert "Aménagement" not in page
    assert TITLE not in page
    assert _document_links(page) == set()
    assert client.get(reverse("documents:detail", args=[convocation.pk])).status_code == 404
