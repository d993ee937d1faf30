"""The award rule as a pure function (no database): what the jury's votes and the carried
credits mean for the candidate.

- The CQPM is awarded only when **every** competence of the referential is acquired, in
  this session or by a credit still valid (DOMAIN.md, step 6).
- Otherwise, when at least one competence was acquired in this session, the result is
  partial: the validated competences (this session's and the carried ones) and, for an
  RNCP-registered CQPM only, the validated blocs (a bloc is validated when all its
  competences are).
- Otherwise nothing was validated: not awarded. An absent candidate is recorded as absent.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

AWARDED = "awarded"
PARTIAL = "partial"
NOT_AWARDED = "not_awarded"
ABSENT = "absent"


@dataclass(frozen=True)
class Result:
    outcome: str
    validated_competences: tuple[str, ...] = ()  # codes, referential order
    acquired_now: tuple[str, ...] = ()  # validated in this session
    validated_blocs: tuple[str, ...] = ()  # RNCP-registered CQPM only
    new_blocs: tuple[str, ...] = ()  # validated blocs with a competence acquired now
    missing_competences: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())


def derive_outcome(
    blocs: Mapping[str, Iterable[str]],
    results: Mapping[str, bool],
    carried: Iterable[str] = (),
    *,
    rncp_registered: bool,
    absent: bool = False,
) -> Result:
    """``blocs``: bloc code → its competence codes (referential order; every competence of
    the CQPM appears in one bloc). ``results``: competence code → acquired, for the
    competences the jury decided in this session. ``carried``: codes covered by a valid
    credit."""
    order = [code for codes in blocs.values() for code in codes]
    if absent:
        return Result(outcome=ABSENT, missing_competences=tuple(order))
    carried = set(carried)
    acquired_now = tuple(c for c in order if results.get(c) is True)
    validated = set(acquired_now) | (carried & set(order))
    validated_codes = tuple(c for c in order if c in validated)
    missing = tuple(c for c in order if c not in validated)
    if not missing:
        outcome = AWARDED
    elif acquired_now:
        outcome = PARTIAL
    else:
        outcome = NOT_AWARDED
    validated_blocs: tuple[str, ...] = ()
    new_blocs: tuple[str, ...] = ()
    if rncp_registered and outcome != NOT_AWARDED:
        validated_blocs = tuple(
            code for code, codes in blocs.items() if set(codes) and set(codes) <= validated
        )
        new_blocs = tuple(code for code in validated_blocs if set(blocs[code]) & set(acquired_now))
    return Result(
        outcome=outcome,
        validated_competences=validated_codes,
        acquired_now=acquired_now,
        validated_blocs=validated_blocs,
        new_blocs=new_blocs,
        missing_competences=missing,
    )


@dataclass(frozen=True)
class Tally:
    """The count of one competence's votes."""

    votes_for: int
    votes_against: int
    acquired: bool | None  # None: undecided (no vote, or a tie without the casting vote)
    casting_vote: bool = False


def tally(votes: Iterable[tuple[bool, bool]]) -> Tally:
    """``votes``: (acquired?, cast by the president?) of each vote counted. Majority of the
    votes cast; on a tie the president's vote decides; a tie the president did not vote in
    stays undecided."""
    votes = list(votes)
    yes = sum(1 for acquired, _president in votes if acquired)
    no = len(votes) - yes
    if yes > no:
        return Tally(yes, no, True)
    if no > yes:
        return Tally(yes, no, False)
    president = [acquired for acquired, is_president in votes if is_president]
    if yes and president:
        return Tally(yes, no, president[0], casting_vote=True)
    return Tally(yes, no, None)
