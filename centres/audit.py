"""Writing the append-only audit trail (``AuditEntry``) from services.

Every service that changes state calls :func:`record` inside its transaction, with a JSON
snapshot of the changed fields before and after (see :func:`snapshot`).
"""

import datetime
import decimal
import uuid

from django.db import models

from .models import AuditEntry


def _json_value(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def snapshot(obj, fields) -> dict:
    """A JSON-safe dict of ``fields`` of ``obj`` (foreign keys as ids)."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        data[name] = _json_value(getattr(obj, attname))
    return data


def subject_label(obj) -> str:
    return obj._meta.label_lower


def record(
    *, centre, actor, action: str, subject, before=None, after=None, reason=""
) -> AuditEntry:
    """Append one audit row. ``centre`` may be a Centre, an id or None (national actions)."""
    centre_id = getattr(centre, "pk", centre)
    actor = getattr(actor, "user", actor)  # an Actor or a User
    return AuditEntry.objects.create(
        centre_id=centre_id,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        subject_type=subject_label(subject),
        subject_id=str(subject.pk),
        before=before,
        after=after,
        reason=reason or "",
    )
