"""Benchmark of the placement engine against SciPy's assignment solvers, in one run.

    .venv/bin/python benchmarks/bench_placement.py            # full run (about 3 minutes)
    .venv/bin/python benchmarks/bench_placement.py --quick    # smoke run (seconds)

Instances (NumPy generator, seed 2026):

* **Sparse assignment**: 10,000 households x 10,000 units, 50 distinct random units per
  household (500,000 pairs), scores uniform 0.5-10 with 6 decimals, one household per unit,
  every pair fits. The engine (``optimise`` on ``Pair`` objects, validation included; and the
  kernel on arrays) against SciPy's ``min_weight_full_bipartite_matching`` (LAPJVsp) on the
  same graph augmented with one "stay unplaced" column per household (weights C - score and
  C, so every weight is non-zero and a full matching exists) and, in the full run, SciPy's
  dense ``linear_sum_assignment`` on the 10,000 x 10,000 matrix (missing pairs 0). The
  optima must be equal in whole millionths (exit 1 otherwise).
* **Greedy** (first come, first served: households in random waiting order, each its best
  free unit) on the same instance: time and objective ratio greedy / optimum.
* **Dense**: 3,000 x 3,000, every pair allowed, (a) uniform random scores and (b) the scoring
  layer's scores for 3,000 households and 3,000 units that all fit everyone (structured:
  a household part plus a fit part). The engine (min-cost flow; and its ``dense_assignment``
  method) against ``linear_sum_assignment(maximize=True)``; optima must be equal.
* **Side constraints**: 1,000 households (45 % single persons), 600 units in 20 complexes,
  30 % of them shared (2-4 households, 4-8 persons, so capacity binds), 50 candidate units
  per household; at least 65 % of the placements for status holders and at least 30 % of the
  units of 5 complexes for displaced Ukrainians. ``optimise(..., gap=0.01)``; the gap reached
  is (LP bound - objective) / LP bound; for comparison HiGHS on the same MIP in one run with
  ``mip_rel_gap`` 0.01 (no staging).
* **Pipeline**: ``place`` on 5,000 households x 2,000 units with the scoring layer's hard
  constraints (target groups, size, accessibility, ground floor), phases timed separately.

Times are the median of ``--repeat`` runs (``time.perf_counter``) for the fast cases, one run
for the slow references.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import replace

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching
from timing import Row, fail, run, timed

from onderdak.engines.placement import (
    Household,
    HouseholdSize,
    Method,
    Pair,
    ShareBasis,
    ShareConstraint,
    Unit,
    UnitCapacity,
    Weights,
    optimise,
    place,
)
from onderdak.engines.placement.greedy import greedy_kernel
from onderdak.engines.placement.optimise import mip_rows, new_highs, solve, usable_pairs
from onderdak.engines.placement.scoring import optimisation_problem, score_all
from onderdak.engines.placement.validate import (
    OptimisationProblem,
    prepare_scoring,
    problem_from_arrays,
)

SEED = 2026
GROUPS = ("status_holder", "displaced_ukrainian", "urgent", "student")


def micro(value: float) -> int:
    return round(value * 1_000_000)


# --------------------------------------------------------------------------------------------
# Instances
# --------------------------------------------------------------------------------------------


def sparse_instance(
    households: int, units: int, per_household: int, rng: np.random.Generator
) -> OptimisationProblem:
    pair_household = np.repeat(np.arange(households), per_household)
    pair_unit = np.concatenate(
        [rng.choice(units, size=per_household, replace=False) for _ in range(households)]
    )
    score = np.round(rng.uniform(0.5, 10.0, size=pair_household.size), 6)
    return problem_from_arrays(
        household_ids=tuple(f"H{i}" for i in range(households)),
        unit_ids=tuple(f"U{j}" for j in range(units)),
        persons=rng.integers(1, 6, size=households),
        capacity=np.full(units, 6),
        max_households=np.ones(units, dtype=np.int64),
        pair_household=pair_household,
        pair_unit=pair_unit,
        score=score,
    )


def as_objects(
    problem: OptimisationProblem,
) -> tuple[list[HouseholdSize], list[UnitCapacity], list[Pair]]:
    households = [
        HouseholdSize(h, int(p))
        for h, p in zip(problem.household_ids, problem.persons.tolist(), strict=True)
    ]
    units = [
        UnitCapacity(u, int(c), int(m))
        for u, c, m in zip(
            problem.unit_ids,
            problem.capacity.tolist(),
            problem.max_households.tolist(),
            strict=True,
        )
    ]
    pairs = [
        Pair(problem.household_ids[h], problem.unit_ids[u], s)
        for h, u, s in zip(
            problem.pair_household.tolist(),
            problem.pair_unit.tolist(),
            problem.score.tolist(),
            strict=True,
        )
    ]
    return households, units, pairs


def realistic(
    households: int, units: int, rng: np.random.Generator, *, everyone_fits: bool = False
) -> tuple[list[Household], list[Unit]]:
    """Households (70 % single adults, up to 3 minors, expected reunification persons) and
    units (1-6 occupants, 10-18 m2 per occupant, 20 % accessible, 25 complexes, 40 % reserved
    for target groups), coordinates in RD New around Diemen."""
    household_list = []
    for i in range(households):
        tie = rng.random() < 0.5
        household_list.append(
            Household(
                f"H{i}",
                GROUPS[int(rng.choice(4, p=[0.5, 0.3, 0.15, 0.05]))],
                adults=int(rng.choice([1, 2], p=[0.7, 0.3])),
                minors=int(rng.choice([0, 0, 1, 2, 3])),
                needs_accessible=bool(rng.random() < 0.05),
                needs_ground_floor=bool(rng.random() < 0.08),
                waiting_days=int(rng.integers(0, 1500)),
                urgency=float(rng.random() < 0.1),
                tie_x=float(rng.uniform(118_000, 126_000)) if tie else None,
                tie_y=float(rng.uniform(480_000, 488_000)) if tie else None,
                reunification_persons=int(rng.choice([0, 0, 0, 1, 2])),
            )
        )
    unit_list = []
    for j in range(units):
        occupants = int(rng.choice([1, 2, 4, 6], p=[0.3, 0.3, 0.3, 0.1]))
        kind = rng.random()
        unit_list.append(
            Unit(
                f"U{j}",
                f"C{j % 25}",
                occupants,
                max(1, occupants // 2 + 1),
                float(occupants * rng.uniform(10, 18) + 10),
                accessible=bool(rng.random() < 0.2),
                floor=int(rng.integers(0, 4)),
                x=float(rng.uniform(118_000, 126_000)),
                y=float(rng.uniform(480_000, 488_000)),
                target_groups=()
                if kind < 0.6
                else (("status_holder",) if kind < 0.8 else ("displaced_ukrainian", "urgent")),
            )
        )
    if everyone_fits:
        household_list = [
            replace(h, needs_accessible=False, needs_ground_floor=False, reunification_persons=0)
            for h in household_list
        ]
        unit_list = [replace(u, max_occupants=10, target_groups=()) for u in unit_list]
    return household_list, unit_list


def constrained_instance(
    households: int, units: int, per_household: int, rng: np.random.Generator
) -> OptimisationProblem:
    groups = rng.choice(list(GROUPS[:3]), p=[0.6, 0.3, 0.1], size=households)
    persons = rng.choice([1, 2, 3, 4, 5, 6], p=[0.45, 0.2, 0.12, 0.12, 0.07, 0.04], size=households)
    shared = rng.random(units) < 0.3
    max_households = np.where(shared, rng.integers(2, 5, size=units), 1)
    capacity = np.where(shared, rng.integers(4, 9, size=units), rng.integers(1, 7, size=units))
    complexes = tuple(f"C{j % 20}" for j in range(units))
    per = min(per_household, units)
    pair_household = np.repeat(np.arange(households), per)
    pair_unit = np.concatenate(
        [rng.choice(units, size=per, replace=False) for _ in range(households)]
    )
    score = np.round(rng.uniform(1.0, 10.0, size=pair_household.size), 6)
    constraints = [ShareConstraint(("status_holder",), 0.65)] + [
        ShareConstraint(("displaced_ukrainian",), 0.3, f"C{c}", ShareBasis.UNITS) for c in range(5)
    ]
    return problem_from_arrays(
        household_ids=tuple(f"H{i}" for i in range(households)),
        unit_ids=tuple(f"U{j}" for j in range(units)),
        persons=persons,
        capacity=capacity,
        max_households=max_households,
        pair_household=pair_household,
        pair_unit=pair_unit,
        score=score,
        group=tuple(str(g) for g in groups),
        complex=complexes,
        constraints=constraints,
    )


# --------------------------------------------------------------------------------------------
# References
# --------------------------------------------------------------------------------------------


def scipy_sparse(problem: OptimisationProblem) -> float:
    """The optimum by SciPy's LAPJVsp on the graph with a "stay unplaced" column per
    household: minimise sum (C - score) over placements + C per unplaced household."""
    n_households, n_units = problem.shape
    keep = problem.score > 0
    h, u, s = problem.pair_household[keep], problem.pair_unit[keep], problem.score[keep]
    top = float(s.max()) + 1.0
    rows = np.concatenate([h, np.arange(n_households)])
    columns = np.concatenate([u, n_units + np.arange(n_households)])
    weights = np.concatenate([top - s, np.full(n_households, top)])
    graph = csr_matrix((weights, (rows, columns)), shape=(n_households, n_units + n_households))
    row, column = min_weight_full_bipartite_matching(graph)
    placed = column < n_units
    value = graph[row[placed], column[placed]]
    return float(top * placed.sum() - np.asarray(value).sum())


def scipy_dense(problem: OptimisationProblem) -> float:
    n_households, n_units = problem.shape
    matrix = np.zeros((n_households, n_units))
    keep = problem.score > 0
    matrix[problem.pair_household[keep], problem.pair_unit[keep]] = problem.score[keep]
    rows, columns = linear_sum_assignment(matrix, maximize=True)
    return math.fsum(matrix[rows, columns].tolist())


def highs_direct(problem: OptimisationProblem, gap: float) -> tuple[float, float, float]:
    """(objective, dual bound, seconds): the same MIP in one HiGHS run (mip_rel_gap)."""
    start = time.perf_counter()
    index = usable_pairs(problem)
    rows = mip_rows(problem, index)
    highs = new_highs(mip_rel_gap=gap, time_limit=120.0)
    highs.passModel(rows.model(-problem.score[index], integer=True))
    highs.run()
    info = highs.getInfo()
    return (
        -float(info.objective_function_value),
        -float(info.mip_dual_bound),
        time.perf_counter() - start,
    )


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------


def sparse_case(args: argparse.Namespace, rows: list[Row]) -> None:
    n = 2_000 if args.quick else 10_000
    per = 20 if args.quick else 50
    rng = np.random.default_rng(SEED)
    problem = sparse_instance(n, n, per, rng)
    households, units, pairs = as_objects(problem)
    size = f"{n:,} x {n:,}, {per} each ({problem.score.size:,} pairs)"
    kernel, kernel_time = timed(lambda: solve(problem), args.repeat)
    public, public_time = timed(lambda: optimise(households, units, pairs), args.repeat)
    if public != kernel:
        fail("optimise() and the kernel disagree")
    start = time.perf_counter()
    sparse = scipy_sparse(problem)
    sparse_time = time.perf_counter() - start
    if micro(sparse) != micro(kernel.objective):
        fail(f"sparse assignment: engine {kernel.objective!r} != SciPy {sparse!r}")
    note = f"optimum {kernel.objective:,.6f}, {kernel.placed:,} placed, proven (flow)"
    rows.append(Row("assignment (arrays)", size, kernel_time, sparse_time, "SciPy LAPJVsp", note))
    rows.append(
        Row(
            "assignment (optimise, Pair objects)",
            size,
            public_time,
            sparse_time,
            "SciPy LAPJVsp",
            "validation of 500,000 Pair objects included" if not args.quick else "",
        )
    )
    if not args.quick:
        start = time.perf_counter()
        dense = scipy_dense(problem)
        dense_time = time.perf_counter() - start
        if micro(dense) != micro(kernel.objective):
            fail(f"dense reference: engine {kernel.objective!r} != SciPy {dense!r}")
        rows.append(
            Row("assignment (arrays)", size, kernel_time, dense_time, "SciPy dense LSA", "")
        )

    order = rng.permutation(n).astype(np.int64)  # a random waiting order
    chosen, greedy_time = timed(lambda: greedy_kernel(problem, order), args.repeat)
    greedy_value = math.fsum(problem.score[chosen].tolist())
    rows.append(
        Row(
            "greedy, first come first served",
            size,
            greedy_time,
            kernel_time,
            "engine optimum",
            f"objective ratio {greedy_value / kernel.objective:.4f}, {chosen.size:,} placed",
        )
    )


def dense_case(args: argparse.Namespace, rows: list[Row]) -> None:
    n = 500 if args.quick else 3_000
    rng = np.random.default_rng(SEED + 1)
    households = np.repeat(np.arange(n), n)
    units = np.tile(np.arange(n), n)
    uniform = problem_from_arrays(
        household_ids=tuple(f"H{i}" for i in range(n)),
        unit_ids=tuple(f"U{j}" for j in range(n)),
        persons=np.ones(n, dtype=np.int64),
        capacity=np.ones(n, dtype=np.int64),
        max_households=np.ones(n, dtype=np.int64),
        pair_household=households,
        pair_unit=units,
        score=np.round(rng.uniform(0.5, 10.0, size=n * n), 6),
    )
    people, homes = realistic(n, n, rng, everyone_fits=True)
    weights = Weights()
    scoring = score_all(prepare_scoring(people, homes, weights), weights)
    structured = optimisation_problem(scoring, ())
    for label, problem in (
        ("uniform random scores", uniform),
        ("scoring-layer scores", structured),
    ):
        size = f"{n:,} x {n:,}, all pairs"
        flow, flow_time = timed(lambda problem=problem: solve(problem), args.repeat)
        dense, dense_time = timed(
            lambda problem=problem: solve(problem, method=Method.DENSE), args.repeat
        )
        start = time.perf_counter()
        reference = scipy_dense(problem)
        reference_time = time.perf_counter() - start
        if not micro(flow.objective) == micro(dense.objective) == micro(reference):
            fail(f"dense {label}: {flow.objective!r}, {dense.objective!r}, {reference!r}")
        rows.append(
            Row(
                f"dense, {label} (flow)",
                size,
                flow_time,
                reference_time,
                "SciPy dense LSA",
                f"optimum {flow.objective:,.6f} equal",
            )
        )
        rows.append(
            Row(
                f"dense, {label} (method dense_assignment)",
                size,
                dense_time,
                reference_time,
                "SciPy dense LSA",
                "integer weights, tie-break",
            )
        )


def constrained_case(args: argparse.Namespace, rows: list[Row]) -> None:
    n, m = (200, 120) if args.quick else (1_000, 600)
    rng = np.random.default_rng(SEED + 2)
    problem = constrained_instance(n, m, 50, rng)
    result, engine_time = timed(lambda: solve(problem, gap=0.01), 1)
    direct, bound, direct_time = highs_direct(problem, 0.01)
    size = f"{n:,} households x {m:,} units ({problem.score.size:,} pairs)"
    rows.append(
        Row(
            "side constraints + shared units, gap 1 %",
            size,
            engine_time,
            direct_time,
            "HiGHS MIP, one run",
            f"{result.status.value}, gap reached {100 * result.gap:.2f} % (bound "
            f"{result.bound:,.2f}, objective {result.objective:,.2f}, {result.placed:,} placed); "
            f"one run: gap {100 * (bound - direct) / bound:.2f} %",
        )
    )


def pipeline_case(args: argparse.Namespace, rows: list[Row]) -> None:
    n, m = (1_000, 500) if args.quick else (5_000, 2_000)
    rng = np.random.default_rng(SEED + 3)
    households, units = realistic(n, m, rng)
    weights = Weights()
    start = time.perf_counter()
    scoring = score_all(prepare_scoring(households, units, weights), weights)
    scored = time.perf_counter() - start
    problem = optimisation_problem(scoring, ())
    assignment, solved = timed(lambda: solve(problem), 1)
    result, total = timed(lambda: place(households, units, weights=weights), 1)
    if micro(result.objective) != micro(assignment.objective):
        fail("place() and its kernels disagree")
    rows.append(
        Row(
            "place(): score, optimise, explain, greedy, fairness",
            f"{n:,} households x {m:,} units ({scoring.pairs:,} feasible pairs)",
            total,
            None,
            "",
            f"scoring {scored:.2f} s, optimisation {solved:.2f} s; {result.placed:,} placed; "
            f"greedy ratio {result.fairness.objective_ratio:.4f}",
        )
    )


def main() -> int:
    versions = f"NumPy {np.__version__}, SciPy {scipy.__version__}, HiGHS {new_highs().version()}"
    return run(
        __doc__, "placement", versions, (sparse_case, dense_case, constrained_case, pipeline_case)
    )


if __name__ == "__main__":
    sys.exit(main())
