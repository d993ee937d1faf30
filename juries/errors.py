"""The juries app's one domain exception."""

from cqpm.errors import DomainError, StaleVersionError

__all__ = ["JuryError", "StaleVersionError"]


class JuryError(DomainError):
    """Every refusal of the juries app (composition, agenda, votes, decisions)."""

    default_code = "jury_invalid"
