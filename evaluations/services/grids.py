"""The commission's grids: scoring, the proposal, signatures, locking and reopening.

Every write locks the grid row first (``select_for_update``): the edits of one grid are
serialised, so a signature never races a change. Criterion scores and the proposal carry
their own ``version``; a stale one is refused (``StaleScoreError`` / ``StaleVersionError``,
412 on the API) and the caller gets the current value to show. Any change after a member
signed clears the signatures: a signature always covers the grid as it is."""

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centres import audit
from centres.roles import Capability
from core.services import check_version, user_of
from cqpm.models import Criterion
from evaluations.errors import EvaluationError, StaleScoreError
from evaluations.models import (
    CommissionMember,
    ConflictDeclaration,
    CriterionScore,
    Grid,
    GridEvent,
    GridReopening,
    GridSignature,
    GridStatus,
    Proposal,
    ScoreState,
    SessionStatus,
)
from evaluations.services import notifications, readiness
from evaluations.services.common import require_capability, stale_record

SCORE_FIELDS = ("state", "comment", "justification")


def _snapshot(score) -> dict:
    return {name: getattr(score, name) for name in SCORE_FIELDS}


def already_applied(expected_version, current_version, author_id, user_id, held, wanted) -> bool:
    """A resend of a change already applied: the tablet keeps the version a change was made
    on until it has the answer, so when the answer was lost (network, reload) it sends the
    change again on that older version. The record then holds exactly the value sent, saved
    by the same member: that is the change itself, answered as saved, never as a conflict
    with itself. Any other stale version (another member's change, a different value) is a
    conflict."""
    try:
        expected = int(str(expected_version).strip())
    except (TypeError, ValueError):
        return False
    return expected < current_version and author_id == user_id and held == wanted


def _lock_grid(grid) -> Grid:
    return (
        Grid.objects.select_for_update(of=("self",))
        .select_related("session__centre", "dossier__candidate", "competence")
        .get(pk=grid.pk)
    )


def eligible_member(grid, user) -> CommissionMember:
    """The member of the grid's commission allowed to edit and sign it: in the session, and
    with an accepted conflict declaration for this candidate."""
    member = CommissionMember.objects.filter(session_id=grid.session_id, user=user).first()
    if member is None:
        raise EvaluationError(
            _("Vous n'êtes pas membre de la commission de cette évaluation."), code="not_member"
        )
    declaration = ConflictDeclaration.objects.filter(member=member, dossier_id=grid.dossier_id)
    declaration = declaration.only("accepted", "refusal_reason").first()
    if declaration is None:
        raise EvaluationError(
            _("Signez d'abord votre déclaration d'absence de conflit d'intérêts pour ce candidat."),
            code="declaration_required",
        )
    if not declaration.accepted:
        raise EvaluationError(declaration.refusal_reason, code="conflict_of_interest")
    return member


def _check_editable(grid) -> None:
    if grid.status == GridStatus.SIGNED:
        raise EvaluationError(
            _("La grille est signée et verrouillée : seul le centre peut la rouvrir."),
            code="grid_locked",
        )
    if grid.session.status == SessionStatus.CLOSED:
        raise EvaluationError(_("La session d'évaluation est close."), code="session_closed")


def check_justification(state, conditional: bool, justification) -> None:
    """``not_applicable`` needs a justification unless the criterion is conditional."""
    if state == ScoreState.NOT_APPLICABLE and not conditional and not justification:
        raise EvaluationError(
            _(
                "« Non applicable » demande une justification : ce critère s'applique à "
                "toutes les situations."
            ),
            code="justification_required",
        )


def _clear_signatures(grid, user) -> None:
    signed = list(grid.signatures.values_list("member__user_id", flat=True))
    if signed:
        grid.signatures.all().delete()
        GridEvent.objects.create(
            grid=grid, author=user, action="signatures_cleared", before={"signed_by": signed}
        )


def _editable(grid, actor):
    user = user_of(actor)
    grid = _lock_grid(grid)
    require_capability(user, grid.session.centre, Capability.EVALUATE)
    _check_editable(grid)
    eligible_member(grid, user)
    return grid, user


