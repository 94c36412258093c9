"""Hypothesis properties of :func:`place` and :func:`optimise`."""

from __future__ import annotations

import copy
import math
from collections import Counter
from dataclasses import fields, replace

from hypothesis import given, settings

from onderdak.engines.placement import (
    Household,
    Outcome,
    Pair,
    Status,
    Unit,
    Weights,
    check_pair,
    greedy,
    greedy_pairs,
    optimise,
    place,
    score_pair,
)
from tests.engines.placement import reference
from tests.engines.placement.strategies import Instance, households_and_units, instances

SETTINGS = settings(max_examples=120, deadline=None)


def _fit_persons(household: Household, weights: Weights) -> int:
    extra = household.reunification_persons if weights.count_reunification else 0
    return household.persons + extra


@given(data=households_and_units())
@SETTINGS
def test_placements_respect_every_constraint(
    data: tuple[tuple[Household, ...], tuple[Unit, ...]],
) -> None:
    """Each household at most once; no unit over its households or its persons; every
    placement meets the hard constraints (check_pair finds nothing) and scores > 0."""
    households, units = data
    weights = Weights()
    result = place(households, units, weights=weights)
    assert result.status is Status.OPTIMAL
    by_id = {h.id: h for h in households}
    unit_by_id = {u.id: u for u in units}
    assert len({p.household for p in result.placements}) == len(result.placements)
    count = Counter(p.unit for p in result.placements)
    load: Counter[str] = Counter()
    for placement in result.placements:
        household, unit = by_id[placement.household], unit_by_id[placement.unit]
        assert check_pair(household, unit, weights) == ()
        parts = score_pair(household, unit, weights)
        assert parts is not None and parts.total == placement.score > 0
        load[unit.id] += _fit_persons(household, weights)
    for unit in units:
        assert count[unit.id] <= unit.max_households
        assert load[unit.id] <= unit.max_occupants
    assert result.objective == math.fsum(p.score for p in result.placements)
    assert result.placed == len(result.placements)
    order = [h.id for h in households]
    assert [p.household for p in result.placements] == sorted(
        (p.household for p in result.placements), key=order.index
    )


@given(data=households_and_units())
@SETTINGS
def test_optimum_is_at_least_greedy(
    data: tuple[tuple[Household, ...], tuple[Unit, ...]],
) -> None:
    households, units = data
    result = place(households, units)
    baseline = greedy(households, units)
    assert reference.total(result.placements) >= reference.total(baseline)
    assert result.fairness.greedy.objective == math.fsum(p.score for p in baseline)
    assert result.fairness.optimal.objective == result.objective
    assert result.fairness.greedy_meets_constraints


@given(data=households_and_units())
@SETTINGS
def test_same_input_same_output_and_no_mutation(
    data: tuple[tuple[Household, ...], tuple[Unit, ...]],
) -> None:
    households, units = data
    before = copy.deepcopy((households, units))
    first = place(list(households), list(units))
    second = place(list(households), list(units))
    assert first == second
    assert (households, units) == before


@given(data=households_and_units())
@SETTINGS
def test_explanations_account_for_every_unit(
    data: tuple[tuple[Household, ...], tuple[Unit, ...]],
) -> None:
    """Feasible plus infeasible units add up to all units; every infeasible example fails
    first on its group's reason; alternatives are feasible other units, best first, with the
    score score_pair gives."""
    households, units = data
    weights = Weights()
    result = place(households, units, weights=weights)
    unit_by_id = {u.id: u for u in units}
    for household, line in zip(households, result.households, strict=True):
        assert line.household == household.id
        assert line.feasible_units + sum(g.count for g in line.infeasible) == len(units)
        assert line.feasible_units == sum(1 for u in units if not check_pair(household, u))
        for group in line.infeasible:
            assert 0 < len(group.examples) <= min(group.count, 5)
            for unit_id in group.examples:
                assert check_pair(household, unit_by_id[unit_id], weights)[0] is group.reason
        scores = [a.score.total for a in line.alternatives]
        assert scores == sorted(scores, reverse=True)
        assert len(line.alternatives) == min(3, line.feasible_units - (line.unit is not None))
        for alternative in line.alternatives:
            assert alternative.unit != line.unit
            assert score_pair(household, unit_by_id[alternative.unit], weights) == alternative.score
        if line.unit is None:
            assert line.outcome is not Outcome.PLACED
            assert (line.outcome is Outcome.NO_FEASIBLE_UNIT) == (line.feasible_units == 0)
        else:
            assert line.outcome is Outcome.PLACED
            assert line.score == score_pair(household, unit_by_id[line.unit], weights)


@given(data=households_and_units())
@SETTINGS
def test_scaling_every_weight_scales_the_optimum(
    data: tuple[tuple[Household, ...], tuple[Unit, ...]],
) -> None:
    """Doubling every weight doubles each part (up to the rounding to millionths), so the
    optimal total doubles within that rounding."""
    households, units = data
    weights = Weights()
    names = ("base", "waiting", "urgency", "space", "rooms", "distance", "preference")
    doubled = replace(weights, **{name: 2 * getattr(weights, name) for name in names})
    assert {f.name for f in fields(Weights)} >= set(names)
    single = place(households, units, weights=weights)
    double = place(households, units, weights=doubled)
    tolerance = 1e-5 * (1 + len(households))
    assert math.isclose(double.objective, 2 * single.objective, abs_tol=tolerance)


@given(instance=instances())
@SETTINGS
def test_optimise_layer_properties(instance: Instance) -> None:
    """Constraints hold, only positive scores, optimum >= greedy, deterministic, no mutation."""
    before = copy.deepcopy(instance)
    result = optimise(instance.households, instance.units, instance.pairs)
    assert result.status is Status.OPTIMAL
    chosen = [Pair(p.household, p.unit, p.score) for p in result.placements]
    assert reference.feasible(instance.households, instance.units, chosen)
    assert all(p.score > 0 for p in result.placements)
    assert set(chosen) <= set(instance.pairs)
    baseline = greedy_pairs(instance.households, instance.units, instance.pairs)
    assert reference.feasible(
        instance.households, instance.units, [Pair(p.household, p.unit, p.score) for p in baseline]
    )
    assert reference.total(result.placements) >= reference.total(baseline)
    assert optimise(instance.households, instance.units, instance.pairs) == result
    assert instance == before
    placed = {p.household for p in result.placements}
    assert [u.household for u in result.unplaced] == [
        h.id for h in instance.households if h.id not in placed
    ]
