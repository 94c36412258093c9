"""Benchmark of the quota engine against plain reference implementations, in one run.

    .venv/bin/python benchmarks/bench_quota.py            # full run (a few minutes)
    .venv/bin/python benchmarks/bench_quota.py --quick    # smoke run (seconds)

* Apportionment: random totals (seeded) over the 342 municipalities (CBS population on
  1 January 2024) with each method. The reference is plain Python: Hamilton straight from the
  definition (integer quotas and remainders, sorted), divisor methods one seat at a time from a
  priority queue of averages weight / s(n) (highest averages). Results must be identical.
* The 96,000 case (Spreidingswet 2024 national need) on its own.
* Biproportional: 342 x 8 matrices (population x random group shares; seeded) with row totals
  from a Hamilton apportionment and column totals over the groups. The reference is the same
  convex-cost transportation problem written as a linear programme (incremental unit costs
  log((x + 1/2) / w) in a window around the fit) and solved by HiGHS through scipy; the
  optimal costs must agree.

Prints the sizes, the mean time per call of engine and reference and their ratio. Exits 1 when
any result differs.
"""

from __future__ import annotations

import argparse
import heapq
import math
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import scipy
from scipy.optimize import linprog
from scipy.sparse import coo_array
from timing import format_seconds, out

from onderdak.data.reference import read_municipalities
from onderdak.engines.quota import Method, apportion, apportion_biproportional
from onderdak.engines.quota.biproportional import objective

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


# --------------------------------------------------------------------------------------------
# Plain-Python references
# --------------------------------------------------------------------------------------------


def reference_hamilton(weights: list[int], total: int) -> list[int]:
    """Largest remainder from the definition, in exact integers."""
    weight_sum = sum(weights)
    seats = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], -weights[i], i))
    for i in order[: total - sum(seats)]:
        seats[i] += 1
    return seats


SIGNPOSTS: dict[Method, Callable[[int], float]] = {
    Method.DHONDT: lambda n: n + 1.0,
    Method.SAINTE_LAGUE: lambda n: n + 0.5,
    Method.HUNTINGTON_HILL: lambda n: math.sqrt(n * (n + 1.0)),
}


def reference_divisor(weights: list[int], total: int, method: Method) -> list[int]:
    """Highest averages, one seat at a time: weight / s(n), ties to the larger, then first."""
    signpost = SIGNPOSTS[method]
    seats = [0] * len(weights)
    queue = []
    for i, w in enumerate(weights):
        if w > 0:
            first = signpost(0)
            queue.append((-(w / first) if first else -math.inf, -w, i))
    heapq.heapify(queue)
    for _ in range(total):
        _, negative_weight, i = queue[0]
        seats[i] += 1
        heapq.heapreplace(queue, (-(weights[i] / signpost(seats[i])), negative_weight, i))
    return seats


def reference(weights: list[int], total: int, method: Method) -> list[int]:
    if method is Method.HAMILTON:
        return reference_hamilton(weights, total)
    return reference_divisor(weights, total, method)


def reference_biproportional(
    weights: FloatArray, fitted: FloatArray, rows: IntArray, columns: IntArray, window: int = 2
) -> tuple[float, IntArray, IntArray]:
    """The convex-cost transport problem as an LP (HiGHS); returns (cost, seats, lower bound).

    Cell (i, j) holds lo_ij + sum_k y_ijk seats, y in [0, 1], with lo = max(0, floor(F) - window)
    and the unit costs log((lo + k + 1/2) / w) increasing in k; the network matrix makes the LP
    optimum integral.
    """
    m, n = weights.shape
    positive = weights > 0
    low = np.where(positive, np.maximum(np.floor(fitted) - window, 0), 0).astype(np.int64)
    steps = 2 * window + 2
    cells = np.argwhere(positive)
    i = np.repeat(cells[:, 0], steps)
    j = np.repeat(cells[:, 1], steps)
    k = np.tile(np.arange(steps), len(cells))
    cost = np.log((low[i, j] + k + 0.5) / weights[i, j])
    variables = np.arange(i.size)
    matrix = coo_array(
        (np.ones(2 * i.size), (np.concatenate((i, m + j)), np.concatenate((variables, variables)))),
        shape=(m + n, i.size),
    ).tocsr()
    target = np.concatenate((rows - low.sum(axis=1), columns - low.sum(axis=0))).astype(float)
    result = linprog(cost, A_eq=matrix, b_eq=target, bounds=(0, 1), method="highs-ds")
    if result.status != 0:
        raise RuntimeError(f"LP reference failed: {result.message}")
    seats = low.copy()
    np.add.at(seats, (i, j), np.rint(result.x).astype(np.int64))
    base = sum(
        math.fsum(math.log((x + 0.5) / w) for x in range(lo))
        for w, lo in zip(weights[positive].tolist(), low[positive].tolist(), strict=True)
    )
    return float(result.fun) + base, seats, low


# --------------------------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------------------------


