"""Hypothesis properties of :func:`onderdak.engines.exchange.optimise`."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import given, settings

from onderdak.engines.exchange import (
    ExchangeResult,
    Scenario,
    Status,
    explanation_to_mapping,
    optimise,
    result_to_mapping,
)
from tests.engines.exchange import reference
from tests.engines.exchange.strategies import scenarios

SETTINGS = settings(max_examples=120, deadline=None)


def _points(scenario: Scenario) -> list[Fraction]:
    return [
        Fraction(repr(g.points)) if isinstance(g.points, float) else Fraction(g.points)
        for g in scenario.groups
    ]


def _allocation(result: ExchangeResult) -> list[list[int]]:
    assert result.provided is not None
    provided: list[list[int]] = result.provided.tolist()
    return provided


@given(scenario=scenarios())
@SETTINGS
def test_an_optimal_allocation_meets_every_constraint(scenario: Scenario) -> None:
    """Group totals conserved, capacities and caps respected, swap balance, fairness bounds
    (checked with the reference's exact feasibility test, constraint by constraint)."""
    result = optimise(scenario)
    if result.status is Status.INFEASIBLE:
        assert result.reason
        assert result.provided is None and result.total_cost is None
        assert result.transfers == () and result.conflicts
        return
    x = _allocation(result)
    groups = [g.code for g in scenario.groups]
    for g, group in enumerate(groups):
        assert sum(row[g] for row in x) == sum(m.obligation[group] for m in scenario.municipalities)
    for m, row in zip(scenario.municipalities, x, strict=True):
        for g, group in enumerate(groups):
            assert 0 <= row[g] <= m.capacity[group]
            take_over, hand_off = m.max_take_over.get(group), m.max_hand_off.get(group)
            if take_over is not None:
                assert row[g] - m.obligation[group] <= take_over
            if hand_off is not None:
                assert m.obligation[group] - row[g] <= hand_off
    assert reference.feasible(scenario, x)


@given(scenario=scenarios(mode="swap"))
@SETTINGS
def test_swap_mode_balances_points_and_moves_no_money(scenario: Scenario) -> None:
    result = optimise(scenario)
    if result.status is Status.INFEASIBLE:
        return
    points = _points(scenario)
    for m, row in zip(scenario.municipalities, _allocation(result), strict=True):
        owed = sum(p * m.obligation[g.code] for p, g in zip(points, scenario.groups, strict=True))
        provided = sum(p * v for p, v in zip(points, row, strict=True))
        assert owed == provided
    assert result.compensation is not None
    assert set(result.compensation) == {Decimal(0)}
    assert result.prices is not None
    assert set(result.prices) == {Decimal(0)}


@given(scenario=scenarios(mode="compensation"))
@SETTINGS
def test_compensation_sums_to_zero_and_follows_from_the_prices(scenario: Scenario) -> None:
    result = optimise(scenario)
    if result.status is Status.INFEASIBLE:
        return
    assert result.compensation is not None and result.prices is not None
    assert sum(result.compensation) == 0
    for m, row, amount in zip(
        scenario.municipalities, _allocation(result), result.compensation, strict=True
    ):
        expected = sum(
            (
                price * (m.obligation[g.code] - x)
                for price, g, x in zip(result.prices, scenario.groups, row, strict=True)
            ),
            Decimal(0),
        )
        assert amount == expected
    for price in result.prices:
        assert price == price.quantize(Decimal("0.01"))


@given(scenario=scenarios())
@SETTINGS
def test_costs_are_exact_and_never_above_the_baseline(scenario: Scenario) -> None:
    result = optimise(scenario)
    if result.status is Status.INFEASIBLE:
        return
    x = _allocation(result)
    assert result.total_cost == reference.cost(scenario, x)
    baseline = [[m.obligation[g.code] for g in scenario.groups] for m in scenario.municipalities]
    if reference.feasible(scenario, baseline):
        assert result.baseline_cost == reference.cost(scenario, baseline)
        assert result.total_cost is not None
        assert result.total_cost <= result.baseline_cost
    else:
        assert result.baseline_cost is None


@given(scenario=scenarios())
@SETTINGS
def test_transfers_realise_the_allocation_with_few_deals(scenario: Scenario) -> None:
    result = optimise(scenario)
    if result.status is Status.INFEASIBLE:
        return
    difference = result.obligation - np.array(_allocation(result))
    realised = np.zeros_like(difference)
    order = []
    for transfer in result.transfers:
        i, j = result.codes.index(transfer.from_code), result.codes.index(transfer.to_code)
        g = result.groups.index(transfer.group)
        assert transfer.places > 0 and i != j
        realised[i, g] += transfer.places
        realised[j, g] -= transfer.places
        order.append((g, transfer.from_code, transfer.to_code))
    assert np.array_equal(realised, difference)
    assert order == sorted(order)
    for g in range(len(result.groups)):
        senders = int((difference[:, g] > 0).sum())
        receivers = int((difference[:, g] < 0).sum())
        deals = sum(1 for transfer in result.transfers if transfer.group == result.groups[g])
        assert deals <= max(senders + receivers - 1, 0)


@given(scenario=scenarios())
@SETTINGS
def test_same_input_same_output_and_no_mutation(scenario: Scenario) -> None:
    before = copy.deepcopy(scenario)
    first = optimise(scenario)
    second = optimise(scenario)
    assert scenario == before
    assert result_to_mapping(first) == result_to_mapping(second)
    assert explanation_to_mapping(first) == explanation_to_mapping(second)
    assert first.conflicts == second.conflicts


@given(scenario=scenarios(whole_points=True, mode="compensation", municipalities=(2, 4)))
@settings(max_examples=80, deadline=None)
def test_prices_are_the_cost_of_one_more_place(scenario: Scenario) -> None:
    """With whole points the LP value is linear between whole-number group totals, so the
    documented price (right derivative, else left, else 0) equals an LP difference that an
    independent LP (scipy, dense matrix) computes."""
    result = optimise(scenario)
    if result.status is Status.INFEASIBLE:
        return
    assert result.prices is not None
    for g, price in enumerate(result.prices):
        expected = reference.marginal_price(scenario, g)
        assert abs(float(price) - expected) <= 0.0051, (g, price, expected)
