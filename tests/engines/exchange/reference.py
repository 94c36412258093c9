"""Independent references for the exchange engine: brute force and a plain LP (scipy).

Written from the definitions in docs/engines/exchange.md, without the engine's kernels: the
brute force enumerates every integer allocation 0 <= x <= capacity and applies each constraint
in exact arithmetic (fractions, decimals); the LP value is built as a dense matrix for
scipy.optimize.linprog.
"""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
from scipy.optimize import linprog

from onderdak.engines.exchange import Scenario

Number = int | float | Decimal | Fraction


def _fraction(value: Number) -> Fraction:
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def _decimal(value: Number) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _within_bounds(scenario: Scenario, x: list[list[int]]) -> bool:
    """Group totals, capacity and both caps."""
    groups = [g.code for g in scenario.groups]
    for g, group in enumerate(groups):
        if sum(row[g] for row in x) != sum(m.obligation[group] for m in scenario.municipalities):
            return False
    for m, row in zip(scenario.municipalities, x, strict=True):
        for g, group in enumerate(groups):
            places, obligation = row[g], m.obligation[group]
            take_over = m.max_take_over.get(group)
            hand_off = m.max_hand_off.get(group)
            if (
                not 0 <= places <= m.capacity[group]
                or (take_over is not None and places - obligation > take_over)
                or (hand_off is not None and obligation - places > hand_off)
            ):
                return False
    return True


def feasible(scenario: Scenario, x: list[list[int]]) -> bool:
    """Does allocation ``x`` (municipality x group) meet every constraint of ``scenario``?"""
    if not _within_bounds(scenario, x):
        return False
    points = [_fraction(g.points) for g in scenario.groups]
    municipalities = scenario.municipalities
    owed = [
        sum(
            (p * m.obligation[g.code] for p, g in zip(points, scenario.groups, strict=True)),
            Fraction(0),
        )
        for m in municipalities
    ]
    provided = [sum((p * v for p, v in zip(points, row, strict=True)), Fraction(0)) for row in x]
    if scenario.mode == "swap" and provided != owed:
        return False
    if scenario.fairness is None:
        return True
    average = sum(owed, Fraction(0)) / sum(m.population for m in municipalities)
    low = _fraction(scenario.fairness.min_ratio)
    high = scenario.fairness.max_ratio
    return all(
        load >= low * average * m.population
        and (high is None or load <= _fraction(high) * average * m.population)
        for m, load in zip(municipalities, provided, strict=True)
    )


def cost(scenario: Scenario, x: list[list[int]]) -> Decimal:
    groups = [g.code for g in scenario.groups]
    return sum(
        (
            _decimal(m.cost_per_place[group]) * row[g]
            for m, row in zip(scenario.municipalities, x, strict=True)
            for g, group in enumerate(groups)
        ),
        Decimal(0),
    )


def brute_force(scenario: Scenario) -> tuple[Decimal, int] | None:
    """(minimum cost, fewest moved places at that cost), or ``None`` when infeasible."""
    groups = [g.code for g in scenario.groups]
    cells = [range(m.capacity[group] + 1) for m in scenario.municipalities for group in groups]
    width = len(groups)
    best: tuple[Decimal, int] | None = None
    for flat in itertools.product(*cells):
        x = [list(flat[i : i + width]) for i in range(0, len(flat), width)]
        if not feasible(scenario, x):
            continue
        moved = sum(
            abs(row[g] - m.obligation[group])
            for m, row in zip(scenario.municipalities, x, strict=True)
            for g, group in enumerate(groups)
        )
        key = (cost(scenario, x), moved)
        if best is None or key < best:
            best = key
    return best


