"""Runs the permission matrix (see ``tests/matrix.py``) over every declared entry."""

import pytest
from django.urls import path, reverse

from .matrix import ALL_ROLES, all_entries, project_url_names, uncovered_url_names

ENTRIES = all_entries()


def _url(entry, world):
    if entry.setup:
        entry.setup(world)
    kwargs = entry.kwargs(world) if entry.kwargs else {}
    return reverse(entry.name, kwargs=kwargs) + entry.query


def _call(client, entry, world, url):
    method = getattr(client, entry.method)
    data = entry.data(world) if entry.data else None
    if entry.method == "get":
        return method(url)
    if entry.is_api:
        return method(url, data=data or {}, format="json")
    return method(url, data=data or {})


def _client_for(entry, client, api_client):
    return api_client if entry.is_api else client


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_anonymous(entry, world, client, api_client):
    c = _client_for(entry, client, api_client)
    response = _call(c, entry, world, _url(entry, world))
    if entry.public:
        assert response.status_code == entry.status, response.content[:500]
    elif entry.is_api:
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "entry", [e for e in ENTRIES if not e.public or e.allowed], ids=lambda e: e.id
)
def test_allowed_roles(entry, world, client, api_client):
    for role in entry.allowed:
        c = _client_for(entry, client, api_client)
        url = _url(entry, world)
        c.force_login(world.user(role))
        response = _call(c, entry, world, url)
        assert response.status_code == entry.status, (role, response.content[:800])
        c.logout()
        break  # a write may change the state: one allowed role per test run


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entry", "role"),
    [(e, r) for e in ENTRIES if not e.public for r in e.allowed[1:]],
    ids=lambda v: v if isinstance(v, str) else v.id,
)
def test_other_allowed_roles(entry, role, world, client, api_client):
    c = _client_for(entry, client, api_client)
    url = _url(entry, world)
    c.force_login(world.user(role))
    response = _call(c, entry, world, url)
    assert response.status_code == entry.status, (role, response.content[:800])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entry", "role"),
    [(e, r) for e in ENTRIES if not e.public for r in ALL_ROLES if r not in e.allowed],
    ids=lambda v: v if isinstance(v, str) else v.id,
)
def test_denied_roles(entry, role, world, client, api_client):
    c = _client_for(entry, client, api_client)
    url = _url(entry, world)
    c.force_login(world.user(role))
    response = _call(c, entry, world, url)
    expected = 404 if role in entry.hidden_from else 403
    assert response.status_code == expected, (role, response.content[:500])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entry", "role"),
    [
        (e, r)
        for e in ENTRIES
        if (e.is_object or e.marker) and not e.public
        for r in e.allowed
        if r != "national_admin"
    ],
    ids=lambda v: v if isinstance(v, str) else v.id,
)
def test_other_centre(entry, role, world, client, api_client):
    """The same role in centre B never reaches centre A's object nor sees its rows."""
    c = _client_for(entry, client, api_client)
    url = _url(entry, world)
    c.force_login(world.user(role, side="b"))
    response = _call(c, entry, world, url)
    if entry.is_object:
        assert response.status_code == 404, (role, response.content[:500])
    else:
        assert response.status_code == entry.status
        assert entry.marker(world) not in response.content.decode()


def test_every_url_is_in_the_matrix():
    missing = uncovered_url_names()
    assert not missing, f"URLs without a permission-matrix entry: {sorted(missing)}"


def _extra_view(request):  # pragma: no cover - never called
    raise AssertionError


def test_meta_test_catches_a_url_added_without_entry(settings):
    import parchemin.urls

    urlconf = type("Urls", (), {})()
    urlconf.urlpatterns = [
        *parchemin.urls.urlpatterns,
        path("nouvelle/", _extra_view, name="orphan"),
    ]
    from django.urls import get_resolver

    resolver = get_resolver(urlconf)
    assert "orphan" in project_url_names(resolver)
    assert uncovered_url_names(resolver=resolver) == {"orphan"}
