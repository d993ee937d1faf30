import datetime

import pytest

from centres.access import build_actor

from .factories import build_referential


@pytest.fixture
def version(db):
    return build_referential()


@pytest.fixture
def qualification(version):
    return version.qualification


@pytest.fixture
def staff(world):
    return build_actor(world.user("staff"))


@pytest.fixture
def admin_actor(world):
    return build_actor(world.user("centre_admin"))


@pytest.fixture
def candidate_data():
    return {
        "birth_name": "Martin",
        "usage_name": "",
        "first_names": "Claire Anne",
        "sex": "F",
        "birth_date": datetime.date(1988, 3, 14),
        "birth_commune": "Saint-Étienne",
        "birth_department": "42",
        "birth_country": "France",
        "email": "claire.martin@example.org",
        "phone": "06 12 34 56 78",
        "address": "1 rue de la Paix\n42000 Saint-Étienne",
        "access_status": "salarie",
    }
