"""Aggregation methods: weighted sum (WSM), TOPSIS and PROMETHEE II.

* WSM (Fishburn 1967; the simple additive weighting of Hwang & Yoon 1981): score_i =
  sum_j w_j r_ij with r the oriented normalised values (``normalise``: 1 - r for a cost
  criterion), in [0, 1] for non-negative data.
* TOPSIS (Hwang & Yoon, *Multiple Attribute Decision Making*, Springer 1981, pp. 128-140):
  v_ij = w_j r_ij; the ideal takes the best value per criterion (max for benefit, min for
  cost), the anti-ideal the worst; closeness C_i = D-_i / (D+_i + D-_i) with D+ and D- the
  Euclidean distances to the ideal and the anti-ideal. The cost orientation does not matter
  here (distances are invariant under r -> 1 - r). When every site is identical on every
  weighted criterion (D+ = D- = 0) the closeness is 1/2 for all.
* PROMETHEE II (Brans & Vincke, "A preference ranking organisation method", *Management
  Science* 31 (1985) 647-656): net flow phi(a) = (1 / (n - 1)) sum_b [pi(a, b) - pi(b, a)] with
  pi(a, b) = sum_j w_j P_j(g_j(a) - g_j(b)). The net flow is a weighted sum of single-criterion
  net flows, and each of those is computed from the sorted values in O(n log n) (Calders &
  Van Assche 2018; see :mod:`onderdak.engines.siting.promethee`).

TOPSIS is memory-bandwidth bound on large matrices: one pass computes the column statistics
(sum of squares, min, max) and a second the two distances, both in cache-sized row chunks, in
float64, without a full-size temporary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from onderdak.engines.siting.model import (
    BoolArray,
    Criterion,
    FloatArray,
    Method,
    Normalization,
    Preference,
    Ranking,
    readonly,
)
from onderdak.engines.siting.normalise import (
    CHUNK_ROWS,
    ColumnStats,
    column_norms,
    normalise,
    scale_and_reference,
)
from onderdak.engines.siting.promethee import criterion_flows
from onderdak.engines.siting.validate import (
    WeightsLike,
    parse_method,
    parse_normalization,
    prepare,
)

#: Spreads above this could overflow when squared (1e150^2 * columns < 1.8e308).
_SQUARE_LIMIT = 1e150


# --------------------------------------------------------------------------------------------
# Public entry point (validates)
# --------------------------------------------------------------------------------------------


def rank_sites(
    matrix: npt.ArrayLike,
    criteria: Sequence[Criterion],
    *,
    sites: Sequence[str] | None = None,
    method: Method | str = Method.WSM,
    normalization: Normalization | str = Normalization.VECTOR,
    weights: WeightsLike | None = None,
) -> Ranking:
    """Score the sites (rows of ``matrix``) on the criteria (its columns).

    ``criteria`` give name, direction, weight and (PROMETHEE II) preference function per
    column; ``weights`` (a mapping name -> weight, a sequence in column order, or
    :class:`AhpWeights`) overrides their weights. Weights are normalised to sum 1.
    ``normalization`` applies to WSM and TOPSIS only. ``sites`` are the row ids (default
    ``"0"``, ``"1"``, ...).

    Raises :class:`SitingInputError` for fewer than two sites, a non-finite value, a negative
    or non-finite weight, all weights zero, duplicate ids or criteria, an unknown direction,
    method or preference function, or invalid thresholds. The inputs are not modified.
    """
    chosen = parse_method(method)
    norm = parse_normalization(normalization)
    problem = prepare(
        matrix, criteria, sites, weights, check_preferences=chosen is Method.PROMETHEE2
    )
    x, w, cost = problem.matrix, problem.weights, problem.cost
    if chosen is Method.WSM:
        scores, contributions = wsm(x, w, cost, norm, problem.stats)
        return Ranking(
            method=chosen,
            normalization=norm,
            sites=problem.sites,
            criteria=problem.criteria,
            weights=readonly(w),
            scores=readonly(scores),
            contributions=readonly(contributions),
        )
    if chosen is Method.TOPSIS:
        result = topsis(x, w, cost, norm, problem.stats)
        return Ranking(
            method=chosen,
            normalization=norm,
            sites=problem.sites,
            criteria=problem.criteria,
            weights=readonly(w),
            scores=readonly(result.closeness),
            distance_to_ideal=readonly(result.distance_to_ideal),
            distance_to_anti_ideal=readonly(result.distance_to_anti_ideal),
            ideal=readonly(result.ideal),
            anti_ideal=readonly(result.anti_ideal),
        )
    flows = promethee(x, cost, [c.preference for c in problem.criteria])
    return Ranking(
        method=chosen,
        normalization=None,
        sites=problem.sites,
        criteria=problem.criteria,
        weights=readonly(w),
        scores=readonly(flows.net @ w),
        contributions=readonly(flows.net * w),
        positive_flow=readonly(flows.positive @ w),
        negative_flow=readonly(flows.negative @ w),
    )


# --------------------------------------------------------------------------------------------
# Kernels (no validation)
# --------------------------------------------------------------------------------------------


def wsm(
    matrix: FloatArray,
    weights: FloatArray,
    cost: BoolArray,
    normalization: Normalization,
    stats: ColumnStats,
) -> tuple[FloatArray, FloatArray]:
    """(scores, contributions w_j r_ij) of the weighted sum model."""
    contributions = normalise(matrix, cost, normalization, stats)
    contributions *= weights
    scores: FloatArray = contributions.sum(axis=1)
    return scores, contributions


@dataclass(frozen=True, slots=True, eq=False)
class TopsisResult:
    closeness: FloatArray
    distance_to_ideal: FloatArray
    distance_to_anti_ideal: FloatArray
    ideal: FloatArray
    anti_ideal: FloatArray


def topsis_factors(
    matrix: FloatArray, cost: BoolArray, normalization: Normalization, stats: ColumnStats
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(scale, ideal, anti-ideal): r_ij - r*_j = (x_ij - ideal_j) * scale_j up to sign."""
    norms = column_norms(matrix, stats) if normalization is Normalization.VECTOR else None
    scale, _ = scale_and_reference(stats, norms, normalization)
    ideal = np.where(cost, stats.minimum, stats.maximum)
    anti = np.where(cost, stats.maximum, stats.minimum)
    return scale, ideal, anti


