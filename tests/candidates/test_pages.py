import datetime
import html as htmllib

import pytest
from django.urls import reverse

from candidates.models import Accommodation, Candidate, CandidateIdentity, Dossier
from candidates.nir import nir_key

from .factories import CandidateFactory, DossierDocumentFactory, DossierFactory, modality

NIR_BODY = "2880375056004"
NIR = f"{NIR_BODY}{nir_key(NIR_BODY):02d}"


def _text(response):
    return htmllib.unescape(response.content.decode())


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


def _candidate_post(**overrides):
    data = {
        "birth_name": "Durand",
        "usage_name": "",
        "first_names": "Sophie",
        "sex": "F",
        "birth_date": "1992-07-01",
        "birth_commune": "Lyon",
        "birth_department": "69",
        "birth_country": "France",
        "email": "sophie@example.org",
        "phone": "",
        "address": "",
        "access_status": "salarie",
        "nir": "",
    }
    data.update(overrides)
    return data


def test_create_candidate_with_clear_errors(staff_client):
    response = staff_client.post(
        reverse("candidates:create"),
        _candidate_post(birth_name="", birth_date="31/02/1990", nir="123"),
    )
    assert response.status_code == 200
    html = _text(response)
    assert "Ce champ est obligatoire." in html
    assert "Saisissez une date de naissance valide" in html
    assert "15 caractères" in html
    assert not Candidate.objects.exists()


def test_create_candidate_duplicate_warning_then_confirm(staff_client, world):
    CandidateFactory(
        centre=world.centre_a,
        birth_name="Durand",
        first_names="Sophie",
        birth_date=datetime.date(1992, 7, 1),
    )
    url = reverse("candidates:create")
    response = staff_client.post(url, _candidate_post())
    assert response.status_code == 200
    assert "Doublon possible" in _text(response)
    assert Candidate.objects.count() == 1
    response = staff_client.post(url, _candidate_post(confirm_duplicate="on"))
    assert response.status_code == 302
    assert Candidate.objects.count() == 2


def test_nir_masked_on_pages(staff_client, world, version):
    response = staff_client.post(reverse("candidates:create"), _candidate_post(nir=NIR))
    candidate = Candidate.objects.get()
    assert CandidateIdentity.objects.get(candidate=candidate).nir == NIR
    detail = _text(staff_client.get(response["Location"]))
    assert NIR not in detail and NIR[5:11] not in detail
    assert NIR[13:] in detail  # the key is shown, the rest masked
    edit = _text(staff_client.get(reverse("candidates:edit", args=[candidate.pk])))
    assert NIR not in edit


def test_edit_candidate_stale_version(staff_client, world):
    candidate = CandidateFactory(centre=world.centre_a)
    url = reverse("candidates:edit", args=[candidate.pk])
    data = _candidate_post(birth_name=candidate.birth_name, first_names="Autre", version=1)
    assert staff_client.post(url, data).status_code == 302
    response = staff_client.post(url, {**data, "first_names": "Encore"})
    assert "modifiée par quelqu'un d'autre" in _text(response)
    candidate.refresh_from_db()
    assert candidate.first_names == "Autre"


def test_build_dossier_through_pages(staff_client, world, version):
    candidate = CandidateFactory(centre=world.centre_a)
    response = staff_client.post(
        reverse("candidates:dossier_create", args=[candidate.pk]),
        {
            "qualification": version.qualification.pk,
            "access_route": "salarie",
            "target": "blocs",
            "blocs": [version.blocs.get(code="B1").pk],
            "company": world.company_a.pk,
            "tutor_name": "M. Tuteur",
        },
    )
    assert response.status_code == 302, _text(response)[:2000]
    dossier = Dossier.objects.get()
    rows = list(dossier.competences.all())
    assert len(rows) == 3
    report = modality(version, "project_presentation")
    data = {"version": dossier.version}
    for row in rows:
        data[f"modality_{row.competence_id}"] = report.pk
    response = staff_client.post(reverse("candidates:dossier_modalities", args=[dossier.pk]), data)
    assert "Indiquez la date limite" in _text(response)
    for row in rows:
        data[f"deadline_{row.competence_id}"] = "2031-06-30"
    response = staff_client.post(reverse("candidates:dossier_modalities", args=[dossier.pk]), data)
    assert response.status_code == 302
    for action in ("submit", "agree"):
        staff_client.post(reverse("candidates:dossier_transition", args=[dossier.pk, action]))
    dossier.refresh_from_db()
    assert dossier.status == "agreed"
    page = _text(staff_client.get(reverse("candidates:dossier_detail", args=[dossier.pk])))
    html = page
    assert "Soumis → Modalités validées" in html
    assert "30/06/2031" in html


