import pytest
from django.core.cache import cache

from .factories import load_seed, seed_document


@pytest.fixture
def document():
    """A fresh copy of the seed document, free to break."""
    return seed_document()


@pytest.fixture
def referential(db):
    """The seed referential (Manager de secteur d'activités v1, published) loaded."""
    return load_seed()


@pytest.fixture
def clear_throttle_cache():
    """The token endpoint's throttle counts in the cache: start every test from zero."""
    cache.clear()
    yield
    cache.clear()
