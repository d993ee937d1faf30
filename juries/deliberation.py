"""Where the deliberation stands: who may vote on which candidate, who voted what, and
each competence's tally. Reads only, in a fixed number of queries for a whole session
(the live board polls it every few seconds)."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from candidates.models import Candidate, DossierCompetence
from cqpm.models import Competence
from juries.models import AgendaItem, Attendance, ConflictOfInterest, JuryMember, Vote, VoteValue
from juries.outcome import Tally, tally


class CastVote(NamedTuple):
    """A member's vote as the deliberation reads it (a session holds thousands: no model
    instances)."""

    member_id: int
    value: str


@dataclass
class CompetenceState:
    competence: object
    votes: dict  # member id → CastVote
    tally: Tally
    waiting_for: list  # eligible members who have not voted


@dataclass
class ItemState:
    item: object
    voters: list  # present members without a conflict on this candidate
    abstaining: list  # members with a conflict (they abstain)
    conflicts: list
    competences: list[CompetenceState] = field(default_factory=list)

    @property
    def regular(self) -> bool | None:
        check = getattr(self.item, "regularity_cached", None)
        return None if check is None else check.regular

    @property
    def votes_count(self) -> int:
        return sum(len(c.votes) for c in self.competences)

    @property
    def expected_votes(self) -> int:
        return len(self.voters) * len(self.competences)

    @property
    def complete(self) -> bool:
        """Every voter voted on every competence and every tally is resolved."""
        if self.item.candidate_absent:
            return True
        if self.regular is not True or not self.voters or not self.competences:
            return False
        return all(not c.waiting_for and c.tally.acquired is not None for c in self.competences)

    @property
    def undecided(self) -> list:
        return [c for c in self.competences if c.tally.acquired is None]

    def vote_of(self, member, competence_id):
        for state in self.competences:
            if state.competence.pk == competence_id:
                return state.votes.get(member.pk)
        return None


def _items(session, item_ids=None):
    qs = (
        AgendaItem.objects.filter(session=session)
        .select_related(
            "dossier__candidate",
            "dossier__company",
            "dossier__referential_version__qualification",
            "regularity",
            "decision",
        )
        .order_by("position", "id")
    )
    if item_ids is not None:
        qs = qs.filter(pk__in=item_ids)
    return list(qs)


def _to_decide(items) -> dict:
    """Dossier id → the competences it evaluates, in the referential's order. 2 queries:
    the (dossier, competence) pairs as tuples, then each competence once (a session's
    dossiers share their referential: a few competences for hundreds of pairs)."""
    pairs = list(
        DossierCompetence.objects.filter(dossier_id__in={item.dossier_id for item in items})
        .order_by()
        .values_list("dossier_id", "competence_id")
    )
    competences = Competence.objects.filter(pk__in={c for _d, c in pairs}).select_related("bloc")
    by_id = {competence.pk: competence for competence in competences}
    to_decide = defaultdict(list)
    for dossier_id, competence_id in pairs:
        to_decide[dossier_id].append(by_id[competence_id])
    for row in to_decide.values():
        row.sort(key=lambda competence: competence.number)
    return to_decide


class AgendaRow(NamedTuple):
    """One agenda item as the session page lists it: a tuple, not model instances."""

    pk: int
    dossier_id: int
    access_route: str
    birth_name: str
    usage_name: str
    first_names: str
    sex: str

    @property
    def candidate_name(self) -> str:
        candidate = Candidate(
            birth_name=self.birth_name,
            usage_name=self.usage_name,
            first_names=self.first_names,
            sex=self.sex,
        )
        return candidate.full_name


def agenda_rows(session, *, access_route=None) -> list[AgendaRow]:
    """The session's agenda in order (optionally the dossiers of one access route). 1 query."""
    items = AgendaItem.objects.filter(session=session)
    if access_route is not None:
        items = items.filter(dossier__access_route=access_route)
    rows = items.order_by("position", "id").values_list(
        "pk",
        "dossier_id",
        "dossier__access_route",
        "dossier__candidate__birth_name",
        "dossier__candidate__usage_name",
        "dossier__candidate__first_names",
        "dossier__candidate__sex",
    )
    return [AgendaRow(*row) for row in rows]


def session_members(session) -> list:
    """The session's members in seat order (president, employers, employees). 1 query."""
    members = JuryMember.objects.filter(session=session).select_related("user").order_by()
    return sorted(members, key=lambda m: m.seat_order)


def session_states(session, *, members=None, item_ids=None) -> tuple[list, list[ItemState]]:
    """(members, one ItemState per agenda item). 6 queries whatever the size (5 when
    ``members`` are given)."""
    if members is None:
        members = session_members(session)
    members = sorted(members, key=lambda m: m.seat_order)
    items = _items(session, item_ids)
    to_decide = _to_decide(items)
    conflicts = defaultdict(list)
    for conflict in ConflictOfInterest.objects.filter(item__in=[i.pk for i in items]):
        conflicts[conflict.item_id].append(conflict)
    votes = defaultdict(lambda: defaultdict(dict))
    cast_votes = (
        Vote.objects.filter(item__in=[i.pk for i in items])
        .order_by()
        .values_list("item_id", "competence_id", "member_id", "value")
    )
    for item_id, competence_id, member_id, value in cast_votes:
        votes[item_id][competence_id][member_id] = CastVote(member_id, value)
    by_id = {m.pk: m for m in members}
    present = [m for m in members if m.attendance == Attendance.PRESENT]
    states = []
    for item in items:
        item.regularity_cached = _related_or_none(item, "regularity")
        item.decision_cached = _related_or_none(item, "decision")
        conflicted = {c.member_id for c in conflicts[item.pk]}
        voters = [m for m in present if m.pk not in conflicted]
        voter_ids = {m.pk for m in voters}
        state = ItemState(
            item=item,
            voters=voters,
            abstaining=[by_id[i] for i in conflicted if i in by_id],
            conflicts=conflicts[item.pk],
        )
        for competence in to_decide[item.dossier_id]:
            cast = {
                member_id: vote
                for member_id, vote in votes[item.pk][competence.pk].items()
                if member_id in voter_ids
            }
            counted = [
                (vote.value == VoteValue.ACQUIRED, by_id[member_id].is_president)
                for member_id, vote in cast.items()
            ]
            state.competences.append(
                CompetenceState(
                    competence=competence,
                    votes=cast,
                    tally=tally(counted),
                    waiting_for=[m for m in voters if m.pk not in cast],
                )
            )
        states.append(state)
    return members, states


def item_state(item, *, members=None) -> ItemState:
    return session_states(item.session, members=members, item_ids=[item.pk])[1][0]


def _related_or_none(obj, name):
    try:
        return getattr(obj, name)
    except obj._meta.get_field(name).related_model.DoesNotExist:
        return None
