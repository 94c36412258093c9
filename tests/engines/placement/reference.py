"""Brute-force references for the placement engine: every placement of a tiny instance.

Independent of the engine's code: the scores are read as exact decimals (``Fraction`` of the
float's shortest repr), every combination of "no unit or one of its pairs" per household is
enumerated and checked constraint by constraint.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from fractions import Fraction

from onderdak.engines.placement import (
    HouseholdSize,
    Pair,
    Placement,
    ShareBasis,
    ShareConstraint,
    UnitCapacity,
)


def exact(value: float) -> Fraction:
    return Fraction(repr(float(value)))


def total(placements: Sequence[Placement]) -> Fraction:
    return sum((exact(p.score) for p in placements), Fraction(0))


def feasible(
    households: Sequence[HouseholdSize],
    units: Sequence[UnitCapacity],
    chosen: Sequence[Pair],
    constraints: Sequence[ShareConstraint] = (),
) -> bool:
    """Every constraint of the optimisation layer, checked directly."""
    persons = {h.id: h.persons for h in households}
    group = {h.id: h.group for h in households}
    complex_of = {u.id: u.complex for u in units}
    seen: set[str] = set()
    count: dict[str, int] = {}
    load: dict[str, int] = {}
    for pair in chosen:
        if pair.household in seen:
            return False
        seen.add(pair.household)
        count[pair.unit] = count.get(pair.unit, 0) + 1
        load[pair.unit] = load.get(pair.unit, 0) + persons[pair.household]
    for unit in units:
        if count.get(unit.id, 0) > unit.max_households or load.get(unit.id, 0) > unit.capacity:
            return False
    for constraint in constraints:
        scope = [
            p
            for p in chosen
            if constraint.complex is None or complex_of[p.unit] == constraint.complex
        ]
        members = sum(1 for p in scope if group[p.household] in constraint.groups)
        share = exact(constraint.minimum)
        if constraint.basis is ShareBasis.UNITS:
            size = sum(1 for u in units if u.complex == constraint.complex)
            if members < math.ceil(share * size):
                return False
        elif members < share * len(scope):
            return False
    return True


def brute_force(
    households: Sequence[HouseholdSize],
    units: Sequence[UnitCapacity],
    pairs: Sequence[Pair],
    constraints: Sequence[ShareConstraint] = (),
) -> tuple[Fraction, int] | None:
    """(best total score, most households placed at that total) over every placement that
    uses only pairs with a score > 0; ``None`` when no placement meets the constraints."""
    options: list[list[Pair | None]] = []
    for household in households:
        mine: list[Pair | None] = [None]
        mine += [p for p in pairs if p.household == household.id and p.score > 0]
        options.append(mine)
    best: tuple[Fraction, int] | None = None
    for combination in itertools.product(*options):
        chosen = [p for p in combination if p is not None]
        if not feasible(households, units, chosen, constraints):
            continue
        key = (sum((exact(p.score) for p in chosen), Fraction(0)), len(chosen))
        if best is None or key > best:
            best = key
    return best
