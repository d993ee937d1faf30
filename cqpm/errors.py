"""The referential's domain exception."""

from core.errors import DomainError


class ReferentialError(DomainError):
    default_code = "invalid_referential"
