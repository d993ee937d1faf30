"""The French social security number (NIR): validation with its key, masking.

15 characters: sex (1/2, or 3/4/7/8 for temporary numbers), birth year, birth month,
birth department (2 digits, ``2A``/``2B`` for Corsica), commune, order number, then the
2-digit key ``97 - (number mod 97)`` where Corsica's ``2A`` counts as 19 and ``2B`` as 18.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_NIR_RE = re.compile(r"^[1-478]\d{2}(0[1-9]|1[0-2]|[2-9]\d)(\d{2}|2[AB])\d{6}\d{2}$")


def normalize_nir(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def nir_key(body: str) -> int:
    """The key of the first 13 characters (Corsica's 2A/2B replaced for the computation)."""
    number = int(body.replace("2A", "19", 1).replace("2B", "18", 1))
    return 97 - (number % 97)


def validate_nir(value: str) -> str:
    """Return the normalised NIR or raise a ValidationError with a clear French message."""
    nir = normalize_nir(value)
    if len(nir) != 15:
        raise ValidationError(
            _("Le numéro de sécurité sociale doit comporter 15 caractères (clé comprise)."),
            code="nir_length",
        )
    if not _NIR_RE.match(nir):
        raise ValidationError(
            _("Le numéro de sécurité sociale n'a pas un format valide."), code="nir_format"
        )
    if nir_key(nir[:13]) != int(nir[13:]):
        raise ValidationError(
            _("La clé du numéro de sécurité sociale ne correspond pas au numéro."),
            code="nir_key",
        )
    return nir


def mask_nir(nir: str) -> str:
    """Only the first digit (sex) and the key stay readable."""
    if not nir:
        return ""
    return f"{nir[0]} •• •• •• ••• ••• {nir[13:]}"
