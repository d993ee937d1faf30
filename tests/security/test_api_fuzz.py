"""Hostile input on the API: schemathesis generates requests from the OpenAPI schema at
/api/v1/schema/ (loaded from the app itself through WSGI, so every endpoint any app adds is
covered without a list here), and sends them as the roles of the two-centre world
(token + ``X-Centre``), one role after the other. No response may be a server error, and
every response whose status the schema documents must match the documented body.

Bounded: five examples per operation, each sent as the next role in turn
(``API_FUZZ_EXAMPLES`` raises it), no shrinking, deterministic generation, so the run stays
within a couple of minutes on two cores.
"""

import itertools
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance

from parchemin.wsgi import application
from tests.factories import api_key

ROLES = ("centre_admin", "staff", "assessor", "juror", "company_rep")
# One example per role and operation by default (each generated request is sent as the next
# role in turn): ~550 requests for the whole API.
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", str(len(ROLES))))

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE],
    max_examples=EXAMPLES,
    no_shrink=True,
    deterministic=True,
    database="none",
)


@pytest.fixture
def role_headers(world):
    """Authentication headers of each role of centre A (its tokens, its centre)."""
    headers = {}
    for role in ROLES:
        headers[role] = {
            "Authorization": f"Token {api_key(world.user(role))}",
            "X-Centre": str(world.centre_a.pk),
        }
    headers["turn"] = itertools.cycle(ROLES)
    return headers


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection when a request ends (Django's test
    client prevents it the same way): keep it, it holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _quiet_throttles(settings):
    """Thousands of requests in a minute: the throttles are tested elsewhere."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "100000/minute",
            "user": "100000/minute",
            "token": "100000/minute",
        },
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_fails_and_answers_as_documented(case, role_headers):
    role = next(role_headers["turn"])
    case.call_and_validate(
        headers=role_headers[role],
        checks=[not_a_server_error, response_schema_conformance],
    )
