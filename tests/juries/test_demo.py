"""The juries demo: a decided session (awarded, partial, not awarded) and an open session
ready to deliberate, in each centre; every dossier on an agenda went through the real
evaluation (signed grids with proposals, the company avis signed or not obtained);
idempotent."""

import pytest

from candidates.models import DossierStatus
from centres.access import build_actor
from centres.models import AuditEntry
from centres.roles import Role
from documents.models import CertificateRecord
from evaluations.models import (
    CompanyOpinion,
    ConflictDeclaration,
    CriterionScore,
    Grid,
    GridStatus,
    OpinionStatus,
)
from evaluations.services.readiness import readiness_problems
from juries import demo
from juries.composition import check_composition
from juries.models import AgendaItem, Decision, JurySession, Outcome, SessionStatus, Vote
from tests.evaluations.factories import assessor

from .factories import jurors

pytestmark = pytest.mark.django_db


def test_seed_builds_both_sessions_and_is_idempotent(world, version, settings):
    settings.DEBUG = True
    users = jurors(world, 4)
    context = {
        "centres": {"a": world.centre_a},
        "roles": {
            "a": {
                Role.STAFF: [world.user("staff")],
                Role.ASSESSOR: [world.user("assessor"), assessor(world.centre_a, "demo.deux")],
            }
        },
        "jurors": {"a": {"employer": users[:2], "employee": users[2:]}},
    }
    demo.seed(context)
    decided = JurySession.objects.get(label=demo.LABEL_DECIDED)
    assert decided.status == SessionStatus.CLOSED
    outcomes = sorted(
        Decision.objects.filter(item__session=decided).values_list("outcome", flat=True)
    )
    assert outcomes == sorted([Outcome.AWARDED, Outcome.PARTIAL, Outcome.NOT_AWARDED])
    assert decided.minutes_signatures.count() == 4
    # the PV was produced during the seed and signed through the service (the seed stands
    # for the re-authentication), which issued the parchemin and the attestation
    signatures = decided.minutes_signatures.all()
    assert {s.proof for s in signatures} == {"seed"}
    assert len({s.document_sha256 for s in signatures}) == 1 and signatures[0].document_sha256
    assert sorted(
        CertificateRecord.objects.filter(centre=world.centre_a).values_list("kind", flat=True)
    ) == ["attestation", "certificate"]
    opened = JurySession.objects.get(label=demo.LABEL_OPEN)
    assert opened.status == SessionStatus.OPEN and opened.agenda.count() == 2
    assert _agenda_went_through_evaluation(decided, opened) == {
        "PERROT": "signed",
        "ROCHE": "unavailable",
        "MÉNARD": "signed",
        "FABRE": "signed",
        "COLIN": "unavailable",
    }
    composition = check_composition(opened)
    assert not composition.errors and not composition.deliberation_errors
    # staff can start the deliberation right away
    from juries import services

    services.start_deliberation(opened, actor=build_actor(world.user("staff")))
    counts = (JurySession.objects.count(), AuditEntry.objects.count())
    demo.seed(context)
    assert (JurySession.objects.count(), AuditEntry.objects.count()) == counts
    assert any("Jurys" in line for line in context["summary"])
    # documents.demo is told the certificates come from a real jury
    assert [batch[0] for batch in context["document_batches"]] == [world.centre_a] * 2
    assert any("/verifier/" in line and "Parchemin" in line for line in context["summary"])


def _agenda_went_through_evaluation(decided, opened):
    """Every agenda dossier: signed grids (both assessors, declarations accepted) with a
    proposal for each competence, every criterion scored, the readiness rule satisfied, the
    decided votes following the proposals. Returns the avis status per candidate."""
    avis = {}
    for item in AgendaItem.objects.filter(session__in=[decided, opened]):
        dossier = item.dossier
        codes = set(dossier.competences.values_list("competence_id", flat=True))
        grids = Grid.objects.filter(dossier=dossier)
        assert set(grids.values_list("competence_id", flat=True)) == codes
        assert not grids.exclude(status=GridStatus.SIGNED).exists()
        assert not grids.filter(proposal="").exists()
        assert all(grid.signatures.count() == 2 for grid in grids)
        assert not CriterionScore.objects.filter(grid__in=grids, state="").exists()
        declarations = ConflictDeclaration.objects.filter(dossier=dossier)
        assert declarations.count() == 2 and all(d.accepted for d in declarations)
        if dossier.status == DossierStatus.READY_FOR_JURY:
            assert readiness_problems(dossier) == []
        proposals = dict(grids.values_list("competence_id", "proposal"))
        if item.session_id == decided.pk:
            for vote in Vote.objects.filter(item=item).exclude(competence__code="C5"):
                assert vote.value == proposals[vote.competence_id]
        avis[dossier.candidate.birth_name.upper()] = (
            CompanyOpinion.objects.filter(dossier=dossier).values_list("status", flat=True).get()
        )
    not_acquired = Grid.objects.filter(dossier__jury_items__session=opened, proposal="non_acquise")
    assert not_acquired.exists()  # the commission proposes "non acquise", with a reason
    assert not not_acquired.filter(proposal_justification="").exists()
    assert CompanyOpinion.objects.filter(
        status=OpinionStatus.SIGNED, items__value="unfavourable"
    ).exists()  # the company disagrees with the commission somewhere
    return avis
