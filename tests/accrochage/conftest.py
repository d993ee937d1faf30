import pytest
from django_scopes import scope

from centres.access import build_actor

from .factories import born_in_lyon


@pytest.fixture
def staff(world):
    return build_actor(world.user("staff"))


@pytest.fixture
def lyon(monkeypatch):
    """Candidates born in Lyon (INSEE code 69123)."""
    born_in_lyon(monkeypatch)


@pytest.fixture
def in_a(world):
    with scope(centre=world.centre_a):
        yield world.centre_a