@dataclass
class Row:
    case: str
    units: str
    totals: str
    calls: int
    engine: float
    reference: float

    @property
    def ratio(self) -> float:
        return self.reference / self.engine if self.engine else math.nan


def time_apportionment(weights: list[int], totals: list[int], method: Method, case: str) -> Row:
    array = np.array(weights, dtype=np.float64)
    codes = tuple(str(i) for i in range(len(weights)))
    engine_time = 0.0
    reference_time = 0.0
    for total in totals:
        start = time.perf_counter()
        result = apportion(array, total, method=method, codes=codes)
        engine_time += time.perf_counter() - start
        start = time.perf_counter()
        expected = reference(weights, total, method)
        reference_time += time.perf_counter() - start
        if result.quotas.tolist() != expected:
            diff = [
                (c, a, b)
                for c, a, b in zip(codes, result.quotas.tolist(), expected, strict=True)
                if a != b
            ]
            out(f"MISMATCH {method.value} total {total}: (unit, engine, reference) {diff[:5]}")
            raise SystemExit(1)
    label = f"{min(totals)}-{max(totals)}" if min(totals) < max(totals) else str(totals[0])
    return Row(
        case=f"{method.value}{case}",
        units=str(len(weights)),
        totals=label,
        calls=len(totals),
        engine=engine_time / len(totals),
        reference=reference_time / len(totals),
    )


def time_biproportional(population: FloatArray, instances: int, seed: int) -> tuple[Row, float]:
    rng = np.random.default_rng(seed)
    engine_time = 0.0
    reference_time = 0.0
    worst_gap = 0.0
    transfers = 0
    for _ in range(instances):
        total = int(rng.integers(10_000, 100_001))
        shares = rng.uniform(0.05, 1.0, size=(population.size, 8))
        weights = population[:, None] * shares
        rows = apportion(population, total).quotas
        columns = apportion(weights.sum(axis=0), total).quotas
        start = time.perf_counter()
        result = apportion_biproportional(weights, rows.tolist(), columns.tolist())
        engine_time += time.perf_counter() - start
        transfers += result.transfers
        assert np.array_equal(result.seats.sum(axis=1), rows)
        assert np.array_equal(result.seats.sum(axis=0), columns)
        start = time.perf_counter()
        lp_cost, lp_seats, low = reference_biproportional(weights, result.fitted, rows, columns)
        reference_time += time.perf_counter() - start
        cost = objective(weights, result.seats, Method.SAINTE_LAGUE)
        inside = bool(np.all(result.seats >= low))
        gap = cost - lp_cost
        worst_gap = max(worst_gap, abs(gap) if inside else max(gap, 0.0))
        if gap > 1e-6 or (inside and abs(gap) > 1e-6):
            out(f"MISMATCH biproportional total {total}: engine cost {cost}, LP cost {lp_cost}")
            raise SystemExit(1)
        if inside and not np.array_equal(lp_seats, result.seats):
            out(f"  note: equal cost, different matrix (ties) for total {total}")
    row = Row(
        case="biproportional (sainte-lague)",
        units="342x8",
        totals="10000-100000",
        calls=instances,
        engine=engine_time / instances,
        reference=reference_time / instances,
    )
    out(f"biproportional: {transfers / instances:.1f} seat transfers per matrix on average")
    return row, worst_gap


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few totals: a smoke run")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--max-total", type=int, default=30_000)
    args = parser.parse_args(argv)
    count = 200 if args.quick else 10_000
    instances = 5 if args.quick else 50

    _, municipalities = read_municipalities()
    weights = [m.population[date(2024, 1, 1)] for m in municipalities]
    rng = np.random.default_rng(args.seed)
    totals = rng.integers(0, args.max_total + 1, size=count).tolist()
    out(f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}")
    out(f"machine: {platform.machine()} {platform.processor() or ''}".rstrip())
    out(f"units: {len(weights)} municipalities (population 1 Jan 2024, sum {sum(weights):,})")
    out(f"totals: {count:,} random whole numbers 0-{args.max_total:,} (seed {args.seed})")
    out()

    table: list[Row] = []
    for method in Method:
        table.append(time_apportionment(weights, totals, method, ""))
        out(f"done: {method.value}")
    table.extend(time_apportionment(weights, [96_000] * 100, m, " (96,000)") for m in Method)
    population = np.array(weights, dtype=np.float64)
    bipro, gap = time_biproportional(population, instances, args.seed)
    table.append(bipro)

    out()
    header = ("case", "units", "totals", "calls", "engine/call", "reference/call", "ratio")
    widths = (32, 6, 14, 7, 12, 15, 8)
    out("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for row in table:
        cells = (
            row.case,
            row.units,
            row.totals,
            f"{row.calls:,}",
            format_seconds(row.engine),
            format_seconds(row.reference),
            f"{row.ratio:.1f}x",
        )
        out("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
    out()
    out("all results equal to the reference (apportionment: identical seats;")
    out(f"biproportional: optimal cost equal to the LP's, largest difference {gap:.1e})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
