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
