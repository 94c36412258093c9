"""The allocation MIP and the clearing prices, built from arrays and solved with HiGHS.

Formulation (``docs/engines/exchange.md``). Places provided are written as
x_mg = obligation_mg + u_mg - v_mg with u (taken over) and v (handed off) integer columns:

    u_mg in [0, upper_mg - obligation_mg]          (only where upper > obligation)
    v_mg in [max(0, obligation_mg - upper_mg), obligation_mg - lower_mg]   (where lower < obl.)
    group rows        sum_m (u_mg - v_mg) = 0                     for every group g
                      (a within_province group: one row per province, the sum over the
                      province's municipalities; see ``Problem.blocks``)
    swap rows         sum_g a_g (u_mg - v_mg) = 0                 every municipality (swap mode)
    fairness rows     ceil(D low_m) - owed_m <= sum_g a_g (u_mg - v_mg) <= floor(D high_m) - owed_m
                      (compensation mode; only rows that capacity and caps do not already imply)

with a_g = D x points_g the integer-scaled points and owed_m = sum_g a_g obligation_mg. Every
column has one or two nonzeros. The LP relaxation is solved first (its vertex is the answer
when integral; its duals give the prices and fix columns for stage 2). Stage 1 minimises
sum c_mg (u_mg - v_mg) (total cost minus the constant baseline cost); stage 2 keeps the cost at
its optimum and minimises the places moved, sum (u + v): a deterministic tie-break that leaves
everyone at its obligation unless moving saves money. Both are solved to proven optimality
(relative gap 0).

Prices (compensation mode) come from the LP relaxation: the dual value of each group row is the
marginal cost of one more place of that group in the region (of a province row: one more place
in that province). When the LP is degenerate the dual
is not unique; the engine reports the largest optimal dual (the right derivative of the
minimum cost in the group total, i.e. the cost of one more place), found by a small LP over the
optimal dual face, or the smallest (the saving of one place less) when the region cannot take
one more place; 0 when neither exists (every place fixed).

HiGHS (Huangfu & Hall, "Parallelizing the dual revised simplex method", Math. Prog. Comp. 10
(2018) 119-142) receives each model in one call (``passModel``) as column-wise sparse arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import highspy
import numpy as np
import numpy.typing as npt

from onderdak.engines.exchange.model import (
    ExchangeSolverError,
    FloatArray,
    IntArray,
    Mode,
    readonly,
)
from onderdak.engines.exchange.validate import Problem
from onderdak.engines.highs import new_highs

INF = highspy.kHighsInf
#: Distance from a bound under which an LP value counts as on the bound.
_ON_BOUND = 1e-6
_STATUS = highspy.HighsModelStatus


def column_wise(
    rows: npt.ArrayLike, columns: npt.ArrayLike, values: npt.ArrayLike, count: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """(start, index, value): the column-wise arrays HiGHS takes, from (row, column, value)
    triplets without duplicates; ``count`` columns. NumPy only, so the command line does not
    pay for importing scipy.sparse."""
    row_array = np.asarray(rows, dtype=np.int64)
    column_array = np.asarray(columns, dtype=np.int64)
    order = np.lexsort((row_array, column_array))
    start = np.searchsorted(column_array[order], np.arange(count + 1)).astype(np.int64)
    return start, row_array[order], np.asarray(values, dtype=np.float64)[order]


@dataclass(frozen=True, slots=True, eq=False)
class LinearModel:
    """A model as HiGHS takes it: column-wise sparse matrix, bounds, costs."""

    cost: FloatArray
    col_lower: FloatArray
    col_upper: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    start: IntArray
    index: IntArray
    value: FloatArray

    @property
    def rows(self) -> int:
        return int(self.row_lower.size)

    @property
    def columns(self) -> int:
        return int(self.cost.size)

    @property
    def nonzeros(self) -> int:
        return int(self.value.size)

    def to_highs(self, *, integer: bool | int) -> highspy.HighsLp:
        """The HiGHS model; ``integer``: all columns integer (True), none (False), or the
        first ``integer`` columns (an int)."""
        lp = highspy.HighsLp()
        lp.num_col_ = self.columns
        lp.num_row_ = self.rows
        lp.col_cost_ = self.cost
        lp.col_lower_ = self.col_lower
        lp.col_upper_ = self.col_upper
        lp.row_lower_ = self.row_lower
        lp.row_upper_ = self.row_upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.num_col_ = self.columns
        lp.a_matrix_.num_row_ = self.rows
        lp.a_matrix_.start_ = self.start
        lp.a_matrix_.index_ = self.index
        lp.a_matrix_.value_ = self.value
        if integer is not False:
            count = self.columns if integer is True else int(integer)
            lp.integrality_ = [highspy.HighsVarType.kInteger] * count + [
                highspy.HighsVarType.kContinuous
            ] * (self.columns - count)
        return lp


@dataclass(frozen=True, slots=True, eq=False)
class AllocationModel:
    """The u/v model of a problem; ``cell`` is the flat index m x G + g of each column."""

    linear: LinearModel
    cell: IntArray
    sign: IntArray
    #: Municipality of each municipality row (rows after the total rows, ``Problem.blocks``).
    row_municipality: IntArray


@dataclass(frozen=True, slots=True, eq=False)
class Allocation:
    """Places provided (M x G) with the figures of the MIP solve."""

    provided: IntArray
    nodes: int
    tie_break_solved: bool


def build_model(problem: Problem) -> AllocationModel:
    """The allocation MIP of ``problem`` (which must have lower <= upper everywhere)."""
    g_count = len(problem.groups)
    b_count = len(problem.blocks)
    obligation = problem.obligation.ravel()
    lower = problem.lower.ravel()
    upper = problem.upper.ravel()
    cells = np.arange(obligation.size, dtype=np.int64)
    up = cells[upper > obligation]
    down = cells[obligation > lower]
    cell = np.concatenate((up, down))
    sign = np.concatenate((np.ones(up.size, np.int64), -np.ones(down.size, np.int64)))
    order = np.lexsort((-sign, cell))  # per cell: u before v
    cell, sign = cell[order], sign[order]
    col_lower = np.where(sign > 0, 0, np.maximum(obligation - upper, 0)[cell]).astype(np.float64)
    col_upper = np.where(sign > 0, (upper - obligation)[cell], (obligation - lower)[cell])
    cost = sign * problem.cost.ravel()[cell]

    municipality = cell // g_count
    group = cell % g_count
    row_of = municipality_rows(problem)
    active = np.flatnonzero(row_of >= 0)
    owed = problem.owed.astype(np.float64)
    if problem.mode is Mode.SWAP:
        municipality_lower = np.zeros(active.size)
        municipality_upper = np.zeros(active.size)
    else:
        municipality_lower = problem.band_low[active] - owed[active]
        municipality_upper = problem.band_high[active] - owed[active]

    second = row_of[municipality] >= 0
    counts = 1 + second.astype(np.int64)
    start = np.concatenate(([0], np.cumsum(counts)))
    index = np.empty(int(start[-1]), dtype=np.int64)
    value = np.empty(int(start[-1]), dtype=np.float64)
    index[start[:-1]] = problem.block_of.ravel()[cell]
    value[start[:-1]] = sign
    seconds = start[:-1][second] + 1
    index[seconds] = b_count + row_of[municipality[second]]
    value[seconds] = (sign * problem.weights[group])[second]
    linear = LinearModel(
        cost=readonly(cost.astype(np.float64)),
        col_lower=readonly(col_lower),
        col_upper=readonly(col_upper.astype(np.float64)),
        row_lower=readonly(np.concatenate((np.zeros(b_count), municipality_lower))),
        row_upper=readonly(np.concatenate((np.zeros(b_count), municipality_upper))),
        start=readonly(start),
        index=readonly(index),
        value=readonly(value),
    )
    return AllocationModel(
        linear=linear,
        cell=readonly(cell),
        sign=readonly(sign),
        row_municipality=readonly(active.astype(np.int64)),
    )


def municipality_rows(problem: Problem) -> IntArray:
    """Row number (0, 1, ...) of each municipality's points row, -1 when it needs none.

    Swap mode: every municipality whose allocation is not fixed. Compensation mode: the
    fairness rows that capacity and caps do not already imply.
    """
    weights = problem.weights
    low_reach = problem.lower @ weights
    high_reach = problem.upper @ weights
    fixed = np.all(problem.lower == problem.upper, axis=1)
    if problem.mode is Mode.SWAP:
        needed = ~fixed
    else:
        needed = (low_reach < problem.band_low) | (high_reach > problem.band_high)
    rows = np.full(len(problem.codes), -1, dtype=np.int64)
    rows[needed] = np.arange(int(needed.sum()))
    return rows


def _provided(problem: Problem, model: AllocationModel, steps: IntArray) -> IntArray:
    flat = problem.obligation.ravel().copy()
    np.add.at(flat, model.cell, model.sign * steps)
    return flat.reshape(problem.shape)


def _integral(values: FloatArray) -> IntArray:
    steps = np.rint(values)
    if values.size and float(np.max(np.abs(values - steps))) > _ON_BOUND:
        raise ExchangeSolverError("HiGHS returned a fractional value in an integer solution")
    return steps.astype(np.int64)


def check_allocation(problem: Problem, provided: IntArray) -> str | None:
    """The first constraint ``provided`` violates (exact, in integers), else ``None``."""
    if np.any(provided < problem.lower) or np.any(provided > problem.upper):
        return "a bound from capacity or caps"
    if not np.array_equal(provided.sum(axis=0), problem.obligation.sum(axis=0)):
        return "a group total"
    if not np.array_equal(problem.block_totals(provided), problem.block_totals(problem.obligation)):
        return "a provincial total"
    scaled = provided @ problem.weights
    if problem.mode is Mode.SWAP and not np.array_equal(scaled, problem.owed):
        return "a swap balance"
    if np.any(scaled < problem.band_low) or np.any(scaled > problem.band_high):
        return "a fairness bound"
    return None


def exact_cost(costs: Sequence[Sequence[Decimal]], provided: IntArray) -> Decimal:
    """sum cost_per_place x places (rows of ``costs`` and ``provided`` alike), exact."""
    total = Decimal(0)
    for row_costs, row in zip(costs, provided.tolist(), strict=True):
        for price, places in zip(row_costs, row, strict=True):
            total += price * places  # also for 0 places: keeps the decimals of the input
    return total


def _cost_tolerance(problem: Problem) -> float:
    """Half the smallest cost step: a row sum c x <= C + this admits no costlier solution."""
    decimals = 0
    for row in problem.costs:
        for price in row:
            exponent = price.as_tuple().exponent
            if isinstance(exponent, int):
                decimals = max(decimals, -exponent)
    return 0.5 * 10.0 ** -min(decimals, 9)


@dataclass(frozen=True, slots=True, eq=False)
class Relaxation:
    """The optimum of the LP relaxation (simplex, so a vertex) with its duals."""

    objective: float
    values: FloatArray
    reduced_costs: FloatArray
    row_values: FloatArray
    row_duals: FloatArray


def solve_relaxation(model: AllocationModel) -> Relaxation | None:
    """The LP relaxation of the allocation model; ``None`` when even that is infeasible."""
    linear = model.linear
    if linear.columns == 0:  # nothing can move; solve_allocation checks the obligations
        empty = np.zeros(0)
        return Relaxation(0.0, empty, empty, np.zeros(linear.rows), np.zeros(linear.rows))
    highs = new_highs()
    highs.passModel(linear.to_highs(integer=False))
    highs.run()
    status = highs.getModelStatus()
    if status in (_STATUS.kInfeasible, _STATUS.kUnboundedOrInfeasible):
        return None
    if status != _STATUS.kOptimal:
        raise ExchangeSolverError(f"LP relaxation: {highs.modelStatusToString(status)}")
    solution = highs.getSolution()
    return Relaxation(
        objective=float(highs.getInfo().objective_function_value),
        values=np.asarray(solution.col_value, dtype=np.float64),
        reduced_costs=np.asarray(solution.col_dual, dtype=np.float64),
        row_values=np.asarray(solution.row_value, dtype=np.float64),
        row_duals=np.asarray(solution.row_dual, dtype=np.float64),
    )


def solve_allocation(
    problem: Problem,
    model: AllocationModel,
    relaxation: Relaxation | None,
    *,
    tie_break: bool = True,
) -> Allocation | None:
    """Minimum-cost allocation (then fewest moved places); ``None`` when infeasible.

    ``relaxation`` is :func:`solve_relaxation` of the same model (``None``: LP infeasible, so
    the MIP is too). Stage 1 is the MIP, skipped when the LP vertex is already integral (always
    so when every group counts the same points: the matrix is then an incidence matrix of a
    bipartite graph, totally unimodular). Stage 2 adds the row cost <= optimum and minimises
    the moved places, after fixing by reduced cost: a column whose reduced cost d_j exceeds
    the gap (optimum - LP bound) cannot leave its LP bound by more than gap / |d_j| in any
    allocation of optimal cost (Nemhauser & Wolsey, *Integer and Combinatorial Optimization*,
    1988).
    """
    linear = model.linear
    if linear.columns == 0:  # every place fixed at its obligation
        fixed = problem.obligation.copy()
        return None if check_allocation(problem, fixed) else Allocation(readonly(fixed), 0, False)
    if relaxation is None:
        return None
    highs = new_highs(mip_rel_gap=0.0, mip_abs_gap=1e-6)
    highs.passModel(linear.to_highs(integer=True))
    steps = np.rint(relaxation.values).astype(np.int64)
    provided = _provided(problem, model, steps)
    nodes = 0
    lp_integral = float(np.max(np.abs(relaxation.values - steps))) <= 1e-9
    if not lp_integral or check_allocation(problem, provided) is not None:
        highs.run()
        status = highs.getModelStatus()
        if status == _STATUS.kInfeasible:
            return None
        if status != _STATUS.kOptimal:
            raise ExchangeSolverError(f"allocation MIP: {highs.modelStatusToString(status)}")
        steps = _integral(np.asarray(highs.getSolution().col_value, dtype=np.float64))
        provided = _provided(problem, model, steps)
        violated = check_allocation(problem, provided)
        if violated is not None:
            raise ExchangeSolverError(f"allocation MIP: the solution violates {violated}")
        nodes = int(highs.getInfo().mip_node_count)

    # Stage 2: same cost, fewest moved places. Skipped when no allocation can move fewer:
    # every place handed off beyond capacity must be taken over by someone.
    forced = 2 * int(np.maximum(problem.obligation - problem.upper, 0).sum())
    if not tie_break or int(np.abs(provided - problem.obligation).sum()) <= forced:
        return Allocation(readonly(provided), nodes, tie_break_solved=False)
    return _fewest_moves(problem, model, relaxation, highs, steps, nodes)


def _fewest_moves(
    problem: Problem,
    model: AllocationModel,
    relaxation: Relaxation,
    highs: highspy.Highs,
    steps: IntArray,
    nodes: int,
) -> Allocation:
    """Stage 2 on the stage-1 model in ``highs``; the stage-1 solution when it fails."""
    linear = model.linear
    provided = _provided(problem, model, steps)
    columns = np.arange(linear.columns, dtype=np.int32)
    limit = float(linear.cost @ steps) + _cost_tolerance(problem)
    lower, upper = _fix_by_reduced_cost(linear, relaxation, limit)
    highs.changeColsBounds(linear.columns, columns, lower, upper)
    highs.addRow(-INF, limit, linear.columns, columns, linear.cost)
    highs.changeColsCost(linear.columns, columns, np.ones(linear.columns))
    highs.setSolution(linear.columns, columns, steps.astype(np.float64))
    # HiGHS's presolve spends long on the dense cost row when many columns remain free, and
    # gains little: stage 1 presolved the same structure.
    highs.setOptionValue("presolve", "off")
    highs.run()
    if highs.getModelStatus() != _STATUS.kOptimal:
        return Allocation(readonly(provided), nodes, tie_break_solved=False)
    nodes += int(highs.getInfo().mip_node_count)
    better = _provided(
        problem, model, _integral(np.asarray(highs.getSolution().col_value, dtype=np.float64))
    )
    if check_allocation(problem, better) is not None or exact_cost(
        problem.costs, better
    ) > exact_cost(problem.costs, provided):
        return Allocation(readonly(provided), nodes, tie_break_solved=False)
    return Allocation(readonly(better), nodes, tie_break_solved=True)


def _fix_by_reduced_cost(
    linear: LinearModel, relaxation: Relaxation, limit: float
) -> tuple[FloatArray, FloatArray]:
    """Column bounds every solution with cost <= ``limit`` satisfies (see solve_allocation).

    For a column at its lower bound with reduced cost d > 0, cost >= LP bound + d x (x -
    lower), so x <= lower + floor(gap / d); symmetrically at the upper bound with d < 0.
    """
    gap = max(limit - relaxation.objective, 0.0) + 1e-7 * max(1.0, abs(limit))
    d = relaxation.reduced_costs
    significant = np.abs(d) > 1e-7
    reach = np.floor(gap / np.where(significant, np.abs(d), 1.0))
    upper = np.where(
        significant & (d > 0),
        np.minimum(linear.col_upper, linear.col_lower + reach),
        linear.col_upper,
    )
    lower = np.where(
        significant & (d < 0),
        np.maximum(linear.col_lower, linear.col_upper - reach),
        linear.col_lower,
    )
    return lower, upper


# --------------------------------------------------------------------------------------------
# Prices
# --------------------------------------------------------------------------------------------


def solve_prices(problem: Problem, model: AllocationModel, relaxation: Relaxation) -> FloatArray:
    """Clearing price per total row (``Problem.blocks``: one per group, or per province for a
    within_province group), euro per place, from the LP relaxation; see the module doc."""
    b_count = len(problem.blocks)
    if model.linear.columns == 0:  # every place fixed: no price (documented)
        return np.zeros(b_count)
    flat = problem.obligation.ravel().astype(np.float64)
    np.add.at(flat, model.cell, model.sign * relaxation.values)
    return _dual_face_prices(
        problem, model, flat, relaxation.row_values[b_count:], relaxation.row_duals[:b_count]
    )


def _dual_face_prices(
    problem: Problem,
    model: AllocationModel,
    provided: FloatArray,
    activity: FloatArray,
    duals: FloatArray,
) -> FloatArray:
    """Largest optimal dual of each total row (smallest when the largest is unbounded).

    Optimal duals (y per total row: a group, or a group in one province, z per municipality row) are the dual-feasible ones that
    satisfy complementary slackness with the LP optimum: for a cell strictly between its
    bounds y_g + a_g z_m = c_mg, at its lower bound <=, at its upper bound >=; z_m >= 0 when
    row m sits at its lower bound, <= 0 at its upper bound, 0 when neither, free for an
    equality row.
    """
    m_count, g_count = problem.shape
    b_count = len(problem.blocks)
    lower = problem.lower.ravel()
    upper = problem.upper.ravel()
    free = np.flatnonzero(lower < upper)
    at_lower = np.abs(provided[free] - lower[free]) <= _ON_BOUND
    at_upper = np.abs(provided[free] - upper[free]) <= _ON_BOUND
    cost = problem.cost.ravel()[free]
    # interior: y + a z = c; at the lower bound <= c; at the upper bound >= c
    row_low = np.where(at_lower & ~at_upper, -INF, cost)
    row_up = np.where(at_upper & ~at_lower, INF, cost)

    municipalities = model.row_municipality
    count = municipalities.size
    linear = model.linear
    low = linear.row_lower[b_count:]
    high = linear.row_upper[b_count:]
    equal = low == high
    z_at_low = np.abs(activity - low) <= _ON_BOUND
    z_at_high = np.abs(activity - high) <= _ON_BOUND
    z_lower = np.where(equal | z_at_high, -INF, 0.0)
    z_upper = np.where(equal | z_at_low, INF, 0.0)

    group = free % g_count
    block = problem.block_of.ravel()[free]
    municipality = free // g_count
    row_of = np.full(m_count, -1, dtype=np.int64)
    row_of[municipalities] = np.arange(count)
    has_z = row_of[municipality] >= 0
    rows = np.concatenate((np.arange(free.size), np.flatnonzero(has_z)))
    columns = np.concatenate((block, b_count + row_of[municipality[has_z]]))
    entries = np.concatenate((np.ones(free.size), problem.weights[group[has_z]].astype(float)))
    start, index, value = column_wise(rows, columns, entries, b_count + count)
    face = LinearModel(
        cost=np.zeros(b_count + count),
        col_lower=np.concatenate((np.full(b_count, -INF), z_lower)),
        col_upper=np.concatenate((np.full(b_count, INF), z_upper)),
        row_lower=row_low.astype(np.float64),
        row_upper=row_up.astype(np.float64),
        start=start,
        index=index,
        value=value,
    )
    highs = new_highs(presolve="off")
    highs.passModel(face.to_highs(integer=False))
    prices = np.zeros(b_count)
    columns_all = np.arange(b_count, dtype=np.int32)
    for g in range(b_count):
        found = None
        for direction in (-1.0, 1.0):  # first maximise y_g, then minimise
            objective = np.zeros(b_count)
            objective[g] = direction
            highs.changeColsCost(b_count, columns_all, objective)
            highs.run()
            status = highs.getModelStatus()
            if status == _STATUS.kOptimal:
                found = float(np.asarray(highs.getSolution().col_value)[g])
                break
            if status not in (_STATUS.kUnbounded, _STATUS.kUnboundedOrInfeasible):
                found = float(duals[g])  # numerical trouble: HiGHS's own dual
                break
        prices[g] = 0.0 if found is None else found
    return prices
