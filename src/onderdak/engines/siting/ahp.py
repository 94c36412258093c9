"""Criterion weights from pairwise comparisons: Saaty's Analytic Hierarchy Process.

A decision maker states for each pair of criteria how much more important the first is, on
Saaty's 1-9 scale (a_ij; a_ji = 1 / a_ij, a_ii = 1). The weights are the principal right
eigenvector of the matrix, normalised to sum 1 (Saaty, *The Analytic Hierarchy Process*,
McGraw-Hill 1980; "How to make a decision: the analytic hierarchy process", *European Journal
of Operational Research* 48 (1990) 9-26). Consistency: CI = (lambda_max - n) / (n - 1) and
CR = CI / RI(n) with Saaty's random index RI (the mean CI of random reciprocal matrices);
matrices with CR > 0.1 are refused, naming the CR and the comparison that deviates most from
the weights it implies.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from onderdak.engines.siting.model import AhpWeights, FloatArray, SitingInputError, readonly

#: Saaty's random index by matrix size (Saaty 1980, n <= 10; Saaty & Vargas, *Models, Methods,
#: Concepts & Applications of the AHP*, 2nd ed. 2012, n = 11-15).
RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
#: Saaty's threshold: a consistency ratio above 10% asks for revised judgements.
MAX_CONSISTENCY_RATIO = 0.1
#: Relative tolerance on a_ij * a_ji = 1, so that typed reciprocals (0.33, 0.14) pass.
RECIPROCAL_TOLERANCE = 0.03


def ahp_weights(
    comparisons: npt.ArrayLike,
    criteria: Sequence[str] | None = None,
    *,
    max_consistency_ratio: float = MAX_CONSISTENCY_RATIO,
    reciprocal_tolerance: float = RECIPROCAL_TOLERANCE,
) -> AhpWeights:
    """Weights and consistency of a pairwise comparison matrix (n x n, n <= 15).

    Raises :class:`SitingInputError` when the matrix is not square, has a non-positive or
    non-finite entry, a diagonal entry other than 1, a pair with a_ij * a_ji not within
    ``reciprocal_tolerance`` of 1, or a consistency ratio above ``max_consistency_ratio``.
    """
    matrix = _validate(comparisons, reciprocal_tolerance)
    size = matrix.shape[0]
    names = (
        tuple(f"c{i + 1}" for i in range(size))
        if criteria is None
        else tuple(str(c) for c in criteria)
    )
    if len(names) != size:
        raise SitingInputError(f"{len(names)} names for a {size} x {size} matrix", field="criteria")
    if len(set(names)) != size:
        raise SitingInputError("duplicate criterion names", field="criteria")
    weights, lambda_max = principal_eigenvector(matrix)
    consistency_index = (lambda_max - size) / (size - 1) if size > 2 else 0.0
    consistency_index = max(consistency_index, 0.0)
    random_index = RANDOM_INDEX[size]
    ratio = consistency_index / random_index if random_index > 0 else 0.0
    if ratio > max_consistency_ratio:
        i, j = _worst_pair(matrix, weights)
        implied = weights[i] / weights[j]
        raise SitingInputError(
            f"consistency ratio CR = {ratio:.3f} exceeds {max_consistency_ratio:g} "
            f"(lambda_max = {lambda_max:.3f}, CI = {consistency_index:.3f}, RI = {random_index}); "
            f"revise the comparisons, starting with {names[i]} vs {names[j]}: "
            f"{_judgement(matrix[i, j])} where the weights imply {implied:.2f}",
            field="pairwise comparisons",
        )
    return AhpWeights(
        criteria=names,
        matrix=readonly(matrix),
        weights=readonly(weights),
        lambda_max=lambda_max,
        consistency_index=consistency_index,
        random_index=random_index,
        consistency_ratio=ratio,
    )


def principal_eigenvector(matrix: FloatArray) -> tuple[FloatArray, float]:
    """(Perron eigenvector normalised to sum 1, its eigenvalue) of a positive matrix."""
    values, vectors = np.linalg.eig(matrix)
    k = int(np.argmax(values.real))
    vector = np.abs(vectors[:, k].real)
    weights: FloatArray = vector / vector.sum()
    # the Rayleigh-type estimate sum((A w) / w) / n equals lambda_max for the Perron pair
    lambda_max = float(np.mean((matrix @ weights) / weights))
    return weights, lambda_max


def _validate(comparisons: npt.ArrayLike, tolerance: float) -> FloatArray:
    try:
        matrix = np.array(comparisons, dtype=np.float64)
    except (TypeError, ValueError):
        raise SitingInputError(
            "the comparisons must be numbers", field="pairwise comparisons"
        ) from None
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise SitingInputError(
            f"the comparison matrix must be square, not {matrix.shape}",
            field="pairwise comparisons",
        )
    size = matrix.shape[0]
    if not 1 <= size <= max(RANDOM_INDEX):
        raise SitingInputError(
            f"between 1 and {max(RANDOM_INDEX)} criteria can be compared, not {size}",
            field="pairwise comparisons",
        )
    bad = ~np.isfinite(matrix) | (matrix <= 0)
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise SitingInputError(
            f"entry ({i + 1}, {j + 1}) must be a positive number, not {matrix[i, j]!r}",
            field="pairwise comparisons",
        )
    diagonal = np.flatnonzero(np.abs(np.diag(matrix) - 1.0) > 1e-12)
    if diagonal.size:
        i = int(diagonal[0])
        raise SitingInputError(
            f"entry ({i + 1}, {i + 1}) must be 1, not {matrix[i, i]!r}",
            field="pairwise comparisons",
        )
    product = matrix * matrix.T
    off = np.argwhere(np.abs(product - 1.0) > tolerance)
    if off.size:
        i, j = (int(v) for v in off[0])
        raise SitingInputError(
            f"entries ({i + 1}, {j + 1}) = {matrix[i, j]!r} and ({j + 1}, {i + 1}) = "
            f"{matrix[j, i]!r} are not reciprocal (their product must be 1)",
            field="pairwise comparisons",
        )
    return matrix


def _worst_pair(matrix: FloatArray, weights: FloatArray) -> tuple[int, int]:
    """The judgement a_ij furthest (in log ratio) from the w_i / w_j the weights imply."""
    deviation = np.abs(np.log(matrix * weights[np.newaxis, :] / weights[:, np.newaxis]))
    np.fill_diagonal(deviation, 0.0)
    deviation[np.tril_indices_from(deviation)] = 0.0
    i, j = np.unravel_index(int(np.argmax(deviation)), deviation.shape)
    return int(i), int(j)


def _judgement(value: float) -> str:
    """A comparison as written on Saaty's scale: 5 or 1/5."""
    if value >= 1:
        return f"{value:g}"
    inverse = 1.0 / value
    if math.isclose(inverse, round(inverse), rel_tol=0.03):
        return f"1/{round(inverse)}"
    return f"{value:g}"
