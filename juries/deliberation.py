"""Where the deliberation stands: who may vote on which candidate, who voted what, and
each competence's tally. Reads only, in a fixed number of queries for a whole session
(the live board polls it every few seconds)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from candidates.models import DossierCompetence

from .models import AgendaItem, Attendance, ConflictOfInterest, JuryMember, Vote, VoteValue
from .outcome import Tally, tally


@dataclass
class CompetenceState:
    competence: object
    votes: dict  # member id → Vote
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
        .prefetch_related(
            Prefetch(
                "dossier__competences",
                queryset=DossierCompetence.objects.select_related("competence__bloc").order_by(
                    "competence__number"
                ),
                to_attr="to_decide",
            )
        )
        .order_by("position", "id")
    )
    if item_ids is not None:
        qs = qs.filter(pk__in=item_ids)
    return list(qs)


def session_states(session, *, members=None, item_ids=None) -> tuple[list, list[ItemState]]:
    """(members, one ItemState per agenda item). 6 queries whatever the size."""
    if members is None:
        members = list(JuryMember.objects.filter(session=session).select_related("user"))
    members = sorted(members, key=lambda m: m.seat_order)
    items = _items(session, item_ids)
    conflicts = defaultdict(list)
    for conflict in ConflictOfInterest.objects.filter(item__in=[i.pk for i in items]):
        conflicts[conflict.item_id].append(conflict)
    votes = defaultdict(lambda: defaultdict(dict))
    for vote in Vote.objects.filter(item__in=[i.pk for i in items]):
        votes[vote.item_id][vote.competence_id][vote.member_id] = vote
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
        for row in item.dossier.to_decide:
            competence = row.competence
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