def topsis(
    matrix: FloatArray,
    weights: FloatArray,
    cost: BoolArray,
    normalization: Normalization,
    stats: ColumnStats,
) -> TopsisResult:
    """TOPSIS closeness in two cache-friendly passes (statistics, then distances).

    Per chunk: D^2 = ((x - ideal)^2) @ (w s)^2, three operations on the cached chunk. When a
    column's spread is so large that its squares could overflow (above 1e150), the differences
    are scaled before squaring instead (one operation more).
    """
    scale, ideal, anti = topsis_factors(matrix, cost, normalization, stats)
    factor = weights * scale
    squared = factor * factor
    rows, columns = matrix.shape
    scaled_first = bool(np.any(stats.maximum - stats.minimum > _SQUARE_LIMIT))
    ones = np.ones(columns)
    plus = np.empty(rows)
    minus = np.empty(rows)
    buffer = np.empty((min(CHUNK_ROWS, rows), columns))
    for start in range(0, rows, CHUNK_ROWS):
        chunk = matrix[start : start + CHUNK_ROWS]
        stop = start + chunk.shape[0]
        work = buffer[: chunk.shape[0]]
        for reference, target in ((ideal, plus), (anti, minus)):
            np.subtract(chunk, reference, out=work)
            if scaled_first:
                np.multiply(work, factor, out=work)
                np.multiply(work, work, out=work)
                np.dot(work, ones, out=target[start:stop])
            else:
                np.multiply(work, work, out=work)
                np.dot(work, squared, out=target[start:stop])
    np.sqrt(plus, out=plus)
    np.sqrt(minus, out=minus)
    total = plus + minus
    closeness = np.divide(minus, total, out=np.full(rows, 0.5), where=total > 0)
    return TopsisResult(closeness, plus, minus, ideal, anti)


@dataclass(frozen=True, slots=True, eq=False)
class Flows:
    """Single-criterion flows (sites x criteria): positive, negative and net = pos - neg."""

    positive: FloatArray
    negative: FloatArray
    net: FloatArray


def promethee(matrix: FloatArray, cost: BoolArray, preferences: Sequence[Preference]) -> Flows:
    """Single-criterion PROMETHEE flows per column, each in O(n log n)."""
    rows, columns = matrix.shape
    positive = np.empty((rows, columns))
    negative = np.empty((rows, columns))
    for j, preference in enumerate(preferences):
        values = -matrix[:, j] if cost[j] else matrix[:, j]
        pos, neg = criterion_flows(np.ascontiguousarray(values), preference)
        positive[:, j] = pos
        negative[:, j] = neg
    return Flows(positive, negative, positive - negative)
