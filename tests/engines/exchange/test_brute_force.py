"""The MIP optimum equals brute force on tiny instances.

Every integer allocation 0 <= x <= capacity of 2-3 municipalities x 1-2 groups (small
numbers) is enumerated and checked constraint by constraint in exact arithmetic
(``reference.brute_force``). The engine must agree on feasibility, on the minimum cost and on
the tie-break (fewest moved places at that cost).
"""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings

from onderdak.engines.exchange import Fairness, Group, Municipality, Scenario, Status, optimise
from tests.engines.exchange import reference
from tests.engines.exchange.strategies import scenarios

TIE = Scenario(
    "compensation",
    (Group("asylum_seeker"),),
    (
        Municipality(
            "GM0384", 10, {"asylum_seeker": 2}, {"asylum_seeker": 4}, {"asylum_seeker": 5}
        ),
        Municipality(
            "GM0437", 10, {"asylum_seeker": 2}, {"asylum_seeker": 4}, {"asylum_seeker": 5}
        ),
    ),
)


@given(scenario=scenarios(municipalities=(2, 3), groups=(1, 2), places=3))
@example(scenario=TIE)
@settings(max_examples=400, deadline=None)
def test_equals_brute_force(scenario: Scenario) -> None:
    best = reference.brute_force(scenario)
    result = optimise(scenario)
    if best is None:
        assert result.status is Status.INFEASIBLE
        assert result.reason
        return
    assert result.status is Status.OPTIMAL, result.reason
    assert result.provided is not None
    moved = int(np.abs(result.provided - result.obligation).sum())
    assert (result.total_cost, moved) == best


def test_equal_costs_move_nothing() -> None:
    """Same cost everywhere: every allocation costs the same, the tie-break keeps the
    obligations (0 places moved) and there are no transfers."""
    result = optimise(TIE)
    assert result.provided is not None
    assert result.provided.tolist() == [[2], [2]]
    assert result.transfers == ()


def test_fairness_and_swap_together() -> None:
    """Two groups at 1 and 2 points. GM0384 has no uam capacity, so its uam place (2 points)
    goes to GM0437, which hands 2 asylum places (2 points) back: provided 5/0 and 1/2, cost
    5 x 4 + 1 x 6 + 2 x 1 = 28, 6 places moved (2 + 1 + 2 + 1). Brute force agrees."""
    scenario = Scenario(
        "swap",
        (Group("asylum_seeker", 1), Group("uam", 2)),
        (
            Municipality(
                "GM0384",
                30,
                {"asylum_seeker": 3, "uam": 1},
                {"asylum_seeker": 5, "uam": 0},
                {"asylum_seeker": 4, "uam": 9},
            ),
            Municipality(
                "GM0437",
                30,
                {"asylum_seeker": 3, "uam": 1},
                {"asylum_seeker": 3, "uam": 3},
                {"asylum_seeker": 6, "uam": 1},
            ),
        ),
        Fairness(0.5, 2),
    )
    result = optimise(scenario)
    assert result.provided is not None
    assert result.provided.tolist() == [[5, 0], [1, 2]]
    assert (result.total_cost, 6) == reference.brute_force(scenario)