def test_dossier_page_shows_guard_error(staff_client, world, version):
    dossier = DossierFactory(
        centre=world.centre_a,
        referential_version=version,
        company=world.company_a,
        status="submitted",
    )
    response = staff_client.post(
        reverse("candidates:dossier_transition", args=[dossier.pk, "agree"]), follow=True
    )
    assert "Choisissez une modalité d'évaluation pour chaque compétence" in _text(response)


def test_withdraw_needs_reason_and_confirmation(staff_client, world, version):
    dossier = DossierFactory(centre=world.centre_a, referential_version=version)
    url = reverse("candidates:dossier_withdraw", args=[dossier.pk])
    page = _text(staff_client.get(url))
    assert "data-confirm=" in page
    response = staff_client.post(url, {"reason": "  "})
    assert "Indiquez le motif" in _text(response)
    staff_client.post(url, {"reason": "Changement de poste"})
    dossier.refresh_from_db()
    assert dossier.status == "withdrawn"


def test_upload_and_download_document(staff_client, world, version):
    dossier = DossierFactory(centre=world.centre_a, referential_version=version)
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n%%EOF\n"
    staff_client.post(
        reverse("candidates:document_upload", args=[dossier.pk]),
        {"kind": "report", "file": SimpleUploadedFile("mon rapport.pdf", pdf)},
    )
    document = dossier.documents.get()
    response = staff_client.get(reverse("candidates:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert "attachment" in response["Content-Disposition"]
    exe = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = staff_client.post(
        reverse("candidates:document_upload", args=[dossier.pk]),
        {"kind": "report", "file": exe},
        follow=True,
    )
    assert "exécutable" in _text(response)
    assert dossier.documents.count() == 1


def test_company_rep_read_only_without_confidential_data(client, world, version):
    candidate = CandidateFactory(centre=world.centre_a, birth_name="Salarie")
    CandidateIdentity.objects.create(candidate=candidate, nir=NIR)
    dossier = DossierFactory(
        centre=world.centre_a,
        candidate=candidate,
        referential_version=version,
        company=world.company_a,
    )
    Accommodation.objects.create(
        centre=world.centre_a,
        dossier=dossier,
        needs="Trouble auditif SECRETMEDICAL",
        to_apply="Tiers temps",
    )
    DossierDocumentFactory(dossier=dossier, original_name="secret-rapport.pdf")
    other = DossierFactory(
        centre=world.centre_a,
        referential_version=version,
        candidate=CandidateFactory(centre=world.centre_a, birth_name="Autre"),
    )
    client.force_login(world.user("company_rep"))
    listing = _text(client.get(reverse("candidates:dossier_list")))
    assert "SALARIE" in listing and "AUTRE" not in listing
    page = client.get(reverse("candidates:dossier_detail", args=[dossier.pk]))
    html = _text(page)
    assert page.status_code == 200
    for secret in (
        NIR,
        NIR[13:] + "</",
        "SECRETMEDICAL",
        "Tiers temps",
        "secret-rapport",
        "Soumettre",
        "Abandonner",
    ):
        assert secret not in html
    assert client.get(reverse("candidates:dossier_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("candidates:accommodation", args=[dossier.pk])).status_code == 403


def test_accommodation_only_with_capability(client, world, version):
    from tests.factories import user_with_role

    dossier = DossierFactory(centre=world.centre_a, referential_version=version)
    Accommodation.objects.create(
        centre=world.centre_a,
        dossier=dossier,
        needs="SECRETMEDICAL",
        to_apply="Salle au rez-de-chaussée",
    )
    client.force_login(world.user("staff"))
    assert client.get(reverse("candidates:accommodation", args=[dossier.pk])).status_code == 403
    page = _text(client.get(reverse("candidates:dossier_detail", args=[dossier.pk])))
    assert "SECRETMEDICAL" not in page and "Aménagements" not in page
    organiser = user_with_role(world.centre_a, "staff", handles_accommodations=True)
    client.force_login(organiser)
    page = _text(client.get(reverse("candidates:accommodation", args=[dossier.pk])))
    assert "SECRETMEDICAL" in page


@pytest.mark.parametrize("role", ["assessor", "juror"])
def test_assessor_and_juror_see_nothing(client, world, version, role):
    dossier = DossierFactory(centre=world.centre_a, referential_version=version)
    client.force_login(world.user(role))
    assert client.get(reverse("candidates:dossier_detail", args=[dossier.pk])).status_code == 404
    assert client.get(reverse("candidates:list")).status_code == 403
    assert client.get(reverse("candidates:dossier_list")).status_code == 403


def test_home_section_counts_and_reports(staff_client, world, version):
    report = modality(version, "project_presentation")
    late = DossierFactory(
        centre=world.centre_a,
        referential_version=version,
        status="agreed",
        candidate=CandidateFactory(centre=world.centre_a, birth_name="Tardif"),
    )
    late.competences.update(
        modality=report, report_deadline=datetime.date.today() - datetime.timedelta(days=2)
    )
    DossierFactory(centre=world.centre_a, referential_version=version)
    html = _text(staff_client.get(reverse("home")))
    assert "Dossiers des candidats" in html
    assert "TARDIF" in html and "en retard" in html
    assert "valider les modalités" not in html  # no submitted dossier
    assert "compléter et soumettre" in html


def _many(world, version, n):
    for i in range(n):
        DossierFactory(
            centre=world.centre_a,
            referential_version=version,
            company=world.company_a,
            candidate=CandidateFactory(centre=world.centre_a, birth_name=f"Nom{i}"),
        )


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("candidates:list", ""),
        ("candidates:list", "?q=nom&status=draft&company={company}"),
        ("candidates:dossier_list", ""),
        ("candidates:dossier_list", "?q=nom&route=salarie"),
    ],
)
def test_list_query_count_is_constant(
    staff_client, world, version, django_assert_num_queries, url_name, query
):
    url = reverse(url_name) + query.format(company=world.company_a.pk)
    _many(world, version, 3)
    staff_client.get(url)  # warm caches (session, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(url).status_code == 200
    _many(world, version, 30)
    with django_assert_num_queries(len(few.captured_queries)):
        response = staff_client.get(url)
    assert response.status_code == 200


def test_close_button_closes_a_decided_dossier(staff_client, world, version):
    """The page's "Clore le dossier" form posts the dossier's version, as every transition."""
    dossier = DossierFactory(
        centre=world.centre_a,
        referential_version=version,
        company=world.company_a,
        status="decided",
    )
    page = _text(staff_client.get(reverse("candidates:dossier_detail", args=[dossier.pk])))
    assert "Clore le dossier" in page
    response = staff_client.post(
        reverse("candidates:dossier_transition", args=[dossier.pk, "close"]),
        {"version": dossier.version},
        follow=True,
    )
    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.status == "closed"
    assert "Dossier à l'état « Clos »." in _text(response)


def test_close_button_refuses_a_stale_version(staff_client, world, version):
    dossier = DossierFactory(
        centre=world.centre_a,
        referential_version=version,
        company=world.company_a,
        status="decided",
    )
    response = staff_client.post(
        reverse("candidates:dossier_transition", args=[dossier.pk, "close"]),
        {"version": dossier.version + 5},
        follow=True,
    )
    dossier.refresh_from_db()
    assert dossier.status == "decided"
    assert "modifiée par quelqu'un d'autre entre-temps" in _text(response)
