"""Anonymisation of a candidate: the passages that named them keep their state (the
declaration happened) but not the name. The XML files of the fluxes stay as they were
sent: they are the record of a legal declaration to the Caisse des Dépôts, holding many
holders (like the jury's PV), and are only downloaded by the centre's staff.

The right-of-access export already holds the passages (``core.privacy.related_rows``:
dossier → decision → passage)."""

from django.db import models

from accrochage.models import Passage

ANONYMISED = "Titulaire anonymisé"  # stored, in the platform's language


def anonymise_passages(candidate, dossiers) -> None:
    """Registered with ``core.privacy.register_anonymiser``."""
    rows = Passage._base_manager.filter(decision__dossier__in=[d.pk for d in dossiers])
    models.QuerySet.update(rows, holder=ANONYMISED, error_message="")
