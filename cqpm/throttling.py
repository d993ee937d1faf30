"""API throttles whose rates follow the settings.

DRF's throttles read their rates once, at import time (``SimpleRateThrottle.THROTTLE_RATES``
is a class attribute), so a rate changed in the settings afterwards is silently ignored.
These read ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` on every request: the env-driven
values apply, and a test may lower them with the ``settings`` fixture.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle


class _SettingsRates:
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
