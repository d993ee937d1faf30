"""A Redis cache that never takes a page down with it.

Django's ``RedisCache`` raises on a connection error, so a Redis outage would turn every
page that touches the cache (API throttles, the verification page's rate limit…) into a
500. Here a Redis error is logged and treated as a cache miss: reads return the default,
writes do nothing, counters start again from the delta. The cache only ever holds what can
be recomputed; sessions live in the database. Used whenever ``REDIS_URL`` is set.
"""

import functools
import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# One warning per this many seconds at most: an outage must not flood the logs.
WARN_EVERY_SECONDS = 30
_last_warning = [0.0]


def _warn(operation: str, exc: Exception) -> None:
    now = time.monotonic()
    if now - _last_warning[0] >= WARN_EVERY_SECONDS:
        _last_warning[0] = now
        logger.warning("cache unavailable (%s): %s — serving without cache", operation, exc)


def _tolerant(fallback):
    """Run the cache operation; on a Redis error, log and return ``fallback(*args)``."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as exc:
                _warn(method.__name__, exc)
                return fallback(*args, **kwargs)

        return wrapper

    return decorator


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _default(key, default=None, *args, **kwargs):
    return default


def _empty(*args, **kwargs):
    return {}


def _keys_not_set(data, *args, **kwargs):
    return list(data)


def _delta(key, delta=1, *args, **kwargs):
    return delta


def _minus_delta(key, delta=1, *args, **kwargs):
    return -delta


class TolerantRedisCache(RedisCache):
    get = _tolerant(_default)(RedisCache.get)
    add = _tolerant(_false)(RedisCache.add)
    set = _tolerant(_none)(RedisCache.set)
    touch = _tolerant(_false)(RedisCache.touch)
    delete = _tolerant(_false)(RedisCache.delete)
    get_many = _tolerant(_empty)(RedisCache.get_many)
    set_many = _tolerant(_keys_not_set)(RedisCache.set_many)
    delete_many = _tolerant(_none)(RedisCache.delete_many)
    has_key = _tolerant(_false)(RedisCache.has_key)
    incr = _tolerant(_delta)(RedisCache.incr)
    decr = _tolerant(_minus_delta)(RedisCache.decr)
    clear = _tolerant(_false)(RedisCache.clear)


# --- Throttle counters: shared in Redis, per process while Redis is down ---------------------

# While Redis is unreachable, the throttles go back to it after this many seconds (a dead
# Redis costs each request its connection timeout: not on every request of an outage).
THROTTLE_RETRY_SECONDS = 5
THROTTLE_SHARED, THROTTLE_LOCAL, THROTTLE_DEGRADED = "ok", "per-process", "degraded (per-process)"


class ThrottleStore:
    """The cache the rate limits count in (DRF's API throttles, ``documents.throttle``).

    The tolerant cache treats a Redis outage as a miss, which for a counter means "never
    counted": every throttle would switch off while Redis is down. Here the counters go to
    Redis while it answers and, when it does not, to a cache of this process (a LocMemCache):
    the site stays up and each worker process still enforces the rate on its own (a client
    spread over N processes gets at most N times the rate, never unlimited). Without Redis
    at all (the embedded default) the default cache already is per-process.
    """

    def __init__(self):
        from django.core.cache.backends.locmem import LocMemCache

        self.local = LocMemCache("parchemin-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 50000}})
        self.failed_at = None  # time.monotonic() of the last Redis failure, None when it answers

    @staticmethod
    def _shared():
        from django.core.cache import caches

        backend = caches["default"]
        return backend if isinstance(backend, RedisCache) else None

    def _call(self, name, *args, **kwargs):
        from django.core.cache import caches

        shared = self._shared()
        if shared is None:
            return getattr(caches["default"], name)(*args, **kwargs)
        if self.failed_at is None or time.monotonic() - self.failed_at >= THROTTLE_RETRY_SECONDS:
            try:  # RedisCache's own method: raises, where the tolerant one would shrug
                result = getattr(RedisCache, name)(shared, *args, **kwargs)
            except (RedisError, OSError) as exc:
                self.failed_at = time.monotonic()
                _warn(f"throttle {name}", exc)
            else:
                self.failed_at = None
                return result
        return getattr(self.local, name)(*args, **kwargs)

    def get(self, key, default=None):
        return self._call("get", key, default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT):
        return self._call("set", key, value, timeout)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT):
        return self._call("add", key, value, timeout)

    def incr(self, key, delta=1):
        return self._call("incr", key, delta)

    def status(self) -> str:
        """For ``/healthz``: ``ok`` (shared in Redis), ``per-process`` (no Redis configured)
        or ``degraded (per-process)`` (Redis configured but not answering). Asks Redis now."""
        shared = self._shared()
        if shared is None:
            return THROTTLE_LOCAL
        try:
            RedisCache.has_key(shared, "healthz:throttle")
        except (RedisError, OSError) as exc:
            self.failed_at = time.monotonic()
            _warn("throttle status", exc)
            return THROTTLE_DEGRADED
        self.failed_at = None
        return THROTTLE_SHARED


throttle_store = ThrottleStore()
