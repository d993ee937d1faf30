"""Helpers shared by the jury services: who acts, with which capability, versions, audit."""

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centres import audit
from centres.access import Actor
from centres.roles import Capability
from centres.services import capabilities_in
from juries.errors import JuryError, StaleJuryVersion
from juries.models import JuryMember, JurySession

STALE_MESSAGE = gettext_lazy(
    "Cette session a été modifiée par quelqu'un d'autre entre-temps. Rechargez la page pour "
    "voir la version actuelle, puis refaites vos modifications."
)


def user_of(acting_user):
    """The ``User`` behind an ``Actor`` or a ``User``."""
    return getattr(acting_user, "user", acting_user)


def actor_in(acting_user, centre) -> Actor:
    """A full ``Actor`` (capabilities read fresh) for the candidates' services."""
    user = user_of(acting_user)
    return Actor(user=user, centre=centre, capabilities=capabilities_in(user, centre))


def can(acting_user, centre, capability) -> bool:
    return capability in capabilities_in(user_of(acting_user), centre)


def require_capability(acting_user, centre, capability) -> None:
    """Refuse unless the acting user holds ``capability`` in ``centre`` (read fresh)."""
    if not can(acting_user, centre, capability):
        raise JuryError(
            _("Vous n'avez pas le droit de faire cette action dans ce centre."),
            code="permission_denied",
        )


def require_convener(acting_user, centre) -> None:
    require_capability(acting_user, centre, Capability.CONVENE_JURIES)


def check_version(obj, expected_version) -> None:
    """``expected_version`` None: no check (internal callers); otherwise it must match."""
    if expected_version is None:
        return
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = -1
    if expected != obj.version:
        raise StaleJuryVersion(STALE_MESSAGE)


def record(centre, acting_user, action, subject, *, before=None, after=None, reason=""):
    return audit.record(
        centre=centre,
        actor=user_of(acting_user),
        action=action,
        subject=subject,
        before=before,
        after=after,
        reason=reason,
    )


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


def seat_of(session, acting_user) -> JuryMember | None:
    user = user_of(acting_user)
    if not getattr(user, "pk", None):
        return None
    return JuryMember.objects.filter(session=session, user=user).select_related("user").first()


def require_status(session, allowed, message) -> None:
    if session.status not in allowed:
        raise JuryError(message, code="bad_state")


def require_convener_or_president(session, acting_user) -> JuryMember | None:
    """Centre staff, or the session's president sitting in it."""
    if can(acting_user, session.centre, Capability.CONVENE_JURIES):
        return None
    seat = seat_of(session, acting_user)
    if (
        seat is not None
        and seat.is_president
        and can(acting_user, session.centre, Capability.DELIBERATE)
    ):
        return seat
    raise JuryError(
        _("Seuls le centre ou le président du jury peuvent faire cette action."),
        code="permission_denied",
    )
