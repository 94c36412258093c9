"""Benchmark of the exchange engine against the same model in PuLP (CBC), in one run.

    .venv/bin/python benchmarks/bench_exchange.py            # full run (about 30 s)
    .venv/bin/python benchmarks/bench_exchange.py --quick    # smoke run (seconds)

Instances (seeded; populations: CBS 1 January 2024 from ``onderdak.data``):

* Duo+ (Diemen, Ouder-Amstel, Uithoorn: 3 municipalities), Noord-Holland (44) and all 342
  municipalities, each x 4 groups: asylum_seeker (1 point), uam (2 points), status_holder and
  displaced_ukrainian (1 point). National obligations are Hamilton apportionments by population
  of 87,860 asylum places and 8,140 uam (the Spreidingswet's 96,000 for 2025), 18,750 status
  holders (2024-H1) and 93,000 places for Ukrainians (end 2024); a region takes its members'
  obligations. Capacities are obligation x uniform(0.5, 2), rounded, then raised where a
  group's regional capacity or (swap mode) a municipality's points would fall short, so that
  every instance is feasible. Costs per place: uniform whole euros 15,000-45,000. Fairness
  bounds 0.5-2.0 x the regional average. Both modes.
* Reference: the same minimum-cost MIP written in PuLP (x_mg integer within capacity and caps,
  group totals, swap balances or fairness rows) and solved by CBC with a zero gap. The minimum
  costs must be equal (exit 1 otherwise). PuLP's time includes building its model.
* Scale: a 350 x 350 x 4 transportation LP (490,000 columns) built from NumPy arrays and
  passed to HiGHS in one call (``--quick``: 60 x 60 x 4).

Engine phases: build = validation and arrays (``prepare`` + ``build_model``), LP = the LP
relaxation, MIP = stage 1 of ``solve_allocation`` (minimum cost), MIP + tie-break = both stages
(then fewest moved places), prices = the dual-face LPs (compensation mode), transfers =
``plan_transfers``, total = one ``optimise`` call end to end.
Times are the median of ``--repeat`` runs (``time.perf_counter``).
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import highspy
import numpy as np
import pulp  # type: ignore[import-untyped]
import scipy
from timing import format_seconds, out, timed

from onderdak.data.reference import read_municipalities, read_regions
from onderdak.engines.exchange import Fairness, Group, Municipality, Scenario, optimise
from onderdak.engines.exchange.solver import (
    LinearModel,
    build_model,
    new_highs,
    solve_allocation,
    solve_prices,
    solve_relaxation,
)
from onderdak.engines.exchange.transfers import plan_transfers
from onderdak.engines.exchange.validate import Problem, prepare
from onderdak.engines.quota import apportion

GROUPS = {"asylum_seeker": 1, "uam": 2, "status_holder": 1, "displaced_ukrainian": 1}
TOTALS = {
    "asylum_seeker": 87_860,
    "uam": 8_140,
    "status_holder": 18_750,
    "displaced_ukrainian": 93_000,
}


# --------------------------------------------------------------------------------------------
# Instances
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Instance:
    name: str
    scenario: Scenario


def national_obligations() -> tuple[list[str], list[int], dict[str, list[int]]]:
    _, municipalities = read_municipalities()
    codes = [m.code for m in municipalities]
    population = [m.population[date(2024, 1, 1)] for m in municipalities]
    weights = np.array(population, dtype=np.float64)
    obligations = {g: apportion(weights, total).quotas.tolist() for g, total in TOTALS.items()}
    return codes, population, obligations


def members(region_code: str) -> set[str]:
    provinces, municipalities = read_municipalities()
    regions = read_regions({m.code: m for m in municipalities}, {p.code: p for p in provinces})
    region = next(r for r in regions if r.code == region_code)
    return {member.municipality_code for member in region.members}


def instance(
    name: str, selected: set[str] | None, mode: str, seed: int, uam_points: int = 2
) -> Instance:
    codes, population, obligations = national_obligations()
    group_points = GROUPS | {"uam": uam_points}
    rng = np.random.default_rng(seed)
    rows = [i for i, code in enumerate(codes) if selected is None or code in selected]
    groups = list(GROUPS)
    owed = np.array([[obligations[g][i] for g in groups] for i in rows], dtype=np.int64)
    capacity = np.rint(owed * rng.uniform(0.5, 2.0, size=owed.shape)).astype(np.int64)
    for g in range(len(groups)):  # every group's regional capacity suffices
        while capacity[:, g].sum() < owed[:, g].sum():
            capacity[:, g] = np.ceil(capacity[:, g] * 1.1).astype(np.int64)
    points = np.array(list(group_points.values()))
    if mode == "swap":  # every municipality can provide the points it owes
        short = capacity @ points < owed @ points
        factor = (owed @ points) / np.maximum(capacity @ points, 1)
        capacity[short] = np.ceil(capacity[short] * factor[short, None]).astype(np.int64) + 1
    cost = rng.integers(15_000, 45_001, size=owed.shape)
    scenario = Scenario(
        mode,
        tuple(Group(g, p) for g, p in group_points.items()),
        tuple(
            Municipality(
                codes[i],
                population[i],
                dict(zip(groups, owed[k].tolist(), strict=True)),
                dict(zip(groups, capacity[k].tolist(), strict=True)),
                dict(zip(groups, cost[k].tolist(), strict=True)),
            )
            for k, i in enumerate(rows)
        ),
        Fairness(0.5, 2.0),
    )
    return Instance(f"{name} ({len(rows)})", scenario)


# --------------------------------------------------------------------------------------------
# Reference: the same MIP in PuLP / CBC
# --------------------------------------------------------------------------------------------


def pulp_minimum(scenario: Scenario) -> tuple[float, float]:
    """(minimum cost, seconds for building and solving) of the model written in PuLP."""
    start = time.perf_counter()
    groups = [g.code for g in scenario.groups]
    points = {g.code: float(g.points) for g in scenario.groups}
    model = pulp.LpProblem("exchange", pulp.LpMinimize)
    x = {
        (m.code, g): pulp.LpVariable(f"x_{m.code}_{g}", 0, m.capacity[g], cat="Integer")
        for m in scenario.municipalities
        for g in groups
    }
    model += pulp.lpSum(
        float(m.cost_per_place[g]) * x[m.code, g] for m in scenario.municipalities for g in groups
    )
    for g in groups:
        model += pulp.lpSum(x[m.code, g] for m in scenario.municipalities) == sum(
            m.obligation[g] for m in scenario.municipalities
        )
    owed_total = sum(points[g] * m.obligation[g] for m in scenario.municipalities for g in groups)
    average = owed_total / sum(m.population for m in scenario.municipalities)
    fairness = scenario.fairness
    for m in scenario.municipalities:
        provided = pulp.lpSum(points[g] * x[m.code, g] for g in groups)
        if scenario.mode == "swap":
            model += provided == sum(points[g] * m.obligation[g] for g in groups)
        elif fairness is not None:
            model += provided >= float(fairness.min_ratio) * average * m.population
            if fairness.max_ratio is not None:
                model += provided <= float(fairness.max_ratio) * average * m.population
    model.solve(pulp.PULP_CBC_CMD(msg=False, gapRel=0))
    if pulp.LpStatus[model.status] != "Optimal":
        raise RuntimeError(f"CBC: {pulp.LpStatus[model.status]}")
    return float(pulp.value(model.objective)), time.perf_counter() - start


# --------------------------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------------------------


@dataclass
class Row:
    case: str
    mode: str
    rows: int
    columns: int
    nonzeros: int
    build: float
    lp: float
    mip: float
    both_stages: float
    prices: float
    transfers: float
    total: float
    deals: int
    reference: float

    @property
    def minimum_cost(self) -> float:
        """The engine's part that the PuLP model also does: build, LP, stage-1 MIP."""
        return self.build + self.lp + self.mip

    @property
    def ratio(self) -> float:
        return self.reference / self.minimum_cost if self.minimum_cost else math.nan


