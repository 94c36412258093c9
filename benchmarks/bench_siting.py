"""Benchmark of the siting engine against pymcdm, measured in the same run on the same data.

    .venv/bin/python benchmarks/bench_siting.py            # full run (a few minutes)
    .venv/bin/python benchmarks/bench_siting.py --quick    # smoke run (seconds)

* TOPSIS and WSM on 1,000,000 sites x 10 criteria (uniform random values, every third
  criterion a cost criterion, vector normalisation; seeded): ``rank_sites`` (validation and the
  result object included, ranks not computed) against pymcdm's ``TOPSIS`` / ``WSM`` with
  ``vector_normalization``. TOPSIS reads the matrix twice (column statistics, then distances);
  the effective bandwidth is 2 x 8 n m bytes / time, next to the machine's plain read bandwidth
  (NumPy summing the same matrix).
* PROMETHEE II (usual and linear preference functions) on 4,000 sites against pymcdm's
  ``PROMETHEE_II`` (which builds the n x n preference tables), and on 100,000 sites alone
  (pymcdm would need 80 GB per table there); at 100,000 the net flows of 200 random sites are
  checked against the pairwise definition summed over all 100,000.
* SMAA-2 with 10,000 weight samples over 10,000 sites (WSM and TOPSIS, 2 worker threads). The
  reference ranks the first 100 of the same weight samples one by one with pymcdm; the
  engine's acceptabilities for those 100 samples must be the same counts.

Scores must agree with pymcdm to 1e-9 (absolute); the run exits 1 at the first difference.
scikit-criteria is compared as well when it is installed (it is not a dependency).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import numpy as np
import numpy.typing as npt
from pymcdm.methods import PROMETHEE_II, TOPSIS, WSM  # type: ignore[import-untyped]
from pymcdm.normalizations import vector_normalization  # type: ignore[import-untyped]
from timing import format_seconds, out, timed

from onderdak.engines.siting import (
    Criterion,
    Direction,
    Preference,
    PreferenceFunction,
    rank_sites,
    sample_weights,
    smaa,
)

FloatArray = npt.NDArray[np.float64]
TOLERANCE = 1e-9


@dataclass
class Row:
    case: str
    size: str
    engine: float
    reference: float | None
    difference: float | None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return None if self.reference is None else self.reference / self.engine


def problem(
    rng: np.random.Generator, sites: int, columns: int = 10
) -> tuple[FloatArray, list[Criterion], FloatArray, FloatArray]:
    matrix = rng.uniform(0.0, 100.0, (sites, columns))
    weights = rng.uniform(0.5, 1.5, columns)
    directions = [Direction.COST if j % 3 == 0 else Direction.BENEFIT for j in range(columns)]
    criteria = [
        Criterion(f"c{j}", d, float(w))
        for j, (d, w) in enumerate(zip(directions, weights, strict=True))
    ]
    types = np.array([-1.0 if d is Direction.COST else 1.0 for d in directions])
    return matrix, criteria, weights / weights.sum(), types


def check(case: str, engine: FloatArray, reference: FloatArray) -> float:
    difference = float(np.max(np.abs(engine - reference)))
    if not difference <= TOLERANCE:
        out(f"MISMATCH {case}: largest difference {difference:.3e}")
        raise SystemExit(1)
    return difference


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------


def bench_topsis_and_wsm(
    rng: np.random.Generator, sites: int, repeat: int
) -> tuple[list[Row], float, float]:
    matrix, criteria, weights, types = problem(rng, sites)
    _, read_time = timed(matrix.sum, repeat)
    bandwidth = matrix.nbytes / read_time / 1e9
    rows = []
    ranking, engine_time = timed(lambda: rank_sites(matrix, criteria, method="topsis"), repeat)
    start = time.perf_counter()
    expected = TOPSIS(vector_normalization)(matrix, weights, types)
    reference_time = time.perf_counter() - start
    difference = check("topsis", ranking.scores, expected)
    effective = 2 * matrix.nbytes / engine_time / 1e9
    rows.append(
        Row(
            "TOPSIS (vector)",
            f"{sites:,} x 10",
            engine_time,
            reference_time,
            difference,
            f"{effective:.1f} GB/s effective (2 passes)",
        )
    )
    ranking, engine_time = timed(lambda: rank_sites(matrix, criteria, method="wsm"), repeat)
    start = time.perf_counter()
    expected = WSM(vector_normalization)(matrix, weights, types)
    reference_time = time.perf_counter() - start
    difference = check("wsm", ranking.scores, expected)
    rows.append(Row("WSM (vector)", f"{sites:,} x 10", engine_time, reference_time, difference))
    _, ranks_time = timed(ranking.ranks, max(1, repeat // 2))
    rows.append(
        Row("competition ranks", f"{sites:,}", ranks_time, None, None, "12-digit tie keys, sort")
    )
    skcriteria = _skcriteria_topsis(matrix, weights)
    if skcriteria is not None:
        rows.append(skcriteria)
    return rows, bandwidth, effective


def _skcriteria_topsis(matrix: FloatArray, weights: FloatArray) -> Row | None:
    """TOPSIS against scikit-criteria (benefit criteria only), when it is installed."""
    if importlib.util.find_spec("skcriteria") is None:
        return None
    import skcriteria  # type: ignore[import-not-found]
    from skcriteria.agg import similarity  # type: ignore[import-not-found]
    from skcriteria.preprocessing.scalers import VectorScaler  # type: ignore[import-not-found]

    criteria = [Criterion(f"c{j}", Direction.BENEFIT, float(w)) for j, w in enumerate(weights)]
    ranking, engine_time = timed(lambda: rank_sites(matrix, criteria, method="topsis"), 3)
    start = time.perf_counter()
    dm = skcriteria.mkdm(matrix, [max] * matrix.shape[1], weights=weights)
    result = similarity.TOPSIS().evaluate(VectorScaler(target="matrix").transform(dm))
    reference_time = time.perf_counter() - start
    difference = check("topsis scikit-criteria", ranking.scores, np.asarray(result.e_.similarity))
    return Row(
        "TOPSIS vs scikit-criteria",
        f"{matrix.shape[0]:,} x 10 (benefit)",
        engine_time,
        reference_time,
        difference,
        "reference: scikit-criteria",
    )


def bench_promethee(rng: np.random.Generator, small: int, large: int, repeat: int) -> list[Row]:
    rows = []
    for label, function, q, p in (
        ("usual", PreferenceFunction.USUAL, 0.0, 0.0),
        ("linear q=2 p=20", PreferenceFunction.LINEAR, 2.0, 20.0),
    ):
        matrix, criteria, weights, types = problem(rng, small)
        criteria = [
            Criterion(c.name, c.direction, c.weight, Preference(function, q=q, p=p))
            for c in criteria
        ]
        engine_time, ranking = time_promethee(matrix, criteria, repeat)
        if function is PreferenceFunction.USUAL:
            reference = PROMETHEE_II("usual")
        else:
            reference = PROMETHEE_II("vshape_2", q=[q] * 10, p=[p] * 10)
        start = time.perf_counter()
        expected = reference(matrix, weights, types)
        reference_time = time.perf_counter() - start
        difference = check(f"promethee2 {label}", ranking.scores, expected)
        rows.append(
            Row(
                f"PROMETHEE II ({label})",
                f"{small:,} x 10",
                engine_time,
                reference_time,
                difference,
            )
        )

        matrix, criteria, weights, types = problem(rng, large)
        criteria = [
            Criterion(c.name, c.direction, c.weight, Preference(function, q=q, p=p))
            for c in criteria
        ]
        engine_time, ranking = time_promethee(matrix, criteria, repeat)
        picked = rng.choice(large, size=min(200, large), replace=False)
        expected = pairwise_net_flows(matrix, weights, types, picked, function, q, p)
        difference = check(f"promethee2 {label} large", ranking.scores[picked], expected)
        rows.append(
            Row(
                f"PROMETHEE II ({label})",
                f"{large:,} x 10",
                engine_time,
                None,
                difference,
                f"{picked.size} sites checked pairwise",
            )
        )
    return rows


def time_promethee(matrix: FloatArray, criteria: list[Criterion], repeat: int) -> tuple[float, Any]:
    result, seconds = timed(lambda: rank_sites(matrix, criteria, method="promethee2"), repeat)
    return seconds, result


def pairwise_net_flows(
    matrix: FloatArray,
    weights: FloatArray,
    types: FloatArray,
    picked: npt.NDArray[np.int64],
    function: PreferenceFunction,
    q: float,
    p: float,
) -> FloatArray:
    """Net flows of the picked sites from the definition, against all n sites."""
    oriented = matrix * types
    n = matrix.shape[0]
    result = np.zeros(picked.size)
    for j in range(matrix.shape[1]):
        column = oriented[:, j]
        d = column[picked, np.newaxis] - column[np.newaxis, :]
        if function is PreferenceFunction.USUAL:
            forward = (d > 0).astype(float)
            backward = (d < 0).astype(float)
        else:
            forward = np.clip((d - q) / (p - q), 0.0, 1.0)
            backward = np.clip((-d - q) / (p - q), 0.0, 1.0)
        result += weights[j] * (forward.sum(axis=1) - backward.sum(axis=1)) / (n - 1)
    return result


def bench_smaa(rng: np.random.Generator, sites: int, samples: int, workers: int) -> list[Row]:
    rows = []
    matrix, criteria, _, types = problem(rng, sites)
    for method, reference_method in (
        ("wsm", WSM(vector_normalization)),
        ("topsis", TOPSIS(vector_normalization)),
    ):
        start = time.perf_counter()
        result = smaa(matrix, criteria, samples=samples, seed=2026, method=method, workers=workers)
        engine_time = time.perf_counter() - start
        sums = max(
            float(np.abs(result.acceptability.sum(axis=0) - 1).max()),
            float(np.abs(result.acceptability.sum(axis=1) - 1).max()),
        )
        # the reference: the first 100 of the same samples, one pymcdm call and one sort each
        check_samples = min(100, samples)
        draws = sample_weights(np.random.default_rng(2026), samples, matrix.shape[1])[
            :check_samples
        ]
        start = time.perf_counter()
        counts = np.zeros((sites, sites))
        for w in draws:
            scores = reference_method(matrix, w, types)
            order = np.argsort(-scores, kind="stable")
            counts[order, np.arange(sites)] += 1
        reference_time = (time.perf_counter() - start) / check_samples * samples
        engine_check = smaa(
            matrix, criteria, samples=check_samples, seed=2026, method=method, workers=workers
        )
        difference = float(
            np.abs(np.rint(engine_check.acceptability * check_samples) - counts).max()
        )
        if difference > 0:
            out(f"MISMATCH smaa {method}: acceptability counts differ by {difference}")
            raise SystemExit(1)
        rows.append(
            Row(
                f"SMAA-2 ({method}, {workers} threads)",
                f"{samples:,} samples x {sites:,} sites",
                engine_time,
                reference_time,
                difference,
                f"reference extrapolated from {check_samples} samples; sums off by {sums:.0e}",
            )
        )
        del result, engine_check, counts
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=2, help="threads for SMAA (default 2)")
    args = parser.parse_args(argv)
    big, small, large, smaa_sites, smaa_samples, repeat = (
        (100_000, 500, 10_000, 1_000, 1_000, 3)
        if args.quick
        else (1_000_000, 4_000, 100_000, 10_000, 10_000, 5)
    )
    rng = np.random.default_rng(args.seed)
    out(f"python {platform.python_version()}, numpy {np.__version__}, pymcdm {version('pymcdm')}")
    processor = f" {platform.processor()}" if platform.processor() else ""
    out(f"machine: {platform.machine()}{processor}, {os.cpu_count()} cores")
    out(
        f"scikit-criteria: {'installed' if importlib.util.find_spec('skcriteria') else 'not installed (skipped)'}"
    )
    out()
    table, bandwidth, effective = bench_topsis_and_wsm(rng, big, repeat)
    out(f"done: TOPSIS/WSM; plain read bandwidth (numpy sum) {bandwidth:.1f} GB/s")
    table += bench_promethee(rng, small, large, repeat)
    out("done: PROMETHEE II")
    table += bench_smaa(rng, smaa_sites, smaa_samples, args.workers)
    out("done: SMAA")
    out()
    out("| case | size | engine | pymcdm | ratio | max abs difference | note |")
    out("|---|---|---|---|---|---|---|")
    for row in table:
        reference = "-" if row.reference is None else format_seconds(row.reference)
        ratio = (
            "-"
            if row.ratio is None
            else f"{row.ratio:,.0f}x"
            if row.ratio >= 10
            else f"{row.ratio:.1f}x"
        )
        difference = "-" if row.difference is None else f"{row.difference:.1e}"
        out(
            f"| {row.case} | {row.size} | {format_seconds(row.engine)} | {reference} | {ratio} | {difference} | {row.note} |"
        )
    out()
    out(
        f"TOPSIS effective bandwidth {effective:.1f} GB/s (machine read bandwidth {bandwidth:.1f} GB/s)"
    )
    out(f"all results equal to the reference within {TOLERANCE:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
