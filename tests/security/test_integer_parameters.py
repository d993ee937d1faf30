"""Integer query filters and path parameters are validated: a value that is no integer, or
one beyond a 64-bit integer (``?item=1e20``, ``/dossiers/99999999999999999999/``), is a
400 with a clear message, never a 500 (SQLite cannot bind an integer above 2^63) nor a
silent empty list. The checks live in the shared kit (core/api/filtering.py)."""

import pytest
from django.urls import reverse

from candidates.models import Dossier

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # > 2^63
BAD = ["1e20", HUGE, "-" + HUGE, "1.5", "12abc", "٣"]


@pytest.fixture
def api(api_client, world):
    api_client.force_login(world.user("staff"))
    return api_client


def _assert_clear_400(response, name):
    assert response.status_code == 400, (response.status_code, response.content[:300])
    body = response.json()
    message = body[name][0] if name in body else body["detail"]
    assert "nombre entier" in message, body


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize(
    ("route", "name"),
    [
        ("api:jury-vote-list", "item"),
        ("api:jury-vote-list", "session"),
        ("api:jury-decision-list", "session"),
        ("api:jury-session-list", "qualification"),
        ("api:dossier-list", "candidate"),
        ("api:dossier-document-list", "dossier"),
        ("api:document-list", "batch"),
        ("api:criterion-list", "version"),
        ("api:grid-list", "session"),  # hand-written filters (integer_param)
        ("api:grid-list", "dossier"),
        ("api:companyopinion-list", "dossier"),
    ],
)
def test_an_integer_filter_refuses_what_is_no_64_bit_integer(api, route, name, value):
    _assert_clear_400(api.get(reverse(route), {name: value}), name)


def test_an_integer_filter_in_range_still_filters(api):
    response = api.get(reverse("api:dossier-list"), {"candidate": "9223372036854775807"})
    assert response.status_code == 200 and response.json()["results"] == []
    response = api.get(reverse("api:jury-vote-list"), {"item": "42"})
    assert response.status_code == 200


@pytest.mark.parametrize("value", [HUGE, "1e20"])
def test_an_api_path_parameter_refuses_what_is_no_64_bit_integer(api, value):
    response = api.get(f"/api/v1/dossiers/{value}/")
    _assert_clear_400(response, "pk")
    response = api.post(f"/api/v1/dossiers/{value}/submit/")
    _assert_clear_400(response, "pk")


def test_a_page_path_parameter_beyond_64_bits_is_a_400_page(client, world):
    client.force_login(world.user("staff"))
    response = client.get(f"/candidats/dossiers/{HUGE}/")
    assert response.status_code == 400
    assert "nombre entier" in response.content.decode()
    assert not Dossier.objects.exists()
