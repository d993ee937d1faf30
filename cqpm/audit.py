"""Audit rows for the national referential (``centres.models.AuditEntry`` with no centre)."""

from centres import audit
from centres.scoping import scopes_disabled


def record(actor, action: str, subject, *, before=None, after=None, reason: str = "") -> None:
    """Append an audit entry about ``subject`` (a referential object); ``actor`` may be None
    (a management command). National data belongs to no centre: ``centre`` stays empty."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    with scopes_disabled():
        audit.record(
            centre=None,
            actor=user,
            action=action,
            subject=subject,
            before=before,
            after=after,
            reason=reason,
        )
