"""The API lists serialized through ``core.representation`` answer exactly what DRF's own
``Serializer.to_representation`` answers: same keys, values and order, byte for byte.

The data is the benchmark's generator on two centres, enriched with what it leaves empty
(target blocs, modalities and deadlines, a usage name, an NIR, a grid proposal by a user
with and without a name, a downloadable certificate). Each request is made twice: as the
product serves it, then with the read plan replaced by DRF's generic loop (and the choice
labels by ``get_<field>_display``), on the same querysets.
"""

import datetime
import re
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled
from rest_framework import serializers

from bench.scale import generate
from candidates.models import Candidate, CandidateIdentity, Dossier, DossierCompetence
from centres.models import Company, User
from centres.roles import Role
from core.representation import ChoiceLabelField, PlannedRepresentation
from cqpm.models import Bloc, EvaluationModality
from documents.models import CertificateKind, GeneratedDocument
from evaluations.models import CommissionMember, Grid
from tests.factories import api_key, user_with_role

pytestmark = pytest.mark.django_db

CENTRE = "scale-02"
NIR = "185057800608436"


@pytest.fixture
def volume():
    if connection.vendor != "postgresql":
        pytest.fail("the volume generator needs PostgreSQL (make test runs on it)")
    generate(centres=2, dossiers=120, seed=7, jury_sessions=2, log=lambda *a: None, weights=[1, 6])
    with scopes_disabled():
        _enrich()


def _enrich():
    dossiers = list(Dossier.objects.filter(centre__slug=CENTRE).order_by("-created_at", "-id"))
    first, second = dossiers[0], dossiers[1]
    blocs = list(Bloc.objects.filter(version=first.referential_version).order_by("-order"))
    first.target = "blocs"
    first.save(update_fields=["target"])
    first.target_blocs.set(blocs[:2])
    modality = EvaluationModality.objects.filter(version=first.referential_version).first()
    for dossier in (first, second):
        if not dossier.competences.exists():
            for competence in first.referential_version.competences.all()[:3]:
                DossierCompetence.objects.create(dossier=dossier, competence=competence)
    DossierCompetence.objects.filter(dossier=first).update(
        modality=modality, report_deadline=datetime.date(2031, 3, 4)
    )
    Candidate.objects.filter(pk=first.candidate_id).update(
        usage_name="Usage-Nom", sex="F", phone="0102030405"
    )
    listed_first = Candidate.objects.filter(centre=first.centre).order_by(*Candidate._meta.ordering)
    CandidateIdentity.objects.create(candidate=listed_first.first(), nir=NIR)
    Dossier.objects.filter(pk=second.pk).update(
        previous_dossier=first, withdrawn_reason="Raison", closed_at=timezone.now()
    )
    named, unnamed = (
        User.objects.create(username="jurist", first_name="Jeanne", last_name="Durand"),
        User.objects.create(username="sans-nom"),
    )
    grids = list(Grid.objects.filter(centre__slug=CENTRE).order_by("-session_id", "-dossier_id"))
    for grid, user in ((grids[0], named), (grids[1], unnamed)):
        Grid.objects.filter(pk=grid.pk).update(
            proposal="acquise",
            proposal_justification="Vu",
            proposal_by=user,
            proposal_at=timezone.now(),
        )
    certificate = (
        GeneratedDocument.objects.filter(
            centre__slug=CENTRE, kind__in=CertificateKind.values, certificate__isnull=False
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if certificate is not None:
        GeneratedDocument.objects.filter(pk=certificate.pk).update(
            status="ready", file="documents/test.pdf"
        )


def _clients():
    with scopes_disabled():
        centre_staff = User.objects.get(username=f"{CENTRE}-staff")
        centre = centre_staff.memberships.first().centre
        company = Company.objects.filter(centre=centre, dossiers__isnull=False).first()
        rep = user_with_role(centre, Role.COMPANY_REP, username="rep", company=company)
        assessor = CommissionMember.objects.filter(session__centre=centre).first().user
    clients = {}
    for name, user in (("staff", centre_staff), ("rep", rep), ("assessor", assessor)):
        token = api_key(user)
        clients[name] = Client(HTTP_AUTHORIZATION=f"Token {token}")
    english = Client(HTTP_AUTHORIZATION=f"Token {api_key(centre_staff)}")
    english.cookies["django_language"] = "en"
    clients["staff (en)"] = english
    return clients


URLS = {
    "staff": [
        "/api/v1/dossiers/",
        "/api/v1/dossiers/?page=2&page_size=10",
        "/api/v1/grids/",
        "/api/v1/grids/?status=signed",
        "/api/v1/documents/",
        "/api/v1/documents/?kind=certificate",
        "/api/v1/candidates/",
        "/api/v1/candidates/?q=a",
        "/api/v1/jury-sessions/",
    ],
    "staff (en)": ["/api/v1/documents/", "/api/v1/dossiers/"],
    "rep": ["/api/v1/dossiers/"],
    "assessor": ["/api/v1/grids/"],
}


def _drf_label(self, value):
    """``source="get_<field>_display"``, as the field was before ``ChoiceLabelField``."""
    document = GeneratedDocument(**{self.source: value})
    return str(getattr(document, f"get_{self.source}_display")())


def _fetch(clients):
    answers = {}
    for who, urls in URLS.items():
        for url in urls:
            response = clients[who].get(url)
            assert response.status_code == 200, (who, url, response.status_code)
            answers[who, url] = response.content
    return answers


def test_lists_answer_what_drf_answers(volume):
    clients = _clients()
    planned = _fetch(clients)
    with (
        mock.patch.object(
            PlannedRepresentation, "to_representation", serializers.Serializer.to_representation
        ),
        mock.patch.object(ChoiceLabelField, "to_representation", _drf_label),
    ):
        generic = _fetch(clients)
    for key, body in planned.items():
        assert body == generic[key], key
    # the enrichment is really shown (else the comparison proves less than it says)
    shown = b"".join(planned.values())
    assert re.search(rb'"target_blocs":\[\d', shown)
    assert re.search(rb'"nir_masked":"[^"]', shown)
    for fragment in (
        b'"report_deadline":"2031-03-04"',
        b'"candidate_name":"USAGE-NOM (n',
        b'"proposal_by_name":"Jeanne Durand"',
        b'"proposal_by_name":"sans-nom"',
        b"/download/",
        b'"status_display":"Ready"',
        b'"previous_dossier":',
    ):
        assert fragment in shown, fragment
