"""API token authentication (``accounts.authentication``): the token the centre middleware
resolved is not looked up again, and every other case keeps the full lookup's answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from accounts.authentication import MiddlewareTokenAuthentication
from tests.factories import api_key

pytestmark = pytest.mark.django_db


def _token_reads(queries):
    return [q["sql"] for q in queries if 'FROM "centres_apitoken"' in q["sql"]]


def test_the_token_is_read_once(api_client, world):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(world.user('staff'))}")
    url = reverse("api:candidate-list")
    api_client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = api_client.get(url)
    assert response.status_code == 200
    assert len(_token_reads(ctx.captured_queries)) == 1
    # ... and it is the only query about the token: no write on every request.
    assert not [q for q in ctx.captured_queries if "centres_apitoken" in q["sql"]][1:]


@pytest.mark.parametrize("header", ["Token nope", "Token", "Token a b", "token nope"])
def test_a_bad_token_is_a_401(api_client, world, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    response = api_client.get(reverse("api:candidate-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_inactive_users_token_is_refused(api_client, world):
    user = world.user("staff")
    key = api_key(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get(reverse("api:candidate-list"))
    assert response.status_code == 401


def test_a_token_beside_a_session_is_the_full_lookup(api_client, world):
    """The middleware keeps the session user; the authentication reads the token."""
    api_client.force_login(world.user("company_rep"))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(world.user('staff'))}")
    with CaptureQueriesContext(connection) as ctx:
        api_client.get(reverse("api:candidate-list"))
    assert len(_token_reads(ctx.captured_queries)) == 1  # the view's, not the middleware's


def test_without_the_middleware_it_is_the_full_lookup(world):
    key = api_key(world.user("staff"))
    request = Request(APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {key}"))
    user, token = MiddlewareTokenAuthentication().authenticate(request)
    assert user == world.user("staff")
    assert token.prefix == key[:8]
