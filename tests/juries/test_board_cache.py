"""The session board is rendered once per state and cached (``juries.board``): these tests
fail if the cache served a board older than a write (each kind of write that changes what
it shows), another centre's board, or a board in another language."""

import pytest
from django.conf import settings
from django.core.cache.backends.dummy import DummyCache
from django.urls import reverse

from candidates.models import Candidate
from centres.access import build_actor
from centres.models import User
from juries import board, services
from juries.deliberation import agenda_rows, session_members
from juries.models import Attendance, JurySession

from .factories import (
    NA,
    A,
    all_codes,
    convene,
    deliberating_session,
    jurors,
    new_session,
    ready_dossier,
    vote,
)

pytestmark = pytest.mark.django_db

ABSTAINING = "S'abstiennent"  # the label of the abstaining members


@pytest.fixture
def computed(monkeypatch):
    """Counts the boards really computed (a cache miss)."""
    calls = []
    real = board.render_board

    def counting(session, members):
        calls.append(session.pk)
        return real(session, members)

    monkeypatch.setattr(board, "render_board", counting)
    return calls


def board_of(client, session, **extra) -> str:
    response = client.get(reverse("juries:session_board", args=[session.pk]), **extra)
    assert response.status_code == 200
    return response.content.decode()


def page_of(client, session) -> str:
    response = client.get(reverse("juries:session_detail", args=[session.pk]))
    assert response.status_code == 200
    return response.content.decode()


def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


@pytest.fixture
def deliberating(world, version):
    dossiers = [
        ready_dossier(world.centre_a, version, birth_name=name) for name in ("Arnaud", "Barbier")
    ]
    return deliberating_session(world, version, dossiers)


def test_the_board_is_computed_once_then_served_from_the_cache(
    client, world, deliberating, computed
):
    session, _members, _items = deliberating
    staff_client(client, world)
    first = board_of(client, session)
    assert board_of(client, session) == first
    page = page_of(client, session)
    assert first in page  # the page embeds the same board
    assert computed == [session.pk]


def test_the_cached_board_is_the_board_computed_without_cache(
    client, world, deliberating, monkeypatch
):
    session, members, items = deliberating
    vote(items[0], members[0], all_codes(items[0])[0], A)
    staff_client(client, world)
    board_of(client, session)
    cached = board_of(client, session)
    monkeypatch.setattr(board, "cache", DummyCache("board", {}))  # Redis down: a miss
    assert board_of(client, session) == cached
    assert page_of(client, session).count("✓") == 1


def test_a_vote_shows_at_once(client, world, deliberating, computed):
    session, members, items = deliberating
    staff_client(client, world)
    assert board_of(client, session).count("✓") == 0
    vote(items[0], members[1], all_codes(items[0])[0], A)
    after = board_of(client, session)
    assert after.count("✓") == 1 and "1 vote(s) sur 32" in after
    vote(items[0], members[1], all_codes(items[0])[0], NA)  # a changed vote
    assert "0 A / 1 NA" in board_of(client, session)
    assert len(computed) == 3


def test_a_provisional_decision_shows_at_once(client, world, deliberating):
    session, members, items = deliberating
    staff_client(client, world)
    assert "provisoire" not in board_of(client, session)
    codes = all_codes(items[0])
    for member in members:
        for code in codes:
            vote(items[0], member, code, A)
    assert "CQPM délivré" in board_of(client, session)
    assert "provisoire" in board_of(client, session)


def test_regularity_absence_and_conflicts_show_at_once(client, world, version):
    dossiers = [ready_dossier(world.centre_a, version, birth_name="Arnaud")]
    session, members, (item,) = deliberating_session(world, version, dossiers, regular=False)
    staff = build_actor(world.user("staff"))
    staff_client(client, world)
    assert "Régularité à vérifier" in board_of(client, session)
    services.record_regularity(item, regular=True, actor=staff)
    assert "Évaluation conforme" in board_of(client, session)
    assert ABSTAINING not in board_of(client, session)
    conflict = services.declare_conflict(item, members[3], kind="trainer", actor=staff)
    assert members[3].name in board_of(client, session).split(ABSTAINING)[1]
    services.remove_conflict(conflict, actor=staff)
    assert ABSTAINING not in board_of(client, session)
    services.set_candidate_absent(item, True, actor=staff)
    assert "Candidat absent" in board_of(client, session)


def test_attendance_shows_at_once(client, world, deliberating):
    session, members, _items = deliberating
    staff_client(client, world)
    assert board_of(client, session).count(members[3].name) >= 2  # one column per dossier
    staff = build_actor(world.user("staff"))
    services.set_attendance(members[3], Attendance.ABSENT, actor=staff)
    assert members[3].name not in board_of(client, session)


def test_agenda_changes_and_transitions_show_at_once(client, world, version):
    staff = build_actor(world.user("staff"))
    session = new_session(world, version)
    members = convene(world, session, jurors(world))
    staff_client(client, world)
    assert "Aucun dossier" in board_of(client, session)
    item = services.add_to_agenda(
        session, ready_dossier(world.centre_a, version, birth_name="Zorglub"), actor=staff
    )
    assert "ZORGLUB" in board_of(client, session)
    services.remove_from_agenda(item, actor=staff, reason="erreur")
    assert "ZORGLUB" not in board_of(client, session)
    services.add_to_agenda(
        session, ready_dossier(world.centre_a, version, birth_name="Yvon"), actor=staff
    )
    assert "hx-trigger" not in board_of(client, session)  # planned: no polling
    services.open_session(session, actor=staff)
    assert 'hx-trigger="every 4s"' in board_of(client, session)
    for member in members:
        services.set_attendance(member, Attendance.PRESENT, actor=staff)
    services.start_deliberation(session, actor=staff)
    assert 'hx-trigger="every 4s"' in board_of(client, session)


