"""A small cache-based rate limit per client IP (fixed window), for the public pages.

``settings.VERIFICATION_RATE`` is ``"<count>/<period>"`` with period ``s``, ``min`` or
``h`` (e.g. ``"30/min"``). Behind a reverse proxy set ``VERIFICATION_CLIENT_IP_HEADER``
(e.g. ``"HTTP_X_REAL_IP"``) to the header the proxy sets, or every client shares one IP.
"""

import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.cache import throttle_store as cache  # Redis, or this process's while it is down
from core.http import client_ip

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    try:
        count, period = rate.split("/")
        return int(count), PERIODS[period.strip().lower()]
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"Invalid rate {rate!r}: expected e.g. '30/min'") from exc


def allow(request, *, scope: str = "verification") -> bool:
    """Count this request; ``False`` once the client exceeded the rate in this window."""
    limit, period = parse_rate(getattr(settings, "VERIFICATION_RATE", "30/min"))
    window = int(time.time() // period)
    header = getattr(settings, "VERIFICATION_CLIENT_IP_HEADER", "")
    key = f"throttle:{scope}:{client_ip(request, header=header) or 'unknown'}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        count = 1
    return count <= limit
