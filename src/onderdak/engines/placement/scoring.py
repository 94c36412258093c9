"""Scoring: which (household, unit) combinations are feasible, and how good each one is.

Hard constraints, checked in this order (an infeasible unit is reported under the first one it
fails, :data:`~onderdak.engines.placement.model.REASONS`):

1. target group: the unit is open to the household's group (a unit without groups is open to
   all);
2. size: the persons who must fit (adults + minors, plus the expected reunification persons
   when :attr:`Weights.count_reunification`) are at most the unit's ``max_occupants``;
3. accessibility: a household that needs an accessible unit gets one;
4. ground floor: a household that needs the ground floor gets floor 0.

Score (higher is better), a weighted sum of parts, each rounded to whole millionths so that the
parts add up exactly to the score and the optimiser can work with integers:

    base                      weight x 1                       (value of a placement as such)
    waiting                   weight x waiting_days / 365      (priority: years waited)
    urgency                   weight x urgency level           (priority)
    space                     weight x s                       (fit: m2 per person near 12-15)
    rooms                     weight x min(rooms / needed, 1)  (fit)
    distance                  weight x scale / (scale + d)     (tie: school, work)
    preference                weight x 1 / 0 / neutral         (preferred complex)

The space-per-person band is a parameter (default 12-15 m2 per person; for comparison, the COA
norm for reception is about 10 m2 gross floor area per place); the rooms norm counts a living
room plus one bedroom per two persons. Distances are straight lines in RD New (EPSG:28992)
metres. See ``docs/engines/placement.md``.

Only elementwise IEEE operations (+, -, x, /, sqrt) are used, so every platform computes the
same millionths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from onderdak.engines.placement.model import (
    REASONS,
    Household,
    Measures,
    Pair,
    Reason,
    ScoreParts,
    ShareConstraint,
    Unit,
    Weights,
)
from onderdak.engines.placement.validate import (
    BoolArray,
    FloatArray,
    IntArray,
    OptimisationProblem,
    ScoringProblem,
    prepare_scoring,
    problem_from_arrays,
    readonly,
)

#: Scores are whole millionths (exact decimals with 6 places).
MICRO = 1_000_000
#: Names of the score parts, in :class:`ScoreParts` order.
PARTS: tuple[str, ...] = ("base", "waiting", "urgency", "space", "rooms", "distance", "preference")
#: Feasible units kept per household for the alternatives (3 plus the household's own).
BEST = 4
#: Unit ids kept per household and reason as examples.
EXAMPLES = 5
#: Matrix cells (households x units) per chunk of the feasibility check.
_CHUNK_CELLS = 2_000_000


@dataclass(frozen=True, slots=True, eq=False)
class Scoring:
    """Every feasible pair with its score, and per household the infeasibility counts.

    Pairs are sorted by household, then unit (input order). ``score`` is in millionths.
    ``reason_counts[h, r]``: units ruled out for household h first by ``REASONS[r]``;
    ``examples[h, r]``: the first :data:`EXAMPLES` of them (unit indices, -1 fill);
    ``best[h]``: the pair indices of its :data:`BEST` best feasible units (score descending,
    then unit input order; -1 fill).
    """

    problem: ScoringProblem
    weights: Weights
    pair_household: IntArray
    pair_unit: IntArray
    score: IntArray
    feasible: IntArray
    reason_counts: IntArray
    examples: IntArray
    best: IntArray

    @property
    def pairs(self) -> int:
        return int(self.score.size)


def needed_rooms(persons: IntArray) -> IntArray:
    """Rooms a household needs: 1 for one person, else a living room plus one bedroom per two
    persons (1 + ceil(p / 2)): 2 persons 2 rooms, 3-4 persons 3, 5-6 persons 4."""
    return np.where(persons <= 1, 1, 1 + (persons + 1) // 2).astype(np.int64)


def reason_codes(problem: ScoringProblem, households: IntArray) -> npt.NDArray[np.uint8]:
    """households x units: 0 when feasible, else 1 + the index in REASONS of the first failed
    check."""
    code = np.zeros((households.size, len(problem.unit_ids)), dtype=np.uint8)
    checks: list[tuple[Reason, BoolArray]] = [
        (Reason.TARGET_GROUP, ~problem.allows[:, problem.group[households]].T),
        (Reason.TOO_SMALL, problem.fit_persons[households, None] > problem.max_occupants[None, :]),
        (
            Reason.NOT_ACCESSIBLE,
            problem.needs_accessible[households, None] & ~problem.accessible[None, :],
        ),
        (
            Reason.NOT_GROUND_FLOOR,
            problem.needs_ground_floor[households, None] & (problem.floor[None, :] != 0),
        ),
    ]
    for reason, fails in reversed(checks):  # the first failed check is written last
        code[fails] = REASONS.index(reason) + 1
    return code


def _micro(values: FloatArray) -> IntArray:
    return np.rint(values * MICRO).astype(np.int64)


def part_values(
    problem: ScoringProblem, weights: Weights, households: IntArray, units: IntArray
) -> IntArray:
    """The weighted parts in millionths, one row per part (:data:`PARTS` order), one column
    per (household, unit) pair."""
    count = households.size
    parts = np.empty((len(PARTS), count), dtype=np.int64)
    parts[0] = int(np.rint(weights.base * MICRO))
    years = problem.waiting_days[households] / weights.waiting_unit_days
    parts[1] = _micro(weights.waiting * years)
    parts[2] = _micro(weights.urgency * problem.urgency[households])

    persons = problem.fit_persons[households]
    with np.errstate(divide="ignore", invalid="ignore"):
        per_person = problem.area[units] / persons
        low, high = weights.space_min_m2, weights.space_max_m2
        space = np.where(
            per_person < low,
            per_person / low,
            np.where(per_person > high, high / per_person, 1.0),
        )
    parts[3] = _micro(weights.space * space)

    needed = needed_rooms(persons)
    rooms = np.minimum(problem.rooms[units] / needed, 1.0)
    parts[4] = _micro(weights.rooms * rooms)

    known = problem.has_tie[households] & problem.has_xy[units]
    dx = np.where(known, problem.x[units] - problem.tie_x[households], 0.0)
    dy = np.where(known, problem.y[units] - problem.tie_y[households], 0.0)
    metres = np.sqrt(dx * dx + dy * dy)
    scale = weights.distance_scale_m
    closeness = np.where(known, scale / (scale + metres), weights.neutral)
    parts[5] = _micro(weights.distance * closeness)

    stated = problem.has_preference[households]
    preferred = problem.prefers[households, problem.complex[units]] if count else np.zeros(0)
    preference = np.where(stated, preferred.astype(np.float64), weights.neutral)
    parts[6] = _micro(weights.preference * preference)
    return parts


def measures_of(problem: ScoringProblem, household: int, unit: int) -> Measures:
    """The facts behind a pair's fit parts."""
    persons = int(problem.fit_persons[household])
    known = bool(problem.has_tie[household] and problem.has_xy[unit])
    distance = None
    if known:
        dx = float(problem.x[unit] - problem.tie_x[household])
        dy = float(problem.y[unit] - problem.tie_y[household])
        distance = float(np.sqrt(dx * dx + dy * dy))
    return Measures(
        persons=persons,
        area_per_person=float(problem.area[unit]) / persons,
        needed_rooms=int(needed_rooms(np.array([persons]))[0]),
        distance_m=distance,
    )


