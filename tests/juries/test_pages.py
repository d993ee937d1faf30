"""The jury pages: who sees what (a juror never reaches a dossier outside their sessions),
sensitive data kept from jurors, the deliberation page, the live board, the results and
their exports, exact query counts on the lists."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from candidates.models import Accommodation
from centres.access import build_actor
from cqpm.models import Criterion
from evaluations.models import (
    CompanyOpinion,
    CompanyOpinionItem,
    CriterionScore,
    EvaluationSession,
    Grid,
)
from juries import services
from juries.models import AgendaItem, Decision, DecisionCompetence, JurySession, Outcome
from tests.security.helpers import inline_code

from .factories import (
    A,
    all_codes,
    convene,
    deliberating_session,
    jurors,
    new_session,
    ready_dossier,
    vote_all,
)

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_staff_build_a_session_through_the_pages(client, world, version, clock):
    login(client, world.user("staff"))
    response = client.post(
        reverse("juries:session_create"),
        {
            "qualification": version.qualification_id,
            "starts_at": (timezone.localtime() + timezone.timedelta(days=30)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "place": "Lyon, salle du conseil",
        },
    )
    session = JurySession.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/jurys/{session.pk}/membres/"
    )
    users = jurors(world, 2)
    for user, college in zip(users, ["employer", "employee"], strict=True):
        response = client.post(
            reverse("juries:members", args=[session.pk]),
            {
                "user": user.pk,
                "college": college,
                "organisation": "CFDT" if college == "employee" else "UIMM",
            },
        )
        assert response.status_code == 302
    employer = session.members.get(college="employer")
    client.post(reverse("juries:member_president", args=[session.pk, employer.pk]))
    page = client.get(reverse("juries:members", args=[session.pk])).content.decode()
    assert "CFDT" in page and "Président(e)" in page
    response = client.post(reverse("juries:invitations", args=[session.pk]), {"justification": ""})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.invitations_sent_at is not None
    dossier = ready_dossier(world.centre_a, version, birth_name="Zeller")
    page = client.get(reverse("juries:agenda", args=[session.pk]) + "?q=zell").content.decode()
    assert "ZELLER" in page
    client.post(reverse("juries:agenda", args=[session.pk]), {"dossier": dossier.pk})
    assert session.agenda.get().dossier == dossier
    assert session.status == "planned"
    response = client.post(
        reverse("juries:session_open", args=[session.pk]), {"version": session.version}, follow=True
    )
    assert "ne peut pas être ouverte avant le" in response.content.decode()
    session.refresh_from_db()
    assert session.status == "planned"
    clock(session.starts_at)  # the day comes
    login(client, world.user("staff"))  # a new login on that day
    client.post(reverse("juries:session_open", args=[session.pk]), {"version": session.version})
    session.refresh_from_db()
    assert session.status == "open"


def test_late_invitation_page_asks_for_a_justification(client, world, version, staff):
    session = new_session(world, version)
    services.add_member(session, world.user("juror"), actor=staff, college="employer")
    login(client, world.user("staff"))
    page = client.get(reverse("juries:invitations", args=[session.pk])).content.decode()
    assert "tardive" in page
    response = client.post(reverse("juries:invitations", args=[session.pk]), {"justification": ""})
    assert response.status_code == 200
    assert "choisissez le motif de cette convocation tardive" in response.content.decode()


def test_a_juror_only_reaches_their_sessions(client, world, version):
    dossier = ready_dossier(world.centre_a, version, company=world.company_a)
    mine, members, (item,) = deliberating_session(world, version, [dossier])
    other = new_session(world, version, place="Autre salle")
    other_dossier = ready_dossier(world.centre_a, version, birth_name="Ailleurs")
    other_item = services.add_to_agenda(
        other, other_dossier, actor=build_actor(world.user("staff"))
    )
    outsider = members[1].user
    # a juror of the centre who does not sit in "other"
    login(client, outsider)
    assert client.get(reverse("juries:session_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("juries:item_detail", args=[mine.pk, item.pk])).status_code == 200
    assert client.get(reverse("juries:session_detail", args=[other.pk])).status_code == 404
    assert (
        client.get(reverse("juries:item_detail", args=[other.pk, other_item.pk])).status_code == 404
    )
    # an item of another session through my session's URL: 404 too
    assert (
        client.get(reverse("juries:item_detail", args=[mine.pk, other_item.pk])).status_code == 404
    )
    listing = client.get(reverse("juries:session_list")).content.decode()
    assert "Autre salle" not in listing
    # the candidates app gives jurors nothing
    assert client.get(reverse("candidates:dossier_detail", args=[dossier.pk])).status_code == 404
    api = client.get(reverse("api:jury-agenda-item-list")).json()
    assert [row["id"] for row in api["results"]] == [item.pk]


def test_organisation_is_shown_to_staff_only(client, world, version, staff):
    session = new_session(world, version)
    services.add_member(
        session,
        world.user("juror"),
        actor=staff,
        college="employee",
        organisation="Syndicat MATRICE",
    )
    login(client, world.user("juror"))
    for url in (
        reverse("juries:session_detail", args=[session.pk]),
        reverse("api:jury-member-list") + f"?session={session.pk}",
        reverse("api:jury-session-detail", args=[session.pk]),
    ):
        assert "Syndicat MATRICE" not in client.get(url).content.decode(), url
    login(client, world.user("staff"))
    assert (
        "Syndicat MATRICE"
        in client.get(reverse("juries:members", args=[session.pk])).content.decode()
    )
    assert "Syndicat MATRICE" in client.get(reverse("api:jury-member-list")).content.decode()


def _grid_with_detail(world, dossier, code, proposal, opinion_value):
    version = dossier.referential_version
    competence = version.competences.get(code=code)
    criterion = Criterion.objects.bulk_create(
        [
            Criterion(
                competence=competence,
                category="methods",
                text=f"Critère observable de {code}",
                order=1,
            )
        ]
    )[0]
    evaluation = EvaluationSession.objects.get_or_create(
        centre=world.centre_a, place="Atelier", defaults={"starts_at": timezone.now()}
    )[0]
    grid = Grid.objects.create(
        centre=world.centre_a,
        session=evaluation,
        dossier=dossier,
        competence=competence,
        status="signed",
        proposal=proposal,
        proposal_justification=f"Justification {code}",
    )
    CriterionScore.objects.create(
        grid=grid, criterion=criterion, state="satisfied", comment="Bien mené"
    )
    opinion = CompanyOpinion.objects.get_or_create(
        centre=world.centre_a,
        dossier=dossier,
        defaults={"company": dossier.company, "status": "signed"},
    )[0]
    CompanyOpinionItem.objects.create(
        opinion=opinion, competence=competence, value=opinion_value, comment="Avis du tuteur"
    )


def test_the_deliberation_page_shows_the_file(client, world, version):
    dossier = ready_dossier(world.centre_a, version, company=world.company_a, birth_name="Lefort")
    _grid_with_detail(world, dossier, "C1", "acquise", "favourable")
    _grid_with_detail(world, dossier, "C4", "acquise", "unfavourable")
    Accommodation.objects.create(
        centre=world.centre_a,
        dossier=dossier,
        needs="Trouble médical CONFIDENTIEL",
        to_apply="Tiers temps",
    )
    session, members, (item,) = deliberating_session(world, version, [dossier])
    login(client, members[1].user)
    response = client.get(reverse("juries:item_detail", args=[session.pk, item.pk]))
    page = response.content.decode()
    assert "LEFORT" in page
    assert "Justification C1" in page and "Critère observable de C1" in page and "Bien mené" in page
    assert page.count("Désaccord entre la commission") == 1
    assert "Tiers temps" in page and "CONFIDENTIEL" not in page
    assert "Évaluation jugée conforme" in page
    assert page.count('name="value" value="acquise"') == 8
    assert inline_code(page) == []
    response = client.post(
        reverse("juries:item_vote", args=[session.pk, item.pk]),
        {"competence": version.competences.get(code="C1").pk, "value": "acquise"},
    )
    assert response.status_code == 302 and response["Location"].endswith(
        f"#competence-{version.competences.get(code='C1').pk}"
    )
    assert item.votes.get().value == "acquise"


def _regularity_radios(client, session, item):
    page = client.get(reverse("juries:item_detail", args=[session.pk, item.pk])).content.decode()
    radios = re.findall(r'<input type="radio" name="regular"[^>]*>', page)
    assert len(radios) == 2
    return [radio for radio in radios if "checked" in radio]


def test_the_regularity_check_has_no_preselected_answer(client, world, version, staff):
    dossier = ready_dossier(world.centre_a, version)
    session, members, (item,) = deliberating_session(world, version, [dossier], regular=False)
    assert members[0].is_president
    login(client, members[0].user)
    assert _regularity_radios(client, session, item) == []  # the president must choose
    services.record_regularity(item, regular=False, comment="Une seule signature", actor=staff)
    (checked,) = _regularity_radios(client, session, item)  # the recorded answer is shown
    assert 'value="0"' in checked


def test_the_board_shows_who_voted_on_what(client, world, version):
    dossier = ready_dossier(world.centre_a, version)
    session, members, (item,) = deliberating_session(world, version, [dossier])
    vote_all(item, members[:1], {"C1": A})
    login(client, members[2].user)
    detail = client.get(reverse("juries:session_detail", args=[session.pk])).content.decode()
    assert 'hx-trigger="every 4s"' in detail
    board = client.get(reverse("juries:session_board", args=[session.pk])).content.decode()
    assert board.count("✓") == 1
    assert "1 vote(s) sur 32" in board


def test_board_query_count_does_not_grow(client, world, version, django_assert_num_queries):
    """Computed (cache empty) or read from the cache, the board costs the same queries for 1
    dossier or 5."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few = [ready_dossier(world.centre_a, version)]
    session, members, items = deliberating_session(world, version, few)
    login(client, members[0].user)
    url = reverse("juries:session_board", args=[session.pk])
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as computed:
        client.get(url)
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    assert len(cached.captured_queries) < len(computed.captured_queries)
    staff = build_actor(world.user("staff"))
    # more dossiers: same number of queries
    session.status = "open"
    session.save(update_fields=["status"])
    for _ in range(4):
        services.add_to_agenda(session, ready_dossier(world.centre_a, version), actor=staff)
    cache.clear()
    with django_assert_num_queries(len(computed.captured_queries)):
        client.get(url)
    with django_assert_num_queries(len(cached.captured_queries)):
        client.get(url)