def median_seconds(function: Callable[[], object], repeat: int) -> float:
    return float(timed(function, repeat)[1])


def time_instance(item: Instance, repeat: int) -> Row:
    scenario = item.scenario
    build = median_seconds(lambda: build_model(prepare(scenario)), repeat)
    problem: Problem = prepare(scenario)
    model = build_model(problem)
    lp = median_seconds(lambda: solve_relaxation(model), repeat)
    relaxation = solve_relaxation(model)
    mip = median_seconds(
        lambda: solve_allocation(problem, model, relaxation, tie_break=False), repeat
    )
    both = median_seconds(lambda: solve_allocation(problem, model, relaxation), repeat)
    allocation = solve_allocation(problem, model, relaxation)
    if allocation is None or relaxation is None:
        raise RuntimeError(f"{item.name}: infeasible")
    prices = 0.0
    if scenario.mode == "compensation":
        prices = median_seconds(lambda: solve_prices(problem, model, relaxation), repeat)
    transfers = median_seconds(
        lambda: plan_transfers(
            problem.codes,
            problem.groups,
            problem.obligation,
            allocation.provided,
            pair_across_groups=scenario.mode == "swap",
        ),
        repeat,
    )
    total = median_seconds(lambda: optimise(scenario), repeat)
    result = optimise(scenario)
    reference_cost, reference_time = pulp_minimum(scenario)
    if result.total_cost is None or float(result.total_cost) != reference_cost:
        out(
            f"MISMATCH {item.name} {scenario.mode}: engine {result.total_cost}, CBC {reference_cost}"
        )
        raise SystemExit(1)
    assert result.stats is not None
    return Row(
        case=item.name,
        mode=str(scenario.mode),
        rows=model.linear.rows,
        columns=model.linear.columns,
        nonzeros=model.linear.nonzeros,
        build=build,
        lp=lp,
        mip=mip,
        both_stages=both,
        prices=prices,
        transfers=transfers,
        total=total,
        deals=result.stats.deals,
        reference=reference_time,
    )


