"""Details of the optimisation layer: the gap option, score scaling, greedy's turn order."""

from __future__ import annotations

import pytest

from onderdak.engines.placement import (
    HouseholdSize,
    Method,
    Pair,
    Placement,
    PlacementInputError,
    Status,
    UnitCapacity,
    greedy_pairs,
    optimise,
)
from tests.engines.placement import reference

#: One shared unit of 5 persons for three households of 3: the LP relaxation places 5/3 of a
#: household (bound 5), the integer optimum one household (3).
KNAPSACK = (
    [HouseholdSize(f"H{i}", 3) for i in range(3)],
    [UnitCapacity("U1", 5, 3)],
    [Pair(f"H{i}", "U1", 3.0) for i in range(3)],
)


def test_gap_stops_early_and_reports_the_bound() -> None:
    result = optimise(*KNAPSACK, gap=0.5)
    assert result.status is Status.WITHIN_GAP
    assert (result.objective, result.bound, result.gap) == (3.0, 5.0, 0.4)
    assert not result.tie_break
    exact = optimise(*KNAPSACK)
    assert exact.status is Status.OPTIMAL
    assert (exact.objective, exact.bound, exact.gap) == (3.0, 3.0, 0.0)
    assert exact.placed == 1  # which of the three equal households: the solver's choice


def test_scores_with_many_decimals_are_rounded_for_the_solver() -> None:
    households = [HouseholdSize(f"H{i}", 1) for i in range(3)]
    units = [UnitCapacity(f"U{j}", 1) for j in range(3)]
    pairs = [
        Pair(h.id, u.id, (i + 1) / (j + 3))
        for i, h in enumerate(households)
        for j, u in enumerate(units)
    ]
    result = optimise(households, units, pairs)
    assert not result.exact_scores and result.decimals == 9
    best = reference.brute_force(households, units, pairs)
    assert best is not None
    assert abs(float(best[0] - reference.total(result.placements))) < 1e-8


def test_huge_scores_keep_exactness_before_the_tie_break() -> None:
    """123456789.123456 has 6 decimals: 1.2e14 in millionths; times (n + 1) = 1001 for the
    tie-break it would leave the flow's integer range (2**62 / nodes), so exactness wins."""
    households = [HouseholdSize(f"H{i}", 1) for i in range(1000)]
    units = [UnitCapacity("U1", 1)]
    pairs = [Pair(h.id, "U1", 123456789.123456 + i) for i, h in enumerate(households)]
    result = optimise(households, units, pairs)
    assert result.exact_scores and not result.tie_break and result.decimals == 6
    assert result.placements == (Placement("H999", "U1", 123457788.123456),)


def test_forced_methods_that_do_not_apply() -> None:
    with pytest.raises(PlacementInputError, match="does not apply"):
        optimise(*KNAPSACK, method=Method.FLOW)
    shared = (
        [HouseholdSize("H1", 1), HouseholdSize("H2", 1)],
        [UnitCapacity("U1", 2, 2)],
        [Pair("H1", "U1", 1.0), Pair("H2", "U1", 1.0)],
    )
    assert optimise(*shared, method=Method.FLOW).placed == 2
    with pytest.raises(PlacementInputError, match="one household"):
        optimise(*shared, method=Method.DENSE)


def test_greedy_turn_order() -> None:
    households = [HouseholdSize("H1", 1), HouseholdSize("H2", 1)]
    units = [UnitCapacity("U1", 1), UnitCapacity("U2", 1)]
    pairs = [Pair("H1", "U1", 2.0), Pair("H2", "U1", 3.0), Pair("H2", "U2", 1.0)]
    assert greedy_pairs(households, units, pairs) == (
        Placement("H1", "U1", 2.0),
        Placement("H2", "U2", 1.0),
    )
    assert greedy_pairs(households, units, pairs, order=["H2", "H1"]) == (
        Placement("H2", "U1", 3.0),
    )
    with pytest.raises(PlacementInputError, match="every household id exactly once"):
        greedy_pairs(households, units, pairs, order=["H2", "H2"])
