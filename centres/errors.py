"""The tenancy app's one domain exception."""

from core.errors import DomainError, StaleVersionError

__all__ = ["CentreError", "StaleVersionError"]


class CentreError(DomainError):
    """A refused action on centres, memberships, invitations or companies (API: 400)."""

    default_code = "centre_error"
