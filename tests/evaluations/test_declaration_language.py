"""The conflict-of-interest declaration follows the interface language: the sentence asked
is French in French and English in English (the model statement holds it), either
language's sentence is accepted whatever language is active (a form sent just after a
language switch still signs), what the member typed is stored as typed, and a text without
the sentence is refused with a message in the active language."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from evaluations import services
from evaluations.errors import EvaluationError
from evaluations.models import ConflictDeclaration

from .factories import agreed_dossier, seated_session

pytestmark = pytest.mark.django_db

FRENCH = "Je déclare n'avoir aucun lien"
ENGLISH = "I declare that I have no connection"
SENTENCE_IN = {"fr": FRENCH, "en": ENGLISH}
REFUSAL_IN = {
    "fr": "La déclaration doit contenir la phrase « Je déclare n'avoir aucun lien ».",
    "en": "The declaration must contain the sentence “I declare that I have no connection”.",
}


@pytest.fixture(autouse=True)
def _french_again_after_the_test():
    """A request with the language cookie leaves its language active in the thread."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def scene(world, version, assessors):
    dossier = agreed_dossier(
        world.centre_a, version, company=world.company_a, birth_name="Dupont", first_names="Léa"
    )
    session = seated_session(world, [dossier], assessors=assessors, declared=False)
    return session, dossier, assessors[0]


def _statement(sentence):
    return f"{sentence} professionnel ou personnel avec Léa DUPONT."


@pytest.mark.parametrize("active", ["fr", "en"])
@pytest.mark.parametrize("typed", ["fr", "en"])
def test_either_language_sentence_signs_whatever_the_active_language(scene, active, typed):
    session, dossier, user = scene
    statement = _statement(SENTENCE_IN[typed])
    with translation.override(active):
        declaration = services.sign_declaration(
            session, dossier, actor=user, statement=f"  {statement}\n"
        )
    assert declaration.accepted
    declaration.refresh_from_db()
    assert declaration.statement == statement  # what the member declared, as typed


@pytest.mark.parametrize("active", ["fr", "en"])
def test_a_text_without_the_sentence_is_refused_in_the_active_language(scene, active):
    session, dossier, user = scene
    with translation.override(active), pytest.raises(EvaluationError) as exc:
        services.sign_declaration(
            session, dossier, actor=user, statement="Léa DUPONT : rien à signaler."
        )
    assert exc.value.code == "statement_invalid"
    assert str(exc.value.message) == REFUSAL_IN[active]
    assert not ConflictDeclaration.objects.exists()


@pytest.mark.parametrize("active", ["fr", "en"])
def test_the_model_statement_holds_the_sentence_of_the_active_language(scene, active):
    _session, dossier, user = scene
    with translation.override(active):
        model = services.statement_model(dossier, user)
        assert services.statement_problems(model, dossier) == []
    assert SENTENCE_IN[active].lower() in model.lower() and "DUPONT" in model
    if active == "en":
        assert "aucun lien" not in model


def _page(client, session, dossier, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return reverse("evaluations:declaration", args=[session.pk, dossier.pk])


def test_english_page_asks_the_english_sentence(client, scene):
    session, dossier, user = scene
    client.force_login(user)
    html = client.get(_page(client, session, dossier, "en")).content.decode()
    assert "I declare that I have no connection, professional or personal, with Léa DUPONT" in html
    assert "aucun lien" not in html


@pytest.mark.parametrize(("language", "typed"), [("en", "en"), ("en", "fr"), ("fr", "en")])
def test_page_signs_with_either_sentence(client, scene, language, typed):
    session, dossier, user = scene
    client.force_login(user)
    url = _page(client, session, dossier, language)
    statement = _statement(SENTENCE_IN[typed])
    response = client.post(url, {"declared_link": "none", "statement": statement})
    assert response.status_code == 302
    assert ConflictDeclaration.objects.get(member__user=user).statement == statement


@pytest.mark.parametrize("language", ["fr", "en"])
def test_page_refuses_a_text_without_the_sentence_in_the_active_language(client, scene, language):
    session, dossier, user = scene
    client.force_login(user)
    url = _page(client, session, dossier, language)
    response = client.post(url, {"declared_link": "none", "statement": "Léa DUPONT, d'accord"})
    assert response.status_code == 200
    html = response.content.decode()
    refusal = REFUSAL_IN[language].replace("'", "&#x27;")
    assert refusal in html
    assert not ConflictDeclaration.objects.exists()


@pytest.mark.parametrize(("language", "typed"), [("en", "en"), ("en", "fr"), ("fr", "en")])
def test_api_signs_with_either_sentence(api_client, scene, language, typed):
    session, dossier, user = scene
    api_client.force_authenticate(user)
    api_client.force_login(user)  # the middleware resolves the centre from the session
    api_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("api:evaluationsession-declarations", args=[session.pk])
    response = api_client.post(
        url, {"dossier": dossier.pk, "statement": "Léa DUPONT"}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "statement_invalid"
    assert REFUSAL_IN[language] in str(response.json())
    statement = _statement(SENTENCE_IN[typed])
    response = api_client.post(url, {"dossier": dossier.pk, "statement": statement}, format="json")
    assert response.status_code == 201 and response.json()["accepted"] is True
    assert response.json()["statement"] == statement
