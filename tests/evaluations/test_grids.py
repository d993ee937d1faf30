"""Scoring, proposals, stale versions, signing and locking, reopening (services)."""

import pytest

from candidates.models import DossierStatus
from centres.models import AuditEntry
from evaluations import services
from evaluations.errors import EvaluationError, StaleScoreError, StaleVersionError
from evaluations.models import CriterionScore, GridEvent, GridReopening, GridStatus

from .factories import complete, score_all, sign_by_all


def _score(grid, *, conditional=False):
    return (
        grid.scores.select_related("criterion")
        .filter(criterion__conditional="handicap" if conditional else "")
        .first()
    )


def test_grids_are_created_with_one_empty_score_per_criterion(session, dossier):
    grids = list(dossier.grids.all())
    assert len(grids) == 2
    for grid in grids:
        assert grid.session_id == session.pk and grid.status == GridStatus.OPEN
        assert grid.scores.count() == 4
        assert set(grid.scores.values_list("state", flat=True)) == {""}
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_EVALUATION


def test_score_records_author_version_and_event(grid, assessors):
    score = _score(grid)
    saved = services.score_criterion(
        grid,
        score.criterion,
        "satisfied",
        "Bien observé",
        expected_version=1,
        actor=assessors[0],
    )
    assert saved.state == "satisfied" and saved.comment == "Bien observé"
    assert saved.version == 2 and saved.updated_by == assessors[0]
    event = GridEvent.objects.get(score=score)
    assert event.author == assessors[0]
    assert event.before["state"] == "" and event.after["state"] == "satisfied"
    # the same value again: nothing written
    again = services.score_criterion(
        grid,
        score.criterion,
        "satisfied",
        "Bien observé",
        expected_version=2,
        actor=assessors[1],
    )
    assert again.version == 2 and again.updated_by == assessors[0]
    assert GridEvent.objects.filter(score=score).count() == 1


def test_stale_version_is_refused_with_the_current_value(grid, assessors):
    score = _score(grid)
    services.score_criterion(
        grid, score.criterion, "satisfied", expected_version=1, actor=assessors[0]
    )
    with pytest.raises(StaleScoreError) as exc:
        services.score_criterion(
            grid, score.criterion, "not_satisfied", expected_version=1, actor=assessors[1]
        )
    assert isinstance(exc.value, StaleVersionError) and exc.value.status_code == 412
    assert exc.value.current.state == "satisfied"
    assert exc.value.current.updated_by == assessors[0]
    assert CriterionScore.objects.get(pk=score.pk).state == "satisfied"


def test_not_applicable_needs_a_justification_unless_conditional(grid, assessors):
    plain, conditional = _score(grid), _score(grid, conditional=True)
    with pytest.raises(EvaluationError) as exc:
        services.score_criterion(
            grid, plain.criterion, "not_applicable", expected_version=1, actor=assessors[0]
        )
    assert exc.value.code == "justification_required"
    ok = services.score_criterion(
        grid,
        plain.criterion,
        "not_applicable",
        justification="Pas de poste de ce type",
        expected_version=1,
        actor=assessors[0],
    )
    assert ok.state == "not_applicable"
    cond = services.score_criterion(
        grid,
        conditional.criterion,
        "not_applicable",
        expected_version=1,
        actor=assessors[0],
    )
    assert cond.state == "not_applicable" and cond.justification == ""


def test_unknown_state_and_foreign_criterion_are_refused(grid, dossier, assessors):
    score = _score(grid)
    with pytest.raises(EvaluationError):
        services.score_criterion(
            grid, score.criterion, "bof", expected_version=1, actor=assessors[0]
        )
    other_grid = dossier.grids.exclude(pk=grid.pk).get()
    foreign = other_grid.scores.first().criterion
    with pytest.raises(EvaluationError) as exc:
        services.score_criterion(grid, foreign, "satisfied", expected_version=1, actor=assessors[0])
    assert exc.value.code == "unknown_criterion"


def test_only_declared_members_score(world, grid, session, dossier):
    score = _score(grid)
    for user in (world.user("staff"), world.user("assessor", "b")):
        with pytest.raises(EvaluationError):
            services.score_criterion(
                grid, score.criterion, "satisfied", expected_version=1, actor=user
            )
    # a member who has not signed the declaration yet
    from .factories import assessor

    newcomer = assessor(world.centre_a, "newcomer")
    services.add_member(session, newcomer, actor=world.user("staff"))
    with pytest.raises(EvaluationError) as exc:
        services.score_criterion(
            grid, score.criterion, "satisfied", expected_version=1, actor=newcomer
        )
    assert exc.value.code == "declaration_required"


def test_proposal_non_acquise_needs_a_justification(grid, assessors):
    with pytest.raises(EvaluationError) as exc:
        services.set_proposal(grid, "non_acquise", "", expected_version=1, actor=assessors[0])
    assert exc.value.code == "justification_required"
    grid = services.set_proposal(
        grid,
        "non_acquise",
        "Objectifs non atteints",
        expected_version=1,
        actor=assessors[0],
    )
    assert grid.proposal == "non_acquise" and grid.version == 2
    with pytest.raises(StaleVersionError):
        services.set_proposal(grid, "acquise", expected_version=1, actor=assessors[1])
    assert AuditEntry.objects.filter(action="grid.proposal", subject_id=str(grid.pk)).exists()


