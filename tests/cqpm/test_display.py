"""``FastChoiceDisplay`` shows the same labels as Django, in the active language."""

import pytest
from django.db import models
from django.utils import translation

from candidates.models import Dossier, DossierStatus
from core.display import FastChoiceDisplay


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("status", DossierStatus.values)
def test_labels_are_djangos_in_each_language(status, language):
    dossier = Dossier(status=status)
    with translation.override(language):
        expected = models.Model._get_FIELD_display(dossier, Dossier._meta.get_field("status"))
        assert dossier.get_status_display() == expected
        assert isinstance(dossier.get_status_display(), str)


def test_the_label_follows_the_language_switch():
    dossier = Dossier(status=DossierStatus.WITHDRAWN)
    with translation.override("fr"):
        french = dossier.get_status_display()
    with translation.override("en"):
        english = dossier.get_status_display()
    assert french != english


def test_a_value_outside_the_choices_is_shown_as_is():
    dossier = Dossier(status="inconnu")
    assert dossier.get_status_display() == "inconnu"


def test_the_hot_models_use_it():
    from candidates.models import Candidate
    from evaluations.models import CriterionScore, Grid

    for model in (Candidate, Dossier, Grid, CriterionScore):
        assert issubclass(model, FastChoiceDisplay)
