"""The award rule (``juries.outcome``): a table of cases, and the tally of a competence."""

import pytest

from juries.outcome import ABSENT, AWARDED, NOT_AWARDED, PARTIAL, derive_outcome, tally

BLOCS = {"B1": ["C1", "C2", "C3"], "B2": ["C4", "C5"], "B3": ["C6", "C7", "C8"]}
ALL = [c for codes in BLOCS.values() for c in codes]


def results(acquired=(), failed=()):
    data = dict.fromkeys(acquired, True)
    data.update(dict.fromkeys(failed, False))
    return data


CASES = [
    # id, results, carried, rncp, absent → outcome, validated blocs, missing, new blocs
    (
        "tout acquis",
        results(ALL),
        (),
        True,
        False,
        AWARDED,
        ("B1", "B2", "B3"),
        (),
        ("B1", "B2", "B3"),
    ),
    (
        "une compétence manquante (RNCP)",
        results([c for c in ALL if c != "C7"], ["C7"]),
        (),
        True,
        False,
        PARTIAL,
        ("B1", "B2"),
        ("C7",),
        ("B1", "B2"),
    ),
    (
        "une compétence manquante (hors RNCP) : aucun bloc",
        results([c for c in ALL if c != "C7"], ["C7"]),
        (),
        False,
        False,
        PARTIAL,
        (),
        ("C7",),
        (),
    ),
    (
        "les acquis comblent le manque",
        results(["C4", "C5", "C6", "C7", "C8"]),
        ("C1", "C2", "C3"),
        True,
        False,
        AWARDED,
        ("B1", "B2", "B3"),
        (),
        ("B2", "B3"),
    ),
    (
        "acquis partiels, bloc complété grâce à eux",
        results(["C3"], ["C4", "C5", "C6", "C7", "C8"]),
        ("C1", "C2"),
        True,
        False,
        PARTIAL,
        ("B1",),
        ("C4", "C5", "C6", "C7", "C8"),
        ("B1",),
    ),
    (
        "rien d'acquis cette fois malgré des acquis antérieurs",
        results([], ["C4", "C5"]),
        ("C1", "C2", "C3", "C6", "C7", "C8"),
        True,
        False,
        NOT_AWARDED,
        (),
        ("C4", "C5"),
        (),
    ),
    ("rien d'acquis", results([], ALL), (), True, False, NOT_AWARDED, (), tuple(ALL), ()),
    ("candidat absent", results(ALL), (), True, True, ABSENT, (), tuple(ALL), ()),
    (
        "compétences hors objectif : manquantes pour le CQPM",
        results(["C1", "C2", "C3"]),
        (),
        True,
        False,
        PARTIAL,
        ("B1",),
        ("C4", "C5", "C6", "C7", "C8"),
        ("B1",),
    ),
]


@pytest.mark.parametrize(
    ("results_", "carried", "rncp", "absent", "outcome", "blocs", "missing", "new_blocs"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_derive_outcome(results_, carried, rncp, absent, outcome, blocs, missing, new_blocs):
    result = derive_outcome(BLOCS, results_, carried, rncp_registered=rncp, absent=absent)
    assert result.outcome == outcome
    assert result.validated_blocs == blocs
    assert result.missing_competences == missing
    assert result.new_blocs == new_blocs
    if outcome != ABSENT:
        assert set(result.validated_competences) == set(ALL) - set(missing)


@pytest.mark.parametrize(
    ("votes", "acquired", "casting"),
    [
        ([(True, False), (True, False), (False, False)], True, False),
        ([(False, True), (False, False), (True, False)], False, False),
        ([(True, True), (False, False)], True, True),  # tie: the president voted acquired
        ([(False, True), (True, False), (True, False), (False, False)], False, True),
        ([(True, False), (False, False)], None, False),  # tie without the president
        ([], None, False),
    ],
    ids=[
        "majorité pour",
        "majorité contre",
        "égalité, président pour",
        "égalité, président contre",
        "égalité sans président",
        "aucun vote",
    ],
)
def test_tally(votes, acquired, casting):
    result = tally(votes)
    assert result.acquired is acquired
    assert result.casting_vote is casting
    assert result.votes_for + result.votes_against == len(votes)