def test_sign_needs_a_complete_grid(grid, assessors):
    with pytest.raises(EvaluationError) as exc:
        services.sign_grid(grid, actor=assessors[0])
    assert exc.value.code == "grid_incomplete"
    score_all(grid, assessors[0])
    with pytest.raises(EvaluationError) as exc:
        services.sign_grid(grid, actor=assessors[0])
    assert "proposition" in str(exc.value.message)


def test_every_present_member_signs_then_the_grid_is_locked(grid, assessors):
    complete(grid, assessors[0])
    services.sign_grid(grid, actor=assessors[0])
    grid.refresh_from_db()
    assert grid.status == GridStatus.OPEN and grid.signatures.count() == 1
    services.sign_grid(grid, actor=assessors[1])
    grid.refresh_from_db()
    assert grid.status == GridStatus.SIGNED and grid.locked_at is not None
    score = _score(grid)
    with pytest.raises(EvaluationError) as exc:
        services.score_criterion(
            grid,
            score.criterion,
            "not_satisfied",
            expected_version=score.version,
            actor=assessors[0],
        )
    assert exc.value.code == "grid_locked"
    with pytest.raises(EvaluationError):
        services.set_proposal(
            grid, "non_acquise", "x", expected_version=grid.version, actor=assessors[0]
        )


def test_a_change_after_a_signature_clears_it(grid, assessors):
    complete(grid, assessors[0])
    services.sign_grid(grid, actor=assessors[0])
    score = _score(grid)
    services.score_criterion(
        grid,
        score.criterion,
        "not_satisfied",
        expected_version=score.version,
        actor=assessors[1],
    )
    assert grid.signatures.count() == 0
    assert GridEvent.objects.filter(grid=grid, action="signatures_cleared").exists()


def test_absent_member_does_not_sign_and_is_not_required(world, grid, session, assessors):
    from .factories import assessor, declare

    third = assessor(world.centre_a, "assessor_a3")
    services.add_member(session, third, actor=world.user("staff"))
    declare(third, session, grid.dossier)
    member = session.members.get(user=third)
    services.set_presence(member, False, actor=world.user("staff"))
    complete(grid, assessors[0])
    with pytest.raises(EvaluationError) as exc:
        services.sign_grid(grid, actor=third)
    assert exc.value.code == "not_present"
    grid = sign_by_all(grid, assessors)
    assert grid.status == GridStatus.SIGNED


def test_commission_minimum_is_required_to_lock(world, version, assessors):
    from .factories import agreed_dossier, seated_session

    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    session = seated_session(world, [dossier], assessors=assessors[:1])
    grid = dossier.grids.first()
    complete(grid, assessors[0])
    services.sign_grid(grid, actor=assessors[0])
    grid.refresh_from_db()
    assert grid.status == GridStatus.OPEN  # one signer, the centre requires two
    assert session.centre.commission_min_assessors == 2


def test_reopen_needs_staff_and_a_reason_and_is_audited(world, grid, assessors, staff):
    complete(grid, assessors[0])
    sign_by_all(grid, assessors)
    with pytest.raises(EvaluationError) as exc:
        services.reopen_grid(grid, actor=assessors[0], reason="Erreur")
    assert exc.value.code == "permission_denied"
    with pytest.raises(EvaluationError) as exc:
        services.reopen_grid(grid, actor=staff, reason="  ")
    assert exc.value.code == "reason_required"
    grid = services.reopen_grid(grid, actor=staff, reason="Critère mal saisi")
    assert grid.status == GridStatus.REOPENED and grid.locked_at is None
    assert grid.signatures.count() == 0
    reopening = GridReopening.objects.get(grid=grid)
    assert reopening.staff == world.user("staff") and reopening.reason == "Critère mal saisi"
    assert len(reopening.previous_signatures) == 2
    entry = AuditEntry.objects.get(action="grid.reopened", subject_id=str(grid.pk))
    assert entry.reason == "Critère mal saisi" and entry.actor == world.user("staff")
    # editable again, and signing again locks it again
    score = _score(grid)
    services.score_criterion(
        grid,
        score.criterion,
        "not_satisfied",
        expected_version=score.version,
        actor=assessors[0],
    )
    grid = sign_by_all(grid, assessors)
    assert grid.status == GridStatus.SIGNED


def test_reopen_refuses_an_unsigned_grid(grid, staff):
    with pytest.raises(EvaluationError) as exc:
        services.reopen_grid(grid, actor=staff, reason="x")
    assert exc.value.code == "not_signed"


def test_marking_the_last_unsigned_member_absent_locks_the_grid(
    world, grid, session, assessors, staff
):
    from .factories import assessor, declare

    third = assessor(world.centre_a, "assessor_a3")
    services.add_member(session, third, actor=staff)
    declare(third, session, grid.dossier)
    complete(grid, assessors[0])
    grid = sign_by_all(grid, assessors)
    assert grid.status == GridStatus.OPEN  # the third member has not signed
    services.set_presence(session.members.get(user=third), False, actor=staff)
    grid.refresh_from_db()
    assert grid.status == GridStatus.SIGNED
