"""API throttles whose rates follow the settings, with a compact request history.

DRF's throttles read their rates once, at import time (``SimpleRateThrottle.THROTTLE_RATES``
is a class attribute), so a rate changed in the settings afterwards is silently ignored.
These read ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` on every request: the env-driven
values apply, and a test may lower them with the ``settings`` fixture.

DRF keeps each client's history (the times of its requests within the period, newest
first) as a Python list, read from and written back to the cache on every request: the
pickling grows with the rate (2,000 floats at 2000/minute, ~50 µs; ten times that under a
benchmark's rate). Here the same history is a packed ``array("d")``, which pickles as one
block of bytes: same sliding window, same decisions and ``Retry-After``, a few µs whatever
its length. A list left in the cache by an older version is read as well.

The histories live in ``core.cache.throttle_store``: Redis, or a per-process cache while
Redis is down (the rates still apply, per process, instead of switching off).
"""

from array import array

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from core.cache import throttle_store


class _PackedHistories:
    """The cache as DRF's throttles use it (``get(key, [])``, ``set(key, history, ttl)``),
    handing each history back as an ``array("d")``: DRF's own code then pops, inserts and
    stores that array, unchanged."""

    def __init__(self, cache):
        self._cache = cache

    def get(self, key, default=None):
        history = self._cache.get(key)
        return history if isinstance(history, array) else array("d", history or ())

    def set(self, key, value, timeout=None):
        self._cache.set(key, value, timeout)


class _SettingsRates:
    cache = _PackedHistories(throttle_store)  # Redis, or this process's while it is down

    def get_rate(self):
        rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
        if self.scope not in rates:
            raise ImproperlyConfigured(f"No API throttle rate for the scope {self.scope!r}")
        return rates[self.scope]


class AnonThrottle(_SettingsRates, AnonRateThrottle):
    """Anonymous API clients, per IP address (scope ``anon``)."""


class UserThrottle(_SettingsRates, UserRateThrottle):
    """Authenticated API clients, per user (scope ``user``)."""


class ScopedThrottle(_SettingsRates, ScopedRateThrottle):
    """Per-view scopes (``throttle_scope = "token"``…)."""
