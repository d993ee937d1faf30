"""The per-process copy of a competence's texts (grid pages): kept for published versions,
never for drafts, emptied when the referential changes."""

import pytest

from cqpm.models import Condition, Criterion
from cqpm.selectors import competence_texts, forget_competence_texts

from .factories import load_small

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_copy():
    forget_competence_texts()
    yield
    forget_competence_texts()


def _first_competence(version):
    return version.competences.order_by("number").first()


def test_a_published_competence_is_read_once(django_assert_num_queries):
    competence = _first_competence(load_small(status="published"))
    with django_assert_num_queries(4):
        texts = competence_texts(competence.pk)
    with django_assert_num_queries(0):
        again = competence_texts(competence.pk)
    assert again is texts
    assert set(texts.criteria) == set(
        Criterion.objects.filter(competence=competence).values_list("pk", flat=True)
    )
    assert [c.text for c in texts.conditions] == list(
        Condition.objects.filter(competence=competence).values_list("text", flat=True)
    )


def test_a_draft_is_read_every_time_and_its_edits_show(django_assert_num_queries):
    competence = _first_competence(load_small(status="draft"))
    competence_texts(competence.pk)
    with django_assert_num_queries(4):
        competence_texts(competence.pk)
    Condition.objects.create(competence=competence, text="Nouvelle")
    assert "Nouvelle" in [c.text for c in competence_texts(competence.pk).conditions]


def test_saving_referential_content_empties_the_copy(django_assert_num_queries):
    competence = _first_competence(load_small(status="published"))
    competence_texts(competence.pk)
    version = competence.version
    version.save()  # any save of the referential's models
    with django_assert_num_queries(4):
        competence_texts(competence.pk)
