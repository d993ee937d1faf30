"""Finding jury sessions: accents and case ignored, sortable columns; pages and API."""

import datetime
import html as htmllib

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import new_session, referential

PLACES = ["Salle Évrard", "atelier barbier", "Hall Précision"]


def _text(response):
    assert response.status_code == 200
    return htmllib.unescape(response.content.decode())


@pytest.fixture
def sessions(world):
    version = referential()
    start = timezone.now() + datetime.timedelta(days=30)
    return [
        new_session(world, version, place=place, starts_at=start + datetime.timedelta(days=i))
        for i, place in enumerate(PLACES)
    ]


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


def _positions(html):
    return [html.find(f">{place}<") for place in PLACES]


def test_jury_session_search_ignores_accents_and_case(staff_client, sessions):
    html = _text(staff_client.get(reverse("juries:session_list"), {"q": "precision"}))
    assert ">Hall Précision<" in html and ">Salle Évrard<" not in html
    html = _text(staff_client.get(reverse("juries:session_list"), {"q": "ÉVRARD"}))
    assert ">Salle Évrard<" in html and ">atelier barbier<" not in html


def test_jury_sessions_sort_by_place_the_french_way(staff_client, sessions):
    html = _text(staff_client.get(reverse("juries:session_list"), {"sort": "place"}))
    evrard, barbier, precision = _positions(html)
    assert -1 < barbier < precision < evrard
    html = _text(staff_client.get(reverse("juries:session_list"), {"sort": "-place"}))
    evrard, barbier, precision = _positions(html)
    assert -1 < evrard < precision < barbier


def test_api_jury_sessions_search_and_ordering(api_client, world, sessions):
    api_client.force_login(world.user("staff"))
    url = reverse("api:jury-session-list")
    response = api_client.get(url, {"q": "precision"})
    assert [row["place"] for row in response.json()["results"]] == ["Hall Précision"]
    response = api_client.get(url, {"ordering": "place"})
    assert [row["place"] for row in response.json()["results"]] == [
        "atelier barbier",
        "Hall Précision",
        "Salle Évrard",
    ]
