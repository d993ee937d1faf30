"""The API filter backend (``core.api.filtering``): no filter set built for a request that names
no filter, the same answers otherwise."""

from unittest import mock

import pytest
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend

from core.api.filtering import FilterBackend
from tests.candidates.factories import DossierFactory, build_referential

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client, world):
    api_client.force_login(world.user("staff"))
    version = build_referential()
    for status in ("draft", "submitted", "submitted"):
        DossierFactory(centre=world.centre_a, referential_version=version, status=status)
    DossierFactory(centre=world.centre_b, referential_version=version, status="submitted")
    return api_client


def _get(api, query):
    """The answer, and how many filter sets were built for it."""
    built = []
    original = DjangoFilterBackend.get_filterset

    def get_filterset(backend, *args):
        built.append(1)
        return original(backend, *args)

    with mock.patch.object(DjangoFilterBackend, "get_filterset", get_filterset):
        response = api.get(reverse("api:dossier-list") + query)
    return response, len(built)


def test_no_filter_named_no_filter_set_built(api):
    response, built = _get(api, "")
    assert response.status_code == 200 and response.json()["count"] == 3
    assert built == 0
    response, built = _get(api, "?page=1")
    assert response.json()["count"] == 3 and built == 0


def test_a_named_filter_filters(api):
    response, built = _get(api, "?status=submitted")
    assert response.json()["count"] == 2 and built == 1
    response, built = _get(api, "?status=nope")
    assert response.status_code == 400 and built == 1


def test_an_unknown_parameter_takes_the_usual_way(api):
    response, built = _get(api, "?page_size=1")
    assert response.json()["count"] == 3 and built == 1


def test_a_filter_set_with_its_own_filtering_always_runs():
    """The audit log's filter set overrides ``filter_queryset``: it is never skipped."""
    from centres.api.audit import AuditEntryViewSet
    from centres.models import AuditEntry

    class Request:
        query_params = {}

    with mock.patch.object(DjangoFilterBackend, "filter_queryset", return_value="ran") as usual:
        answer = FilterBackend().filter_queryset(
            Request(), AuditEntry.objects.none(), AuditEntryViewSet()
        )
    assert answer == "ran" and usual.called
