"""Biproportional apportionment: exact margins, optimality, divisors, infeasibility."""

from __future__ import annotations

import itertools
import math

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.engines.quota import QuotaInputError, apportion, apportion_biproportional
from onderdak.engines.quota.biproportional import _transport, fit, objective

FloatMatrix = npt.NDArray[np.float64]
IntMatrix = npt.NDArray[np.int64]


def _compositions(total: int, cells: int) -> list[tuple[int, ...]]:
    if cells == 1:
        return [(total,)]
    return [
        (first, *rest)
        for first in range(total + 1)
        for rest in _compositions(total - first, cells - 1)
    ]


def brute_force_optimum(
    weights: FloatMatrix, rows: list[int], columns: list[int], offset: float
) -> float:
    """Smallest sum of log((k + offset) / w) over all integer matrices with the margins."""
    per_row = [
        [
            c
            for c in _compositions(rows[i], weights.shape[1])
            if all(weights[i, j] > 0 or c[j] == 0 for j in range(weights.shape[1]))
        ]
        for i in range(weights.shape[0])
    ]
    best = math.inf
    for choice in itertools.product(*per_row):
        matrix = np.array(choice)
        if matrix.sum(axis=0).tolist() != columns:
            continue
        cost = sum(
            math.log((k + offset) / weights[i, j])
            for (i, j), x in np.ndenumerate(matrix)
            for k in range(x)
        )
        best = min(best, cost)
    return best


def assert_divisor_representation(
    result_seats: IntMatrix, quotients: FloatMatrix, off: float
) -> None:
    """Every cell: x - 1 + offset <= w / (r c) <= x + offset (cells with x = 0: upper only)."""
    lower_ok = (quotients >= result_seats - 1 + off - 1e-9) | (result_seats == 0)
    upper_ok = quotients <= result_seats + off + 1e-9
    assert bool(np.all(lower_ok & upper_ok))


def test_hand_worked_two_by_two() -> None:
    # Weights [[4, 1], [1, 4]], all totals 2. The fit is [[1.6, 0.4], [0.4, 1.6]] (row and
    # column factors 0.4); row divisors 1 and column divisors 2.5 give 4 / 2.5 = 1.6 -> 2 and
    # 1 / 2.5 = 0.4 -> 0. The alternative [[1, 1], [1, 1]] costs 2 log(.5/4) + 2 log(.5/1) =
    # -5.55 against 2 (log(.5/4) + log(1.5/4)) = -6.12.
    result = apportion_biproportional([[4, 1], [1, 4]], [2, 2], [2, 2])
    assert result.seats.tolist() == [[2, 0], [0, 2]]
    assert np.allclose(result.fitted, [[1.6, 0.4], [0.4, 1.6]])
    assert result.fit_converged
    assert result.outside_fit == 0
    quotients = result.weights / np.outer(result.row_divisors, result.column_divisors)
    assert_divisor_representation(result.seats, quotients, 0.5)


def test_exact_phase_cancels_cycles_from_a_suboptimal_start() -> None:
    # [[1, 1], [1, 1]] already meets all totals but costs more than [[2, 0], [0, 2]] (see
    # above): moving a seat around the cycle (0,1) -> (0,0) -> (1,0) -> (1,1) lowers the cost.
    weights = np.array([[4.0, 1.0], [1.0, 4.0]])
    start = np.array([[1, 1], [1, 1]])
    unbounded = np.full((2, 2), 10**9, dtype=np.int64)
    seats, transfers = _transport(
        start,
        np.log(weights),
        np.array([2, 2]),
        offset=0.5,
        low=np.zeros((2, 2), dtype=np.int64),
        high=unbounded,
    )
    assert seats.tolist() == [[2, 0], [0, 2]]
    assert transfers == 1
    assert start.tolist() == [[1, 1], [1, 1]]


def test_zero_cells_stay_zero_and_margins_hold() -> None:
    weights = np.array([[5.0, 0.0, 1.0], [0.0, 2.0, 2.0], [3.0, 3.0, 0.0], [1.0, 1.0, 1.0]])
    rows, columns = [6, 4, 5, 3], [7, 5, 6]
    result = apportion_biproportional(weights, rows, columns)
    assert result.seats.sum(axis=1).tolist() == rows
    assert result.seats.sum(axis=0).tolist() == columns
    assert bool(np.all(result.seats[weights == 0] == 0))
    assert objective(weights, result.seats, "sainte-lague") == pytest.approx(
        brute_force_optimum(weights, rows, columns, 0.5)
    )


def test_wide_matrix_is_solved_on_its_transpose() -> None:
    weights = np.array([[1.0, 2.0, 3.0, 4.0, 5.0], [5.0, 4.0, 3.0, 2.0, 1.0]])
    rows, columns = [9, 6], [3, 3, 3, 3, 3]
    result = apportion_biproportional(weights, rows, columns, method="dhondt")
    assert result.seats.shape == (2, 5)
    assert result.seats.sum(axis=1).tolist() == rows
    assert result.seats.sum(axis=0).tolist() == columns
    assert objective(weights, result.seats, "dhondt") == pytest.approx(
        brute_force_optimum(weights, rows, columns, 1.0)
    )
    quotients = weights / np.outer(result.row_divisors, result.column_divisors)
    assert_divisor_representation(result.seats, quotients, 1.0)


@st.composite
def small_problem(draw: st.DrawFn) -> tuple[FloatMatrix, list[int], list[int]]:
    m = draw(st.integers(1, 3))
    n = draw(st.integers(1, 3))
    weights = np.array(
        [
            [draw(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, 7.0, 10.0])) for _ in range(n)]
            for _ in range(m)
        ]
    )
    seed = np.array([[draw(st.integers(0, 3)) for _ in range(n)] for _ in range(m)]) * (weights > 0)
    return weights, seed.sum(axis=1).tolist(), seed.sum(axis=0).tolist()


