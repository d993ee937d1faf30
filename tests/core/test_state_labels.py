"""A status names a state, never an action: a closed session is "Clôturée", not the verb
"Fermer" (which is what Django's French catalogue made of the old label "Close")."""

import gettext
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation

from centres.access import build_actor

MO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.mo"

# Project msgids that Django's own French catalogue translates, on purpose: the language
# switch names English in French, and "actif" is the right French word for a role.
ALLOWED_IN_DJANGO_CATALOGUE = {"English", "active"}

# Infinitives that a status label must never be (the buttons use them).
VERBS = ("Fermer", "Clore", "Ouvrir", "Planifier", "Signer", "Valider", "Soumettre", "Close")


def _project_msgids():
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    for key in catalogue:
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid:
            continue
        if "\x04" in msgid:
            yield tuple(msgid.split("\x04", 1))
        else:
            yield (None, msgid)


def test_no_french_label_is_taken_over_by_django_catalogue():
    """A French msgid that is also an English msgid of Django (e.g. "Close") is translated
    by Django's French catalogue in the French interface: "Close" printed "Fermer"."""
    hijacked = []
    with translation.override("fr"):
        for context, msgid in set(_project_msgids()):
            shown = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            if shown != msgid and msgid not in ALLOWED_IN_DJANGO_CATALOGUE:
                hijacked.append((msgid, shown))
    assert hijacked == []


def test_status_labels_are_states_not_verbs():
    found = []
    with translation.override("fr"):
        for model in apps.get_models():
            if model.__module__.split(".")[0] not in {
                "candidates",
                "centres",
                "cqpm",
                "documents",
                "evaluations",
                "juries",
            }:
                continue
            for field in model._meta.get_fields():
                if not isinstance(field, models.CharField) or not field.choices:
                    continue
                if field.name not in {"status", "state"}:
                    continue
                for _value, label in field.flatchoices:
                    if str(label).split(" ")[0] in VERBS:
                        found.append((model.__name__, field.name, str(label)))
    assert found == []


@pytest.mark.django_db
def test_closed_sessions_read_cloturee_in_lists_filters_and_errors(client, world):
    from evaluations.models import EvaluationSession
    from juries import services as jury_services
    from juries.models import JurySession
    from tests.juries.factories import new_session, referential

    version = referential()
    jury = new_session(world, version)
    JurySession.objects.filter(pk=jury.pk).update(status="closed")
    staff = world.user("staff")
    from tests.evaluations.factories import seated_session

    evaluation = seated_session(world, [])
    EvaluationSession.objects.filter(pk=evaluation.pk).update(status="closed")
    client.force_login(staff)
    for url in (reverse("juries:session_list"), reverse("evaluations:session_list")):
        html = client.get(url).content.decode()
        assert "Clôturée" in html, url
        assert "Fermer" not in html and ">Close<" not in html, url
    jury.refresh_from_db()
    with pytest.raises(jury_services.JuryError) as refused:
        jury_services.open_session(jury, actor=build_actor(staff))
    assert "« Clôturée »" in str(refused.value.message)
    response = client.post(
        f"/api/v1/jury-sessions/{jury.pk}/open/", content_type="application/json"
    )
    assert response.status_code == 400
    assert "« Clôturée »" in str(response.json())


@pytest.mark.django_db
def test_closed_is_closed_in_english(client, world):
    from evaluations.models import EvaluationSession
    from tests.evaluations.factories import seated_session

    evaluation = seated_session(world, [])
    EvaluationSession.objects.filter(pk=evaluation.pk).update(status="closed")
    client.force_login(world.user("staff"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("evaluations:session_list")).content.decode()
    assert ">Closed<" in html
