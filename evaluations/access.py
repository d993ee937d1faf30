"""Who reaches which session, grid and avis.

- centre staff (``schedule_evaluations``): every session and grid of their centre;
- assessors (``evaluate``): only the sessions they were granted (django-guardian direct
  table) — any other session, grid or dossier is a 404 — and, of those sessions' grids,
  only the ones whose candidate they signed an accepted conflict declaration for
  (:func:`grids_for`). That rule is in the queryset, so the grid list, its filters, the
  detail, the scores, the session's pages and every page or export built on it apply it
  alike: a member who declared a link with the candidate, or has signed nothing yet, reads
  neither the scores nor the proposal, its justification or its author;
- company representatives: the avis of their own company's dossiers;
- everybody else: nothing (404 on objects, 403 on lists).

Helpers return 404 when the object is missing or not visible, 403 when it is visible but
the action is not allowed.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from candidates.access import dossiers_for
from centres.access import get_object_or_404_scoped, require, require_any
from centres.roles import Capability
from evaluations.models import (
    CommissionMember,
    ConflictDeclaration,
    EvaluationSession,
    Grid,
    SessionDossier,
)

EVALUATE_CODENAME = "evaluate_session"


def is_staff(actor) -> bool:
    return actor.can(Capability.SCHEDULE_EVALUATIONS)


def sessions_for(actor):
    qs = EvaluationSession.objects.all()
    if is_staff(actor):
        return qs
    if actor.can(Capability.EVALUATE) and getattr(actor.user, "pk", None):
        return qs.filter(
            user_grants__user=actor.user, user_grants__permission__codename=EVALUATE_CODENAME
        )
    return qs.none()


def require_session_reader(actor) -> None:
    require_any(actor, Capability.SCHEDULE_EVALUATIONS, Capability.EVALUATE)


def get_session_for_user(actor, pk, *, write=False) -> EvaluationSession:
    session = get_object_or_404_scoped(sessions_for(actor).select_related("centre"), pk=pk)
    if write:
        require(actor, Capability.SCHEDULE_EVALUATIONS)
    return session


def member_for(actor, session) -> CommissionMember | None:
    if not getattr(actor.user, "pk", None):
        return None
    return CommissionMember.objects.filter(session=session, user=actor.user).first()


def get_member_for_user(actor, pk, *, write=False) -> CommissionMember:
    member = get_object_or_404_scoped(
        CommissionMember.objects.filter(session__in=sessions_for(actor)).select_related(
            "session__centre", "user"
        ),
        pk=pk,
    )
    if write:
        require(actor, Capability.SCHEDULE_EVALUATIONS)
    return member


def get_session_dossier_for_user(actor, session_pk, dossier_pk) -> SessionDossier:
    """A dossier as seen through one of the actor's sessions (404 otherwise)."""
    return get_object_or_404_scoped(
        SessionDossier.objects.filter(session__in=sessions_for(actor)).select_related(
            "session__centre", "dossier__candidate", "dossier__company"
        ),
        session_id=session_pk,
        dossier_id=dossier_pk,
    )


def assigned_grids_for(actor):
    """The grids of the actor's sessions, declared or not. Never read from: it tells a grid
    the actor must first declare for (403) from one that is not theirs (404), and the write
    paths hand it to the services, whose guard words the refusal (``eligible_member``)."""
    qs = Grid.objects.all()
    if is_staff(actor):
        return qs
    if actor.can(Capability.EVALUATE):
        return qs.filter(session__in=sessions_for(actor))
    return qs.none()


def grids_for(actor):
    """The grids the actor may read: every grid of the centre for staff; for an assessor,
    the grids of their sessions whose candidate their seat signed an accepted declaration of
    no conflict for (no declaration, or a declared link: not readable)."""
    qs = assigned_grids_for(actor)
    if is_staff(actor) or not getattr(actor.user, "pk", None):
        return qs
    declared = ConflictDeclaration.objects.filter(
        member__session=OuterRef("session"),
        member__user=actor.user,
        dossier=OuterRef("dossier"),
        accepted=True,
    )
    return qs.filter(Exists(declared))


class DeclarationRequired(PermissionDenied):
    """A grid of one of the actor's sessions that they may not read yet: ``declaration`` is
    None (not signed: the pages send them to sign it) or refused (a declared link). Only
    ``grid``'s ids are used, to word the refusal and link to the declaration."""

    def __init__(self, grid, member, declaration):
        super().__init__()
        self.grid = grid
        self.member = member
        self.declaration = declaration

    @property
    def code(self) -> str:
        return "declaration_required" if self.declaration is None else "conflict_of_interest"

    @property
    def message(self) -> str:
        if self.declaration is None:
            return _(
                "Signez d'abord votre déclaration d'absence de conflit d'intérêts pour ce candidat."
            )
        return self.declaration.refusal_reason


GRID_RELATED = (
    "session__centre",
    "dossier__candidate",
    "dossier__company",
    "dossier__referential_version__qualification",
    "competence__bloc",
)
# What the grid page shows: half the joins (PostgreSQL spent 2 ms planning the ten-table
# join on every request, more than running it).
GRID_PAGE_RELATED = ("session", "dossier__candidate", "competence")


def get_grid_for_user(actor, pk, *, write=False, related=GRID_RELATED) -> Grid:
    """A grid the actor may read (:func:`grids_for`). 404 when missing or not in their
    sessions; :class:`DeclarationRequired` (403) when it is in one of their sessions but
    they have no accepted declaration for the candidate. ``write``: scoring and signing, for
    assessors only (staff read the grid)."""
    try:
        grid = get_object_or_404_scoped(grids_for(actor).select_related(*related), pk=pk)
    except Http404:
        raise_unreadable(actor, pk)
    if write:
        require(actor, Capability.EVALUATE)
    return grid


def raise_unreadable(actor, pk):
    """Http404, or :class:`DeclarationRequired` for a grid of the actor's sessions."""
    grid = get_object_or_404_scoped(
        assigned_grids_for(actor).only("id", "session_id", "dossier_id"), pk=pk
    )
    member = CommissionMember.objects.filter(session_id=grid.session_id, user=actor.user).first()
    declaration = None
    if member is not None:
        declaration = ConflictDeclaration.objects.filter(
            member=member, dossier_id=grid.dossier_id
        ).first()
    raise DeclarationRequired(grid, member, declaration)


def opinion_dossiers_for(actor):
    """Dossiers whose avis the actor may see: the centre's for staff, their company's for a
    company representative."""
    if is_staff(actor) or actor.is_company_rep:
        return dossiers_for(actor)
    return dossiers_for(actor).none()


def get_opinion_dossier_for_user(actor, dossier_pk, *, write=False, record_unavailable=False):
    """``write``: give or sign the avis (company representatives); ``record_unavailable``:
    record that no avis could be obtained (centre staff)."""
    dossier = get_object_or_404_scoped(opinion_dossiers_for(actor), pk=dossier_pk)
    if write:
        require(actor, Capability.GIVE_COMPANY_OPINION)
    if record_unavailable:
        require(actor, Capability.SCHEDULE_EVALUATIONS)
    return dossier


def assessor_dossier_filter(actor) -> Q:
    """Dossiers reached through the actor's sessions (for the assessor's home)."""
    return Q(evaluation_slots__session__in=sessions_for(actor))
