from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, StaleVersionError

__all__ = ["EvaluationError", "StaleScoreError", "StaleVersionError"]


class EvaluationError(DomainError):
    """Every refusal of the evaluations app (sessions, commission, grids, company avis)."""

    default_code = "evaluation_invalid"


class StaleScoreError(StaleVersionError):
    """A criterion was changed by another member since the client read it. Carries the
    current score so that the page (and the API's 412 body) can show who changed what."""

    def __init__(self, current, message=None):
        super().__init__(
            message
            or _(
                "Un autre membre de la commission a modifié ce critère entre-temps : "
                "vérifiez sa valeur avant de modifier à nouveau."
            )
        )
        self.current = current