def lp_minimum(
    scenario: Scenario,
    totals: list[float],
    blocks: list[tuple[int, list[int]]] | None = None,
) -> float | None:
    """Minimum cost of the LP relaxation (compensation mode) with these group totals.

    ``blocks`` (optional): the total rows as (group, municipality indices), one total each in
    ``totals`` (a within_province group has one row per province); default one row per group.

    Bounds and fairness bands stay as in the scenario, rounded inward to whole points as the
    engine documents (valid for points that are whole numbers).
    """
    groups = [g.code for g in scenario.groups]
    points = [float(_fraction(g.points)) for g in scenario.groups]
    municipalities = scenario.municipalities
    size = len(municipalities) * len(groups)
    costs = np.array([float(m.cost_per_place[g]) for m in municipalities for g in groups])
    if blocks is None:
        blocks = [(g, list(range(len(municipalities)))) for g in range(len(groups))]
    equalities = np.zeros((len(blocks), size))
    for b, (g, members) in enumerate(blocks):
        for i in members:
            equalities[b, i * len(groups) + g] = 1.0
    bounds = []
    for m in municipalities:
        for group in groups:
            hand_off, take_over = m.max_hand_off.get(group), m.max_take_over.get(group)
            low = 0 if hand_off is None else max(0, m.obligation[group] - hand_off)
            high = m.capacity[group]
            if take_over is not None:
                high = min(high, m.obligation[group] + take_over)
            bounds.append((low, high))
    rows, limits = [], []
    if scenario.fairness is not None:
        owed = sum(
            _fraction(g.points) * m.obligation[g.code]
            for m in municipalities
            for g in scenario.groups
        )
        average = owed / sum(m.population for m in municipalities)
        for i, m in enumerate(municipalities):
            row = np.zeros(size)
            row[i * len(groups) : (i + 1) * len(groups)] = points
            least = _fraction(scenario.fairness.min_ratio) * average * m.population
            rows.append(-row)
            limits.append(-float(math.ceil(least)))
            if scenario.fairness.max_ratio is not None:
                most = _fraction(scenario.fairness.max_ratio) * average * m.population
                rows.append(row)
                limits.append(float(math.floor(most)))
    result = linprog(
        costs,
        A_ub=np.array(rows) if rows else None,
        b_ub=np.array(limits) if limits else None,
        A_eq=equalities,
        b_eq=np.array(totals),
        bounds=bounds,
        method="highs",
    )
    return float(result.fun) if result.status == 0 else None


def marginal_price(scenario: Scenario, group: int) -> float:
    """The price the engine documents, from LP values: the cost of one more place, else the
    saving of one place less, else 0 (for whole-number points the LP value is linear between
    whole-number totals, so one place equals the derivative)."""
    totals = [
        float(sum(m.obligation[g.code] for m in scenario.municipalities)) for g in scenario.groups
    ]
    base = lp_minimum(scenario, totals)
    assert base is not None
    more = list(totals)
    more[group] += 1
    value = lp_minimum(scenario, more)
    if value is not None:
        return value - base
    if totals[group] >= 1:
        less = list(totals)
        less[group] -= 1
        value = lp_minimum(scenario, less)
        if value is not None:
            return base - value
    return 0.0


def province_blocks(scenario: Scenario) -> list[tuple[int, str | None, list[int]]]:
    """The total rows of a scenario with within_province groups: (group, province, members),
    provinces in order of first appearance (``None``: the regional row of an unmarked group)."""
    provinces = list(dict.fromkeys(str(m.province) for m in scenario.municipalities))
    found: list[tuple[int, str | None, list[int]]] = []
    everyone = list(range(len(scenario.municipalities)))
    for g, group in enumerate(scenario.groups):
        if not group.within_province:
            found.append((g, None, everyone))
            continue
        for province in provinces:
            members = [i for i, m in enumerate(scenario.municipalities) if m.province == province]
            found.append((g, province, members))
    return found


def marginal_block_price(scenario: Scenario, block: int) -> float:
    """:func:`marginal_price` for one total row of :func:`province_blocks`: the cost of one
    more place in that province (else the saving of one less, else 0)."""
    rows = province_blocks(scenario)
    blocks = [(g, members) for g, _, members in rows]
    totals = [
        float(sum(scenario.municipalities[i].obligation[scenario.groups[g].code] for i in members))
        for g, members in blocks
    ]
    base = lp_minimum(scenario, totals, blocks)
    assert base is not None
    more = list(totals)
    more[block] += 1
    value = lp_minimum(scenario, more, blocks)
    if value is not None:
        return value - base
    if totals[block] >= 1:
        less = list(totals)
        less[block] -= 1
        value = lp_minimum(scenario, less, blocks)
        if value is not None:
            return base - value
    return 0.0
