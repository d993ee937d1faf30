"""Finding candidates and dossiers: accents and case ignored, the French order, the dossier
reference, sortable columns kept in the URL with the filters, pages, the duplicate warning;
on the pages and through the API."""

import datetime
import html as htmllib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidates import services

from .factories import CandidateFactory, DossierFactory

NAMES = ["EVRARD", "bonnet", "ÉTIENNE", "BARBIER", "Zola", "MÉNARD", "Duval"]
FRENCH = ["BARBIER", "bonnet", "Duval", "ÉTIENNE", "EVRARD", "MÉNARD", "Zola"]


def _text(response):
    return htmllib.unescape(response.content.decode())


@pytest.fixture
def staff_client(client, world):
    user = world.user("staff")
    # The page's header shows the user's name: a first name among the candidates' names
    # (factories draw French first names, « Étienne » among them) must not be read as a row.
    user.first_name, user.last_name = "Étienne", "Zola"
    user.save()
    client.force_login(user)
    return client


@pytest.fixture
def dossiers(world, version):
    return {
        name: DossierFactory(
            centre=world.centre_a,
            referential_version=version,
            company=world.company_a,
            candidate=CandidateFactory(
                centre=world.centre_a, birth_name=name, first_names="Amélie"
            ),
        )
        for name in NAMES
    }


def _order(html, names=NAMES):
    """The names in the order the page's table shows them."""
    table = html[html.index("<tbody") :].upper()
    positions = {name: table.find(f">{name.upper()} ") for name in names}
    assert all(p >= 0 for p in positions.values()), positions
    return [name for name, _ in sorted(positions.items(), key=lambda item: item[1])]


@pytest.mark.parametrize("url_name", ["candidates:list", "candidates:dossier_list"])
@pytest.mark.parametrize(("query", "found"), [("menard", "MÉNARD"), ("étienne", "ÉTIENNE")])
def test_search_ignores_accents_and_case(staff_client, dossiers, url_name, query, found):
    html = _text(staff_client.get(reverse(url_name), {"q": query}))
    assert f">{found} " in html
    assert ">EVRARD " not in html and ">BONNET " not in html


@pytest.mark.parametrize("url_name", ["candidates:list", "candidates:dossier_list"])
def test_search_finds_the_company_without_accents(staff_client, dossiers, world, url_name):
    world.company_a.name = "Précision Usinage"
    world.company_a.save()
    html = _text(staff_client.get(reverse(url_name), {"q": "PRECISION"}))
    assert all(f">{name.upper()} " in html for name in NAMES)


def test_candidate_list_sorts_names_the_french_way(staff_client, dossiers):
    html = _text(staff_client.get(reverse("candidates:list")))
    assert _order(html) == FRENCH
    html = _text(staff_client.get(reverse("candidates:list"), {"sort": "-name"}))
    assert _order(html) == FRENCH[::-1]


def test_dossier_list_sorts_by_candidate_the_french_way(staff_client, dossiers):
    html = _text(staff_client.get(reverse("candidates:dossier_list"), {"sort": "candidate"}))
    assert _order(html) == FRENCH


def test_dossier_list_finds_the_reference_printed_on_letters(staff_client, dossiers):
    dossier = dossiers["Zola"]
    assert re.fullmatch(r"D-\d{6}", dossier.reference)
    for query in (dossier.reference, dossier.reference.lower(), f"D-{dossier.pk}"):
        html = _text(staff_client.get(reverse("candidates:dossier_list"), {"q": query}))
        assert ">ZOLA " in html, query
        assert ">EVRARD " not in html
        assert "1 dossier" in html
    html = _text(staff_client.get(reverse("candidates:list"), {"q": dossier.reference}))
    assert ">ZOLA " in html and ">EVRARD " not in html


def test_sortable_headers_keep_the_filters_and_the_form_keeps_the_sort(staff_client, dossiers):
    url = reverse("candidates:dossier_list")
    html = _text(staff_client.get(url, {"q": "a", "status": "draft", "sort": "candidate"}))
    header = re.search(
        r'<th scope="col" aria-sort="ascending"><a class="sort-link" href="([^"]+)"', html
    )
    assert header, "the sorted column says so"
    assert "q=a" in header.group(1) and "status=draft" in header.group(1)
    assert "sort=-candidate" in header.group(1)
    assert '<input type="hidden" name="sort" value="candidate">' in html