def parts_of(micro: IntArray) -> ScoreParts:
    """A :class:`ScoreParts` from one column of :func:`part_values`."""
    values = [int(v) for v in micro.tolist()]
    return ScoreParts(sum(values) / MICRO, *(v / MICRO for v in values))


def score_all(problem: ScoringProblem, weights: Weights) -> Scoring:
    """Check every (household, unit) combination and score the feasible ones (chunked over
    households, so memory stays bounded)."""
    n_households, n_units = problem.shape
    reasons = len(REASONS)
    counts = np.zeros((n_households, reasons), dtype=np.int64)
    examples = np.full((n_households, reasons, EXAMPLES), -1, dtype=np.int64)
    pair_h: list[IntArray] = []
    pair_u: list[IntArray] = []
    step = max(1, _CHUNK_CELLS // max(n_units, 1))
    for start in range(0, n_households, step):
        rows = np.arange(start, min(start + step, n_households), dtype=np.int64)
        code = reason_codes(problem, rows)
        for r in range(reasons):
            mask = code == r + 1
            counts[rows, r] = mask.sum(axis=1)
            hit_rows, hit_units = np.nonzero(mask)
            if hit_rows.size:
                rank = np.arange(hit_rows.size) - np.searchsorted(hit_rows, hit_rows)
                keep = rank < EXAMPLES
                examples[rows[hit_rows[keep]], r, rank[keep]] = hit_units[keep]
        feasible_rows, feasible_units = np.nonzero(code == 0)
        pair_h.append(rows[feasible_rows])
        pair_u.append(feasible_units.astype(np.int64))
    households = np.concatenate(pair_h) if pair_h else np.zeros(0, dtype=np.int64)
    units = np.concatenate(pair_u) if pair_u else np.zeros(0, dtype=np.int64)
    score = part_values(problem, weights, households, units).sum(axis=0)
    feasible = np.bincount(households, minlength=n_households).astype(np.int64)

    best = np.full((n_households, BEST), -1, dtype=np.int64)
    order = np.lexsort((units, -score, households))
    first = np.searchsorted(households[order], np.arange(n_households))
    for k in range(BEST):
        has = feasible > k
        best[has, k] = order[first[has] + k]
    return Scoring(
        problem=problem,
        weights=weights,
        pair_household=readonly(households),
        pair_unit=readonly(units),
        score=readonly(score),
        feasible=readonly(feasible),
        reason_counts=readonly(counts),
        examples=readonly(examples),
        best=readonly(best),
    )


def optimisation_problem(
    scoring: Scoring, constraints: Sequence[ShareConstraint]
) -> OptimisationProblem:
    """The optimisation layer's problem for the scored pairs: persons are the persons who must
    fit, capacity is ``max_occupants``, groups are target groups, complexes the units'."""
    problem = scoring.problem
    return problem_from_arrays(
        household_ids=problem.household_ids,
        unit_ids=problem.unit_ids,
        persons=problem.fit_persons,
        capacity=problem.max_occupants,
        max_households=problem.max_households,
        pair_household=scoring.pair_household,
        pair_unit=scoring.pair_unit,
        score=scoring.score / MICRO,
        group=tuple(problem.groups[g] for g in problem.group.tolist()),
        complex=tuple(problem.complexes[c] for c in problem.complex.tolist()),
        constraints=constraints,
    )


# --------------------------------------------------------------------------------------------
# Public helpers
# --------------------------------------------------------------------------------------------


def check_pair(
    household: Household, unit: Unit, weights: Weights | None = None
) -> tuple[Reason, ...]:
    """Every hard constraint the pair fails (in :data:`REASONS` order); empty when feasible."""
    problem = prepare_scoring([household], [unit], weights or Weights())
    failed = []
    checks = [
        not problem.allows[0, problem.group[0]],
        bool(problem.fit_persons[0] > problem.max_occupants[0]),
        bool(problem.needs_accessible[0] and not problem.accessible[0]),
        bool(problem.needs_ground_floor[0] and problem.floor[0] != 0),
    ]
    for reason, fails in zip(REASONS, checks, strict=True):
        if fails:
            failed.append(reason)
    return tuple(failed)


def score_pair(
    household: Household, unit: Unit, weights: Weights | None = None
) -> ScoreParts | None:
    """The score of a pair split into its parts; ``None`` when the pair is infeasible."""
    chosen = weights or Weights()
    if check_pair(household, unit, chosen):
        return None
    problem = prepare_scoring([household], [unit], chosen)
    index = np.zeros(1, dtype=np.int64)
    return parts_of(part_values(problem, chosen, index, index)[:, 0])


def score_pairs(
    households: Sequence[Household], units: Sequence[Unit], weights: Weights | None = None
) -> tuple[Pair, ...]:
    """Every feasible pair with its score (households, then units, in input order): the input
    of :func:`onderdak.engines.placement.optimise`."""
    chosen = weights or Weights()
    scoring = score_all(prepare_scoring(households, units, chosen), chosen)
    problem = scoring.problem
    return tuple(
        Pair(problem.household_ids[h], problem.unit_ids[u], s / MICRO)
        for h, u, s in zip(
            scoring.pair_household.tolist(),
            scoring.pair_unit.tolist(),
            scoring.score.tolist(),
            strict=True,
        )
    )
