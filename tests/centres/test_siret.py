import pytest
from django.core.exceptions import ValidationError

from centres.validators import normalize_siret, siret_is_valid, validate_siret

from .factories import valid_siret


@pytest.mark.parametrize(
    "value",
    [
        "73282932000074",  # a well-known valid SIRET (Luhn)
        "732 829 320 00074",
        "35600000000048",  # La Poste head office: Luhn
        "35600000000001",  # another La Poste establishment: sum of digits multiple of 5
        valid_siret(42),
    ],
)
def test_valid_sirets(value):
    validate_siret(value)
    assert siret_is_valid(normalize_siret(value))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("7328293200007", "exactement 14 chiffres (13 saisis)"),
        ("732829320000745", "exactement 14 chiffres (15 saisis)"),
        ("7328293200007A", "exactement 14 chiffres"),
        ("73282932000075", "la clé de contrôle ne correspond pas"),
        ("35600000000002", "la clé de contrôle ne correspond pas"),
        ("７３２８２９３２０００７４", "exactement 14 chiffres"),  # full-width digits
    ],
)
def test_invalid_sirets_have_french_messages(value, message):
    with pytest.raises(ValidationError) as exc:
        validate_siret(value)
    assert message in exc.value.messages[0]


def test_blank_is_left_to_the_field():
    validate_siret("")
    assert normalize_siret(" 732.829.320-00074 ") == "73282932000074"
