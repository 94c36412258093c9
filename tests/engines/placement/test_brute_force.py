"""Every method's optimum equals brute force on tiny instances.

All placements of up to 5 households x 4 units are enumerated (``reference.brute_force``):
the engine must reach the best total score exactly (as decimals) and, among placements of that
total, place the most households. Each applicable method is checked on its own: the min-cost
flow and the dense assignment where no capacity binds, the MIP always.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings

from onderdak.engines.placement import (
    HouseholdSize,
    Method,
    Pair,
    PlacementInputError,
    ShareBasis,
    ShareConstraint,
    Status,
    UnitCapacity,
    optimise,
)
from tests.engines.placement import reference
from tests.engines.placement.strategies import Instance, instances

#: Two optima of total 4: H0->U0 alone, or H0->U1 and H1->U0 (2 households).
TIE = Instance(
    (HouseholdSize("H0", 1), HouseholdSize("H1", 1)),
    (UnitCapacity("U0", 1), UnitCapacity("U1", 1)),
    (Pair("H0", "U0", 4.0), Pair("H0", "U1", 2.0), Pair("H1", "U0", 2.0)),
)
#: A shared unit whose capacity binds: 3 + 2 persons do not fit in 4.
KNAPSACK = Instance(
    (HouseholdSize("H0", 3), HouseholdSize("H1", 2), HouseholdSize("H2", 2)),
    (UnitCapacity("U0", 4, 2),),
    (Pair("H0", "U0", 5.0), Pair("H1", "U0", 3.0), Pair("H2", "U0", 2.5)),
)


def _applies(instance: Instance, method: Method) -> bool:
    """Whether the flow (no binding capacity) or the dense assignment (one household per
    unit, too) applies, decided from the definition, not the engine's code."""
    persons = {h.id: h.persons for h in instance.households}
    usable: dict[str, list[int]] = {}
    for unit in instance.units:
        usable[unit.id] = sorted(
            (
                persons[p.household]
                for p in instance.pairs
                if p.unit == unit.id and p.score > 0 and persons[p.household] <= unit.capacity
            ),
            reverse=True,
        )
    for unit in instance.units:
        if unit.max_households == 0 or not usable[unit.id]:
            continue
        if sum(usable[unit.id][: unit.max_households]) > unit.capacity:
            return False
        if method is Method.DENSE and unit.max_households > 1:
            return False
    return not instance.constraints


def _check(instance: Instance, method: Method | None) -> None:
    best = reference.brute_force(
        instance.households, instance.units, instance.pairs, instance.constraints
    )
    if method in (Method.FLOW, Method.DENSE) and not _applies(instance, method):
        with pytest.raises(PlacementInputError, match="method"):
            optimise(instance.households, instance.units, instance.pairs, method=method)
        return
    result = optimise(
        instance.households,
        instance.units,
        instance.pairs,
        constraints=instance.constraints,
        method=method,
    )
    if best is None:
        assert result.status is Status.INFEASIBLE
        assert result.reason
        assert result.placements == ()
        return
    assert result.status is Status.OPTIMAL
    assert reference.total(result.placements) == best[0]
    assert result.placed == best[1]
    assert reference.feasible(
        instance.households,
        instance.units,
        [Pair(p.household, p.unit, p.score) for p in result.placements],
        instance.constraints,
    )


@pytest.mark.parametrize("method", [None, Method.FLOW, Method.DENSE, Method.MIP])
@given(instance=instances())
@example(instance=TIE)
@example(instance=KNAPSACK)
@settings(max_examples=150, deadline=None)
def test_equals_brute_force(instance: Instance, method: Method | None) -> None:
    _check(instance, method)


@given(instance=instances(constraints=True))
@settings(max_examples=200, deadline=None)
def test_equals_brute_force_with_side_constraints(instance: Instance) -> None:
    _check(instance, None)


def test_ties_prefer_more_households() -> None:
    result = optimise(TIE.households, TIE.units, TIE.pairs)
    assert result.objective == 4.0
    assert [(p.household, p.unit) for p in result.placements] == [("H0", "U1"), ("H1", "U0")]
    for method in Method.FLOW, Method.DENSE, Method.MIP:
        other = optimise(TIE.households, TIE.units, TIE.pairs, method=method)
        assert (other.objective, other.placed, other.tie_break) == (4.0, 2, True)


def test_binding_capacity_uses_the_mip() -> None:
    result = optimise(KNAPSACK.households, KNAPSACK.units, KNAPSACK.pairs)
    assert result.method is Method.MIP
    # 3 + 2 > 4: H0 alone (5) loses to H1 + H2 (3 + 2.5 = 5.5)
    assert [p.household for p in result.placements] == ["H1", "H2"]
    assert result.objective == 5.5


def test_units_share_that_cannot_be_met_is_infeasible_with_a_reason() -> None:
    households = (HouseholdSize("H0", 1, "status_holder"), HouseholdSize("H1", 1, "urgent"))
    units = tuple(UnitCapacity(f"U{j}", 2, 1, "Diemerdreef") for j in range(4))
    pairs = tuple(Pair(h.id, u.id, 1.0) for h in households for u in units)
    share = ShareConstraint(("status_holder",), 0.5, "Diemerdreef", ShareBasis.UNITS)
    result = optimise(households, units, pairs, constraints=[share])
    assert result.status is Status.INFEASIBLE
    assert result.reason == (
        "Complex Diemerdreef must house at least 2 households of status_holder (0.5 of its 4 "
        "units), but only 1 such households have a pair there with a score > 0 that fits."
    )
