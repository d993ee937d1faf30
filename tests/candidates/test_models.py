import pytest
from django.core.exceptions import ValidationError

from candidates.models import Candidate, CandidateIdentity
from candidates.nir import mask_nir, nir_key, validate_nir

from .factories import CandidateFactory, DossierFactory, build_referential


def _with_key(body):
    return f"{body}{nir_key(body):02d}"


def test_nir_valid_with_key():
    nir = _with_key("1850578006084")
    assert validate_nir(nir[:1] + " " + nir[1:]) == nir


@pytest.mark.parametrize("dept", ["2A", "2B"])
def test_nir_corsica(dept):
    nir = _with_key(f"28507{dept}004012")
    assert validate_nir(nir) == nir
    assert nir_key(f"28507{dept}004012") != nir_key("2850720004012")


@pytest.mark.parametrize(
    ("value", "code"),
    [("12345", "nir_length"), ("9850578006084 12", "nir_format"), ("185057800608400", "nir_key")],
)
def test_nir_invalid(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_nir(value)
    assert exc.value.code == code


def test_nir_masked():
    nir = _with_key("1850578006084")
    masked = mask_nir(nir)
    assert "850578" not in masked.replace(" ", "")
    assert masked.startswith("1 ") and masked.endswith(nir[13:])


@pytest.mark.django_db
def test_dossier_factory_builds_competences():
    version = build_referential()
    dossier = DossierFactory(referential_version=version)
    assert dossier.competences.count() == 8
    assert str(dossier.candidate) in Candidate.objects.get().full_name
    CandidateIdentity.objects.create(candidate=CandidateFactory(), nir=_with_key("1850578006084"))
    assert CandidateIdentity.objects.count() == 1