def test_closing_and_revocation_show_at_once(client, world, deliberating):
    session, members, items = deliberating
    staff = build_actor(world.user("staff"))
    for item in items:
        for member in members:
            for code in all_codes(item):
                vote(item, member, code, A)
    staff_client(client, world)
    live = board_of(client, session)
    assert "provisoire" in live and "every 4s" in live
    services.close_session(session, actor=staff)
    closed = board_of(client, session)
    assert "provisoire" not in closed and "every 4s" not in closed
    assert "révoquée" not in closed
    decision = items[0].decision
    services.revoke_decision(decision, reason="Erreur de saisie", actor=staff)
    revoked = board_of(client, session)
    assert revoked.count("révoquée") == 1
    assert page_of(client, session).count("révoquée") == 1


def test_names_written_by_other_apps_show_at_once(client, world, deliberating):
    """Candidates and user accounts are written outside the juries app (a rename, an
    anonymisation): the board's key hashes the names it shows."""
    session, members, items = deliberating
    staff_client(client, world)
    assert "ARNAUD" in board_of(client, session)
    Candidate.objects.filter(pk=items[0].dossier.candidate_id).update(birth_name="Anonyme")
    after = board_of(client, session)
    assert "ARNAUD" not in after and "ANONYME" in after
    User.objects.filter(pk=members[1].user_id).update(first_name="Renommée", last_name="Jurée")
    assert "Renommée Jurée" in board_of(client, session)


def test_each_language_has_its_board(client, world, deliberating):
    session, members, items = deliberating
    vote(items[0], members[0], all_codes(items[0])[0], A)
    staff_client(client, world)
    assert 'aria-label="a voté"' in board_of(client, session)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = board_of(client, session)
    assert 'aria-label="has voted"' in english and "a voté" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert 'aria-label="a voté"' in board_of(client, session)


def test_another_centre_never_gets_the_cached_board(client, world, deliberating, version):
    session, members, items = deliberating
    staff_client(client, world)
    cached = board_of(client, session)
    assert "ARNAUD" in cached
    # outsiders: 404 on the page and on the board, cached or not
    client.force_login(world.user("staff", side="b"))
    for name in ("juries:session_board", "juries:session_detail"):
        response = client.get(reverse(name, args=[session.pk]))
        assert response.status_code == 404
        assert b"ARNAUD" not in response.content
    # a session of centre B showing the same names has its own board
    other = JurySession.objects.create(
        centre=world.centre_b,
        qualification=version.qualification,
        starts_at=session.starts_at,
        place=session.place,
        status=session.status,
        board_version=session.board_version,
    )
    assert "ARNAUD" not in board_of(client, other)
    # the key starts with the tenant: the same session number in another centre differs
    people = session_members(session)
    shown = agenda_rows(session)
    twin = JurySession(
        pk=session.pk,
        centre_id=world.centre_b.pk,
        board_version=session.board_version,
        status=session.status,
    )
    assert board.board_key(twin, people, shown) != board.board_key(session, people, shown)
    assert f":{world.centre_a.pk}:{session.pk}:" in board.board_key(session, people, shown)


def test_every_board_write_bumps_the_board_version(world, deliberating):
    """The services are the only writers: each one that changes the board bumps its
    version (in its own transaction), so no other process serves the old board."""
    session, members, items = deliberating
    staff = build_actor(world.user("staff"))

    def bumped(write):
        before = JurySession.objects.get(pk=session.pk).board_version
        write()
        return JurySession.objects.get(pk=session.pk).board_version > before

    code = all_codes(items[0])[0]
    assert bumped(lambda: vote(items[0], members[0], code, A))
    assert not bumped(lambda: vote(items[0], members[0], code, A))  # no-op: no change
    declared = []
    assert bumped(
        lambda: declared.append(
            services.declare_conflict(items[1], members[2], kind="personal", actor=staff)
        )
    )
    assert bumped(lambda: services.remove_conflict(declared[0], actor=staff))
    assert bumped(lambda: services.set_candidate_absent(items[1], True, actor=staff))
    assert bumped(
        lambda: services.record_regularity(
            items[0], regular=False, comment="Grille non signée", actor=staff
        )
    )
    assert bumped(lambda: services.set_attendance(members[3], Attendance.ABSENT, actor=staff))


def test_composition_agenda_and_transitions_bump_the_board_version(world, version):
    staff = build_actor(world.user("staff"))
    session = new_session(world, version)

    def bumped(write):
        before = JurySession.objects.get(pk=session.pk).board_version
        write()
        return JurySession.objects.get(pk=session.pk).board_version > before

    users = jurors(world, n=5)
    members = convene(world, session, users[:4])
    assert bumped(lambda: services.add_member(session, users[4], actor=staff, college="employer"))
    extra = session.members.get(user=users[4])
    assert bumped(lambda: services.update_member(extra, actor=staff, sex="F"))
    assert bumped(lambda: services.set_president(extra, actor=staff))
    assert bumped(lambda: services.set_president(members[0], actor=staff))
    assert bumped(lambda: services.remove_member(extra, actor=staff))
    added = []
    dossier = ready_dossier(world.centre_a, version)
    assert bumped(lambda: added.append(services.add_to_agenda(session, dossier, actor=staff)))
    assert bumped(lambda: services.remove_from_agenda(added[0], actor=staff))
    services.add_to_agenda(session, ready_dossier(world.centre_a, version), actor=staff)
    assert bumped(lambda: services.open_session(session, actor=staff))
    for member in members:
        services.set_attendance(member, Attendance.PRESENT, actor=staff)
    assert bumped(lambda: services.start_deliberation(session, actor=staff))
