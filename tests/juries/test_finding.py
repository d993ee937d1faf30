"""Finding jury sessions: accents and case ignored, sortable columns; pages and API."""

import datetime
import html as htmllib

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import new_session, ready_dossier, referential

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


@pytest.fixture
def decisions(world, version):
    """Frozen decisions of one session for candidates named the French way round."""
    from juries.models import AgendaItem, Decision

    session = new_session(world, version, starts_at=timezone.now() + datetime.timedelta(days=2))
    now = timezone.now()
    made = {}
    for position, name in enumerate(["MÉNARD", "bonnet", "Évrard", "BARBIER"]):
        dossier = ready_dossier(world.centre_a, version, birth_name=name, first_names="Amélie")
        item = AgendaItem.objects.create(session=session, dossier=dossier, position=position)
        made[name] = Decision.objects.create(
            centre=world.centre_a,
            item=item,
            dossier=dossier,
            outcome="awarded",
            decided_at=now,
            frozen_at=now,
        )
    return made


def test_results_search_and_sort_by_candidate(staff_client, decisions):
    url = reverse("juries:results")
    html = _text(staff_client.get(url, {"q": "menard"}))
    assert "MÉNARD Amélie" in html and "BONNET Amélie" not in html
    html = _text(staff_client.get(url, {"sort": "candidate"}))
    order = [html.find(f"{n} Amélie") for n in ("BARBIER", "BONNET", "ÉVRARD", "MÉNARD")]
    assert -1 < order[0] < order[1] < order[2] < order[3]
    html = _text(staff_client.get(url))  # the agenda order by default
    order = [html.find(f"{n} Amélie") for n in ("MÉNARD", "BONNET", "ÉVRARD", "BARBIER")]
    assert -1 < order[0] < order[1] < order[2] < order[3]


def test_api_decisions_search_and_ordering(api_client, world, decisions):
    api_client.force_login(world.user("staff"))
    url = reverse("api:jury-decision-list")
    response = api_client.get(url, {"q": "evrard"})
    assert [row["id"] for row in response.json()["results"]] == [decisions["Évrard"].pk]
    response = api_client.get(url, {"ordering": "candidate"})
    assert [row["id"] for row in response.json()["results"]] == [
        decisions[name].pk for name in ("BARBIER", "bonnet", "Évrard", "MÉNARD")
    ]
