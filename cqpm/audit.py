"""Audit rows for the national referential (``centres.models.AuditEntry`` with no centre)."""

from centres.models import AuditEntry
from centres.scoping import scopes_disabled


def record(actor, action: str, subject, *, before=None, after=None, reason: str = "") -> None:
    """Append an audit entry about ``subject`` (a referential object); ``actor`` may be None
    (a management command). National data belongs to no centre: ``centre`` stays empty."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    with scopes_disabled():
        AuditEntry.objects.create(
            centre=None,
            actor=user,
            action=action,
            subject_type=subject._meta.label_lower,
            subject_id=str(subject.pk),
            before=before,
            after=after,
            reason=reason,
        )
