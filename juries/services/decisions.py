"""Decisions derived from the votes: written (provisional) as soon as a candidate's tally
is complete, removed when it no longer is, frozen when the session closes."""

from django.utils import timezone

from candidates.services import covered_competence_codes
from cqpm.models import Bloc
from juries import outcome as rules
from juries.deliberation import item_state, session_states
from juries.models import CompetenceSource, Decision, DecisionCompetence, Outcome


def referential_blocs(version) -> list:
    """The version's blocs with their competences, in the referential's order."""
    return list(
        Bloc.objects.filter(version=version).order_by("order", "id").prefetch_related("competences")
    )


def derive(state, session, blocs=None):
    """(Result, tallies by competence code, competences by code, blocs) for an item."""
    item = state.item
    dossier = item.dossier
    version = dossier.referential_version
    blocs = blocs if blocs is not None else referential_blocs(version)
    by_code = {}
    bloc_map = {}
    for bloc in blocs:
        codes = []
        for competence in sorted(bloc.competences.all(), key=lambda c: c.number):
            by_code[competence.code] = competence
            codes.append(competence.code)
        bloc_map[bloc.code] = codes
    tallies = {s.competence.code: s.tally for s in state.competences}
    carried = set(
        covered_competence_codes(
            dossier.candidate, version.qualification, on=session.jury_date
        ).keys()
    )
    result = rules.derive_outcome(
        bloc_map,
        {code: t.acquired for code, t in tallies.items() if t.acquired is not None},
        carried - set(tallies),
        rncp_registered=version.qualification.rncp_registered,
        absent=item.candidate_absent,
    )
    return result, tallies, by_code, blocs, carried


def refresh_decision(session, state, *, blocs=None):
    """Write the provisional decision of a complete item, drop it from an incomplete one.
    A frozen decision is never touched."""
    item = state.item
    existing = getattr(item, "decision_cached", None)
    if existing is None:
        existing = Decision.objects.filter(item=item).first()
    if existing is not None and existing.frozen_at is not None:
        return existing
    if not state.complete:
        if existing is not None:
            existing.delete()
            item.decision_cached = None
        return None
    result, tallies, by_code, blocs, carried = derive(state, session, blocs)
    decision = existing or Decision(centre_id=session.centre_id, item=item, dossier=item.dossier)
    decision.outcome = result.outcome
    decision.decided_at = timezone.now()
    if decision.pk:
        decision.version += 1
        decision.save(update_fields=["outcome", "decided_at", "version"])
        decision.competences.all().delete()
    else:
        decision.save()
    rows = []
    for code, competence in by_code.items():
        counted = tallies.get(code)
        if counted is not None and not item.candidate_absent:
            rows.append(
                DecisionCompetence(
                    decision=decision,
                    competence=competence,
                    source=CompetenceSource.EVALUATED,
                    acquired=bool(counted.acquired),
                    votes_for=counted.votes_for,
                    votes_against=counted.votes_against,
                    casting_vote=counted.casting_vote,
                )
            )
        elif code in carried and not item.candidate_absent:
            rows.append(
                DecisionCompetence(
                    decision=decision,
                    competence=competence,
                    source=CompetenceSource.CREDIT,
                    acquired=True,
                )
            )
        else:
            rows.append(
                DecisionCompetence(
                    decision=decision,
                    competence=competence,
                    source=CompetenceSource.NOT_TARGETED
                    if counted is None
                    else CompetenceSource.EVALUATED,
                    acquired=False,
                )
            )
    DecisionCompetence.objects.bulk_create(rows)
    decision.validated_blocs.set([b for b in blocs if b.code in result.validated_blocs])
    item.decision_cached = decision
    return decision


def refresh_item(item):
    return refresh_decision(item.session, item_state(item))


def refresh_session(session) -> None:
    """Recompute every provisional decision (attendance or conflicts changed)."""
    _members, states = session_states(session)
    for state in states:
        refresh_decision(session, state)


def outcome_label(value) -> str:
    return Outcome(value).label
