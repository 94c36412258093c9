"""Scoring: hand-worked scores (every part), the hard constraints, the norms."""

from __future__ import annotations

import numpy as np
import pytest

from onderdak.engines.placement import (
    Household,
    Reason,
    ScoreParts,
    Unit,
    Weights,
    check_pair,
    needed_rooms,
    score_pair,
    score_pairs,
)

#: 2 adults, 2 minors and 1 expected reunification person: 5 persons must fit.
FAMILY = Household(
    "H1",
    "status_holder",
    adults=2,
    minors=2,
    waiting_days=730,
    urgency=1.0,
    tie_x=121_000.0,
    tie_y=487_000.0,
    reunification_persons=1,
)
#: 65 m2 / 5 persons = 13 m2 (inside 12-15), 4 rooms (needed 1 + ceil(5/2) = 4), 3 km away.
GOOD = Unit("U1", "Diemerdreef", 6, 4, 65.0, x=121_000.0, y=484_000.0)
#: 50 m2 / 5 = 10 m2 (below 12: 10/12), 3 rooms of 4, no coordinates (neutral 0.5).
TIGHT = Unit("U2", "Diemerdreef", 5, 3, 50.0)


def test_hand_worked_score_of_a_good_fit() -> None:
    # base 1 + waiting 730/365 = 2 + urgency 1 + space 1 + rooms 1
    # + distance 5000 / (5000 + 3000) = 0.625 + preference neutral 0.5 x 0.5 = 0.25
    assert score_pair(FAMILY, GOOD) == ScoreParts(
        total=6.875,
        base=1.0,
        waiting=2.0,
        urgency=1.0,
        space=1.0,
        rooms=1.0,
        distance=0.625,
        preference=0.25,
    )


def test_hand_worked_score_of_a_tight_fit() -> None:
    parts = score_pair(FAMILY, TIGHT)
    assert parts is not None
    assert parts.space == 0.833333  # 10 / 12, rounded to millionths
    assert parts.rooms == 0.75  # 3 of the 4 needed rooms
    assert parts.distance == 0.5  # the unit has no coordinates: neutral
    assert parts.total == 6.333333  # 1 + 2 + 1 + 0.833333 + 0.75 + 0.5 + 0.25
    assert parts.total == round(sum(parts.as_dict().values()), 6)


def test_too_much_space_counts_against_the_fit() -> None:
    single = Household("H2", "status_holder", adults=1)
    roomy = Unit("U3", "Maalderij", 2, 2, 30.0)  # 30 m2 for one person: 15 / 30
    parts = score_pair(single, roomy)
    assert parts is not None and parts.space == 0.5


def test_weights_and_norms_are_parameters() -> None:
    weights = Weights(
        base=0.0,
        waiting=0.5,
        urgency=2.0,
        space=0.0,
        rooms=0.0,
        distance=2.0,
        preference=1.0,
        distance_scale_m=3000.0,
        neutral=0.0,
    )
    preferring = Household(
        "H1",
        "status_holder",
        adults=2,
        minors=2,
        waiting_days=730,
        urgency=1.0,
        tie_x=121_000.0,
        tie_y=487_000.0,
        preferred_complexes=("Diemerdreef",),
    )
    parts = score_pair(preferring, GOOD, weights)
    # waiting 0.5 x 2 + urgency 2 x 1 + distance 2 x 3000 / 6000 + preference 1 x 1
    assert parts is not None
    assert (parts.waiting, parts.urgency, parts.distance, parts.preference) == (1.0, 2.0, 1.0, 1.0)
    assert parts.total == 5.0
    elsewhere = Unit("U9", "Maalderij", 6, 4, 65.0)
    other = score_pair(preferring, elsewhere, weights)
    assert other is not None and other.preference == 0.0 and other.distance == 0.0


def test_reunification_persons_count_only_when_asked() -> None:
    small = Unit("U4", "Maalderij", 4, 3, 48.0)
    assert check_pair(FAMILY, small) == (Reason.TOO_SMALL,)
    assert check_pair(FAMILY, small, Weights(count_reunification=False)) == ()


@pytest.mark.parametrize(
    ("unit", "household", "reasons"),
    [
        (Unit("U", "C", 6, 3, 60.0, target_groups=("displaced_ukrainian",)), {}, ("target_group",)),
        (Unit("U", "C", 6, 3, 60.0, target_groups=("status_holder",)), {}, ()),
        (Unit("U", "C", 4, 3, 60.0), {}, ("too_small",)),
        (Unit("U", "C", 6, 3, 60.0), {"needs_accessible": True}, ("not_accessible",)),
        (Unit("U", "C", 6, 3, 60.0, accessible=True), {"needs_accessible": True}, ()),
        (Unit("U", "C", 6, 3, 60.0, floor=2), {"needs_ground_floor": True}, ("not_ground_floor",)),
        (Unit("U", "C", 6, 3, 60.0, floor=2), {}, ()),
        (
            Unit("U", "C", 2, 3, 60.0, floor=1, target_groups=("urgent",)),
            {"needs_accessible": True, "needs_ground_floor": True},
            ("target_group", "too_small", "not_accessible", "not_ground_floor"),
        ),
    ],
)
def test_hard_constraints(unit: Unit, household: dict[str, bool], reasons: tuple[str, ...]) -> None:
    candidate = Household(
        "H", "status_holder", adults=2, minors=2, reunification_persons=1, **household
    )
    assert check_pair(candidate, unit) == tuple(Reason(r) for r in reasons)
    assert (score_pair(candidate, unit) is None) == bool(reasons)


def test_needed_rooms() -> None:
    persons = np.arange(1, 9)
    assert needed_rooms(persons).tolist() == [1, 2, 3, 3, 4, 4, 5, 5]


def test_score_pairs_lists_feasible_pairs_in_input_order() -> None:
    pairs = score_pairs([FAMILY], [TIGHT, Unit("U5", "C", 2, 1, 20.0), GOOD])
    assert [(p.household, p.unit, p.score) for p in pairs] == [
        ("H1", "U2", 6.333333),
        ("H1", "U1", 6.875),
    ]
