"""Reading the audit log of the active centre: filters shared by the pages, the CSV export
and the API (capability ``view_audit_log``, centre administrators only)."""

import datetime
import json
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from centres.access import require
from centres.models import AuditEntry
from centres.roles import Capability
from core.spreadsheets import csv_lines

CSV_COLUMNS = [
    _("date"),
    _("acteur"),
    _("nom de l'acteur"),
    _("action"),
    _("type d'objet"),
    pgettext_lazy("identifiant de l'objet (colonne du journal)", "identifiant"),
    _("avant"),
    _("après"),
    _("motif"),
]


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    action: str = ""
    subject_type: str = ""
    subject_id: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def entries_for(actor):
    """The active centre's audit entries, newest first (403 without the capability)."""
    require(actor, Capability.VIEW_AUDIT_LOG)
    return AuditEntry.objects.select_related("actor").order_by("-created_at", "-id")


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def apply_filters(queryset, filters: AuditFilters):
    if filters.actor_id:
        queryset = queryset.filter(actor_id=filters.actor_id)
    if filters.action:
        queryset = queryset.filter(action__startswith=filters.action.strip())
    if filters.subject_type:
        queryset = queryset.filter(subject_type=filters.subject_type.strip().lower())
    if filters.subject_id:
        queryset = queryset.filter(subject_id=filters.subject_id.strip())
    if filters.date_from:
        queryset = queryset.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        next_day = filters.date_to + datetime.timedelta(days=1)
        queryset = queryset.filter(created_at__lt=_start_of(next_day))
    return queryset


def _json(value) -> str:
    if value in (None, "", {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def csv_rows(queryset):
    """The header then one line per entry (streamed: ``iterator``). The header is translated
    here, in the request's language, before the response starts streaming."""
    header = [str(column) for column in CSV_COLUMNS]
    return _csv_lines(header, queryset)


def _csv_lines(header, queryset):
    """Through the product's one CSV writer (``core.spreadsheets``): a cell a spreadsheet
    would run as a formula (CSV injection) is prefixed with a quote."""
    return csv_lines(header, (_cells(entry) for entry in queryset.iterator(chunk_size=2000)))


def _cells(entry) -> list:
    actor = entry.actor
    return [
        timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
        actor.get_username() if actor else "",
        (actor.get_full_name() if actor else "") or "",
        entry.action,
        entry.subject_type,
        entry.subject_id,
        _json(entry.before),
        _json(entry.after),
        entry.reason,
    ]