def score_criterion(
    grid,
    criterion,
    state,
    comment="",
    justification="",
    *,
    expected_version,
    actor,
) -> CriterionScore:
    """Record one criterion's state (``satisfied``, ``not_satisfied``, ``not_applicable`` or
    "" to clear it), comment and justification. ``not_applicable`` needs a justification
    unless the criterion is conditional (it then never counts against the candidate)."""
    criterion_id = getattr(criterion, "pk", criterion)
    state = state or ""
    comment = (comment or "").strip()
    justification = (justification or "").strip()
    if state and state not in ScoreState.values:
        raise EvaluationError(_("État de critère inconnu."), code="invalid_state")
    with transaction.atomic():
        grid, user = _editable(grid, actor)
        score = (
            CriterionScore.objects.select_for_update(of=("self",))
            .select_related("criterion", "updated_by")
            .filter(grid=grid, criterion_id=criterion_id)
            .first()
        )
        if score is None:
            raise EvaluationError(
                _("Ce critère n'appartient pas à cette grille."), code="unknown_criterion"
            )
        before = _snapshot(score)
        after = {"state": state, "comment": comment, "justification": justification}
        if expected_version is None or str(expected_version).strip() != str(score.version):
            if already_applied(
                expected_version, score.version, score.updated_by_id, user.pk, before, after
            ):
                return score
            raise StaleScoreError(score)
        check_justification(state, bool(score.criterion.conditional), justification)
        if before == after:
            return score  # nothing changed
        score.state, score.comment, score.justification = state, comment, justification
        score.version += 1
        score.updated_by = user
        score.updated_at = timezone.now()
        score.save(
            update_fields=[*SCORE_FIELDS, "version", "updated_by", "updated_at"],
        )
        GridEvent.objects.create(
            grid=grid, score=score, author=user, action="score", before=before, after=after
        )
        _clear_signatures(grid, user)
    return score


def set_proposal(grid, proposal, justification="", *, expected_version, actor) -> Grid:
    """The commission's proposal for the competence: ``acquise`` or ``non_acquise`` (with a
    justification), or "" to withdraw it."""
    proposal = proposal or ""
    justification = (justification or "").strip()
    if proposal and proposal not in Proposal.values:
        raise EvaluationError(_("Proposition inconnue."), code="invalid_proposal")
    if proposal == Proposal.NOT_ACQUIRED and not justification:
        raise EvaluationError(
            _("Justifiez la proposition « non acquise »."), code="justification_required"
        )
    with transaction.atomic():
        grid, user = _editable(grid, actor)
        if expected_version is None:
            raise EvaluationError(_("Version de la grille manquante."), code="version_required")
        before = {"proposal": grid.proposal, "justification": grid.proposal_justification}
        after = {"proposal": proposal, "justification": justification}
        if already_applied(
            expected_version, grid.version, grid.proposal_by_id, user.pk, before, after
        ):
            return grid
        check_version(grid, expected_version, stale=stale_record)
        if before == after:
            return grid
        grid.proposal, grid.proposal_justification = proposal, justification
        grid.proposal_by, grid.proposal_at = user, timezone.now()
        grid.version += 1
        grid.save(
            update_fields=[
                "proposal",
                "proposal_justification",
                "proposal_by",
                "proposal_at",
                "version",
                "updated_at",
            ]
        )
        GridEvent.objects.create(
            grid=grid, author=user, action="proposal", before=before, after=after
        )
        audit.record(
            centre=grid.centre_id,
            actor=user,
            action="grid.proposal",
            subject=grid,
            before=before,
            after=after,
        )
        _clear_signatures(grid, user)
    return grid


def completeness_problems(grid) -> list[str]:
    """Why the grid cannot be signed yet (empty list: it can)."""
    problems = []
    missing = grid.scores.filter(state="").count()
    if missing:
        problems.append(
            ngettext(
                "%(count)s critère n'est pas encore évalué.",
                "%(count)s critères ne sont pas encore évalués.",
                missing,
            )
            % {"count": missing}
        )
    if not grid.proposal:
        problems.append(_("La commission n'a pas encore fait sa proposition."))
    return problems


def required_signers(grid) -> list[CommissionMember]:
    """The present members who must sign: those allowed to evaluate this candidate."""
    return list(
        CommissionMember.objects.filter(
            session_id=grid.session_id,
            present=True,
            declarations__dossier_id=grid.dossier_id,
            declarations__accepted=True,
        ).select_related("user")
    )


def sign_grid(grid, *, actor, ip=None) -> Grid:
    """The acting member signs. Once every present member allowed on this candidate has
    signed (at least the centre's minimum commission size), the grid is locked; the dossier
    may then become ready for the jury."""
    with transaction.atomic():
        grid, user = _editable(grid, actor)
        member = eligible_member(grid, user)
        if not member.present:
            raise EvaluationError(
                _("Vous êtes noté(e) absent(e) de cette session : vous ne signez pas."),
                code="not_present",
            )
        problems = completeness_problems(grid)
        if problems:
            raise EvaluationError(" ".join(problems), code="grid_incomplete")
        _signature, created = GridSignature.objects.get_or_create(
            grid=grid, member=member, defaults={"ip": ip or None}
        )
        if created:
            GridEvent.objects.create(grid=grid, author=user, action="signature")
            audit.record(
                centre=grid.centre_id,
                actor=user,
                action="grid.signed",
                subject=grid,
                after={"member": member.pk},
            )
        lock_if_signed(grid, user)
    return grid


