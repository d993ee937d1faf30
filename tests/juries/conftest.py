import contextlib

import pytest
from django.core.cache import cache

from centres.access import build_actor

from .factories import referential, travel_to


@pytest.fixture
def version(db):
    return referential()


@pytest.fixture
def staff(world):
    return build_actor(world.user("staff"))


@pytest.fixture(autouse=True)
def _no_pdf_rendering(monkeypatch):
    """Documents are requested (rows written) but not rendered, except where a test
    renders on purpose."""
    monkeypatch.setattr("documents.services.enqueue_render", lambda document_id: True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The session board is cached (``juries.board``): each test starts from an empty
    cache, as after a deployment."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    """``clock(moment)`` moves the clock to ``moment`` for the rest of the test (see
    ``factories.travel_to``)."""
    with contextlib.ExitStack() as stack:
        yield lambda moment: stack.enter_context(travel_to(moment))
