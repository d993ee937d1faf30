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
            acting_user=actor,
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
