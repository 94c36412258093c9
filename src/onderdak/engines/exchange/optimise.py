"""The public entry point: validate, pre-check, solve, price, plan the deals, explain.

Model (``docs/engines/exchange.md``): municipalities m, groups g with points p_g, places
provided x_mg (whole numbers). Always: sum_m x_mg = sum_m obligation_mg for every group (the
Spreidingswet lets municipalities within a province shift places as long as the provincial
total holds), lower_mg <= x_mg <= upper_mg (capacity and the take-over / hand-off caps), and
the fairness band on each municipality's points per inhabitant. Swap mode adds
sum_g p_g x_mg = sum_g p_g obligation_mg per municipality. Objective: minimum total cost
sum c_mg x_mg, ties broken by the fewest moved places.

A group marked ``within_province`` (asylum seekers, unaccompanied minors) keeps the total of
every province instead of only the regional total: the Spreidingswet distributes asylum places
per province under the Commissaris van de Koning, so they never cross a provincial border.
Status-holder quotas may move between any municipalities (art. 29(2) Huisvestingswet 2014).
Such a group gets a clearing price per province (the dual of its province row) and its
compensation and transfers stay within each province.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np

from onderdak.engines.exchange.diagnose import explain_infeasible, precheck, reason
from onderdak.engines.exchange.model import (
    Binding,
    BindingKind,
    Conflict,
    ExchangeResult,
    IntArray,
    Mode,
    MunicipalityExplanation,
    Scenario,
    SolveStats,
    Status,
)
from onderdak.engines.exchange.solver import (
    build_model,
    exact_cost,
    solve_allocation,
    solve_prices,
    solve_relaxation,
)
from onderdak.engines.exchange.transfers import plan_transfers
from onderdak.engines.exchange.validate import Problem, prepare

CENT = Decimal("0.01")


def optimise(scenario: Scenario) -> ExchangeResult:
    """The cheapest exchange of quotas within the region of ``scenario``.

    Validates the scenario (raises :class:`ExchangeInputError` naming the JSON path of a
    malformed value), then returns an :class:`ExchangeResult`: ``optimal`` with the places per
    municipality and group, total and baseline cost, clearing prices, compensation, bilateral
    transfers and a per-municipality explanation; or ``infeasible`` with the reasons. Raises
    :class:`ExchangeSolverError` only when HiGHS fails. Deterministic; inputs are not modified.
    """
    return solve(prepare(scenario))


def solve(problem: Problem) -> ExchangeResult:
    """:func:`optimise` on an already prepared problem (no validation)."""
    baseline = baseline_cost(problem)
    conflicts = precheck(problem)
    if conflicts:
        return _infeasible(problem, conflicts, baseline)
    model = build_model(problem)
    relaxation = solve_relaxation(model)
    allocation = solve_allocation(problem, model, relaxation)
    if allocation is None:
        conflicts = explain_infeasible(problem)
        return _infeasible(problem, conflicts, baseline)
    provided = allocation.provided
    if problem.mode is Mode.COMPENSATION and relaxation is not None:
        raw = solve_prices(problem, model, relaxation)
        block_prices = tuple(cents(value) for value in raw.tolist())
    else:
        block_prices = tuple(Decimal("0.00") for _ in problem.blocks)
    prices, province_prices = group_prices(problem, block_prices)
    compensation = compensations(problem, provided, block_prices)
    plan = plan_transfers(
        problem.codes,
        problem.groups,
        problem.obligation,
        provided,
        pair_across_groups=problem.mode is Mode.SWAP,
        blocks=problem.block_of if len(problem.blocks) > len(problem.groups) else None,
    )
    stats = SolveStats(
        rows=model.linear.rows,
        columns=model.linear.columns,
        nonzeros=model.linear.nonzeros,
        mip_nodes=allocation.nodes,
        tie_break_solved=allocation.tie_break_solved,
        moved_places=int(np.maximum(problem.obligation - provided, 0).sum()),
        deals=len(plan.transfers),
        transfer_method=plan.method,
    )
    return ExchangeResult(
        status=Status.OPTIMAL,
        reason="",
        mode=problem.mode,
        codes=problem.codes,
        groups=problem.groups,
        obligation=problem.obligation,
        provided=provided,
        total_cost=exact_cost(problem.costs, provided),
        baseline_cost=baseline,
        prices=prices,
        compensation=compensation,
        transfers=plan.transfers,
        municipalities=explain(problem, provided, compensation),
        conflicts=(),
        regional_average=problem.average,
        stats=stats,
        province_prices=province_prices,
    )


def _infeasible(
    problem: Problem, conflicts: list[Conflict], baseline: Decimal | None
) -> ExchangeResult:
    return ExchangeResult(
        status=Status.INFEASIBLE,
        reason=reason(conflicts),
        mode=problem.mode,
        codes=problem.codes,
        groups=problem.groups,
        obligation=problem.obligation,
        provided=None,
        total_cost=None,
        baseline_cost=baseline,
        prices=None,
        compensation=None,
        transfers=(),
        municipalities=(),
        conflicts=tuple(conflicts),
        regional_average=problem.average,
        stats=None,
    )


def baseline_cost(problem: Problem) -> Decimal | None:
    """Cost when everyone provides exactly its obligation; ``None`` when that is infeasible.

    The baseline moves nothing, so the caps and the swap balances hold; it fails when an
    obligation exceeds the capacity or an owed load lies outside the fairness band.
    """
    if np.any(problem.obligation > problem.capacity):
        return None
    if np.any(problem.owed < problem.band_low) or np.any(problem.owed > problem.band_high):
        return None
    return exact_cost(problem.costs, problem.obligation)


def cents(value: float) -> Decimal:
    """A price in euro rounded to cents (half away from zero), never -0.00."""
    rounded = Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded if rounded != 0 else Decimal("0.00")


def group_prices(
    problem: Problem, block_prices: tuple[Decimal, ...]
) -> tuple[tuple[Decimal, ...], dict[str, tuple[tuple[str, Decimal], ...]]]:
    """Prices per group, and per province for a within_province group, from the prices of the
    total rows (``Problem.blocks``). A within_province group's entry in the first is the
    highest of its provincial prices."""
    per_group: list[list[Decimal]] = [[] for _ in problem.groups]
    per_province: dict[str, list[tuple[str, Decimal]]] = {}
    for (g, province), price in zip(problem.blocks, block_prices, strict=True):
        per_group[g].append(price)
        if province is not None:
            per_province.setdefault(problem.groups[g], []).append((province, price))
    prices = tuple(max(found) if found else Decimal("0.00") for found in per_group)
    return prices, {group: tuple(pairs) for group, pairs in per_province.items()}


def compensations(
    problem: Problem, provided: IntArray, prices: tuple[Decimal, ...]
) -> tuple[Decimal, ...]:
    """sum_g price x (obligation - provided) per municipality: positive pays.

    ``prices`` are per total row (``Problem.blocks``; one per group when no group is
    within_province): a municipality pays or receives the price of its own province for a
    within_province group. Computed from the rounded prices, so every amount is exact in cents
    and they sum to zero (every group's, and every province's, total holds).
    """
    result = []
    blocks = problem.block_of.tolist()
    for owed, given, rows in zip(
        problem.obligation.tolist(), provided.tolist(), blocks, strict=True
    ):
        amount = sum(
            (prices[b] * (o - x) for b, o, x in zip(rows, owed, given, strict=True)),
            Decimal("0.00"),
        )
        result.append(amount if amount != 0 else Decimal("0.00"))
    return tuple(result)


def explain(
    problem: Problem, provided: IntArray, compensation: tuple[Decimal, ...]
) -> tuple[MunicipalityExplanation, ...]:
    """Per municipality: points owed and provided, load, costs, compensation, bindings."""
    scaled = provided @ problem.weights
    lines = []
    for i, code in enumerate(problem.codes):
        provided_points = Fraction(int(scaled[i]), problem.scale)
        load_ratio = None
        if problem.average > 0:
            load_ratio = float(provided_points / int(problem.population[i]) / problem.average)
        lines.append(
            MunicipalityExplanation(
                code=code,
                population=int(problem.population[i]),
                obligation=tuple(problem.obligation[i].tolist()),
                provided=tuple(provided[i].tolist()),
                owed_points=Fraction(int(problem.owed[i]), problem.scale),
                provided_points=provided_points,
                load_ratio=load_ratio,
                cost=exact_cost(problem.costs[i : i + 1], provided[i : i + 1]),
                baseline_cost=exact_cost(problem.costs[i : i + 1], problem.obligation[i : i + 1]),
                compensation=compensation[i],
                bindings=_bindings(problem, i, provided[i], int(scaled[i])),
            )
        )
    return tuple(lines)


def _bindings(problem: Problem, i: int, row: IntArray, scaled: int) -> tuple[Binding, ...]:
    found = []
    for g, group in enumerate(problem.groups):
        x = int(row[g])
        owed = int(problem.obligation[i, g])
        capacity = int(problem.capacity[i, g])
        take_over = int(problem.max_take_over[i, g])
        hand_off = int(problem.max_hand_off[i, g])
        if x == capacity and (capacity > 0 or owed > 0):
            found.append(Binding(BindingKind.CAPACITY, group))
        if take_over >= 0 and x == owed + take_over and x <= capacity:
            found.append(Binding(BindingKind.MAX_TAKE_OVER, group))
        if hand_off >= 0 and owed - hand_off > 0 and x == owed - hand_off:
            found.append(Binding(BindingKind.MAX_HAND_OFF, group))
    if problem.fairness is not None:
        if scaled == problem.band_low[i]:
            found.append(Binding(BindingKind.FAIRNESS_MIN, None))
        if scaled == problem.band_high[i]:
            found.append(Binding(BindingKind.FAIRNESS_MAX, None))
    return tuple(found)


__all__ = [
    "baseline_cost",
    "cents",
    "compensations",
    "explain",
    "group_prices",
    "optimise",
    "solve",
]
