"""In real browsers: three jurors and the president, each in their own browser and logged in
through the login page, deliberate a session of two candidates; the live board follows
the votes; the president closes the session and the members present sign the PV (each
typing their password again)."""

import pytest

from juries.models import Decision, MinutesSignature, Outcome, SessionStatus
from tests.conftest import browser_login
from tests.factories import DEFAULT_PASSWORD

from .factories import deliberating_session, produce_minutes, ready_dossier, referential


def _context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm
    return context, page


def _vote(page, code, value):
    label = f"{code} : {'acquise' if value == 'A' else 'non acquise'}"
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state("domcontentloaded")
    assert "Vote enregistré" in page.content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_jury_deliberates_two_candidates_and_closes(browser, live_server, world):
    version = referential()
    dossiers = [
        ready_dossier(
            world.centre_a, version, codes=["C1", "C2"], birth_name=name, first_names=first
        )
        for name, first in (("Arnaud", "Camille"), ("Barbier", "Louis"))
    ]
    session, members, items = deliberating_session(world, version, dossiers, regular=False)
    assert members[0].is_president

    contexts = []
    pages = []
    for member in members:
        context, page = _context(browser, live_server)
        contexts.append(context)
        browser_login(page, member.user.username, DEFAULT_PASSWORD)
        assert "Mes jurys" in page.content()  # the juror's home section
        pages.append(page)
    president, *others = pages
    try:
        # The president records that both evaluations followed the rules.
        for item in items:
            president.goto(f"/jurys/{session.pk}/dossiers/{item.pk}/")
            assert "Régularité de l'évaluation" in president.content()
            president.get_by_label("Oui, conforme").check()
            president.get_by_role("button", name="Enregistrer le contrôle").click()
            president.wait_for_load_state("domcontentloaded")
            assert "Évaluation jugée conforme" in president.content()
            _vote(president, "C1", "A")
            _vote(president, "C2", "A")

        # The president follows the board while the others vote.
        president.goto(f"/jurys/{session.pk}/")
        assert president.locator("#board .cell-voted").count() == 4
        plans = [  # candidate 2, C2: a tie that the president's vote decides
            [{"C1": "A", "C2": "A"}, {"C1": "A", "C2": "NA"}],
            [{"C1": "A", "C2": "A"}, {"C1": "A", "C2": "A"}],
            [{"C1": "A", "C2": "A"}, {"C1": "A", "C2": "NA"}],
        ]
        for page, plan in zip(others, plans, strict=True):
            page.goto(f"/jurys/{session.pk}/")
            for item, votes in zip(items, plan, strict=True):
                page.get_by_role("link", name=item.dossier.candidate.full_name).first.click()
                page.wait_for_load_state("domcontentloaded")
                for code, value in votes.items():
                    _vote(page, code, value)
        # htmx polling brings every vote to the president's page without a reload.
        president.locator("#board .cell-voted").nth(15).wait_for()
        assert president.locator("#board .cell-voted").count() == 16
        president.get_by_text("voix prépondérante").first.wait_for()

        president.get_by_role("link", name="Clore la séance").click()
        president.wait_for_load_state("domcontentloaded")
        president.get_by_label("Observations du jury (portées au procès-verbal)").fill(
            "Deux dossiers examinés."
        )
        president.get_by_label("Je confirme la clôture : les décisions seront figées.").check()
        president.get_by_role("button", name="Clore la séance et figer les décisions").click()
        president.wait_for_load_state("domcontentloaded")
        assert "Séance close" in president.content()

        minutes = produce_minutes(session)  # the render queue is off in these tests
        for page in pages:
            page.goto(f"/jurys/{session.pk}/")
            page.get_by_role("link", name="Signer le procès-verbal").click()
            page.wait_for_load_state("domcontentloaded")
            assert minutes.sha256 in page.content()
            page.get_by_label("Votre mot de passe").fill(DEFAULT_PASSWORD)
            page.get_by_role("button", name="Signer le procès-verbal").click()
            page.wait_for_load_state("domcontentloaded")
            assert "Vous avez signé le procès-verbal." in page.content()
    finally:
        for context in contexts:
            context.close()

    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    assert session.observations == "Deux dossiers examinés."
    decisions = [Decision.objects.get(item=item) for item in items]
    assert all(d.frozen_at for d in decisions)
    # C3..C8 are outside these dossiers: nothing awarded, C1 and C2 validated
    assert [d.outcome for d in decisions] == [Outcome.PARTIAL, Outcome.PARTIAL]
    casting = decisions[1].competences.get(competence__code="C2")
    assert casting.acquired and casting.casting_vote
    assert (casting.votes_for, casting.votes_against) == (2, 2)
    assert MinutesSignature.objects.filter(session=session).count() == 4