def _frozen_decisions(world, version, count):
    """Frozen decisions written directly (the list pages only read them)."""
    session = JurySession.objects.filter(centre=world.centre_a, place="Salle des résultats").first()
    if session is None:
        session = new_session(world, version, place="Salle des résultats")
    competences = list(version.competences.all())
    blocs = list(version.blocs.all())
    for index in range(count):
        dossier = ready_dossier(world.centre_a, version, birth_name=f"RESULTAT{index}")
        item = AgendaItem.objects.create(session=session, dossier=dossier, position=index)
        decision = Decision.objects.create(
            centre=world.centre_a,
            item=item,
            dossier=dossier,
            outcome=Outcome.PARTIAL,
            decided_at=timezone.now(),
            frozen_at=timezone.now(),
        )
        DecisionCompetence.objects.bulk_create(
            DecisionCompetence(
                decision=decision, competence=c, source="evaluated", acquired=c.number != 8
            )
            for c in competences
        )
        decision.validated_blocs.set(blocs[:2])
    return session


@pytest.mark.parametrize("name", ["juries:results", "juries:results_csv", "juries:results_xlsx"])
def test_results_query_count(client, world, version, name, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _frozen_decisions(world, version, 2)
    login(client, world.user("staff"))
    url = reverse(name)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _frozen_decisions(world, version, 12)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_session_list_query_count(client, world, version, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        new_session(world, version)
    login(client, world.user("staff"))
    url = reverse("juries:session_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        new_session(world, version)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Jury d&#x27;essai") == 12


def test_exports(client, world, version):
    _frozen_decisions(world, version, 3)
    login(client, world.user("staff"))
    response = client.get(reverse("juries:results_csv") + "?q=RESULTAT1")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Séance" and len(rows) == 2
    assert rows[1][5] == "RESULTAT1" and rows[1][8] == "Validation partielle"
    assert rows[1][9] == "C1, C2, C3, C4, C5, C6, C7" and rows[1][10] == "B1, B2"
    response = client.get(reverse("juries:results_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4
    assert {sheet.cell(row=r, column=6).value for r in range(2, 5)} == {
        "RESULTAT0",
        "RESULTAT1",
        "RESULTAT2",
    }
    # another centre's staff export nothing of centre A
    login(client, world.user("staff", "b"))
    sheet = load_workbook(io.BytesIO(client.get(reverse("juries:results_xlsx")).content)).active
    assert sheet.max_row == 1
    assert "RESULTAT" not in client.get(reverse("juries:results_csv")).content.decode("utf-8-sig")


def test_revocation_page_requires_a_reason_and_confirms(client, world, version, staff):
    dossier = ready_dossier(world.centre_a, version, birth_name="Revoque")
    session, members, (item,) = deliberating_session(world, version, [dossier])
    vote_all(item, members, dict.fromkeys(all_codes(item), A))
    services.close_session(session, actor=staff)
    decision = Decision.objects.get(item=item)
    login(client, world.user("staff"))
    page = client.get(reverse("juries:decision_revoke", args=[decision.pk])).content.decode()
    assert "data-confirm" in page
    response = client.post(reverse("juries:decision_revoke", args=[decision.pk]), {"reason": ""})
    assert response.status_code == 200
    response = client.post(
        reverse("juries:decision_revoke", args=[decision.pk]), {"reason": "Erreur de saisie"}
    )
    assert response.status_code == 302
    page = client.get(reverse("juries:decision_detail", args=[decision.pk])).content.decode()
    assert "Erreur de saisie" in page and "jury.decision_revoked" in page


def test_home_sections(client, world, version):
    dossier = ready_dossier(world.centre_a, version, birth_name="Accueil")
    session, members, (item,) = deliberating_session(world, version, [dossier])
    login(client, members[1].user)
    page = client.get(reverse("home")).content.decode()
    assert "Mes jurys" in page and "Votes en attente" in page and "8 compétences à voter" in page
    login(client, world.user("staff"))
    page = client.get(reverse("home")).content.decode()
    assert "Jurys paritaires" in page


def test_convene_helper_makes_a_paritary_jury(world, version):
    session = new_session(world, version)
    members = convene(world, session, jurors(world))
    assert [m.college for m in members] == ["employer", "employee", "employer", "employee"]


def test_a_stale_edit_is_refused_with_a_clear_message(client, world, version):
    session = new_session(world, version)
    login(client, world.user("staff"))
    data = {
        "qualification": version.qualification_id,
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "place": "Salle 9",
        "version": session.version,
    }
    assert client.post(reverse("juries:session_edit", args=[session.pk]), data).status_code == 302
    response = client.post(
        reverse("juries:session_edit", args=[session.pk]), {**data, "place": "Salle 10"}
    )
    assert response.status_code == 200
    assert "modifiée par quelqu" in response.content.decode()
    session.refresh_from_db()
    assert session.place == "Salle 9"


def test_redirects_stay_on_the_site(client, world, version, staff):
    dossier = ready_dossier(world.centre_a, version)
    session, members, (item,) = deliberating_session(world, version, [dossier])
    login(client, world.user("staff"))
    url = reverse("juries:item_absent", args=[session.pk, item.pk])
    response = client.post(url, {"absent": "1", "confirmed": "1", "next": "https://evil.example/"})
    assert response["Location"] == reverse("juries:item_detail", args=[session.pk, item.pk])
    response = client.post(url, {"absent": "0", "next": "/\\evil.example/"})
    assert "evil" not in response["Location"]
