"""Biproportional apportionment: an integer matrix with given row and column totals.

Example: 342 municipalities (rows) x 8 target groups (columns). Each municipality has a total
(its quota) and each group a national total; the weights (say population times a group's
regional need) say how the cells should relate. The result has *exactly* the row and column
totals and is proportional to the weights up to one row and one column multiplier:

1. Iterative proportional fitting (alternately scaling rows and columns to their totals;
   Deming & Stephan 1940, Sinkhorn 1964) gives the fractional fit F = diag(a) W diag(b).
2. Biproportional divisor rounding (Balinski & Demange 1989, "An axiomatic approach to
   proportionality between matrices", Math. Oper. Res. 14; Pukelsheim, *Proportional
   Representation*, 2nd ed. 2017): seats = round(w / (row divisor * column
   divisor)) for every cell, with standard rounding (Sainte-Lague, the Zurich "doppelter
   Pukelsheim") or rounding down (D'Hondt). Equivalently (Gaffke & Pukelsheim 2008, Math.
   Social Sci. 56) the seats minimise sum over cells of sum_{k=1..x} log(s(k-1) / w) subject to
   the totals, a convex-cost transportation problem. It is solved exactly here: round F, make
   the row totals exact, then cancel negative cycles and move seats along shortest augmenting
   paths (Bellman-Ford on the small dimension, vectorised over the large one) until the column
   totals hold. The dual potentials of the final solution are the row and column divisors.

With ``rounding="fit"`` the cells are restricted to floor or ceiling of F (a controlled rounding
of the fit, minimising the same cost); when that is impossible (F not converged or a degenerate
fit) the divisor solution is returned and ``outside_fit`` counts the cells outside the fit.

Cells with weight zero stay zero. When no integer matrix exists, a maximum-flow check (scipy)
names the rows whose totals cannot be placed in the columns where they have weight.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

from onderdak.engines.quota.apportion import parse_method
from onderdak.engines.quota.model import (
    BiproportionalApportionment,
    FloatArray,
    IntArray,
    Method,
    QuotaInputError,
    as_whole_number,
    readonly,
)

Rounding = Literal["divisor", "fit"]

_OFFSET = {Method.SAINTE_LAGUE: 0.5, Method.DHONDT: 1.0}
#: Cost improvements below this are treated as zero (the costs are logarithms of order 1-20).
_EPS = 1e-9


class _RoundingStuckError(Exception):
    """The rounding could not be completed within its bounds."""


def apportion_biproportional(
    weights: npt.ArrayLike,
    row_totals: Sequence[int],
    column_totals: Sequence[int],
    *,
    method: Method | str = Method.SAINTE_LAGUE,
    rounding: Rounding = "divisor",
    row_codes: Sequence[str] | None = None,
    column_codes: Sequence[str] | None = None,
    tolerance: float = 1e-10,
    max_iterations: int = 10_000,
) -> BiproportionalApportionment:
    """Integer matrix with the given row and column totals, biproportional to ``weights``.

    ``method`` is ``sainte-lague`` (standard rounding, default) or ``dhondt`` (rounding down).
    Raises :class:`QuotaInputError` for invalid weights or totals, totals whose sums differ,
    and totals that no integer matrix on the positive cells can meet.
    """
    chosen = parse_method(method)
    if chosen not in _OFFSET:
        raise QuotaInputError(
            f"biproportional apportionment supports sainte-lague and dhondt, not {chosen.value}",
            field="method",
        )
    if rounding not in ("divisor", "fit"):
        raise QuotaInputError(f"unknown rounding '{rounding}' (divisor or fit)", field="rounding")
    matrix = np.array(weights, dtype=np.float64)
    if matrix.ndim != 2:
        raise QuotaInputError("weights must be a matrix (rows x columns)", field="weight")
    m, n = matrix.shape
    rows = _codes(row_codes, m, "row")
    columns = _codes(column_codes, n, "column")
    bad = ~np.isfinite(matrix) | (matrix < 0)
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise QuotaInputError(
            f"must be a finite number >= 0, not {matrix[i, j]!r}",
            unit=f"{rows[i]}/{columns[j]}",
            field="weight",
        )
    row_target = _totals(row_totals, rows, "row total")
    column_target = _totals(column_totals, columns, "column total")
    if int(row_target.sum()) != int(column_target.sum()):
        raise QuotaInputError(
            f"row totals sum to {int(row_target.sum())}, column totals to "
            f"{int(column_target.sum())}",
            field="total",
        )
    check_feasible(matrix, row_target, column_target, rows, columns)

    fitted, iterations, converged = fit(
        matrix, row_target, column_target, tolerance, max_iterations
    )
    offset = _OFFSET[chosen]
    transposed = n > m  # the exact phase runs its graph on the smaller dimension
    w, f = (matrix.T, fitted.T) if transposed else (matrix, fitted)
    r, c = (column_target, row_target) if transposed else (row_target, column_target)
    used: Rounding = rounding
    seats: IntArray | None = None
    transfers = 0
    if rounding == "fit":
        low = np.floor(f + 1e-9).astype(np.int64)
        high = np.ceil(f - 1e-9).astype(np.int64)
        try:
            seats, transfers = _round(w, f, r, c, offset=offset, low=low, high=high)
        except _RoundingStuckError:
            used = "divisor"
    if seats is None:
        unbounded = np.full(w.shape, np.iinfo(np.int64).max // 4, dtype=np.int64)
        seats, transfers = _round(
            w, f, r, c, offset=offset, low=np.zeros(w.shape, np.int64), high=unbounded
        )
    row_divisors, column_divisors = _divisors(w, seats, offset)
    if transposed:
        seats = seats.T.copy()
        row_divisors, column_divisors = column_divisors, row_divisors
    lower_fit = np.floor(fitted - 1e-9)
    upper_fit = np.ceil(fitted + 1e-9)
    outside = int(np.count_nonzero((seats < lower_fit) | (seats > upper_fit)))
    return BiproportionalApportionment(
        method=chosen,
        rounding=used,
        row_codes=rows,
        column_codes=columns,
        weights=readonly(matrix),
        row_totals=readonly(row_target),
        column_totals=readonly(column_target),
        seats=readonly(seats),
        fitted=readonly(fitted),
        row_divisors=readonly(row_divisors),
        column_divisors=readonly(column_divisors),
        fit_iterations=iterations,
        fit_converged=converged,
        outside_fit=outside,
        transfers=transfers,
    )


def _codes(codes: Sequence[str] | None, size: int, name: str) -> tuple[str, ...]:
    if codes is None:
        return tuple(f"{name} {i}" for i in range(size))
    result = tuple(codes)
    if len(result) != size:
        raise QuotaInputError(f"{len(result)} codes for {size} {name}s", field=f"{name} code")
    if len(set(result)) != size:
        raise QuotaInputError("duplicate codes", field=f"{name} code")
    return result


def _totals(values: Sequence[int], codes: tuple[str, ...], field: str) -> IntArray:
    if len(values) != len(codes):
        raise QuotaInputError(f"{len(values)} totals for {len(codes)} units", field=field)
    numbers = []
    for code, value in zip(codes, values, strict=True):
        number = as_whole_number(value)
        if number is None or number < 0:
            raise QuotaInputError(
                f"must be a whole number >= 0, not {value!r}", unit=code, field=field
            )
        numbers.append(number)
    return np.array(numbers, dtype=np.int64)


def check_feasible(
    weights: FloatArray,
    row_totals: IntArray,
    column_totals: IntArray,
    row_codes: tuple[str, ...],
    column_codes: tuple[str, ...],
) -> None:
    """Raise :class:`QuotaInputError` unless an integer matrix on the positive cells exists.

    Such a matrix exists iff the maximum flow source -> rows (capacity: row total) -> columns
    (where the weight is positive) -> sink (capacity: column total) saturates all totals; a
    minimum cut then names rows whose totals exceed the column totals they can reach (Hall).
    """
    support = weights > 0
    for i in np.flatnonzero((row_totals > 0) & ~support.any(axis=1)).tolist():
        raise QuotaInputError(
            f"row total {int(row_totals[i])} but all weights in the row are zero",
            unit=row_codes[i],
            field="row total",
        )
    for j in np.flatnonzero((column_totals > 0) & ~support.any(axis=0)).tolist():
        raise QuotaInputError(
            f"column total {int(column_totals[j])} but all weights in the column are zero",
            unit=column_codes[j],
            field="column total",
        )
    total = int(row_totals.sum())
    if support.all() or total == 0 or total >= 2**31 - 1:
        return  # a full support always admits a matrix; huge totals: the rounding reports it
    # scipy only here: importing it costs more than a typical apportionment (CLI start-up).
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import maximum_flow

    m, n = weights.shape
    size = m + n + 2
    source, sink = 0, size - 1
    cells = np.argwhere(support)
    tails = np.concatenate((np.zeros(m, np.int64), 1 + cells[:, 0], 1 + m + np.arange(n)))
    heads = np.concatenate((1 + np.arange(m), 1 + m + cells[:, 1], np.full(n, sink)))
    capacity = np.concatenate(
        (row_totals, np.full(len(cells), total, np.int64), column_totals)
    ).astype(np.int32)
    graph = csr_array((capacity, (tails, heads)), shape=(size, size))
    result = maximum_flow(graph, source, sink)
    if int(result.flow_value) == total:
        return
    residual = graph.toarray().astype(np.int64) - result.flow.toarray().astype(np.int64)
    reached = np.zeros(size, dtype=bool)
    reached[source] = True
    frontier = [source]
    while frontier:
        node = frontier.pop()
        for nxt in np.flatnonzero((residual[node] > 0) & ~reached).tolist():
            reached[nxt] = True
            frontier.append(nxt)
    stuck_rows = np.flatnonzero(reached[1 : 1 + m])
    stuck_columns = np.flatnonzero(reached[1 + m : 1 + m + n])
    names = ", ".join(row_codes[i] for i in stuck_rows[:5].tolist())
    if stuck_rows.size > 5:
        names += f" and {stuck_rows.size - 5} more"
    reach = ", ".join(column_codes[j] for j in stuck_columns.tolist()) or "none"
    raise QuotaInputError(
        f"no integer matrix meets the totals: the rows ({names}) need "
        f"{int(row_totals[stuck_rows].sum())} together, but the columns where they have weight "
        f"({reach}) total only {int(column_totals[stuck_columns].sum())}",
        field="total",
    )


def fit(
    weights: FloatArray,
    row_totals: IntArray,
    column_totals: IntArray,
    tolerance: float = 1e-10,
    max_iterations: int = 10_000,
) -> tuple[FloatArray, int, bool]:
    """Iterative proportional fitting; returns (fitted matrix, iterations, converged).

    Alternately scales the rows and the columns to their totals until the largest row error
    is below ``tolerance`` times the grand total (columns are exact after each sweep).
    """
    rows = row_totals.astype(np.float64)
    columns = column_totals.astype(np.float64)
    limit = tolerance * max(1.0, float(rows.sum()))
    fitted = weights.copy()
    for iteration in range(1, max_iterations + 1):
        sums = fitted.sum(axis=1)
        fitted *= np.divide(rows, sums, out=np.zeros_like(rows), where=sums > 0)[:, None]
        sums = fitted.sum(axis=0)
        fitted *= np.divide(columns, sums, out=np.zeros_like(columns), where=sums > 0)[None, :]
        if float(np.abs(fitted.sum(axis=1) - rows).max(initial=0.0)) <= limit:
            return fitted, iteration, True
    return fitted, max_iterations, False


def _log(values: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore"):
        return np.log(values)


def _costs(
    seats: IntArray, log_weights: FloatArray, offset: float, low: IntArray, high: IntArray
) -> tuple[FloatArray, FloatArray]:
    """Marginal cost of one seat more (up) and of one seat less (down) per cell."""
    positive = log_weights > -np.inf
    up = np.where(positive & (seats < high), np.log(seats + offset) - log_weights, np.inf)
    down = np.where(
        positive & (seats > low),
        log_weights - np.log(np.maximum(seats - 1 + offset, offset)),
        np.inf,
    )
    return up, down


def _round(
    weights: FloatArray,
    fitted: FloatArray,
    rows: IntArray,
    columns: IntArray,
    *,
    offset: float,
    low: IntArray,
    high: IntArray,
) -> tuple[IntArray, int]:
    """Exact rounding with row totals ``rows`` and column totals ``columns``."""
    start = np.floor(fitted + (1.0 - offset)).astype(np.int64)
    start = np.where(weights > 0, np.clip(start, low, high), 0)
    try:
        seats = _fix_rows(start, _log(fitted), rows, offset=offset, low=low, high=high)
    except _RoundingStuckError:
        seats = _fix_rows(start, _log(weights), rows, offset=offset, low=low, high=high)
    return _transport(seats, _log(weights), columns, offset=offset, low=low, high=high)


def _fix_rows(
    seats: IntArray,
    log_weights: FloatArray,
    rows: IntArray,
    *,
    offset: float,
    low: IntArray,
    high: IntArray,
) -> IntArray:
    """Make every row total exact, one seat per row per sweep, by the best marginal cost."""
    seats = seats.copy()
    while True:
        gap = rows - seats.sum(axis=1)
        if not gap.any():
            return seats
        up, down = _costs(seats, log_weights, offset, low, high)
        for rows_to_fix, costs, change in ((gap > 0, up, 1), (gap < 0, down, -1)):
            index = np.flatnonzero(rows_to_fix)
            if index.size == 0:
                continue
            best = np.argmin(costs[index], axis=1)
            if not np.isfinite(costs[index, best]).all():
                raise _RoundingStuckError
            seats[index, best] += change


def _edges(up: FloatArray, down: FloatArray) -> tuple[FloatArray, IntArray]:
    """Cost and row of the cheapest transfer of one seat from column j to column k."""
    m, n = up.shape
    if m * n * n <= 4_000_000:
        combined = down[:, :, None] + up[:, None, :]
        via = np.argmin(combined, axis=0)
        cost = np.take_along_axis(combined, via[None, :, :], axis=0)[0]
    else:  # pragma: no cover - large square matrices: one column at a time
        cost = np.empty((n, n))
        via = np.empty((n, n), dtype=np.int64)
        for j in range(n):
            combined = down[:, j, None] + up
            via[j] = np.argmin(combined, axis=0)
            cost[j] = combined[via[j], np.arange(n)]
    np.fill_diagonal(cost, np.inf)
    return cost, via


def _bellman_ford(
    cost: FloatArray, sources: npt.NDArray[np.bool_]
) -> tuple[FloatArray, IntArray, int | None]:
    """Shortest distances from the sources; the last argument is a node on a negative cycle."""
    n = cost.shape[0]
    distance = np.where(sources, 0.0, np.inf)
    predecessor = np.full(n, -1, dtype=np.int64)
    columns = np.arange(n)
    for _ in range(n + 1):
        candidates = distance[:, None] + cost
        best_from = np.argmin(candidates, axis=0)
        best = candidates[best_from, columns]
        better = best < distance - _EPS
        if not better.any():
            return distance, predecessor, None
        distance = np.where(better, best, distance)
        predecessor = np.where(better, best_from, predecessor)
    return distance, predecessor, int(np.flatnonzero(better)[0])


def _cycle(predecessor: IntArray, node: int) -> list[int]:
    for _ in range(predecessor.size):
        node = int(predecessor[node])
    cycle = [node]
    current = int(predecessor[node])
    while current != node:
        cycle.append(current)
        current = int(predecessor[current])
    cycle.reverse()
    return cycle


def _transport(
    seats: IntArray,
    log_weights: FloatArray,
    columns: IntArray,
    *,
    offset: float,
    low: IntArray,
    high: IntArray,
) -> tuple[IntArray, int]:
    """Within-row seat transfers between columns until the column totals hold, at least cost.

    Cancels negative cycles first (the start need not be optimal), then augments along
    shortest paths from columns with too many seats to columns with too few; both keep the
    solution optimal for its current column sums (successive shortest paths).
    """
    seats = seats.copy()
    transfers = 0
    everyone = np.ones(seats.shape[1], dtype=bool)
    cancelling = True
    while True:
        up, down = _costs(seats, log_weights, offset, low, high)
        cost, via = _edges(up, down)
        if cancelling:
            _, predecessor, on_cycle = _bellman_ford(cost, everyone)
            if on_cycle is not None:
                cycle = _cycle(predecessor, on_cycle)
                for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True):
                    seats[via[a, b], a] -= 1
                    seats[via[a, b], b] += 1
                transfers += 1
                continue
            cancelling = False
        excess = seats.sum(axis=0) - columns
        if not excess.any():
            return seats, transfers
        distance, predecessor, _ = _bellman_ford(cost, excess > 0)
        short = np.flatnonzero(excess < 0)
        reachable = short[np.isfinite(distance[short])]
        if reachable.size == 0:
            raise _RoundingStuckError
        node = int(reachable[np.argmin(distance[reachable])])
        while predecessor[node] >= 0:  # back to a column with too many seats
            previous = int(predecessor[node])
            seats[via[previous, node], previous] -= 1
            seats[via[previous, node], node] += 1
            node = previous
        transfers += 1


def _divisors(weights: FloatArray, seats: IntArray, offset: float) -> tuple[FloatArray, FloatArray]:
    """Row and column divisors with seats = round(w / (row divisor * column divisor)).

    From the optimality of the seats: shortest-path potentials v on the columns and, per row,
    a u between max_j(log((x - 1 + offset) / w) - v_j) and min_j(log((x + offset) / w) - v_j);
    the divisors are exp(-u) and exp(-v), normalised to a geometric mean 1 over the columns.
    """
    log_weights = _log(weights)
    m, n = weights.shape
    free_low = np.zeros(weights.shape, np.int64)
    free_high = np.full(weights.shape, np.iinfo(np.int64).max // 4, dtype=np.int64)
    up, down = _costs(seats, log_weights, offset, free_low, free_high)
    cost, _ = _edges(up, down)
    potential, _, on_cycle = _bellman_ford(cost, np.ones(n, dtype=bool))
    if on_cycle is not None:  # not a divisor apportionment (rounding="fit")
        return np.full(m, np.nan), np.full(n, np.nan)
    potential = potential - potential.mean()
    lower = (-down - potential[None, :]).max(axis=1)
    upper = (up - potential[None, :]).min(axis=1)
    with np.errstate(invalid="ignore"):
        row_potential = np.where(
            np.isfinite(lower) & np.isfinite(upper),
            (lower + upper) / 2,
            np.where(
                np.isfinite(upper), upper - 1.0, np.where(np.isfinite(lower), lower + 1.0, 0.0)
            ),
        )
    return np.exp(-row_potential), np.exp(-potential)


def objective(weights: FloatArray, seats: IntArray, method: Method | str) -> float:
    """sum over cells of sum_{k=1..x} log(s(k-1) / w): the cost the divisor rounding minimises.

    For checking and benchmarking (a smaller value is closer to biproportionality).
    """
    offset = _OFFSET[parse_method(method)]
    total = 0.0
    for w, x in zip(weights.ravel().tolist(), seats.ravel().tolist(), strict=True):
        if x:
            total += math.fsum(math.log((k + offset) / w) for k in range(x))
    return total
