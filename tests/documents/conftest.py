import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    """The verification page counts requests per IP in the cache: start and end clean."""
    cache.clear()
    yield
    cache.clear()
