"""Rate limits with Redis down (issue 14, finding 10): the tolerant cache read an outage as
a miss, so every counter restarted at 1 and the verification page's 30/min and the API rates
switched off. The counters now fall back to a per-process cache (``core.cache.throttle_store``)
and ``/healthz`` says so."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.urls import reverse

from core import cache as cqpm_cache
from core.cache import THROTTLE_DEGRADED, THROTTLE_LOCAL, THROTTLE_SHARED, throttle_store
from tests.documents.factories import issue
from tests.factories import api_key

pytestmark = pytest.mark.django_db

CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1
LIVE_REDIS = os.environ.get("CI_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_cache(location, prefix="parchemin"):
    return {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture(autouse=True)
def _fresh_store():
    throttle_store.local.clear()
    throttle_store.failed_at = None
    yield
    throttle_store.local.clear()
    throttle_store.failed_at = None
    caches["default"].close()


@pytest.fixture
def redis_down(settings):
    settings.CACHES = _redis_cache(CLOSED_REDIS)


@pytest.fixture
def rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "token": "3/minute",
            "user": "3/minute",
        },
    }


def _verify(client, record):
    return client.get(reverse("verification:verify", kwargs={"code": record.display_code}))


def test_the_verification_page_is_still_throttled_without_redis(
    redis_down, world, client, settings
):
    settings.VERIFICATION_RATE = "3/min"
    record = issue(world.centre_a)
    assert [_verify(client, record).status_code for _ in range(3)] == [200, 200, 200]
    throttled = _verify(client, record)
    assert throttled.status_code == 429
    assert "Trop de demandes" in throttled.content.decode()
    other_ip = client.get(
        reverse("verification:verify", kwargs={"code": record.display_code}),
        REMOTE_ADDR="192.0.2.7",
    )
    assert other_ip.status_code == 200  # still per client, and the site still serves


def test_the_token_endpoint_is_still_throttled_without_redis(redis_down, rates, api_client):
    url = reverse("api:auth-token")
    statuses = [api_client.post(url, {}, format="json").status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_the_api_user_rate_still_applies_without_redis(redis_down, rates, world, api_client):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(world.user('staff'))}")
    url = reverse("api:company-list")
    statuses = [api_client.get(url).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Retry-After" in api_client.get(url)


def test_healthz_says_the_throttles_are_per_process_while_redis_is_down(redis_down, client):
    health = client.get(reverse("healthz"))
    body = health.json()
    assert body["throttle"] == THROTTLE_DEGRADED == "degraded (per-process)"
    # the existing convention: the cache being down is an error (503); the throttle is a
    # fallback and does not add one
    assert health.status_code == 503 and body["cache"] == "error"


def test_healthz_on_the_embedded_default_says_per_process(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    health = client.get(reverse("healthz"))
    assert health.status_code == 200
    assert health.json()["throttle"] == THROTTLE_LOCAL == "per-process"


def test_with_redis_up_the_counters_are_shared_and_healthz_says_ok(world, client, settings):
    settings.CACHES = _redis_cache(LIVE_REDIS, prefix=f"parchemin-test-{uuid.uuid4().hex}")
    settings.VERIFICATION_RATE = "3/min"
    record = issue(world.centre_a)
    assert [_verify(client, record).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert not throttle_store.local._cache  # counted in Redis, not in the process
    health = client.get(reverse("healthz"))
    assert health.status_code == 200 and health.json()["throttle"] == THROTTLE_SHARED == "ok"
    caches["default"].clear()


def test_redis_is_asked_again_once_it_may_be_back(settings, monkeypatch):
    """During an outage Redis is not asked on every request (each attempt costs the
    connection timeout), but again after THROTTLE_RETRY_SECONDS."""
    settings.CACHES = _redis_cache(CLOSED_REDIS)
    attempts = []
    original = cqpm_cache.RedisCache.incr

    def counting_incr(self, *args, **kwargs):
        attempts.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cqpm_cache.RedisCache, "incr", counting_incr)
    throttle_store.add("k", 0, 60)
    assert [throttle_store.incr("k") for _ in range(3)] == [1, 2, 3]  # counted per process
    assert attempts == []  # the failed add opened the window: no new attempt
    throttle_store.failed_at -= cqpm_cache.THROTTLE_RETRY_SECONDS
    assert throttle_store.incr("k") == 4
    assert attempts == [1]
