"""Plausible identity data: the one place the rules live, used by the model (and so by the
ModelForm and ``full_clean`` in the services), the API serializer and the bulk import.

- A birth date lies between 1 January 1900 and today.
- The minimum age is the legal working age of the French Labour Code: 16 (art. L4153-1),
  15 for an apprentice who has finished the first cycle of secondary school (art. L6222-1).
  The age is counted on the day of registration (today), on the candidate's statut.
- A birth department is one of today's French departments: 01–95 (20 split into 2A and 2B
  in 1976), 971–976 overseas. Left empty for a birth abroad.
- A phone number is digits, optionally a leading "+", spaces, dots, dashes, brackets or
  slashes between them; 6 to 15 digits (E.164 has at most 15).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models.choices import AccessStatus

EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
MINIMUM_AGE = 16
MINIMUM_AGE_APPRENTICE = 15

DEPARTMENTS = frozenset(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"] + [str(n) for n in range(971, 977)]
)
_PHONE = re.compile(r"^\+?[0-9][0-9 .\-()/]*$")


def validate_birth_date(value: datetime.date) -> None:
    if value is None:
        return
    if value > timezone.localdate():
        raise ValidationError(
            _("La date de naissance ne peut pas être dans le futur."), code="birth_date_future"
        )
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            _("La date de naissance ne peut pas être antérieure au 1er janvier 1900."),
            code="birth_date_too_old",
        )


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def minimum_age(access_status) -> int:
    return MINIMUM_AGE_APPRENTICE if access_status == AccessStatus.APPRENTICE else MINIMUM_AGE


def check_minimum_age(birth_date, access_status, *, on=None) -> None:
    """Raise a ``ValidationError`` on ``birth_date`` when the candidate is under the legal
    working age for their statut."""
    if birth_date is None:
        return
    on = on or timezone.localdate()
    if birth_date > on:
        return  # validate_birth_date says so
    required = minimum_age(access_status)
    if age_on(birth_date, on) < required:
        if access_status == AccessStatus.APPRENTICE:
            message = _(
                "Le candidat a moins de 15 ans : l'apprentissage n'est possible qu'à partir "
                "de 15 ans. Vérifiez la date de naissance."
            )
        else:
            message = _(
                "Le candidat a moins de 16 ans, l'âge légal pour travailler (15 ans pour un "
                "apprenti). Vérifiez la date de naissance ou le statut."
            )
        raise ValidationError({"birth_date": message}, code="under_age")


def normalise_department(value: str) -> str:
    value = (value or "").strip().upper()
    if len(value) == 1 and value.isdigit():
        value = f"0{value}"
    return value


def validate_department(value: str) -> None:
    if value and normalise_department(value) not in DEPARTMENTS:
        raise ValidationError(
            _(
                "Département « %(value)s » inconnu : indiquez un numéro de 01 à 95, 2A ou 2B "
                "pour la Corse, 971 à 976 pour l'outre-mer (vide pour une naissance à "
                "l'étranger)."
            ),
            code="invalid_department",
            params={"value": value},
        )


def validate_phone(value: str) -> None:
    if not value:
        return
    digits = sum(c.isdigit() for c in value)
    if not _PHONE.match(value.strip()) or not 6 <= digits <= 15:
        raise ValidationError(
            _(
                "Numéro de téléphone invalide : saisissez des chiffres, par exemple "
                "04 72 00 00 00 ou +33 4 72 00 00 00."
            ),
            code="invalid_phone",
        )


def identity_errors(*, birth_date, access_status, birth_department="", phone="") -> list[str]:
    """Every rule above as messages (the bulk import lists them per line)."""
    errors = []
    checks = [
        (validate_birth_date, birth_date),
        (validate_department, birth_department),
        (validate_phone, phone),
    ]
    for check, value in checks:
        try:
            check(value)
        except ValidationError as exc:
            errors.extend(exc.messages)
    try:
        check_minimum_age(birth_date, access_status)
    except ValidationError as exc:
        errors.extend(exc.messages)
    return errors