def test_pages_keep_the_sort_and_filters(staff_client, world, version):
    for i in range(30):
        DossierFactory(
            centre=world.centre_a,
            referential_version=version,
            company=world.company_a,
            candidate=CandidateFactory(centre=world.centre_a, birth_name=f"Nom{i:02d}"),
        )
    url = reverse("candidates:list")
    html = _text(staff_client.get(url, {"q": "nom", "sort": "-name"}))
    assert 'href="?q=nom&sort=-name&page=2"' in html
    second = _text(staff_client.get(url, {"q": "nom", "sort": "-name", "page": 2}))
    assert ">NOM04 " in second and ">NOM29 " not in second  # 25 per page, descending


def test_a_page_past_the_end_says_so(staff_client, dossiers):
    response = staff_client.get(reverse("candidates:dossier_list"), {"page": 7})
    assert response.status_code == 200
    html = _text(response)
    assert "La page 7 n’existe pas : cette liste n’a qu’une page." in html
    assert ">ZOLA " in html  # the last page is shown


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("candidates:list", "?q=nom&sort=-name"),
        ("candidates:list", "?sort=status&status=draft"),
        ("candidates:dossier_list", "?sort=company&q=nom"),
        ("candidates:dossier_list", "?sort=-candidate"),
    ],
)
def test_sorted_list_query_count_is_constant(
    staff_client, world, version, django_assert_num_queries, url_name, query
):
    def many(n, start):
        for i in range(start, start + n):
            DossierFactory(
                centre=world.centre_a,
                referential_version=version,
                company=world.company_a,
                candidate=CandidateFactory(centre=world.centre_a, birth_name=f"Nom{i}"),
            )

    url = reverse(url_name) + query
    many(10, 0)
    staff_client.get(url)
    with CaptureQueriesContext(connection) as ten:
        assert staff_client.get(url).status_code == 200
    many(90, 10)
    with django_assert_num_queries(len(ten.captured_queries)):
        assert staff_client.get(url).status_code == 200


# --- the duplicate warning --------------------------------------------------------------


def test_duplicate_warning_ignores_accents_and_case(staff, candidate_data):
    services.register_candidate(
        actor=staff, data={**candidate_data, "birth_name": "ARNAUD", "first_names": "Amélie"}
    )
    again = {**candidate_data, "birth_name": "arnaud", "first_names": "amelie"}
    with pytest.raises(services.PossibleDuplicate) as exc:
        services.register_candidate(actor=staff, data=again)
    assert [c.birth_name for c in exc.value.duplicates] == ["ARNAUD"]
    other_day = {**again, "birth_date": datetime.date(1988, 3, 15)}
    services.register_candidate(actor=staff, data=other_day)  # another birth date: no warning


def test_duplicate_warning_on_the_registration_page(staff_client, world):
    CandidateFactory(
        centre=world.centre_a,
        birth_name="ARNAUD",
        first_names="Amélie",
        birth_date=datetime.date(1992, 7, 1),
    )
    response = staff_client.post(
        reverse("candidates:create"),
        {
            "birth_name": "arnaud",
            "usage_name": "",
            "first_names": "amelie",
            "sex": "F",
            "birth_date": "1992-07-01",
            "birth_commune": "Lyon",
            "birth_department": "69",
            "birth_country": "France",
            "email": "",
            "phone": "",
            "address": "",
            "access_status": "salarie",
            "nir": "",
        },
    )
    assert response.status_code == 200
    assert "Un candidat portant les mêmes nom, prénoms et date de naissance" in _text(response)


# --- the API: the same search and the columns as ``ordering`` ------------------------------


@pytest.fixture
def api(api_client, world):
    api_client.force_login(world.user("staff"))
    return api_client


def _api_names(response, key):
    assert response.status_code == 200, response.content
    return [key(row) for row in response.json()["results"]]


def test_api_candidates_search_and_ordering(api, dossiers):
    url = reverse("api:candidate-list")
    found = _api_names(api.get(url, {"q": "menard"}), lambda r: r["birth_name"])
    assert found == ["MÉNARD"]
    ordered = _api_names(api.get(url), lambda r: r["birth_name"])
    assert ordered == FRENCH
    ordered = _api_names(api.get(url, {"ordering": "-name"}), lambda r: r["birth_name"])
    assert ordered == FRENCH[::-1]


def test_api_dossiers_search_reference_and_ordering(api, dossiers):
    url = reverse("api:dossier-list")
    zola = dossiers["Zola"]
    found = _api_names(api.get(url, {"q": zola.reference}), lambda r: r["id"])
    assert found == [zola.pk]
    found = _api_names(api.get(url, {"q": "etienne"}), lambda r: r["id"])
    assert found == [dossiers["ÉTIENNE"].pk]
    ordered = _api_names(api.get(url, {"ordering": "candidate"}), lambda r: r["id"])
    assert ordered == [dossiers[name].pk for name in FRENCH]
