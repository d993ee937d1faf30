"""Issue 18: a juror reads, through the API, exactly the dossier file their page shows —
the grids, the company's avis, the documents, the disagreement and late flags — for the
dossiers on the agenda of a session they sit on, and nothing else."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tokens import create_token
from candidates.models import Accommodation
from centres.access import build_actor
from evaluations.models import Grid
from juries import services
from tests.candidates.factories import DossierDocumentFactory

from .factories import convene, deliberating_session, juror, jurors, new_session, ready_dossier
from .test_pages import _grid_with_detail

pytestmark = pytest.mark.django_db


def token_client(user):
    _token, key = create_token(user)
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.fixture
def deliberation(world, version):
    dossier = ready_dossier(world.centre_a, version)
    session, members, (item,) = deliberating_session(world, version, [dossier])
    return session, members, item


@pytest.mark.parametrize(
    "name", ["api:grid-list", "api:companyopinion-list", "api:dossier-document-list"]
)
def test_the_centre_wide_lists_stay_refused_to_a_juror(world, deliberation, name):
    """What a juror reads of a dossier comes through its agenda item, never through the
    centre-wide lists (those stay for the centre's staff)."""
    client = token_client(world.user("juror"))
    assert client.get(reverse(name)).status_code == 403


def test_the_agenda_dossier_itself_stays_out_of_reach(world, deliberation):
    _session, _members, item = deliberation
    client = token_client(world.user("juror"))
    assert client.get(reverse("api:dossier-detail", args=[item.dossier_id])).status_code == 404


def _file_url(item):
    return reverse("api:jury-agenda-item-dossier-file", args=[item.pk])


@pytest.fixture
def full_file(world, version):
    """A dossier with two signed grids (C4: the company disagrees), the company's signed
    avis, a late report, a third grid signed after the deliberation began."""
    dossier = ready_dossier(world.centre_a, version, company=world.company_a, birth_name="Lefort")
    _grid_with_detail(world, dossier, "C1", "acquise", "favourable")
    _grid_with_detail(world, dossier, "C4", "acquise", "unfavourable")
    _grid_with_detail(world, dossier, "C2", "acquise", "favourable")
    Accommodation.objects.create(
        centre=world.centre_a, dossier=dossier, needs="CONFIDENTIEL", to_apply="Tiers temps"
    )
    report = DossierDocumentFactory(dossier=dossier, late=True, original_name="rapport.pdf")
    report.file.save("rapport.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    session, members, (item,) = deliberating_session(world, version, [dossier])
    Grid.objects.filter(dossier=dossier, competence__code="C2").update(
        locked_at=session.deliberation_started_at + datetime.timedelta(minutes=5)
    )
    return session, members, item, report


def _page_file(client, user, item):
    client.force_login(user)
    response = client.get(reverse("juries:item_detail", args=[item.session_id, item.pk]))
    assert response.status_code == 200
    client.logout()
    return response.context["file"]


def test_a_juror_reads_through_the_api_what_their_page_shows(client, world, full_file):
    session, members, item, report = full_file
    juror = world.user("juror")
    page = _page_file(client, juror, item)
    response = token_client(juror).get(_file_url(item))
    assert response.status_code == 200
    data = response.json()
    assert data["item"] == item.pk and data["session"] == session.pk
    assert data["dossier"]["candidate"] == item.dossier.candidate.full_name
    assert data["accommodation"] == page.accommodation == "Tiers temps"
    assert "CONFIDENTIEL" not in response.content.decode()
    assert data["late"] == page.late and len(page.late) == 1 and "C2" in page.late[0]
    assert [(c["label"], c["ok"], c["detail"]) for c in data["checks"]] == [
        (str(c.label), c.ok, str(c.detail)) for c in page.checks
    ]
    assert [c["code"] for c in data["competences"]] == [c.competence.code for c in page.competences]
    for got, shown in zip(data["competences"], page.competences, strict=True):
        assert got["status"] == shown.status
        assert got["proposal"] == shown.proposal
        assert got["justification"] == shown.justification
        assert got["signatories"] == shown.signatories
        assert got["opinion"] == shown.opinion
        assert got["opinion_comment"] == shown.opinion_comment
        assert got["disagreement"] == shown.disagreement
        assert got["signed_late"] == shown.signed_late
        assert got["report_late"] == shown.report_late
        assert got["groups"] == [
            {
                "heading": g.heading,
                "criteria": [
                    {
                        "text": c.text,
                        "state": c.state,
                        "state_label": c.state_label,
                        "conditional": c.conditional,
                        "comment": c.comment,
                    }
                    for c in g.criteria
                ],
            }
            for g in shown.groups
        ]
    by_code = {c["code"]: c for c in data["competences"]}
    assert by_code["C1"]["justification"] == "Justification C1"
    assert by_code["C1"]["groups"][0]["criteria"][0]["comment"] == "Bien mené"
    assert by_code["C4"]["disagreement"] and not by_code["C1"]["disagreement"]
    assert by_code["C2"]["signed_late"] and not by_code["C2"]["proposal"]
    avis = data["company_opinion"]
    assert avis["required"] and avis["status"] == page.opinion_status == "signed"
    assert avis["disagreements"] == ["C4"]
    assert [d["id"] for d in data["documents"]] == [d.pk for d in page.documents] == [report.pk]
    assert data["documents"][0]["late"] is True
    download = token_client(juror).get(data["documents"][0]["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_juror_downloads_only_the_documents_of_the_file(world, version, full_file):
    _session, _members, item, _report = full_file
    other = ready_dossier(world.centre_a, version)
    foreign = DossierDocumentFactory(dossier=other)
    url = reverse("api:jury-document-download", args=[foreign.pk])
    assert token_client(world.user("juror")).get(url).status_code == 404


def test_a_juror_of_another_session_gets_404(world, version, full_file):
    _session, _members, item, report = full_file
    stranger = juror(world.centre_a, "juror_stranger")
    client = token_client(stranger)
    assert client.get(_file_url(item)).status_code == 404
    assert client.get(reverse("api:jury-document-download", args=[report.pk])).status_code == 404


def test_a_juror_who_lost_their_seat_gets_404(world, version):
    staff = build_actor(world.user("staff"))
    session = new_session(world, version)
    members = convene(world, session, jurors(world))
    item = services.add_to_agenda(session, ready_dossier(world.centre_a, version), actor=staff)
    report = DossierDocumentFactory(dossier=item.dossier)
    report.file.save("rapport.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    download = reverse("api:jury-document-download", args=[report.pk])
    leaving = members[-1]
    client = token_client(leaving.user)
    assert client.get(_file_url(item)).status_code == 200
    assert client.get(download).status_code == 200
    services.remove_member(leaving, actor=staff)
    assert client.get(_file_url(item)).status_code == 404
    assert client.get(download).status_code == 404


def test_a_juror_who_declared_a_link_still_reads_the_file_as_the_page_does(
    client, world, full_file
):
    """The page does not hide the dossier from a juror who abstains on it (it lists them
    among those who abstain): nor does the API."""
    _session, members, item, _report = full_file
    services.declare_conflict(item, members[1], kind="trainer", actor=members[1].user)
    _page_file(client, members[1].user, item)
    assert token_client(members[1].user).get(_file_url(item)).status_code == 200


def test_centre_staff_read_the_file_and_keep_their_lists(world, full_file):
    _session, _members, item, _report = full_file
    client = token_client(world.user("staff"))
    assert client.get(_file_url(item)).status_code == 200
    for name in ("api:grid-list", "api:companyopinion-list", "api:dossier-document-list"):
        response = client.get(reverse(name))
        assert response.status_code == 200 and response.json()["count"] >= 1
    assert client.get(reverse("api:dossier-detail", args=[item.dossier_id])).status_code == 200


def test_a_company_representative_is_refused(world, full_file):
    _session, _members, item, report = full_file
    client = token_client(world.user("company_rep"))
    assert client.get(_file_url(item)).status_code == 403
    assert client.get(reverse("api:jury-document-download", args=[report.pk])).status_code == 403


def test_the_file_costs_a_fixed_number_of_queries(world, version, django_assert_max_num_queries):
    small = ready_dossier(world.centre_a, version, company=world.company_a)
    _grid_with_detail(world, small, "C1", "acquise", "favourable")
    big = ready_dossier(world.centre_a, version, company=world.company_a)
    for code in ("C1", "C2", "C3", "C4"):
        _grid_with_detail(world, big, code, "acquise", "unfavourable")
    for _ in range(3):
        DossierDocumentFactory(dossier=big)
    _session, _members, items = deliberating_session(world, version, [small, big])
    client = token_client(world.user("juror"))
    client.get(_file_url(items[0]))
    with CaptureQueriesContext(connection) as few:
        assert client.get(_file_url(items[0])).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_file_url(items[1])).status_code == 200


def test_the_schema_documents_the_dossier_file(api_client, world):
    api_client.force_login(world.user("staff"))
    schema = api_client.get(reverse("api:api-schema") + "?format=json").json()
    path = next(p for p in schema["paths"] if p.endswith("/jury-agenda/{id}/dossier-file/"))
    ok = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    name = ok["schema"]["$ref"].rsplit("/", 1)[-1]
    properties = schema["components"]["schemas"][name]["properties"]
    assert {"checks", "late", "documents", "company_opinion", "competences"} <= set(properties)
    download = schema["paths"]["/api/v1/jury-documents/{id}/download/"]["get"]
    assert "application/octet-stream" in download["responses"]["200"]["content"]
