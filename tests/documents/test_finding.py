"""Finding documents and certificates: accents and case ignored, sortable columns kept with
the filters in the URL, pages (a page past the end says so); pages and API."""

import html as htmllib

import pytest
from django.urls import reverse

from documents.models import DocumentStatus

from .factories import issue, make_document

pytestmark = pytest.mark.django_db

LABELS = ["Parchemin — ÉTIENNE Paul", "Parchemin — barbier Léa", "Parchemin — EVRARD Jean"]
FRENCH = ["Parchemin — barbier Léa", "Parchemin — ÉTIENNE Paul", "Parchemin — EVRARD Jean"]


def _text(response):
    assert response.status_code == 200
    return htmllib.unescape(response.content.decode())


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


def _order(html, names):
    positions = {name: html.find(f">{name}<") for name in names}
    assert all(p >= 0 for p in positions.values()), positions
    return [name for name, _ in sorted(positions.items(), key=lambda item: item[1])]


def test_document_search_ignores_accents_and_case(world, staff_client):
    for label in LABELS:
        make_document(world.centre_a, label=label)
    html = _text(staff_client.get(reverse("documents:list"), {"q": "etienne"}))
    assert ">Parchemin — ÉTIENNE Paul<" in html and "EVRARD" not in html
    html = _text(staff_client.get(reverse("documents:list"), {"q": "BARBIER lea"}))
    assert ">Parchemin — barbier Léa<" in html and "ÉTIENNE" not in html


def test_documents_sorted_by_label_the_french_way(world, staff_client):
    for label in LABELS:
        make_document(world.centre_a, label=label)
    html = _text(staff_client.get(reverse("documents:list"), {"sort": "label"}))
    assert _order(html, LABELS) == FRENCH
    html = _text(staff_client.get(reverse("documents:list"), {"sort": "-label", "kind": ""}))
    assert _order(html, LABELS) == FRENCH[::-1]


def test_documents_pages_keep_sort_and_filters(world, staff_client):
    for n in range(35):
        make_document(world.centre_a, label=f"Parchemin n°{n:02d}", status=DocumentStatus.FAILED)
    url = reverse("documents:list")
    html = _text(staff_client.get(url, {"status": "failed", "sort": "label"}))
    assert "Page 1 sur 2" in html
    assert 'href="?status=failed&sort=label&page=2"' in html
    assert ">Parchemin n°29<" in html and ">Parchemin n°30<" not in html  # 30 a page
    header = html[html.find("<thead>") : html.find("</thead>")]
    assert 'href="?status=failed&sort=-label"' in header
    assert '<input type="hidden" name="sort" value="label">' in html
    html = _text(staff_client.get(url, {"status": "failed", "sort": "label", "page": 2}))
    assert ">Parchemin n°34<" in html and ">Parchemin n°00<" not in html


def test_documents_page_past_the_end_says_so(world, staff_client):
    for n in range(35):
        make_document(world.centre_a, label=f"Parchemin n°{n:02d}")
    html = _text(staff_client.get(reverse("documents:list"), {"page": 12}))
    assert "La page 12 n’existe pas : cette liste n’a que 2 pages. Voici la dernière." in html
    assert "Page 2 sur 2" in html


def test_sorted_document_list_query_count_is_constant(
    world, staff_client, django_assert_num_queries
):
    url = reverse("documents:list") + "?sort=-by&q=parchemin"
    for n in range(10):
        make_document(world.centre_a, label=f"Parchemin n°{n}")
    with django_assert_num_queries(6):  # session, user, memberships, count, rows, batches
        staff_client.get(url)
    for n in range(10, 100):
        make_document(world.centre_a, label=f"Parchemin n°{n}")
    with django_assert_num_queries(6):
        staff_client.get(url)


def test_certificate_register_search_and_french_order(world, staff_client):
    for n, name in enumerate(["MÉNARD", "barbier", "Évrard"]):
        issue(world.centre_a, subject=("juries.decision", str(n)), holder_last_name=name)
    url = reverse("documents:certificates")
    html = _text(staff_client.get(url, {"q": "menard"}))
    assert "MÉNARD" in html and "BARBIER" not in html
    html = _text(staff_client.get(url, {"sort": "holder"}))
    assert html.find("BARBIER") < html.find("ÉVRARD") < html.find("MÉNARD")
    html = _text(staff_client.get(url, {"sort": "-holder"}))
    assert html.find("MÉNARD") < html.find("ÉVRARD") < html.find("BARBIER")


def test_api_documents_search_and_ordering(world, api_client):
    for label in LABELS:
        make_document(world.centre_a, label=label)
    api_client.force_login(world.user("staff"))
    url = reverse("api:document-list")
    response = api_client.get(url, {"q": "etienne"})
    assert [row["label"] for row in response.json()["results"]] == ["Parchemin — ÉTIENNE Paul"]
    response = api_client.get(url, {"ordering": "label"})
    assert [row["label"] for row in response.json()["results"]] == FRENCH
