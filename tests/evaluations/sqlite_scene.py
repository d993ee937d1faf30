"""The scene of the offline-burst browser test, built in a server's own database (the
embedded SQLite default, not the test database): a centre with its staff, two seated and
declared assessors and ``dossiers`` agreed dossiers, each on one competence of ``criteria``
criteria (one grid per dossier, so that each test scores a fresh grid).

Run as ``python -m tests.evaluations.sqlite_scene CRITERIA DOSSIERS`` with the server's
environment (``VAR_DIR``, no ``DATABASE_URL``) after ``migrate``; prints the grids' ids and
the assessor's username as JSON on its last line."""

import json
import sys
from types import SimpleNamespace

import django

CANDIDATES = [("Lambert", "Élodie"), ("Roux", "Marc"), ("Garnier", "Inès"), ("Perrin", "Luc")]


def build(criteria: int, dossiers: int) -> dict:
    from django_scopes import scopes_disabled

    from centres.roles import Role
    from tests.factories import CentreFactory, CompanyFactory, user_with_role

    from .factories import agreed_dossier, assessor, referential, seated_session

    with scopes_disabled():
        centre = CentreFactory(name="UIMM Centre A", slug="centre-a")
        company = CompanyFactory(centre=centre, name="Société Alpha")
        staff = user_with_role(centre, Role.STAFF, username="staff_a")
        members = [assessor(centre, "assessor_a"), assessor(centre, "assessor.deux")]
        world = SimpleNamespace(centre_a=centre, user=lambda role: staff)
        version = referential(criteria=criteria, competences=1)
        folders = [
            agreed_dossier(centre, version, company=company, birth_name=last, first_names=first)
            for last, first in CANDIDATES[:dossiers]
        ]
        seated_session(world, folders, assessors=members)
        grids = [dossier.grids.get().pk for dossier in folders]
        return {"grids": grids, "username": members[0].username}


if __name__ == "__main__":
    django.setup()
    print(json.dumps(build(int(sys.argv[1]), int(sys.argv[2]))))
