"""Django admin of the referential: national administrators only, published = read-only."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from centres.models import AuditEntry
from cqpm.models import Competence, ReferentialVersion
from tests.factories import UserFactory

from .factories import load_small

pytestmark = pytest.mark.django_db


@pytest.fixture
def gtp_client(client):
    client.force_login(UserFactory(username="gtp", is_staff=True, is_national_admin=True))
    return client


def change_url(obj):
    return reverse(f"admin:cqpm_{obj._meta.model_name}_change", args=[obj.pk])


def test_only_national_administrators_reach_the_referential_admin(client, referential):
    client.force_login(UserFactory(is_staff=True))  # staff, but not GTP
    assert client.get(reverse("admin:cqpm_referentialversion_changelist")).status_code == 403
    assert client.get(change_url(referential)).status_code == 403


def test_lists(gtp_client, referential):
    for name in ("qualification", "referentialversion", "competence"):
        response = gtp_client.get(reverse(f"admin:cqpm_{name}_changelist"))
        assert response.status_code == 200, name
    html = gtp_client.get(reverse("admin:cqpm_qualification_changelist")).content.decode()
    assert "Manager de secteur d&#x27;activités" in html and "à renseigner" in html


def test_a_published_version_is_read_only(gtp_client, referential):
    html = gtp_client.get(change_url(referential)).content.decode()
    assert 'name="_save"' not in html
    assert "C8" in html  # competences shown (read-only inline)
    competence = Competence.objects.get(version=referential, code="C1")
    html = gtp_client.get(change_url(competence)).content.decode()
    assert 'name="_save"' not in html
    assert "Tous les aménagements de compensation sont pris en compte" in html


def test_a_draft_is_editable(gtp_client):
    draft = load_small(status="draft")
    html = gtp_client.get(change_url(draft)).content.decode()
    assert 'name="_save"' in html
    competence = Competence.objects.filter(version=draft).first()
    html = gtp_client.get(change_url(competence)).content.decode()
    assert 'name="_save"' in html and 'name="criteria-TOTAL_FORMS"' in html


def test_publish_action_asks_for_confirmation_then_publishes(gtp_client):
    draft = load_small(status="draft")
    url = reverse("admin:cqpm_referentialversion_changelist")
    data = {"action": "publish", ACTION_CHECKBOX_NAME: [draft.pk]}
    response = gtp_client.post(url, data)
    assert response.status_code == 200
    assert "Une version publiée ne peut plus être modifiée" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"

    response = gtp_client.post(url, {**data, "confirm": "yes"}, follow=True)
    draft.refresh_from_db()
    assert draft.status == "published"
    assert "publiée." in response.content.decode()
    assert AuditEntry.objects.filter(action="referential.publish").count() == 1


def test_new_draft_and_archive_actions(gtp_client, referential):
    url = reverse("admin:cqpm_referentialversion_changelist")
    selected = {ACTION_CHECKBOX_NAME: [referential.pk], "confirm": "yes"}
    gtp_client.post(url, {"action": "start_new_draft", **selected})
    assert ReferentialVersion.objects.filter(number=2, status="draft").exists()
    gtp_client.post(url, {"action": "archive", **selected})
    referential.refresh_from_db()
    assert referential.status == "archived"
