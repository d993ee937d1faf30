"""The accrochage app's one domain exception."""

from core.errors import DomainError


class AccrochageError(DomainError):
    """Every refusal of the accrochage (certifier account, holders' data, schema, report)."""

    default_code = "accrochage_invalid"
