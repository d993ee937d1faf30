"""Helpers shared by the jury services: who acts, with which capability, versions, audit."""

from functools import partial

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centres.access import Actor
from centres.roles import Capability
from centres.services import capabilities_in
from centres.services import require_capability as _require_capability
from core.services import user_of
from juries.errors import JuryError, StaleJuryVersion
from juries.models import JuryMember, JurySession

STALE_MESSAGE = gettext_lazy(
    "Cette session a été modifiée par quelqu'un d'autre entre-temps. Rechargez la page pour "
    "voir la version actuelle, puis refaites vos modifications."
)


def actor_in(actor, centre) -> Actor:
    """A full ``Actor`` (capabilities read fresh) for the candidates' services."""
    user = user_of(actor)
    return Actor(user=user, centre=centre, capabilities=capabilities_in(user, centre))


def can(actor, centre, capability) -> bool:
    return capability in capabilities_in(user_of(actor), centre)


# The one capability check (centres.services), refusing with this app's error.
require_capability = partial(_require_capability, error=JuryError)


def require_convener(actor, centre) -> None:
    require_capability(actor, centre, Capability.CONVENE_JURIES)


def stale_session(obj) -> StaleJuryVersion:
    return StaleJuryVersion(STALE_MESSAGE)


def lock_session(session) -> JurySession:
    return (
        JurySession.objects.select_for_update(of=("self",))
        .select_related("centre", "qualification")
        .get(pk=session.pk)
    )


def touch_board(session) -> None:
    """What the session's board shows changed: bump ``board_version`` (its cache key), in
    the caller's transaction, so the board is never served older than what is committed."""
    JurySession.objects.filter(pk=session.pk).update(board_version=F("board_version") + 1)


def seat_of(session, actor) -> JuryMember | None:
    user = user_of(actor)
    if not getattr(user, "pk", None):
        return None
    return JuryMember.objects.filter(session=session, user=user).select_related("user").first()


def require_status(session, allowed, message) -> None:
    if session.status not in allowed:
        raise JuryError(message, code="bad_state")


def require_convener_or_president(session, actor) -> JuryMember | None:
    """Centre staff, or the session's president sitting in it."""
    if can(actor, session.centre, Capability.CONVENE_JURIES):
        return None
    seat = seat_of(session, actor)
    if seat is not None and seat.is_president and can(actor, session.centre, Capability.DELIBERATE):
        return seat
    raise JuryError(
        _("Seuls le centre ou le président du jury peuvent faire cette action."),
        code="permission_denied",
    )
