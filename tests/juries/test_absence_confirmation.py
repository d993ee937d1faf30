"""Recording a candidate's absence asks for confirmation, without JavaScript: the button
of the dossier page (or the agenda) leads to "Confirmer l'absence de …"; only the button of
that page records it. Marking the candidate present again takes one click."""

import pytest
from django.urls import reverse

from juries.models import AgendaItem
from tests.conftest import browser_login, login
from tests.factories import DEFAULT_PASSWORD

from .factories import deliberating_session, ready_dossier, referential


def _absent(item):
    return AgendaItem.objects.get(pk=item.pk).candidate_absent


@pytest.mark.django_db
def test_the_first_request_asks_and_only_the_confirmation_records(client, world):
    version = referential()
    dossier = ready_dossier(world.centre_a, version, birth_name="Arnaud", first_names="Camille")
    session, _members, (item,) = deliberating_session(world, version, [dossier])
    login(client, world.user("staff"))
    url = reverse("juries:item_absent", args=[session.pk, item.pk])
    for response in (client.get(url), client.post(url, {"absent": "1"})):
        assert response.status_code == 200
        assert "Confirmer l'absence de ARNAUD Camille" in response.content.decode().replace(
            "&#x27;", "'"
        )
        assert not _absent(item)
    response = client.post(url, {"absent": "1", "confirmed": "1"})
    assert response.status_code == 302
    assert _absent(item)
    response = client.post(url, {"absent": "0"})  # present again: no confirmation
    assert response.status_code == 302
    assert not _absent(item)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_the_first_click_does_not_record_the_absence(page, live_server, world):
    version = referential()
    dossier = ready_dossier(world.centre_a, version, birth_name="Barbier", first_names="Louis")
    session, members, (item,) = deliberating_session(world, version, [dossier])
    president = members[0]
    assert president.is_president
    page.on("dialog", lambda dialog: dialog.dismiss())  # a JS confirm must not be the guard
    browser_login(page, president.user.username, DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/jurys/{session.pk}/dossiers/{item.pk}/")
    page.get_by_role("button", name="Enregistrer l'absence du candidat").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("heading", name="Confirmer l'absence de BARBIER Louis").is_visible()
    assert not _absent(item)
    page.get_by_role("link", name="Annuler").click()
    page.wait_for_load_state("domcontentloaded")
    assert not _absent(item)
    page.get_by_role("button", name="Enregistrer l'absence du candidat").click()
    page.get_by_role("button", name="Confirmer l'absence").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Absence du candidat enregistrée." in page.content()
    assert _absent(item)
