"""Helpers shared by the evaluation services: who acts, with which capability, versions."""

from functools import partial

from django.utils.translation import gettext_lazy

from centres.access import Actor
from centres.services import require_capability as _require_capability
from core.services import user_of
from evaluations.errors import EvaluationError, StaleVersionError

STALE_MESSAGE = gettext_lazy(
    "Cette fiche a été modifiée par quelqu'un d'autre entre-temps. Rechargez la page pour voir "
    "la version actuelle, puis refaites vos modifications."
)


def actor_in(actor, centre) -> Actor:
    """An ``Actor`` for the candidates' transition services (they read ``user`` and
    ``centre`` only; their capabilities are checked here, by each evaluation service)."""
    return Actor(user=user_of(actor), centre=centre)


# The one capability check (centres.services), refusing with this app's error.
require_capability = partial(_require_capability, error=EvaluationError)


def stale_record(obj) -> StaleVersionError:
    return StaleVersionError(STALE_MESSAGE)
