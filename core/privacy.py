"""Personal data (GDPR): the registry through which apps add what they hold about a
candidate to the right-of-access export, and scrub it when the candidate is anonymised.

- ``register_personal_data_provider(fn)``: ``fn(candidate, dossiers) -> dict | None`` with
  ``{"key", "title", "data"}`` (``data`` JSON-serialisable), added to the export.
- ``register_anonymiser(fn)``: ``fn(candidate, dossiers) -> None``, called inside the
  anonymisation transaction (``candidates.privacy.anonymise_candidate``).

Apps that have not registered anything are still covered generically: every row that
points to a dossier, directly or through one intermediate row (evaluation grids → criterion
scores with the assessors' comments, company opinions → items…), is exported with its
fields (:func:`related_rows`), and its free-text fields are blanked on anonymisation
(:func:`blank_free_text`).
"""

import datetime
import decimal
import uuid
from collections.abc import Callable

from django.db import models

_providers: list[Callable] = []
_anonymisers: list[Callable] = []

# Object-permission tables and the like: grants, not data about the person.
SKIPPED_MODEL_PREFIXES = ("guardian.",)
MAX_DEPTH = 2


def register_personal_data_provider(fn: Callable) -> Callable:
    if fn not in _providers:
        _providers.append(fn)
    return fn


def register_anonymiser(fn: Callable) -> Callable:
    if fn not in _anonymisers:
        _anonymisers.append(fn)
    return fn


def provided_sections(candidate, dossiers) -> list[dict]:
    sections = []
    for provider in _providers:
        section = provider(candidate, dossiers)
        if section:
            sections.append(section)
    return sections


def run_anonymisers(candidate, dossiers) -> None:
    for anonymiser in _anonymisers:
        anonymiser(candidate, dossiers)


def json_value(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, bytes | memoryview):
        return None
    return value


def row_dict(obj) -> dict:
    """Every concrete field of a row, JSON-safe (foreign keys as ids, files as names)."""
    data = {}
    for field in obj._meta.concrete_fields:
        data[field.attname] = json_value(getattr(obj, field.attname))
    return data


def _reverse_relations(model, excluded_apps):
    for relation in model._meta.related_objects:
        related = relation.related_model
        label = related._meta.label_lower
        if related._meta.app_label in excluded_apps or label.startswith(SKIPPED_MODEL_PREFIXES):
            continue
        if relation.many_to_many:
            continue
        yield relation, related


def _walk(model, queryset_of_parents, excluded_apps, depth, seen):
    """(model, queryset) pairs of rows reaching the parents through a foreign key."""
    if depth > MAX_DEPTH:
        return
    for relation, related in _reverse_relations(model, excluded_apps):
        if related in seen:
            continue
        field_name = relation.field.name
        queryset = related._base_manager.filter(**{f"{field_name}__in": queryset_of_parents})
        yield related, queryset
        yield from _walk(related, queryset, excluded_apps, depth + 1, seen | {related})


def related_querysets(model, parent_ids, *, excluded_apps=()):
    """Querysets of the rows of other apps that hang off ``model`` rows ``parent_ids``
    (directly, or through one intermediate row). Read without tenant scope: the parents
    were already checked."""
    parents = model._base_manager.filter(pk__in=list(parent_ids))
    yield from _walk(model, parents, set(excluded_apps), 1, {model})


def related_rows(model, parent_ids, *, excluded_apps=()) -> dict[str, list[dict]]:
    """``{"app.model": [row, …]}`` of :func:`related_querysets`, for the export."""
    sections: dict[str, list[dict]] = {}
    for related, queryset in related_querysets(model, parent_ids, excluded_apps=excluded_apps):
        rows = [row_dict(obj) for obj in queryset.order_by("pk")]
        if rows:
            sections.setdefault(related._meta.label_lower, []).extend(rows)
    return sections


def blank_free_text(model, parent_ids, *, excluded_apps=()) -> int:
    """Blank the free-text fields (``TextField``) of the rows of :func:`related_querysets`:
    notes and comments may name the person. Structured values (results, dates) stay."""
    changed = 0
    for related, queryset in related_querysets(model, parent_ids, excluded_apps=excluded_apps):
        text_fields = [
            f.name
            for f in related._meta.concrete_fields
            if isinstance(f, models.TextField) and not f.primary_key
        ]
        if text_fields:
            changed += models.QuerySet.update(queryset, **dict.fromkeys(text_fields, ""))
    return changed
