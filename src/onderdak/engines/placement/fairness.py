"""Fairness report: who gets placed, by target group and by household size, under the optimum
and under first-come-first-served greedy placement of the same instance.

Per group of households: how many there are, how many are placed and their share, the average
score of the placed ones, and the average waiting days of the placed and of the unplaced ones.
Size bands count the persons present (adults + minors, not expected reunification):
1, 2, 3-4 and 5 or more. Averages are ``math.fsum`` of the values divided by their number
(``None`` for an empty set).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from onderdak.engines.placement.model import (
    FairnessReport,
    GroupOutcome,
    Household,
    Placement,
    PlacementInputError,
    PolicyOutcome,
)

#: (label, smallest, largest persons; None = no upper bound).
SIZE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("1", 1, 1),
    ("2", 2, 2),
    ("3-4", 3, 4),
    ("5+", 5, None),
)


def size_band(persons: int) -> str:
    """The size band of a household of ``persons`` persons."""
    for label, low, high in SIZE_BANDS:
        if persons >= low and (high is None or persons <= high):
            return label
    return SIZE_BANDS[0][0]


def _mean(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def group_outcome(
    label: str, households: Sequence[Household], scores: dict[str, float]
) -> GroupOutcome:
    """Outcomes of ``households``; ``scores`` maps each placed household id to its score."""
    placed = [h for h in households if h.id in scores]
    unplaced = [h for h in households if h.id not in scores]
    return GroupOutcome(
        label=label,
        households=len(households),
        placed=len(placed),
        placed_share=len(placed) / len(households) if households else 0.0,
        average_score=_mean([scores[h.id] for h in placed]),
        average_waiting_placed=_mean([float(h.waiting_days) for h in placed]),
        average_waiting_unplaced=_mean([float(h.waiting_days) for h in unplaced]),
    )


def policy_outcome(
    policy: str, households: Sequence[Household], placements: Sequence[Placement]
) -> PolicyOutcome:
    """The outcomes of one policy's placements: overall, per target group (in order of first
    appearance) and per size band (non-empty bands, smallest first)."""
    known = {h.id for h in households}
    scores: dict[str, float] = {}
    for placement in placements:
        if placement.household not in known:
            raise PlacementInputError(
                f"unknown household {placement.household!r}",
                kind="placement",
                id=placement.household,
                field="household",
            )
        if placement.household in scores:
            raise PlacementInputError(
                "household placed twice", kind="placement", id=placement.household
            )
        scores[placement.household] = placement.score
    by_group: dict[str, list[Household]] = {}
    for household in households:
        by_group.setdefault(household.target_group, []).append(household)
    by_size: dict[str, list[Household]] = {label: [] for label, _, _ in SIZE_BANDS}
    for household in households:
        by_size[size_band(household.persons)].append(household)
    return PolicyOutcome(
        policy=policy,
        objective=math.fsum(scores.values()),
        placed=len(scores),
        overall=group_outcome("all", households, scores),
        by_target_group=tuple(
            group_outcome(group, members, scores) for group, members in by_group.items()
        ),
        by_size=tuple(
            group_outcome(label, members, scores) for label, members in by_size.items() if members
        ),
    )


def fairness_report(
    households: Sequence[Household],
    optimal: Sequence[Placement],
    greedy: Sequence[Placement],
    *,
    greedy_meets_constraints: bool = True,
) -> FairnessReport:
    """The optimum next to first-come-first-served greedy placement (see the module doc)."""
    best = policy_outcome("optimal", households, optimal)
    baseline = policy_outcome("greedy", households, greedy)
    ratio = baseline.objective / best.objective if best.objective != 0 else None
    return FairnessReport(
        optimal=best,
        greedy=baseline,
        objective_ratio=ratio,
        greedy_meets_constraints=greedy_meets_constraints,
    )
