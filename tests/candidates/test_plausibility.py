"""Implausible identity data is refused with a clear French message, on the page, through
the API and in the bulk import: one rule (``candidates.models.plausibility``) for all three."""

import datetime
import html as htmllib

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates import importing
from candidates.models import Candidate

from .factories import CandidateFactory
from .test_import import csv_bytes, upload

TODAY = timezone.localdate()


def _years_ago(years, days=0):
    day = (
        TODAY.replace(year=TODAY.year - years)
        if (TODAY.month, TODAY.day) != (2, 29)
        else (TODAY.replace(year=TODAY.year - years, day=28))
    )
    return day + datetime.timedelta(days=days)


FUTURE = TODAY + datetime.timedelta(days=1)
# (field overrides, field in error, words of the message)
IMPLAUSIBLE = [
    ({"birth_date": FUTURE}, "birth_date", "dans le futur"),
    ({"birth_date": datetime.date(1899, 12, 31)}, "birth_date", "antérieure au 1er janvier 1900"),
    ({"birth_date": _years_ago(16, days=1)}, "birth_date", "moins de 16 ans"),
    (
        {"birth_date": _years_ago(15, days=1), "access_status": "apprenti"},
        "birth_date",
        "moins de 15 ans",
    ),
    ({"birth_department": "96"}, "birth_department", "Département « 96 » inconnu"),
    ({"birth_department": "20"}, "birth_department", "2A ou 2B"),
    ({"birth_department": "977"}, "birth_department", "971 à 976"),
    ({"phone": "zéro six douze"}, "phone", "Numéro de téléphone invalide"),
    ({"phone": "06 12 34 AB 78"}, "phone", "Numéro de téléphone invalide"),
]
PLAUSIBLE = [
    {"birth_date": _years_ago(16)},
    {"birth_date": _years_ago(15), "access_status": "apprenti"},
    {"birth_date": datetime.date(1900, 1, 1)},
    {"birth_department": "2A"},
    {"birth_department": "2b"},
    {"birth_department": "974"},
    {"birth_department": ""},
    {"phone": "+33 (0)4 72.00-00/00"},
]


def _post_data(**overrides):
    data = {
        "birth_name": "Durand",
        "usage_name": "",
        "first_names": "Sophie",
        "sex": "F",
        "birth_date": datetime.date(1992, 7, 1),
        "birth_commune": "Lyon",
        "birth_department": "69",
        "birth_country": "France",
        "email": "sophie@example.org",
        "phone": "04 72 00 00 00",
        "address": "",
        "access_status": "salarie",
    }
    data.update(overrides)
    return data


def _form(data):
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in data.items()}


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


@pytest.fixture
def api(api_client, world):
    api_client.force_login(world.user("staff"))
    return api_client


@pytest.mark.django_db
@pytest.mark.parametrize(("overrides", "field", "words"), IMPLAUSIBLE)
def test_the_registration_page_refuses_implausible_input(staff_client, overrides, field, words):
    response = staff_client.post(reverse("candidates:create"), _form(_post_data(**overrides)))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(words in message for message in form.errors[field]), form.errors
    assert words in htmllib.unescape(response.content.decode())
    assert not Candidate.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("overrides", "field", "words"), IMPLAUSIBLE)
def test_the_edit_page_refuses_implausible_input(staff_client, world, overrides, field, words):
    candidate = CandidateFactory(centre=world.centre_a, birth_date=datetime.date(1990, 1, 1))
    data = _form(_post_data(**overrides))
    data["version"] = candidate.version
    response = staff_client.post(reverse("candidates:edit", args=[candidate.pk]), data)
    assert response.status_code == 200
    assert any(words in m for m in response.context["form"].errors[field])
    candidate.refresh_from_db()
    assert candidate.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize("overrides", PLAUSIBLE)
def test_the_registration_page_accepts_plausible_input(staff_client, overrides):
    response = staff_client.post(reverse("candidates:create"), _form(_post_data(**overrides)))
    assert response.status_code == 302, response.context["form"].errors
    candidate = Candidate.objects.get()
    if overrides.get("birth_department"):
        assert candidate.birth_department == overrides["birth_department"].upper()


@pytest.mark.django_db
@pytest.mark.parametrize(("overrides", "field", "words"), IMPLAUSIBLE)
def test_the_api_refuses_implausible_input(api, overrides, field, words):
    response = api.post(reverse("api:candidate-list"), _form(_post_data(**overrides)), "json")
    assert response.status_code == 400, response.content
    assert any(words in message for message in response.json()[field])
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_the_api_checks_the_age_against_the_stored_statut_on_a_partial_edit(api, world):
    young = CandidateFactory(
        centre=world.centre_a, birth_date=_years_ago(15), access_status="apprenti"
    )
    url = reverse("api:candidate-detail", args=[young.pk])
    response = api.patch(url, {"access_status": "salarie"}, "json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    assert "moins de 16 ans" in response.json()["birth_date"][0]
    response = api.patch(url, {"phone": "04 72 00 00 00"}, "json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200, response.content


@pytest.mark.django_db
@pytest.mark.parametrize("overrides", PLAUSIBLE)
def test_the_api_accepts_plausible_input(api, overrides):
    response = api.post(reverse("api:candidate-list"), _form(_post_data(**overrides)), "json")
    assert response.status_code == 201, response.content


IMPORT_HEADER = (
    "nom_naissance;nom_usage;prenoms;sexe;date_naissance;commune_naissance;"
    "departement_naissance;telephone;statut"
)


@pytest.mark.django_db
def test_the_bulk_import_refuses_the_same_input(world):
    from centres.access import build_actor

    staff = build_actor(world.user("staff"))
    young = _years_ago(15).strftime("%d/%m/%Y")
    batch = upload(
        staff,
        csv_bytes(
            "Bon;;Jean;M;01/01/1980;Lyon;69;04 72 00 00 00;Salarié",
            "Vieux;;Jean;M;31/12/1899;Lyon;69;;Salarié",
            f"Jeune;;Paul;M;{young};Lyon;69;;Salarié",
            f"Apprenti;;Paul;M;{young};Ajaccio;2a;;Apprenti",
            "Dept;;Marc;M;01/01/1980;Lyon;99;;Salarié",
            "Tel;;Luc;M;01/01/1980;Lyon;69;appelez-moi;Salarié",
            header=IMPORT_HEADER,
        ),
    )
    errors = {r.line: " ".join(r.errors) for r in importing.preview(batch) if r.errors}
    assert set(errors) == {3, 4, 6, 7}, errors
    assert "1900" in errors[3]
    assert "moins de 16 ans" in errors[4]
    assert "Département « 99 » inconnu" in errors[6]
    assert "téléphone" in errors[7]
