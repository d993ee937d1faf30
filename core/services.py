"""The service kit: what every app's write services share.

- ``user_of(acting)``: the ``User`` behind an ``Actor`` or a ``User``.
- ``check_version(obj, expected_version, *, stale)``: optimistic locking (If-Match / the
  form's hidden version). ``None`` means no check (internal callers).
- ``transition(obj, …)``: the one status-transition engine. It locks the row, checks the
  actor's right on the **locked** row, treats a repeat as a no-op, checks the version and the
  state, runs the guard, then writes the status, its timestamp, the counters and the version
  in one save, and lets the app record the transition (audit, events), all in one
  transaction.

``core`` imports no app: what is app-specific (the error class, the messages, the audit
call, the right to act) is passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone


def user_of(acting):
    """The ``User`` behind an ``Actor`` (which has ``.user``) or a ``User``."""
    return getattr(acting, "user", acting)


def check_version(obj, expected_version, *, stale: Callable[[Any], Exception]) -> None:
    """Refuse with ``stale(obj)`` unless ``expected_version`` is ``obj.version``.

    ``None`` means no check. Anything that is not a whole number (a mangled If-Match, a
    tampered form) can never match, so it is refused as stale too, never a crash."""
    if expected_version is None:
        return
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = None
    if expected != obj.version:
        raise stale(obj)


def transition(
    obj,
    *,
    to: str,
    allowed_from: Iterable[str],
    error: type[Exception],
    state_message: str,
    stale: Callable[[Any], Exception],
    queryset=None,
    permit: Callable[[Any], None] | None = None,
    guard: Callable[[Any], None] | None = None,
    expected_version=None,
    timestamp_field: str | None = None,
    extra: Mapping[str, Any] | None = None,
    counters: Iterable[str] = (),
    audit: Callable[[Any, str, str], None] | None = None,
):
    """Move ``obj`` to status ``to`` and return the locked, saved instance.

    ``state_message`` is formatted with ``%(status)s`` (the current state's label) when the
    object is in none of ``allowed_from``; ``error(message, code="bad_state")`` is raised.
    ``permit(locked)`` raises when the actor may not act; ``guard(locked)`` raises when the
    object is not ready. ``counters`` are integer fields bumped with the version (a cache
    key that follows the status, say). ``audit(locked, before, to)`` records the change.
    """
    queryset = queryset if queryset is not None else type(obj)._default_manager.all()
    with transaction.atomic():
        locked = queryset.select_for_update(of=("self",)).get(pk=obj.pk)
        if permit is not None:
            permit(locked)
        if locked.status == to:
            return locked  # already there: nothing to do
        check_version(locked, expected_version, stale=stale)
        if locked.status not in allowed_from:
            raise error(state_message % {"status": locked.get_status_display()}, code="bad_state")
        if guard is not None:
            guard(locked)
        before = locked.status
        locked.status = to
        fields = ["status", "version"]
        if timestamp_field:
            setattr(locked, timestamp_field, timezone.now())
            fields.append(timestamp_field)
        for name, value in (extra or {}).items():
            setattr(locked, name, value)
            fields.append(name)
        for name in counters:
            setattr(locked, name, getattr(locked, name) + 1)
            fields.append(name)
        locked.version += 1
        if any(f.name == "updated_at" for f in locked._meta.concrete_fields):
            fields.append("updated_at")
        locked.save(update_fields=fields)
        if audit is not None:
            audit(locked, before, to)
    return locked
