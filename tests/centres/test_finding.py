"""Finding companies, users and invitations of the centre: accents and case ignored, the
French order, sortable columns; on the pages and through the API."""

import html as htmllib

import pytest
from django.urls import reverse

from centres.roles import Role
from tests.factories import CompanyFactory, user_with_role

COMPANIES = ["Évrard Tôlerie", "bonnet SA", "Précision Usinage", "BARBIER Frères", "Étienne Méca"]
FRENCH = ["BARBIER Frères", "bonnet SA", "Étienne Méca", "Évrard Tôlerie", "Précision Usinage"]


def _text(response):
    assert response.status_code == 200
    return htmllib.unescape(response.content.decode())


def _order(html, names):
    positions = {name: html.find(f">{name}<") for name in names}
    assert all(p >= 0 for p in positions.values()), positions
    return [name for name, _ in sorted(positions.items(), key=lambda item: item[1])]


@pytest.fixture
def companies(world):
    world.company_a.name, world.company_a.city = COMPANIES[0], "Saint-Étienne"
    world.company_a.save()
    others = [
        CompanyFactory(centre=world.centre_a, name=n, city="Saint-Étienne") for n in COMPANIES[1:]
    ]
    return [world.company_a, *others]


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.user("centre_admin"))
    return client


def test_company_search_ignores_accents_and_case(admin_client, companies):
    html = _text(admin_client.get(reverse("centres:companies"), {"q": "precision"}))
    assert ">Précision Usinage<" in html and ">bonnet SA<" not in html
    html = _text(admin_client.get(reverse("centres:companies"), {"q": "ETIENNE meca"}))
    assert ">Étienne Méca<" in html and ">bonnet SA<" not in html
    html = _text(admin_client.get(reverse("centres:companies"), {"q": "saint-etienne"}))
    assert _order(html, COMPANIES) == FRENCH  # the city, for all of them


def test_companies_sorted_the_french_way_and_by_column(admin_client, companies):
    html = _text(admin_client.get(reverse("centres:companies")))
    assert _order(html, COMPANIES) == FRENCH
    html = _text(admin_client.get(reverse("centres:companies"), {"sort": "-name", "q": "e"}))
    assert _order(html, [n for n in COMPANIES if "e" in n.lower() or "é" in n.lower()]) == [
        n for n in FRENCH[::-1] if "e" in n.lower() or "é" in n.lower()
    ]
    assert 'aria-sort="descending"' in html
    assert 'href="?sort=name&q=e"' in html  # the header keeps the search


def test_user_list_search_and_french_order(admin_client, world):
    for last in ("MÉNARD", "barbier", "Évrard"):
        user = user_with_role(world.centre_a, Role.STAFF)
        user.last_name = last
        user.save()
    html = _text(admin_client.get(reverse("centres:users"), {"q": "menard"}))
    assert "MÉNARD" in html and "barbier" not in html
    html = _text(admin_client.get(reverse("centres:users"), {"q": "r", "sort": "name"}))
    assert html.find("barbier") < html.find("Évrard") < html.find("MÉNARD")


def test_invitation_search_ignores_case(admin_client, world):
    from centres import services

    services.invite_user(
        world.centre_a,
        email="Jeanne.Menard@example.org",
        role=Role.STAFF,
        actor=world.user("centre_admin"),
    )
    html = _text(admin_client.get(reverse("centres:invitations"), {"q": "JEANNE.menard"}))
    assert "jeanne.menard@example.org" in html.lower()
    html = _text(admin_client.get(reverse("centres:invitations"), {"q": "nobody"}))
    assert "jeanne.menard@example.org" not in html.lower()


@pytest.fixture
def api(api_client, world):
    api_client.force_login(world.user("centre_admin"))
    return api_client


def test_api_companies_search_and_ordering(api, companies):
    url = reverse("api:company-list")

    def names(**params):
        response = api.get(url, params)
        assert response.status_code == 200, response.content
        return [row["name"] for row in response.json()["results"]]

    assert names(search="precision") == ["Précision Usinage"]
    assert names() == FRENCH
    assert names(ordering="-name") == FRENCH[::-1]
    assert names(ordering="unknown") == FRENCH


def test_api_memberships_search_ignores_accents(api, world):
    user = user_with_role(world.centre_a, Role.STAFF)
    user.last_name = "MÉNARD"
    user.save()
    response = api.get(reverse("api:membership-list"), {"search": "menard"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
