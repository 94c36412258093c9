"""Column statistics and normalisation of a decision matrix (sites x criteria).

Conventions (the ones pymcdm uses, so results can be checked against it):

* vector: r = x / ||x||_2 for a benefit criterion and r = 1 - x / ||x||_2 for a cost criterion
  (Hwang & Yoon 1981 normalise by the Euclidean norm; the cost orientation 1 - r keeps every
  oriented value in [0, 1] for non-negative data). A column of zeros carries no information:
  r = 0 (benefit) or 1 (cost) for every site, as 0 / 0 := 0 (the convention of
  ``sklearn.preprocessing.normalize``).
* min-max: r = (x - min) / (max - min) for benefit, (max - x) / (max - min) for cost; a
  constant column gives r = 1 for every site and both directions (it cannot separate sites, and
  1 keeps WSM scores on the same scale as when the column varies).

Large matrices are scanned in row chunks that fit in the CPU cache, so each statistic needs one
pass over main memory; the matrix is never copied or modified.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from onderdak.engines.siting.model import BoolArray, FloatArray, Normalization

#: Rows per chunk: 4096 x 10 float64 = 320 kB (fits in L2); a multiple of ``_FOLD``.
CHUNK_ROWS = 4096
#: Rows folded side by side for the column minimum and maximum (wider inner loop for SIMD).
_FOLD = 64


@dataclass(frozen=True, slots=True)
class ColumnStats:
    """Per criterion: sum of squares, minimum and maximum (NaN/inf propagate to min/max)."""

    sum_of_squares: FloatArray
    minimum: FloatArray
    maximum: FloatArray

    @property
    def finite(self) -> BoolArray:
        """Columns without NaN or infinite values (a NaN or inf shows in the min or max)."""
        result: BoolArray = np.isfinite(self.minimum) & np.isfinite(self.maximum)
        return result


def column_stats(matrix: FloatArray) -> ColumnStats:
    """Sum of squares, minimum and maximum per column in one chunked pass."""
    rows, columns = matrix.shape
    squares = np.zeros(columns)
    low = np.full(columns, np.inf)
    high = np.full(columns, -np.inf)
    for start in range(0, rows, CHUNK_ROWS):
        chunk = matrix[start : start + CHUNK_ROWS]
        squares += np.einsum("ij,ij->j", chunk, chunk)
        folded = chunk.shape[0] - chunk.shape[0] % _FOLD
        if folded and chunk.flags.c_contiguous:
            wide = chunk[:folded].reshape(folded // _FOLD, _FOLD * columns)
            np.minimum(low, wide.min(axis=0).reshape(_FOLD, columns).min(axis=0), out=low)
            np.maximum(high, wide.max(axis=0).reshape(_FOLD, columns).max(axis=0), out=high)
            rest = chunk[folded:]
        else:
            rest = chunk
        if rest.shape[0]:
            np.minimum(low, rest.min(axis=0), out=low)
            np.maximum(high, rest.max(axis=0), out=high)
    # min and max propagate NaN, so a NaN anywhere in a column reaches both
    return ColumnStats(sum_of_squares=squares, minimum=low, maximum=high)


def column_norms(matrix: FloatArray, stats: ColumnStats) -> FloatArray:
    """Euclidean norm per column; recomputed with scaling where the sum of squares overflows."""
    norms: FloatArray = np.sqrt(stats.sum_of_squares)
    for j in np.flatnonzero(~np.isfinite(norms) & stats.finite).tolist():
        column = matrix[:, j]
        scale = max(abs(float(stats.minimum[j])), abs(float(stats.maximum[j])))
        norms[j] = scale * float(np.linalg.norm(column / scale))
    return norms


def scale_and_reference(
    stats: ColumnStats, norms: FloatArray | None, normalization: Normalization
) -> tuple[FloatArray, FloatArray]:
    """(scale, reference) with r = (x - reference) * scale for a benefit criterion.

    Vector: reference 0, scale 1 / ||x|| (0 for a zero column). Min-max: reference min, scale
    1 / (max - min) (0 for a constant column).
    """
    if normalization is Normalization.VECTOR:
        assert norms is not None
        scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        return scale, np.zeros_like(scale)
    spread = stats.maximum - stats.minimum
    scale = np.divide(1.0, spread, out=np.zeros_like(spread), where=spread > 0)
    return scale, stats.minimum.copy()


def normalise(
    matrix: FloatArray,
    cost: BoolArray,
    normalization: Normalization,
    stats: ColumnStats | None = None,
) -> FloatArray:
    """The oriented normalised matrix (a new array): higher is better in every column."""
    stats = column_stats(matrix) if stats is None else stats
    if normalization is Normalization.VECTOR:
        norms = column_norms(matrix, stats)
        safe = np.where(norms > 0, norms, 1.0)
        result: FloatArray = np.divide(matrix, safe)
        # 1 - x / ||x|| for cost criteria (a zero column: 1 - 0 = 1)
        np.subtract(1.0, result, out=result, where=cost[np.newaxis, :])
        return result
    spread = stats.maximum - stats.minimum
    constant = spread <= 0
    safe = np.where(constant, 1.0, spread)
    # benefit: (x - min) / spread; cost: (max - x) / spread
    reference = np.where(cost, stats.maximum, stats.minimum)
    result = np.subtract(matrix, reference)
    np.negative(result, out=result, where=cost[np.newaxis, :])
    result /= safe
    result[:, constant] = 1.0
    return result
