"""API token authentication (``cqpm.authentication``): the token the centre middleware
resolved is not looked up again by DRF, and every other case keeps DRF's answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from cqpm.authentication import MiddlewareTokenAuthentication

pytestmark = pytest.mark.django_db


def _token(user):
    return Token.objects.get_or_create(user=user)[0].key


def _token_reads(queries):
    return [q["sql"] for q in queries if 'FROM "authtoken_token"' in q["sql"]]


def test_the_token_is_read_once(api_client, world):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {_token(world.user('staff'))}")
    url = reverse("api:candidate-list")
    api_client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = api_client.get(url)
    assert response.status_code == 200
    assert len(_token_reads(ctx.captured_queries)) == 1


@pytest.mark.parametrize("header", ["Token nope", "Token", "Token a b", "token nope"])
def test_a_bad_token_is_drfs_401(api_client, world, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    response = api_client.get(reverse("api:candidate-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_inactive_users_token_is_refused(api_client, world):
    user = world.user("staff")
    key = _token(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get(reverse("api:candidate-list"))
    assert response.status_code == 401


def test_a_token_beside_a_session_is_drfs_lookup(api_client, world):
    """The middleware keeps the session user; DRF authenticates the token (as before)."""
    api_client.force_login(world.user("company_rep"))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {_token(world.user('staff'))}")
    with CaptureQueriesContext(connection) as ctx:
        api_client.get(reverse("api:candidate-list"))
    assert len(_token_reads(ctx.captured_queries)) == 1  # DRF's own, not the middleware's


def test_without_the_middleware_it_is_drfs_lookup(world):
    key = _token(world.user("staff"))
    request = Request(APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {key}"))
    user, token = MiddlewareTokenAuthentication().authenticate(request)
    assert user == world.user("staff")
    assert token.key == key
