"""Plain, exact reference implementations for the tests: seat by seat, in fractions.

Deliberately the textbook definitions (Balinski & Young, *Fair Representation*, 2nd ed. 2001):
Hamilton by exact quotas and remainders, divisor methods one seat at a time to the largest
average weight / s(n), ties to the larger weight and then the earlier unit.
"""

from __future__ import annotations

import math
from fractions import Fraction


def hamilton(weights: list[int], total: int) -> list[int]:
    weight_sum = sum(weights)
    exact = [Fraction(total * w, weight_sum) for w in weights]
    seats = [math.floor(q) for q in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - seats[i]), -weights[i], i))
    for i in order[: total - sum(seats)]:
        seats[i] += 1
    return seats


def _average(method: str, weight: int, seats: int) -> Fraction | float:
    """weight / s(seats); Huntington-Hill squared (same order) with s(0) = 0."""
    if method == "dhondt":
        return Fraction(weight, seats + 1)
    if method == "sainte-lague":
        return Fraction(2 * weight, 2 * seats + 1)
    if seats == 0:
        return math.inf
    return Fraction(weight * weight, seats * (seats + 1))


def divisor(
    weights: list[int],
    total: int,
    method: str,
    floors: list[int] | None = None,
    caps: list[int] | None = None,
) -> list[int]:
    seats = list(floors or [0] * len(weights))
    upper = caps or [total] * len(weights)
    for _ in range(total - sum(seats)):
        candidates = [
            (_average(method, w, seats[i]), w, -i)
            for i, w in enumerate(weights)
            if w > 0 and seats[i] < upper[i]
        ]
        seats[-max(candidates)[2]] += 1
    return seats
