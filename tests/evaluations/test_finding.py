"""Finding evaluation sessions and company avis: accents and case ignored, sortable columns
kept with the filters; pages and API."""

import datetime
import html as htmllib

import pytest
from django.urls import reverse
from django.utils import timezone

from centres.access import build_actor
from evaluations import services
from evaluations.models import SessionModality

from .factories import agreed_dossier

PLACES = ["Salle Évrard", "atelier barbier", "Hall Précision"]


def _text(response):
    assert response.status_code == 200
    return htmllib.unescape(response.content.decode())


@pytest.fixture
def sessions(world):
    actor = build_actor(world.user("staff"))
    start = timezone.now() + datetime.timedelta(days=3)
    return [
        services.schedule_session(
            world.centre_a,
            actor=actor,
            label=f"Session {place}",
            starts_at=start + datetime.timedelta(days=i),
            place=place,
            modality=SessionModality.REAL_WORK,
        )
        for i, place in enumerate(PLACES)
    ]


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


def test_session_search_ignores_accents_and_case(staff_client, sessions):
    html = _text(staff_client.get(reverse("evaluations:session_list"), {"q": "precision"}))
    assert "Session Hall Précision" in html and "Session Salle Évrard" not in html
    html = _text(staff_client.get(reverse("evaluations:session_list"), {"q": "EVRARD"}))
    assert "Session Salle Évrard" in html and "Session Hall Précision" not in html


def test_sessions_sort_by_place_the_french_way(staff_client, sessions):
    url = reverse("evaluations:session_list")
    html = _text(staff_client.get(url, {"sort": "place", "status": ""}))
    assert html.find("Session atelier barbier") < html.find("Session Hall Précision")
    assert html.find("Session Hall Précision") < html.find("Session Salle Évrard")
    assert 'aria-sort="ascending"' in html and 'href="?sort=-place&status="' in html
    html = _text(staff_client.get(url))  # default: newest first
    assert html.find("Session Hall Précision") < html.find("Session Salle Évrard")


def test_api_sessions_search_and_ordering(api_client, world, sessions):
    api_client.force_login(world.user("staff"))
    url = reverse("api:evaluationsession-list")
    response = api_client.get(url, {"search": "precision"})
    assert [row["place"] for row in response.json()["results"]] == ["Hall Précision"]
    response = api_client.get(url, {"ordering": "place"})
    assert [row["place"] for row in response.json()["results"]] == [
        "atelier barbier",
        "Hall Précision",
        "Salle Évrard",
    ]


@pytest.fixture
def opinion_dossiers(world, version):
    from evaluations.models import CompanyOpinion

    made = {}
    for name in ["MÉNARD", "bonnet", "Évrard", "BARBIER"]:
        dossier = agreed_dossier(
            world.centre_a, version, company=world.company_a, birth_name=name, first_names="Léa"
        )
        made[name] = CompanyOpinion.objects.create(
            centre=world.centre_a, dossier=dossier, company=world.company_a
        )
    return made


def test_opinion_list_search_and_sort(staff_client, opinion_dossiers):
    url = reverse("evaluations:opinion_list")
    html = _text(staff_client.get(url, {"q": "menard"}))
    assert "MÉNARD Léa" in html and "BONNET Léa" not in html
    html = _text(staff_client.get(url))
    order = [html.find(f"{n} Léa") for n in ("BARBIER", "BONNET", "ÉVRARD", "MÉNARD")]
    assert -1 < order[0] < order[1] < order[2] < order[3]
    html = _text(staff_client.get(url, {"sort": "-candidate", "etat": "draft"}))
    order = [html.find(f"{n} Léa") for n in ("MÉNARD", "ÉVRARD", "BONNET", "BARBIER")]
    assert -1 < order[0] < order[1] < order[2] < order[3]
    assert 'href="?sort=candidate&etat=draft"' in html


def test_api_opinions_ordering(api_client, world, opinion_dossiers):
    api_client.force_login(world.user("staff"))
    response = api_client.get(reverse("api:companyopinion-list"), {"ordering": "candidate"})
    assert [row["id"] for row in response.json()["results"]] == [
        opinion_dossiers[n].pk for n in ("BARBIER", "bonnet", "Évrard", "MÉNARD")
    ]