def lock_if_signed(grid, user) -> bool:
    """Lock the grid (already row-locked by the caller) when every present member allowed
    on the candidate has signed, and they are at least the centre's minimum."""
    if grid.status == GridStatus.SIGNED or not grid.signatures.exists():
        return False
    signers = required_signers(grid)
    signed = set(grid.signatures.values_list("member_id", flat=True))
    minimum = grid.session.centre.commission_min_assessors
    if len(signers) >= minimum and all(m.pk in signed for m in signers):
        _lock(grid, user)
        return True
    return False


def relock_session_grids(session, user) -> None:
    """After the commission changed (a member absent or removed), lock the grids whose
    remaining signers have all signed."""
    for grid in Grid.objects.filter(session=session, signatures__isnull=False).distinct():
        lock_if_signed(_lock_grid(grid), user)


def _lock(grid, user) -> None:
    before = grid.status
    grid.status = GridStatus.SIGNED
    grid.locked_at = timezone.now()
    grid.version += 1
    grid.save(update_fields=["status", "locked_at", "version", "updated_at"])
    GridEvent.objects.create(
        grid=grid,
        author=user,
        action="locked",
        before={"status": before},
        after={"status": "signed"},
    )
    audit.record(
        centre=grid.centre_id,
        actor=user,
        action="grid.locked",
        subject=grid,
        before={"status": before},
        after={"status": "signed"},
    )
    transaction.on_commit(partial(notifications.grid_signed, grid.pk, user.pk))
    readiness.check_ready_for_jury(grid.dossier, actor=user)


def reopen_grid(grid, *, actor, reason) -> Grid:
    """Centre staff reopen a signed grid, with a reason: the signatures are kept in the
    reopening record and removed from the grid; the dossier goes back to evaluation."""
    user = user_of(actor)
    reason = (reason or "").strip()
    if not reason:
        raise EvaluationError(_("Indiquez le motif de la réouverture."), code="reason_required")
    with transaction.atomic():
        grid = _lock_grid(grid)
        require_capability(user, grid.session.centre, Capability.SCHEDULE_EVALUATIONS)
        if grid.status != GridStatus.SIGNED:
            raise EvaluationError(
                _("Seule une grille signée peut être rouverte."), code="not_signed"
            )
        readiness.allow_reopening(grid.dossier)
        previous = [
            {"member": s.member_id, "user": s.member.user_id, "signed_at": s.signed_at.isoformat()}
            for s in grid.signatures.select_related("member")
        ]
        GridReopening.objects.create(
            grid=grid, staff=user, reason=reason, previous_signatures=previous
        )
        grid.signatures.all().delete()
        grid.status = GridStatus.REOPENED
        grid.locked_at = None
        grid.version += 1
        grid.save(update_fields=["status", "locked_at", "version", "updated_at"])
        GridEvent.objects.create(
            grid=grid,
            author=user,
            action="reopened",
            before={"status": "signed", "signatures": previous},
            after={"status": "reopened", "reason": reason},
        )
        audit.record(
            centre=grid.centre_id,
            actor=user,
            action="grid.reopened",
            subject=grid,
            before={"status": "signed"},
            after={"status": "reopened"},
            reason=reason,
        )
        readiness.back_to_evaluation(grid.dossier, actor=user, reason=reason)
    return grid


def create_grids(session, dossier, competence_ids, *, actor) -> list[Grid]:
    """Grids (and one empty score per criterion) for the competences that have none yet;
    the unsigned grids of these competences follow the dossier into this session."""
    user = user_of(actor)
    existing = {
        g.competence_id: g
        for g in Grid.objects.filter(dossier=dossier, competence_id__in=competence_ids)
    }
    moved = [
        g for g in existing.values() if g.session_id != session.pk and g.status != GridStatus.SIGNED
    ]
    for grid in moved:
        GridEvent.objects.create(
            grid=grid,
            author=user,
            action="moved",
            before={"session": grid.session_id},
            after={"session": session.pk},
        )
    Grid.objects.filter(pk__in=[g.pk for g in moved]).update(session=session)
    new = Grid.objects.bulk_create(
        Grid(centre_id=session.centre_id, session=session, dossier=dossier, competence_id=cid)
        for cid in competence_ids
        if cid not in existing
    )
    by_competence = {g.competence_id: g for g in new}
    criteria = Criterion.objects.filter(competence_id__in=by_competence).values_list(
        "pk", "competence_id"
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(grid=by_competence[competence_id], criterion_id=pk)
        for pk, competence_id in criteria
    )
    return new
