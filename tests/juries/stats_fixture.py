"""A hand-computed fixture for the statistics of results (issue 17).

Centre A, CQPM of the test referential:

- jury of 2025: D1 employee awarded (C1 evaluated acquired, C2 credit), D2 VAE awarded,
  D3 employee partial (C1 acquired, C2 not acquired), D4 apprentice not awarded (C1 not
  acquired), D5 employee absent, D6 VAE awarded *then revoked* (C1 acquired; never counted);
- jury of 2026: D7 VAE not awarded, D8 employee awarded.

Centre B, jury of 2025: three employees awarded (never counted for centre A).
"""

import datetime

from django.utils import timezone
from django_scopes import scopes_disabled

from candidates.models import AccessStatus
from cqpm.models import Competence
from juries.models import (
    AgendaItem,
    CompetenceSource,
    Decision,
    DecisionCompetence,
    JurySession,
    Outcome,
    SessionStatus,
)

from .factories import ready_dossier, referential

E, V, APP = AccessStatus.EMPLOYEE, AccessStatus.VAE, AccessStatus.APPRENTICE
EVAL, CREDIT = CompetenceSource.EVALUATED, CompetenceSource.CREDIT


def _session(centre, version, year):
    moment = timezone.make_aware(datetime.datetime(year, 6, 15, 10, 0))
    return JurySession.objects.create(
        centre=centre,
        qualification=version.qualification,
        starts_at=moment,
        place="Salle",
        status=SessionStatus.CLOSED,
    )


def _decide(session, version, route, outcome, competences=(), *, revoked=False):
    dossier = ready_dossier(session.centre, version, route=route, company=None)
    # registered 30 days before the jury (60 for the 2026 one)
    days = 60 if session.starts_at.year == 2026 else 30
    type(dossier).objects.filter(pk=dossier.pk).update(
        created_at=session.starts_at - datetime.timedelta(days=days)
    )
    item = AgendaItem.objects.create(session=session, dossier=dossier)
    decision = Decision.objects.create(
        centre=session.centre,
        item=item,
        dossier=dossier,
        outcome=outcome,
        decided_at=session.starts_at,
        frozen_at=session.starts_at,
        revoked_at=session.starts_at + datetime.timedelta(days=30) if revoked else None,
    )
    for number, source, acquired in competences:
        DecisionCompetence.objects.create(
            decision=decision,
            competence=Competence.objects.filter(version=version).order_by("number")[number - 1],
            source=source,
            acquired=acquired,
        )
    return decision


def build_statistics_fixture(world):
    version = referential()
    with scopes_disabled():
        s25 = _session(world.centre_a, version, 2025)
        s26 = _session(world.centre_a, version, 2026)
        _decide(s25, version, E, Outcome.AWARDED, [(1, EVAL, True), (2, CREDIT, True)])
        _decide(s25, version, V, Outcome.AWARDED)
        _decide(s25, version, E, Outcome.PARTIAL, [(1, EVAL, True), (2, EVAL, False)])
        _decide(s25, version, APP, Outcome.NOT_AWARDED, [(1, EVAL, False)])
        _decide(s25, version, E, Outcome.ABSENT)
        _decide(s25, version, V, Outcome.AWARDED, [(1, EVAL, True)], revoked=True)
        _decide(s26, version, V, Outcome.NOT_AWARDED)
        _decide(s26, version, E, Outcome.AWARDED)
        b25 = _session(world.centre_b, version, 2025)
        for _ in range(3):
            _decide(b25, version, E, Outcome.AWARDED, [(2, EVAL, True)])
    return version