def transport_lp(size: int, groups: int, seed: int) -> tuple[int, int, float, float, float]:
    """(columns, rows, build seconds, solve seconds, objective) of a size x size x groups
    transportation LP with random supplies, demands and costs, built from arrays."""
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    n = size * size * groups
    supply = rng.integers(50, 500, size=(groups, size))
    demand = np.stack(
        [rng.multinomial(int(total), np.full(size, 1.0 / size)) for total in supply.sum(axis=1)]
    )
    column = np.arange(n)
    g, rest = np.divmod(column, size * size)
    i, j = np.divmod(rest, size)
    rows = np.stack((g * 2 * size + i, g * 2 * size + size + j), axis=1).ravel()
    model = LinearModel(
        cost=rng.uniform(1.0, 100.0, size=n),
        col_lower=np.zeros(n),
        col_upper=np.full(n, np.inf),
        row_lower=np.concatenate(
            [np.concatenate((supply[k], demand[k])) for k in range(groups)]
        ).astype(float),
        row_upper=np.concatenate(
            [np.concatenate((supply[k], demand[k])) for k in range(groups)]
        ).astype(float),
        start=np.arange(0, 2 * n + 1, 2, dtype=np.int64),
        index=rows.astype(np.int64),
        value=np.ones(2 * n),
    )
    highs = new_highs()
    highs.passModel(model.to_highs(integer=False))
    built = time.perf_counter()
    highs.run()
    solved = time.perf_counter()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError("transport LP not optimal")
    return (
        n,
        2 * size * groups,
        built - start,
        solved - built,
        highs.getInfo().objective_function_value,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run per case, small LP")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=None, help="runs per timing (default 11)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 11)

    out(
        f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"highspy {highspy.HIGHS_VERSION_MAJOR}.{highspy.HIGHS_VERSION_MINOR}."
        f"{highspy.HIGHS_VERSION_PATCH}, pulp {pulp.__version__} (CBC)"
    )
    out(f"machine: {platform.machine()} {platform.processor() or ''}".rstrip())
    out(f"seed {args.seed}; median of {repeat} run(s) per timing")
    out()

    regions = [
        ("Duo+", members("DUOPLUS"), 2),
        ("Noord-Holland", members("PV27"), 2),
        ("Netherlands", None, 2),
        ("Netherlands, uam 1 point", None, 1),
    ]
    table: list[Row] = []
    for name, selected, uam_points in regions:
        for mode in ("swap", "compensation"):
            row = time_instance(instance(name, selected, mode, args.seed, uam_points), repeat)
            table.append(row)
            out(f"done: {row.case} {mode} (total {format_seconds(row.total)})")

    out()
    header = (
        "case",
        "mode",
        "rows",
        "cols",
        "nnz",
        "build",
        "LP",
        "MIP",
        "MIP + tie-break",
        "prices",
        "transfers",
        "total",
        "deals",
        "PuLP+CBC",
        "ratio",
    )
    out("| " + " | ".join(header) + " |")
    out("|" + "---|" * len(header))
    for row in table:
        cells = (
            row.case,
            row.mode,
            f"{row.rows:,}",
            f"{row.columns:,}",
            f"{row.nonzeros:,}",
            format_seconds(row.build),
            format_seconds(row.lp),
            format_seconds(row.mip),
            format_seconds(row.both_stages),
            format_seconds(row.prices),
            format_seconds(row.transfers),
            format_seconds(row.total),
            f"{row.deals:,}",
            format_seconds(row.reference),
            f"{row.ratio:.1f}x",
        )
        out("| " + " | ".join(cells) + " |")
    out()
    out("ratio = PuLP+CBC (build + solve) / engine minimum-cost part (build + LP + MIP);")
    out("the minimum costs are equal in every case")
    size = 60 if args.quick else 350
    columns, rows, build, solve, objective = transport_lp(size, 4, args.seed)
    out(
        f"transport LP {size} x {size} x 4: {columns:,} columns, {rows:,} rows; "
        f"build {format_seconds(build)}, solve {format_seconds(solve)} (objective {objective:,.0f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
