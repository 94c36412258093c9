"""First-come-first-served placement: the baseline the optimum is compared with.

Households in order of waiting time (longest first; equal waiting times in input order) each
take their best-scoring unit that still has room (score descending, equal scores in unit input
order). The same rules as the optimiser apply to what may be placed: only pairs with a score
> 0, a unit takes at most ``max_households`` households with together at most its capacity in
persons. Greedy ignores side constraints (:class:`ShareConstraint`). It mirrors the "longest
waiting first" rule of much social-housing allocation (ranking by registration time,
inschrijfduur); unlike greedy by descending score it carries no approximation guarantee, which
is why the fairness report shows how far it stays below the optimum.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from onderdak.engines.placement.model import (
    Household,
    HouseholdSize,
    Pair,
    Placement,
    PlacementInputError,
    Unit,
    UnitCapacity,
    Weights,
)
from onderdak.engines.placement.scoring import optimisation_problem, score_all
from onderdak.engines.placement.validate import (
    IntArray,
    OptimisationProblem,
    prepare_optimisation,
    prepare_scoring,
)


def greedy_kernel(problem: OptimisationProblem, order: IntArray) -> IntArray:
    """Indices of the chosen pairs; ``order`` lists the household indices in turn order."""
    h, u, score = problem.pair_household, problem.pair_unit, problem.score
    usable = (score > 0) & (problem.persons[h] <= problem.capacity[u])
    usable &= problem.max_households[u] >= 1
    index = np.flatnonzero(usable)
    turn = np.empty(len(problem.household_ids), dtype=np.int64)
    turn[order] = np.arange(order.size)
    ranked = index[np.lexsort((u[index], -score[index], turn[h[index]]))]
    persons = problem.persons.tolist()
    room = problem.max_households.tolist()
    free = problem.capacity.tolist()
    done = [False] * len(persons)
    chosen = []
    for pair, household, unit in zip(
        ranked.tolist(), h[ranked].tolist(), u[ranked].tolist(), strict=True
    ):
        if done[household] or room[unit] == 0 or free[unit] < persons[household]:
            continue
        done[household] = True
        room[unit] -= 1
        free[unit] -= persons[household]
        chosen.append(pair)
    return np.array(sorted(chosen, key=lambda p: int(h[p])), dtype=np.int64)


def waiting_order(waiting_days: IntArray) -> IntArray:
    """Household indices by waiting days descending, ties in input order."""
    return np.argsort(-waiting_days, kind="stable").astype(np.int64)


def greedy_pairs(
    households: Sequence[HouseholdSize],
    units: Sequence[UnitCapacity],
    pairs: Sequence[Pair],
    order: Sequence[str] | None = None,
) -> tuple[Placement, ...]:
    """Greedy on the optimisation layer's input; ``order`` gives the household ids in turn
    order (default: input order). Placements in household input order."""
    problem = prepare_optimisation(households, units, pairs)
    if order is None:
        turns = np.arange(len(problem.household_ids), dtype=np.int64)
    else:
        position = {id: i for i, id in enumerate(problem.household_ids)}
        if sorted(order) != sorted(position):
            raise PlacementInputError(
                "must list every household id exactly once", kind="order", field="order"
            )
        turns = np.array([position[id] for id in order], dtype=np.int64)
    return placements_of(problem, greedy_kernel(problem, turns))


def greedy(
    households: Sequence[Household], units: Sequence[Unit], weights: Weights | None = None
) -> tuple[Placement, ...]:
    """First-come-first-served placement of the households (scored as :func:`place` does)."""
    chosen_weights = weights or Weights()
    scoring = score_all(prepare_scoring(households, units, chosen_weights), chosen_weights)
    problem = optimisation_problem(scoring, ())
    return placements_of(
        problem, greedy_kernel(problem, waiting_order(scoring.problem.waiting_days))
    )


def placements_of(problem: OptimisationProblem, chosen: IntArray) -> tuple[Placement, ...]:
    """The chosen pairs as placements (in the order given)."""
    return tuple(
        Placement(problem.household_ids[h], problem.unit_ids[u], s)
        for h, u, s in zip(
            problem.pair_household[chosen].tolist(),
            problem.pair_unit[chosen].tolist(),
            problem.score[chosen].tolist(),
            strict=True,
        )
    )
