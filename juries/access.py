"""Who reaches which jury session, agenda item, member and decision.

- centre staff (``convene_juries``): every session of their centre, its members (with the
  organisation they represent), its agenda, its decisions;
- jurors (``deliberate``): only the sessions they were granted (django-guardian direct
  table, written when they are added to the session) and the dossiers on those sessions'
  agendas — any other session, item, dossier or decision is a 404;
- everybody else: nothing (404 on objects, 403 on lists).
"""

from centres.access import get_object_or_404_scoped, require, require_any
from centres.roles import Capability
from juries.models import SIT_CODENAME, AgendaItem, Decision, Juror, JuryMember, JurySession


def is_convener(actor) -> bool:
    return actor.can(Capability.CONVENE_JURIES)


def require_jury_reader(actor) -> None:
    require_any(actor, Capability.CONVENE_JURIES, Capability.DELIBERATE)


def sessions_for(actor):
    qs = JurySession.objects.all()
    if is_convener(actor):
        return qs
    if actor.can(Capability.DELIBERATE) and getattr(actor.user, "pk", None):
        return qs.filter(
            user_grants__user=actor.user, user_grants__permission__codename=SIT_CODENAME
        )
    return qs.none()


def get_session_for_user(actor, pk, *, write=False) -> JurySession:
    session = get_object_or_404_scoped(
        sessions_for(actor).select_related("centre", "qualification"), pk=pk
    )
    if write:
        require(actor, Capability.CONVENE_JURIES)
    return session


def member_for(actor, session) -> JuryMember | None:
    """The actor's seat in the session (None for staff who do not sit)."""
    if not getattr(actor.user, "pk", None) or not actor.can(Capability.DELIBERATE):
        return None
    return JuryMember.objects.filter(session=session, user=actor.user).first()


def get_member_for_user(actor, session, pk) -> JuryMember:
    """A member of ``session`` (already resolved for the actor); changing members is for
    centre staff only."""
    require(actor, Capability.CONVENE_JURIES)
    return get_object_or_404_scoped(
        JuryMember.objects.filter(session=session).select_related("user", "session__centre"),
        pk=pk,
    )


def jurors_for(actor):
    """The centre's standing juror records: for the staff who compose juries only (403 for
    anyone else, jurors included — a juror's union is never shown to other jurors)."""
    require(actor, Capability.CONVENE_JURIES)
    return Juror.objects.all()


def get_juror_for_user(actor, pk) -> Juror:
    return get_object_or_404_scoped(
        jurors_for(actor).select_related("user", "centre", "company"), pk=pk
    )


def items_for(actor):
    return AgendaItem.objects.filter(session__in=sessions_for(actor))


def get_item_for_user(actor, session_pk, item_pk) -> AgendaItem:
    """A dossier as seen through one of the actor's sessions (404 otherwise)."""
    return get_object_or_404_scoped(
        items_for(actor).select_related(
            "session__centre",
            "session__qualification",
            "dossier__candidate",
            "dossier__company",
            "dossier__referential_version__qualification",
        ),
        session_id=session_pk,
        pk=item_pk,
    )


def decisions_for(actor):
    qs = Decision.objects.all()
    if is_convener(actor) or actor.can(Capability.VIEW_CENTRE):
        return qs
    if actor.can(Capability.DELIBERATE):
        return qs.filter(item__session__in=sessions_for(actor))
    return qs.none()


def get_decision_for_user(actor, pk, *, write=False) -> Decision:
    decision = get_object_or_404_scoped(
        decisions_for(actor).select_related(
            "item__session__qualification",
            "dossier__candidate",
            "dossier__referential_version__qualification",
            "revoked_by",
        ),
        pk=pk,
    )
    if write:
        require(actor, Capability.CONVENE_JURIES)
    return decision
