"""Helpers shared by the evaluation services: who acts, with which capability, versions."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centres import audit
from centres.access import Actor
from centres.services import capabilities_in
from evaluations.errors import EvaluationError, StaleVersionError

STALE_MESSAGE = gettext_lazy(
    "Cette fiche a été modifiée par quelqu'un d'autre entre-temps. Rechargez la page pour voir "
    "la version actuelle, puis refaites vos modifications."
)


def user_of(acting_user):
    """The ``User`` behind an ``Actor`` or a ``User``."""
    return getattr(acting_user, "user", acting_user)


def actor_in(acting_user, centre) -> Actor:
    """An ``Actor`` for the candidates' transition services (they read ``user`` and
    ``centre`` only; their capabilities are checked here, by each evaluation service)."""
    return Actor(user=user_of(acting_user), centre=centre)


def require_capability(acting_user, centre, capability) -> None:
    """Refuse unless the acting user holds ``capability`` in ``centre`` (read fresh)."""
    if capability not in capabilities_in(user_of(acting_user), centre):
        raise EvaluationError(
            _("Vous n'avez pas le droit de faire cette action dans ce centre."),
            code="permission_denied",
        )


def check_version(obj, expected_version) -> None:
    """``expected_version`` None: no check (internal callers); otherwise it must match."""
    if expected_version is None:
        return
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = -1
    if expected != obj.version:
        raise StaleVersionError(STALE_MESSAGE)


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
