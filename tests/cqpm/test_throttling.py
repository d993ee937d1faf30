"""API throttles (``core.api.throttling``): DRF's sliding window and answers, with each
client's history kept in the cache as a packed ``array("d")``."""

import random
from array import array
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from rest_framework.throttling import UserRateThrottle

from core.api.throttling import UserThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "user": "5/minute",
        },
    }


class _DrfUser(UserRateThrottle):
    """DRF's own throttle with the same rate, keyed apart in the same cache."""

    rate = "5/minute"

    def get_cache_key(self, request, view):
        return "drf-" + super().get_cache_key(request, view)


def _request(pk=7):
    return SimpleNamespace(user=SimpleNamespace(pk=pk, is_authenticated=True))


def _ask(throttle_class, now):
    throttle = throttle_class()
    throttle.timer = lambda: now
    allowed = throttle.allow_request(_request(), view=None)
    return allowed, (None if allowed else throttle.wait())


def test_same_decisions_and_waits_as_drf(rate):
    clock = 1_000_000.0
    draw = random.Random(3)
    for _ in range(200):
        clock += draw.choice([0.1, 1.0, 5.0, 13.0, 61.0])
        assert _ask(UserThrottle, clock) == _ask(_DrfUser, clock)


def test_the_history_is_a_packed_array(rate):
    for now in (10.0, 11.0, 12.0):
        assert _ask(UserThrottle, now) == (True, None)
    stored = cache.get(UserThrottle().get_cache_key(_request(), None))
    assert isinstance(stored, array) and list(stored) == [12.0, 11.0, 10.0]


def test_a_list_left_by_drf_is_read(rate):
    key = UserThrottle().get_cache_key(_request(), None)
    cache.set(key, [104.0, 103.0, 102.0, 101.0, 100.0], 60)
    allowed, wait = _ask(UserThrottle, 105.0)
    assert not allowed and wait == pytest.approx(55.0)
    assert _ask(UserThrottle, 160.5) == (True, None)  # the oldest left the window
