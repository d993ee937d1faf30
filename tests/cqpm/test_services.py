"""The life cycle of a referential version, and the model-level immutability guard."""

import pytest
from django.core.exceptions import PermissionDenied

from centres.models import AuditEntry
from cqpm import services
from cqpm.errors import ReferentialError
from cqpm.loader import content_of, export_referential, load_referential
from cqpm.models import Bloc, Competence, Criterion, EvaluationModality, ReferentialVersion
from tests.factories import UserFactory

from .factories import small_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def gtp():
    return UserFactory(username="gtp", is_national_admin=True)


@pytest.fixture
def draft():
    return load_referential(small_document(status="draft")).version


def test_publish_a_draft(draft, gtp):
    version = services.publish_version(draft, actor=gtp)
    assert version.status == "published" and version.published_at is not None
    entry = AuditEntry.objects.get(action="referential.publish")
    assert (entry.centre_id, entry.actor_id) == (None, gtp.pk)
    assert entry.before == {"status": "draft"} and entry.after == {"status": "published"}
    # Already published: nothing happens, no second audit row.
    services.publish_version(version, actor=gtp)
    assert AuditEntry.objects.filter(action="referential.publish").count() == 1


def test_only_national_administrators_publish(draft, world):
    for user in (world.user("centre_admin"), world.user("staff")):
        with pytest.raises(PermissionDenied):
            services.publish_version(draft, actor=user)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_an_incomplete_draft_cannot_be_published(draft, gtp):
    Criterion.objects.filter(competence__version=draft, competence__code="C2").delete()
    with pytest.raises(ReferentialError, match="Brouillon incomplet") as excinfo:
        services.publish_version(draft, actor=gtp)
    assert "blocs[0].competences[1].criteria: liste vide" in str(excinfo.value)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_start_a_new_draft_copies_a_published_version(referential, gtp):
    new = services.start_new_draft(referential, actor=gtp)
    assert (new.number, new.status) == (2, "draft")
    assert content_of(export_referential(new)) == content_of(export_referential(referential))
    assert Criterion.objects.filter(competence__version=new).count() == 103
    entry = AuditEntry.objects.get(action="referential.start_draft")
    assert entry.after == {"status": "draft", "copied_from": 1}
    # One draft at a time: asking again returns the same draft.
    assert services.start_new_draft(referential, actor=gtp).pk == new.pk
    assert ReferentialVersion.objects.count() == 2


def test_the_new_draft_is_editable_and_the_published_one_is_not(referential, gtp):
    new = services.start_new_draft(referential, actor=gtp)
    criterion = Criterion.objects.filter(competence__version=new).first()
    criterion.text = "Texte révisé, sécurité."
    criterion.save()
    assert Criterion.objects.get(pk=criterion.pk).search_text == "texte revise, securite."
    services.publish_version(new, actor=gtp)
    original = Criterion.objects.filter(competence__version=referential).first()
    assert original.text != "Texte révisé, sécurité."


def test_archive(referential, gtp, draft):
    archived = services.archive_version(referential, actor=gtp, reason="v2 en vigueur")
    assert archived.status == "archived"
    assert AuditEntry.objects.get(action="referential.archive").reason == "v2 en vigueur"
    services.archive_version(archived, actor=gtp)
    assert AuditEntry.objects.filter(action="referential.archive").count() == 1
    with pytest.raises(ReferentialError, match="ne peut pas être republiée"):
        services.publish_version(archived, actor=gtp)
    with pytest.raises(ReferentialError, match="Un brouillon ne s'archive pas"):
        services.archive_version(draft, actor=gtp)


class TestModelLevelProtection:
    def test_content_of_a_published_version_cannot_be_saved_or_deleted(self, referential):
        criterion = Criterion.objects.filter(competence__version=referential).first()
        criterion.text = "Modifié"
        with pytest.raises(ReferentialError, match="version publiée immuable"):
            criterion.save()
        with pytest.raises(ReferentialError):
            criterion.delete()
        bloc = Bloc.objects.filter(version=referential).first()
        bloc.title = "Autre"
        with pytest.raises(ReferentialError):
            bloc.save()
        competence = Competence.objects.filter(version=referential).first()
        with pytest.raises(ReferentialError):
            Criterion(competence=competence, category="methods", text="Ajout").save()
        with pytest.raises(ReferentialError):
            EvaluationModality.objects.filter(version=referential).first().delete()
        assert Criterion.objects.filter(competence__version=referential).count() == 103

    def test_a_published_version_keeps_its_settings_and_cannot_be_deleted(self, referential):
        referential.bloc_credit_months = 12
        with pytest.raises(ReferentialError):
            referential.save()
        referential.refresh_from_db()
        with pytest.raises(ReferentialError):
            referential.delete()
        # An unchanged save and the status transitions are allowed.
        referential.save()
        referential.status = "archived"
        referential.save(update_fields=["status"])
        referential.refresh_from_db()
        assert referential.status == "archived" and referential.bloc_credit_months == 60

    def test_a_draft_is_freely_editable(self, draft):
        criterion = Criterion.objects.filter(competence__version=draft).first()
        criterion.text = "Nouveau texte"
        criterion.save(update_fields=["text"])
        assert Criterion.objects.get(pk=criterion.pk).search_text == "nouveau texte"
        draft.bloc_credit_months = 48
        draft.save()
        draft.delete()
        assert not ReferentialVersion.objects.exists()
