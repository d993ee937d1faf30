"""An anonymised candidate's passages keep their state, not their name."""

import pytest
from django_scopes import scopes_disabled

from accrochage import services
from accrochage.models import Passage, PassageStatus
from core import privacy

from .factories import awards, certifier

pytestmark = pytest.mark.django_db


def test_anonymisation_blanks_the_holder_of_the_passages(world, staff, lyon, in_a):
    certifier()
    mine, other = awards(world.centre_a, ["salarie", "vae"])
    services.generate_flux(world.centre_a, [mine, other], actor=staff)
    Passage.objects.filter(decision=mine).update(
        status=PassageStatus.REJECTED, error_message="Nom MARTIN inconnu"
    )
    with scopes_disabled():
        candidate = mine.dossier.candidate
        privacy.run_anonymisers(candidate, list(candidate.dossiers.all()))
    anonymised = Passage.objects.get(decision=mine)
    assert (anonymised.holder, anonymised.error_message) == ("Titulaire anonymisé", "")
    assert anonymised.status == PassageStatus.REJECTED
    assert Passage.objects.get(decision=other).holder.startswith(
        other.dossier.candidate.birth_name.upper()
    )
