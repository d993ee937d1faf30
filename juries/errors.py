"""The juries app's one domain exception."""

from core.errors import DomainError, StaleVersionError

__all__ = ["JuryError", "StaleJuryVersion", "StaleVersionError"]


class JuryError(DomainError):
    """Every refusal of the juries app (composition, agenda, votes, decisions)."""

    default_code = "jury_invalid"


class StaleJuryVersion(StaleVersionError, JuryError):
    """A concurrent edit refused (HTTP 412 on the API, a form error in the pages)."""
