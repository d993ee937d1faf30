"""Abstract model bases: the columns every app declares the same way, declared once.

- ``Versioned``: ``version``, the optimistic-locking counter read by If-Match and by the
  forms' hidden field (``core.services.check_version``); services bump it on each write.
- ``Timestamped``: ``created_at`` / ``updated_at``.
- ``Tracked``: ``Timestamped`` plus ``created_by`` (kept when the user is deactivated:
  ``PROTECT``; empty for rows written by the system).

They add no table and no migration: a model that inherits them has the very columns it had.
"""

from django.conf import settings
from django.db import models


class Versioned(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Tracked(Timestamped):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
