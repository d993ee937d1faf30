import pytest

from centres.access import build_actor

from .factories import agreed_dossier, assessor, referential, seated_session


@pytest.fixture
def version(db):
    return referential()


@pytest.fixture
def dossier(world, version):
    return agreed_dossier(
        world.centre_a, version, company=world.company_a, birth_name="Martin", first_names="Claire"
    )


@pytest.fixture
def assessors(world):
    return [world.user("assessor"), assessor(world.centre_a, "assessor_a2")]


@pytest.fixture
def session(world, dossier, assessors):
    return seated_session(world, [dossier], assessors=assessors)


@pytest.fixture
def grid(session, dossier):
    return dossier.grids.order_by("competence__number").first()


@pytest.fixture
def staff(world):
    return build_actor(world.user("staff"))
