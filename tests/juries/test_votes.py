"""Conflicts and abstention, who may vote when, ties and the president's casting vote,
provisional decisions."""

import pytest

from centres.models import AuditEntry, Membership
from centres.roles import Role
from juries import services
from juries.deliberation import item_state
from juries.models import Attendance, ConflictSource, Decision, Outcome, Vote

from .factories import (
    NA,
    A,
    all_codes,
    competence,
    deliberating_session,
    ready_dossier,
    vote,
    vote_all,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(world, version):
    return ready_dossier(world.centre_a, version, company=world.company_a, birth_name="Martin")


def test_a_member_of_the_candidates_company_is_detected_and_abstains(
    world, version, dossier, staff
):
    # juror_a2 also represents the candidate's company on the platform.
    session, members, (item,) = deliberating_session(world, version, [dossier])
    assert not item.conflicts.exists()
    # The link is detected when the member joins after the dossier, too.
    linked = members[1]
    Membership.objects.create(
        user=linked.user, centre=world.centre_a, role=Role.COMPANY_REP, company=world.company_a
    )
    assert services.company_link(linked, dossier)
    conflict = services.declare_conflict(item, linked, kind="trainer", actor=staff)
    assert conflict.source == ConflictSource.DECLARED
    state = item_state(item)
    assert linked not in state.voters and linked in state.abstaining
    with pytest.raises(services.JuryError, match="vous vous abstenez"):
        vote(item, linked, "C1", A)


def test_detected_company_link_at_agenda_time(world, version, dossier, staff):
    from .factories import convene, jurors, new_session

    session = new_session(world, version)
    members = convene(world, session, jurors(world))
    services.update_member(members[2], actor=staff, company=world.company_a)
    item = services.add_to_agenda(session, dossier, actor=staff)
    conflict = item.conflicts.get()
    assert conflict.member == members[2]
    assert conflict.source == ConflictSource.DETECTED and conflict.kind == "company"
    with pytest.raises(services.JuryError, match="détecté"):
        services.remove_conflict(conflict, actor=staff)
    assert AuditEntry.objects.filter(action="jury.conflict_detected").exists()


def test_a_juror_declares_their_own_link_only(world, version, dossier):
    session, members, (item,) = deliberating_session(world, version, [dossier])
    with pytest.raises(services.JuryError, match="vous-même"):
        services.declare_conflict(item, members[1], kind="personal", actor=members[0].user)
    services.declare_conflict(item, members[1], kind="personal", actor=members[1].user)
    assert item.conflicts.get().member == members[1]


def test_votes_need_deliberation_presence_and_regularity(world, version, dossier, staff):
    session, members, (item,) = deliberating_session(
        world, version, [dossier], regular=False, present=None
    )
    with pytest.raises(services.JuryError, match="régularité"):
        vote(item, members[0], "C1", A)
    services.record_regularity(item, regular=False, comment="Une seule signature", actor=staff)
    with pytest.raises(services.JuryError, match="non conforme"):
        vote(item, members[0], "C1", A)
    with pytest.raises(services.JuryError, match="Indiquez"):
        services.record_regularity(item, regular=False, comment="", actor=staff)
    # the president records the regularity too
    services.record_regularity(item, regular=True, actor=members[0].user)
    services.set_attendance(members[3], Attendance.ABSENT, actor=staff)
    with pytest.raises(services.JuryError, match="présents"):
        vote(item, members[3], "C1", A)
    with pytest.raises(services.JuryError, match="Seuls les membres du jury"):
        services.cast_vote(item, competence(version, "C1"), A, actor=staff)
    outsider = world.user("juror", "b")
    with pytest.raises(services.JuryError):
        services.cast_vote(item, competence(version, "C1"), A, actor=outsider)
    with pytest.raises(services.JuryError, match="Vote inconnu"):
        vote(item, members[0], "C1", "peut-être")


def test_one_vote_per_member_and_competence_changeable(world, version, dossier):
    session, members, (item,) = deliberating_session(world, version, [dossier])
    vote(item, members[0], "C1", A)
    vote(item, members[0], "C1", NA)
    vote(item, members[0], "C1", NA)  # no-op
    assert Vote.objects.filter(item=item, member=members[0]).count() == 1
    assert Vote.objects.get(item=item, member=members[0]).value == NA
    audit = AuditEntry.objects.filter(action="jury.vote").order_by("id")
    assert [e.after["value"] for e in audit] == [A, NA]
    assert audit[1].before == {"value": A}


def test_competence_outside_the_dossier_is_refused(world, version, staff):
    dossier = ready_dossier(world.centre_a, version, codes=["C1", "C2", "C3"])
    session, members, (item,) = deliberating_session(world, version, [dossier])
    with pytest.raises(services.JuryError, match="pas à examiner"):
        vote(item, members[0], "C4", A)


@pytest.mark.parametrize(
    ("values", "acquired", "casting"),
    [
        ([A, A, NA, NA], True, True),  # the president (first member) voted acquired
        ([NA, A, A, NA], False, True),
        ([A, A, A, NA], True, False),
        ([NA, NA, NA, A], False, False),
    ],
    ids=["égalité président pour", "égalité président contre", "majorité pour", "majorité contre"],
)
def test_ties_and_the_casting_vote(world, version, dossier, values, acquired, casting):
    session, members, (item,) = deliberating_session(world, version, [dossier])
    assert members[0].is_president
    codes = all_codes(item)
    vote_all(item, members, {code: A for code in codes if code != "C5"} | {"C5": values})
    decision = Decision.objects.get(item=item)
    row = decision.competences.get(competence__code="C5")
    assert row.acquired is acquired
    assert row.casting_vote is casting
    assert decision.outcome == (Outcome.AWARDED if acquired else Outcome.PARTIAL)


def test_a_tie_without_the_presidents_vote_stays_undecided(world, version, dossier, staff):
    session, members, (item,) = deliberating_session(world, version, [dossier])
    services.declare_conflict(item, members[0], kind="trainer", actor=staff)
    others = members[1:]
    # 3 voters left: make a 1-1 tie by sending the third away
    services.set_attendance(others[2], Attendance.ABSENT, actor=staff)
    codes = all_codes(item)
    vote_all(item, others[:2], {code: A for code in codes if code != "C2"} | {"C2": [A, NA]})
    state = item_state(item)
    c2 = next(c for c in state.competences if c.competence.code == "C2")
    assert c2.tally.acquired is None and not c2.waiting_for
    assert not state.complete
    assert not Decision.objects.filter(item=item).exists()
    vote(item, others[1], "C2", A)  # the jury deliberates again
    assert Decision.objects.get(item=item).outcome == Outcome.AWARDED


def test_provisional_decision_follows_votes_and_attendance(world, version, dossier, staff):
    session, members, (item,) = deliberating_session(world, version, [dossier])
    codes = all_codes(item)
    vote_all(item, members[:3], dict.fromkeys(codes, A))
    assert not Decision.objects.filter(item=item).exists()  # the 4th has not voted
    services.set_attendance(members[3], Attendance.ABSENT, actor=staff)
    decision = Decision.objects.get(item=item)
    assert decision.outcome == Outcome.AWARDED and decision.frozen_at is None
    services.set_attendance(members[3], Attendance.PRESENT, actor=staff)
    assert not Decision.objects.filter(item=item).exists()


def test_absent_candidate_is_recorded_as_absent(world, version, dossier, staff):
    session, members, (item,) = deliberating_session(world, version, [dossier])
    services.set_candidate_absent(item, True, actor=members[0].user)
    assert Decision.objects.get(item=item).outcome == Outcome.ABSENT
    with pytest.raises(services.JuryError, match="absent"):
        vote(item, members[1], "C1", A)
    with pytest.raises(services.JuryError, match="président"):
        services.set_candidate_absent(item, False, actor=members[1].user)
