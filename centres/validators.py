"""SIRET validation: 14 digits whose Luhn checksum is valid (INSEE).

La Poste is the documented exception: its establishments share the SIREN 356 000 000 and
their SIRET is valid when the sum of its digits is a multiple of 5 (its head office,
35600000000048, passes the Luhn check as usual).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LA_POSTE_SIREN = "356000000"


def normalize_siret(value: str | None) -> str:
    """Remove the spaces, dots and dashes people type inside a SIRET."""
    return "".join(ch for ch in (value or "") if ch not in " .-\u00a0\u202f").strip()


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def luhn_check_digit(partial: str) -> str:
    """The digit to append to ``partial`` so that the whole passes the Luhn check."""
    for candidate in "0123456789":
        if luhn_is_valid(partial + candidate):
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def siret_is_valid(value: str) -> bool:
    if len(value) != 14 or not value.isdigit() or not value.isascii():
        return False
    if value.startswith(LA_POSTE_SIREN):
        return luhn_is_valid(value) or sum(int(c) for c in value) % 5 == 0
    return luhn_is_valid(value)


def validate_siret(value: str) -> None:
    """Model/form validator; blank values are left to ``blank=True``."""
    siret = normalize_siret(value)
    if not siret:
        return
    if len(siret) != 14 or not siret.isdigit() or not siret.isascii():
        raise ValidationError(
            _("Un SIRET comporte exactement 14 chiffres (%(count)s saisis)."),
            code="siret_length",
            params={"count": len(siret)},
        )
    if not siret_is_valid(siret):
        raise ValidationError(
            _(
                "Ce SIRET n'est pas valide : la clé de contrôle ne correspond pas. "
                "Vérifiez la saisie."
            ),
            code="siret_checksum",
        )
