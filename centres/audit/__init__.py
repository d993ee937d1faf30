"""Writing the append-only audit trail (``AuditEntry``) from services.

Every service that changes state calls :func:`record` inside its transaction, with a JSON
snapshot of the changed fields before and after (see :func:`snapshot`).
"""

import datetime
import decimal
import uuid

from django.db import models

from centres.models import AuditEntry, Membership
from core.services import user_of


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
    actor = user_of(actor)  # an Actor or a User
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


def _user_centres(user) -> list:
    ids = list(
        Membership.all_centres.filter(user=user, is_active=True)
        .values_list("centre_id", flat=True)
        .distinct()
    )
    return ids or [None]


SELF = object()


def record_for_user(user, action: str, *, actor=SELF, after=None, reason="") -> None:
    """An account event, written once in each centre where the user holds a role (so each
    centre administrator sees it in the centre's log); without a role, once centre-less.
    The actor is the user themselves unless given (``None``: unknown, e.g. a signal)."""
    for centre_id in _user_centres(user):
        record(
            centre=centre_id,
            actor=user if actor is SELF else actor,
            action=action,
            subject=user,
            after=after,
            reason=reason,
        )


REDACTED = "[anonymisé]"


def redact(entries, fields) -> int:
    """Replace the values of ``fields`` in ``before``/``after`` of ``entries`` (a queryset of
    audit entries) by ``[anonymisé]``: the only change an audit entry ever accepts, made when
    a candidate is anonymised. Who did what and when stays. Returns the rows changed."""
    from django.db import connection, transaction
    from django.db.models import QuerySet

    fields = set(fields)
    changed = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL parchemin.audit_redaction = 'on'")
        for entry in entries.only("pk", "before", "after"):
            before = _redacted(entry.before, fields)
            after = _redacted(entry.after, fields)
            if (before, after) == (entry.before, entry.after):
                continue
            # QuerySet.update itself: AuditQuerySet refuses every other update.
            QuerySet.update(AuditEntry.objects.filter(pk=entry.pk), before=before, after=after)
            changed += 1
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL parchemin.audit_redaction = 'off'")
    return changed


def _redacted(data, fields):
    if not isinstance(data, dict):
        return data
    return {
        key: (REDACTED if key in fields and value not in (None, "") else value)
        for key, value in data.items()
    }
