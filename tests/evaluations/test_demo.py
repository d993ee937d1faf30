"""The demo seed: grids in every state, avis given, refused and missing; idempotent."""

from candidates import demo as candidates_demo
from centres.roles import Role
from evaluations import demo
from evaluations.models import (
    CompanyOpinion,
    EvaluationSession,
    Grid,
    GridStatus,
    OpinionStatus,
)
from tests.cqpm.factories import load_seed

from .factories import assessor


def test_seed_gives_every_state_and_is_idempotent(world, settings):
    settings.DEBUG = True
    load_seed()
    context = {
        "centres": {"a": world.centre_a},
        "companies": {"a": [world.company_a]},
        "roles": {
            "a": {
                Role.STAFF: [world.user("staff")],
                Role.ASSESSOR: [world.user("assessor"), assessor(world.centre_a, "demo.deux")],
            }
        },
        "representatives": {world.company_a.pk: world.user("company_rep")},
    }
    candidates_demo.seed(context)
    demo.seed(context)
    sessions = EvaluationSession.objects.filter(centre=world.centre_a)
    assert set(sessions.values_list("status", flat=True)) == {"in_progress", "planned"}
    grids = Grid.objects.filter(centre=world.centre_a)
    assert set(grids.values_list("status", flat=True)) == set(GridStatus.values)
    assert grids.filter(status=GridStatus.OPEN, scores__state="satisfied").exists()  # partly
    assert grids.filter(status=GridStatus.OPEN, scores__state="").exists()
    opinions = CompanyOpinion.objects.filter(centre=world.centre_a)
    assert set(opinions.values_list("status", flat=True)) == set(OpinionStatus.values)
    in_sessions = grids.values("dossier").distinct().count()
    assert in_sessions > opinions.count()  # some dossiers still wait for their avis
    assert any("Évaluations" in line for line in context["summary"])
    counts = (sessions.count(), grids.count(), opinions.count())
    demo.seed(context)
    assert (sessions.count(), grids.count(), opinions.count()) == counts