@given(problem=small_problem(), method=st.sampled_from(["sainte-lague", "dhondt"]))
@settings(max_examples=120, deadline=None)
def test_small_problems_reach_the_brute_force_optimum(
    problem: tuple[FloatMatrix, list[int], list[int]], method: str
) -> None:
    weights, rows, columns = problem
    offset = 0.5 if method == "sainte-lague" else 1.0
    result = apportion_biproportional(weights, rows, columns, method=method)
    assert result.seats.sum(axis=1).tolist() == rows
    assert result.seats.sum(axis=0).tolist() == columns
    assert bool(np.all(result.seats[weights == 0] == 0))
    assert objective(weights, result.seats, method) == pytest.approx(
        brute_force_optimum(weights, rows, columns, offset), abs=1e-9
    )
    quotients = weights / np.outer(result.row_divisors, result.column_divisors)
    with np.errstate(invalid="ignore"):
        assert_divisor_representation(result.seats, np.nan_to_num(quotients), offset)


def test_municipalities_by_eight_groups() -> None:
    rng = np.random.default_rng(2024)
    population = rng.integers(1_000, 900_000, size=342).astype(np.float64)
    weights = population[:, None] * rng.uniform(0.2, 1.5, size=(342, 8))
    weights[rng.random((342, 8)) < 0.05] = 0.0  # some groups absent in some municipalities
    rows = apportion(population, 96_000).quotas
    columns = apportion(weights.sum(axis=0), 96_000).quotas
    for rounding in ("divisor", "fit"):
        result = apportion_biproportional(
            weights, rows.tolist(), columns.tolist(), rounding=rounding
        )
        assert np.array_equal(result.seats.sum(axis=1), rows)
        assert np.array_equal(result.seats.sum(axis=0), columns)
        assert bool(np.all(result.seats[weights == 0] == 0))
        assert result.fit_converged
    divisor = apportion_biproportional(weights, rows.tolist(), columns.tolist())
    fitted = apportion_biproportional(weights, rows.tolist(), columns.tolist(), rounding="fit")
    assert fitted.rounding == "fit"
    assert fitted.outside_fit == 0
    assert (
        objective(weights, divisor.seats, "sainte-lague")
        <= objective(weights, fitted.seats, "sainte-lague") + 1e-9
    )


def test_fit_converges_to_the_margins() -> None:
    weights = np.array([[1.0, 2.0], [3.0, 4.0]])
    fitted, iterations, converged = fit(weights, np.array([10, 20]), np.array([15, 15]))
    assert converged
    assert iterations >= 1
    assert np.allclose(fitted.sum(axis=1), [10, 20])
    assert np.allclose(fitted.sum(axis=0), [15, 15])
    # Cross-ratio (odds ratio) of the weights is kept by biproportional scaling.
    assert fitted[0, 0] * fitted[1, 1] / (fitted[0, 1] * fitted[1, 0]) == pytest.approx(4 / 6)


@pytest.mark.parametrize(
    ("weights", "rows", "columns", "message"),
    [
        ([[1, 0], [1, 0]], [1, 1], [1, 1], "column total of column 1: column total 1 but all"),
        ([[0, 0], [1, 1]], [1, 1], [1, 1], "row total of row 0: row total 1 but all weights"),
        (
            [[1, 0, 0], [1, 0, 0], [1, 1, 1]],
            [2, 2, 1],
            [2, 2, 1],
            r"the rows \(row 0, row 1\) need 4 together, but the columns where they have "
            r"weight \(column 0\) total only 2",
        ),
        ([[1, 1]], [2], [1, 2], "row totals sum to 2, column totals to 3"),
        ([[1, -1]], [0], [0, 0], "weight of row 0/column 1"),
        ([1, 2], [3], [3], "must be a matrix"),
        ([[1, 1]], [2.5], [1, 1], "row total of row 0: must be a whole number"),
        ([[1, 1]], [2], [1, 1, 0], "3 totals for 2 units"),
    ],
)
def test_infeasible_and_invalid_inputs_are_reported(
    weights: list[list[float]], rows: list[int], columns: list[int], message: str
) -> None:
    with pytest.raises(QuotaInputError, match=message):
        apportion_biproportional(weights, rows, columns)


def test_unsupported_method_and_rounding() -> None:
    with pytest.raises(QuotaInputError, match="supports sainte-lague and dhondt"):
        apportion_biproportional([[1]], [1], [1], method="hamilton")
    with pytest.raises(QuotaInputError, match="unknown rounding"):
        apportion_biproportional([[1]], [1], [1], rounding="nearest")  # type: ignore[arg-type]


def test_codes_name_rows_and_columns() -> None:
    result = apportion_biproportional(
        [[1, 1]], [2], [1, 1], row_codes=["GM0384"], column_codes=["uam", "family"]
    )
    assert result.row_codes == ("GM0384",)
    assert result.column_codes == ("uam", "family")
    with pytest.raises(QuotaInputError, match="duplicate codes"):
        apportion_biproportional([[1, 1]], [2], [1, 1], column_codes=["a", "a"])


def test_inputs_are_not_mutated() -> None:
    weights = np.array([[3.0, 1.0], [1.0, 2.0]])
    before = weights.copy()
    rows, columns = [3, 2], [3, 2]
    apportion_biproportional(weights, rows, columns)
    assert np.array_equal(weights, before)
    assert (rows, columns) == ([3, 2], [3, 2])
