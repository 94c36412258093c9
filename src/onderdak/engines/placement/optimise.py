"""Optimisation: the placements of maximum total score.

Maximise sum score_p x_p over the pairs p = (household, unit), x_p in {0, 1}, subject to

    sum_{p of h} x_p <= 1                        each household at most once
    sum_{p of u} x_p <= max_households_u         each unit at most its households
    sum_{p of u} persons_h x_p <= capacity_u     each unit at most its persons
    side constraints (ShareConstraint)           a minimum share for target groups

Rules that make the answer well defined (the same for ``onderdak placement solve`` and
``optimise``):

* a pair with score <= 0 is never placed (it cannot raise the total), nor is a pair whose
  household alone exceeds the unit's capacity, nor any pair of a unit with max_households 0;
* among placements of equal total score, one placing the most households is chosen;
* scores are scaled to integers by the smallest power of ten that makes every score whole
  (at most 9 decimals), so the optimum is exact, not within a float tolerance.

Methods (``method=None`` chooses the flow or, where needed, the MIP):

* **min-cost flow** (OR-Tools ``SimpleMinCostFlow``, cost scaling; Goldberg 1997) when there
  are no side constraints and capacity never binds: every unit takes one household, or the
  ``max_households`` largest of its candidate households fit together. The constraint matrix
  of a bipartite graph is totally unimodular, so the flow optimum is the 0/1 optimum. Network:
  source -> household (capacity 1) -> unit (capacity 1, cost -weight) -> sink (capacity
  max_households), plus a source -> sink arc of cost 0 for the households left unplaced. The
  tie-break is part of the weight: score x (n + 1) + 1 per placement (n households with a
  usable pair), which can only decide between equal totals since at most n are placed.
* **dense assignment** (SciPy ``linear_sum_assignment``, shortest augmenting paths; Crouse
  2016), only when asked for, where the flow applies and every unit takes one household: on
  a dense matrix of unstructured (uniform random) scores it is several times faster than the
  flow, but on the scoring layer's scores (a household part plus a fit part) several times
  slower, even when every pair is feasible (``docs/benchmarks.md``). Missing pairs
  weigh 0 (a zero-weight match is no placement); the integer weights are exact in double
  precision (kept below 2**51).
* **MIP** (HiGHS branch-and-cut, columns built from arrays) otherwise, in stages: the LP
  relaxation (its value bounds the optimum); the MIP restricted to a core of the pairs: the
  LP solution's support and each household's 3 pairs of smallest reduced cost (a good
  placement quickly, usually within the requested gap already; core problems after Balas &
  Zemel 1980); the full MIP started from it (integer objective: an absolute gap below 1
  proves optimality); then, when proven optimal with ``gap`` 0, the MIP that places the
  most households among those of optimal total score.

Every answer is verified in exact integer arithmetic before it is returned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]

from onderdak.engines.highs import new_highs
from onderdak.engines.placement.model import (
    Assignment,
    Method,
    Outcome,
    Placement,
    PlacementInputError,
    PlacementSolverError,
    ShareBasis,
    Status,
    Unplaced,
)
from onderdak.engines.placement.validate import (
    BoolArray,
    FloatArray,
    IntArray,
    OptimisationProblem,
    ShareRow,
)

#: Scores with up to this many decimals are optimised exactly.
MAX_DECIMALS = 9
#: OR-Tools checks that |cost| x (nodes + 1) fits in int64; stay a factor 2 inside.
_FLOW_RANGE = 2**62
#: HiGHS computes in doubles: integer objective values stay exact up to 2**53.
_FLOAT_EXACT = 2**53
#: The dense assignment adds weights along augmenting paths: keep a margin of 4.
_DENSE_EXACT = 2**51
#: The dense assignment builds a households x units matrix (8 bytes a cell): at most this.
DENSE_CELLS = 25_000_000
#: Pairs per household (by reduced cost) in the core MIP of stage 2, and its relative gap when
#: the caller asks for a proven optimum (the full MIP closes the rest).
CORE_PAIRS = 3
CORE_GAP = 1e-3
#: LP values closer than this to 0 or 1 count as integral.
_INTEGRAL = 1e-9
_STATUS = highspy.HighsModelStatus


@dataclass(frozen=True, slots=True, eq=False)
class Scaled:
    """Integer objective coefficients of the usable pairs and how they were made."""

    weight: IntArray
    decimals: int
    exact: bool
    tie_break: bool
    #: weight = round(score x 10**decimals) x multiplier + (1 if tie_break else 0).
    multiplier: int

    @property
    def whole(self) -> IntArray:
        """round(score x 10**decimals) per pair (the weight without the tie-break)."""
        return (self.weight - (1 if self.tie_break else 0)) // self.multiplier


def _exact_at(score: FloatArray, decimals: int) -> bool:
    power = 10.0**decimals
    whole = np.rint(score * power)
    return bool(np.all(np.abs(whole) < _FLOAT_EXACT)) and bool(np.all(whole / power == score))


def exact_decimals(score: FloatArray) -> int | None:
    """The fewest decimals (0-9) that write every score exactly, ``None`` when more are
    needed. A float is "exact with d decimals" when it is the double nearest to some k/10^d,
    i.e. rint(s x 10^d) / 10^d == s (division is correctly rounded); then it is exact with
    every d' > d too, so the answer for a sample is a lower bound for all."""
    sample = score[:1000]
    decimals = next((d for d in range(MAX_DECIMALS + 1) if _exact_at(sample, d)), None)
    if decimals is None:
        return None
    while decimals <= MAX_DECIMALS:
        if _exact_at(score, decimals):
            return decimals
        decimals += 1
    return None


def scale_scores(score: FloatArray, households: int, limit: int, *, tie_break: bool) -> Scaled:
    """Integer coefficients for positive ``score`` s, each at most ``limit``; ``households``
    is the most placements (for the tie-break).

    With ``tie_break``, tried in order: the exact decimals with the tie-break, the exact
    decimals without it, then ever fewer decimals (rounded scores) with the tie-break.
    """
    largest = float(np.max(np.abs(score))) if score.size else 0.0
    multiplier = households + 1

    def fits(decimals: int, tie: bool) -> bool:
        top = (math.ceil(largest * 10.0**decimals) + 1) * (multiplier if tie else 1) + 1
        return top <= limit

    def make(decimals: int, exact: bool, tie: bool) -> Scaled:
        whole = np.rint(score * 10.0**decimals).astype(np.int64)
        factor = multiplier if tie else 1
        return Scaled(whole * factor + (1 if tie else 0), decimals, exact, tie, factor)

    exact = exact_decimals(score)
    if exact is not None:
        if tie_break and fits(exact, True):
            return make(exact, True, True)
        if fits(exact, False):
            return make(exact, True, False)
    decimals = MAX_DECIMALS if exact is None else exact - 1
    while not fits(decimals, tie_break):
        decimals -= 1
        if decimals < -400:  # pragma: no cover - needs more households than memory holds
            raise PlacementSolverError("scores cannot be scaled to the solver's integer range")
    return make(decimals, False, tie_break)


# --------------------------------------------------------------------------------------------
# Entry
# --------------------------------------------------------------------------------------------


def usable_pairs(problem: OptimisationProblem) -> IntArray:
    """Pairs that may be placed: score > 0, the household fits the unit alone, the unit takes
    at least one household."""
    h, u = problem.pair_household, problem.pair_unit
    fits = problem.persons[h] <= problem.capacity[u]
    return np.flatnonzero((problem.score > 0) & fits & (problem.max_households[u] >= 1))


def capacity_binding(
    problem: OptimisationProblem, households: IntArray, units: IntArray
) -> BoolArray:
    """Per unit: could its candidate households exceed its capacity in persons? (the sum of
    its max_households largest candidates is above the capacity; never for a unit that takes
    one household, since each usable pair fits alone)."""
    n_units = len(problem.unit_ids)
    if n_units == 0 or int(problem.max_households.max()) <= 1:
        return np.zeros(n_units, dtype=np.bool_)
    shared = problem.max_households[units] > 1
    if not bool(shared.any()):
        return np.zeros(n_units, dtype=np.bool_)
    units = units[shared]
    persons = problem.persons[households[shared]]
    order = np.lexsort((-persons, units))
    sorted_units = units[order]
    rank = np.arange(order.size) - np.searchsorted(sorted_units, sorted_units)
    keep = rank < problem.max_households[sorted_units]
    largest = np.bincount(
        sorted_units[keep], weights=persons[order][keep].astype(np.float64), minlength=n_units
    )
    return np.asarray(largest > problem.capacity, dtype=np.bool_)


def choose_method(problem: OptimisationProblem, binding: BoolArray) -> Method:
    """The MIP where side constraints or a binding capacity need it, else the flow (see the
    module doc: the dense assignment is only used when asked for)."""
    return Method.MIP if problem.rows or bool(binding.any()) else Method.FLOW


def solve(
    problem: OptimisationProblem,
    *,
    gap: float = 0.0,
    time_limit: float | None = None,
    method: Method | None = None,
) -> Assignment:
    """The placements of maximum total score (see the module doc). ``method`` forces a method
    (the flow and the dense assignment only where they apply)."""
    index = usable_pairs(problem)
    reason = _units_precheck(problem, index)
    if reason:
        return _empty(problem, Status.INFEASIBLE, Method.NONE, reason)
    if index.size == 0:
        return _empty(problem, Status.OPTIMAL, Method.NONE, "")
    households = problem.pair_household[index]
    units = problem.pair_unit[index]
    active = int(np.count_nonzero(np.bincount(households)))
    binding = capacity_binding(problem, households, units)
    automatic = choose_method(problem, binding)
    chosen_method = automatic if method is None else Method(method)
    if chosen_method is Method.NONE or (
        automatic is Method.MIP and chosen_method is not Method.MIP
    ):
        raise PlacementInputError(
            f"method {chosen_method.value} does not apply to this problem (side constraints "
            "or binding capacity need the MIP)",
            kind="options",
            field="method",
        )
    if chosen_method is Method.DENSE and not bool(np.all(problem.max_households[units] == 1)):
        raise PlacementInputError(
            "method dense_assignment needs every unit to take one household",
            kind="options",
            field="method",
        )
    cells = len(problem.household_ids) * len(problem.unit_ids)
    if chosen_method is Method.DENSE and cells > DENSE_CELLS:
        raise PlacementInputError(
            f"method dense_assignment needs households x units <= {DENSE_CELLS}, not {cells}",
            kind="options",
            field="method",
        )
    if chosen_method is Method.FLOW:
        nodes = len(problem.household_ids) + len(problem.unit_ids) + 2
        limit = _FLOW_RANGE // (nodes + 1)
        scaled = scale_scores(problem.score[index], active, limit, tie_break=True)
        chosen = _solve_flow(problem, households, units, scaled)
        return _result(problem, index[chosen], Status.OPTIMAL, chosen_method, scaled, None, 0)
    if chosen_method is Method.DENSE:
        limit = _DENSE_EXACT // active
        scaled = scale_scores(problem.score[index], active, limit, tie_break=True)
        chosen = _solve_dense(problem, households, units, scaled)
        return _result(problem, index[chosen], Status.OPTIMAL, chosen_method, scaled, None, 0)
    limit = _FLOAT_EXACT // active
    scaled = scale_scores(problem.score[index], active, limit, tie_break=False)
    mip = _solve_mip(problem, index, scaled, gap, time_limit)
    if mip.status is Status.INFEASIBLE:
        listed = "; ".join(_describe(row) for row in problem.rows)
        return _empty(
            problem,
            Status.INFEASIBLE,
            Method.MIP,
            f"The side constraints cannot all hold together ({listed}).",
        )
    return _result(
        problem,
        index[mip.chosen],
        mip.status,
        Method.MIP,
        scaled,
        mip.bound,
        mip.nodes,
        tie_break=mip.tie_break,
    )


def _describe(row: ShareRow) -> str:
    constraint = row.constraint
    groups = ", ".join(constraint.groups)
    where = f" in complex {constraint.complex}" if constraint.complex is not None else ""
    if ShareBasis(constraint.basis) is ShareBasis.UNITS:
        return (
            f"at least {row.lower} households of {groups}{where} "
            f"({constraint.minimum:g} of its {row.units} units)"
        )
    return f"at least {constraint.minimum:g} of the placements{where} for {groups}"


def _units_precheck(problem: OptimisationProblem, index: IntArray) -> str:
    """A share of units that too few eligible households could fill, in a sentence."""
    messages = []
    for row in problem.rows:
        if row.lower <= 0:
            continue
        eligible = index[row.coef[index] > 0]
        households = int(np.unique(problem.pair_household[eligible]).size)
        constraint = row.constraint
        if households < row.lower:
            messages.append(
                f"Complex {constraint.complex} must house at least {row.lower} households of "
                f"{', '.join(constraint.groups)} ({constraint.minimum:g} of its {row.units} "
                f"units), but only {households} such households have a pair there with a "
                "score > 0 that fits."
            )
    return " ".join(messages)


# --------------------------------------------------------------------------------------------
# Min-cost flow and dense assignment
# --------------------------------------------------------------------------------------------


def _solve_flow(
    problem: OptimisationProblem, households: IntArray, units: IntArray, scaled: Scaled
) -> IntArray:
    """Indices (into the usable pairs) of the pairs with flow."""
    n_households, n_units = problem.shape
    source, sink = n_households + n_units, n_households + n_units + 1
    active = np.unique(households)
    degree = np.bincount(units, minlength=n_units)
    used = np.flatnonzero(degree)
    tails = np.concatenate(
        [np.full(active.size, source), households, n_households + used, [source]]
    ).astype(np.int32)
    heads = np.concatenate([active, n_households + units, np.full(used.size, sink), [sink]]).astype(
        np.int32
    )
    capacities = np.concatenate(
        [
            np.ones(active.size + households.size, dtype=np.int64),
            np.minimum(problem.max_households[used], degree[used]),
            [active.size],
        ]
    ).astype(np.int64)
    costs = np.concatenate(
        [
            np.zeros(active.size, dtype=np.int64),
            -scaled.weight,
            np.zeros(used.size + 1, dtype=np.int64),
        ]
    ).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_node_supply(source, int(active.size))
    flow.set_node_supply(sink, -int(active.size))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise PlacementSolverError(f"min-cost flow: {status.name}")
    arcs = np.arange(active.size, active.size + households.size, dtype=np.int32)
    values = np.asarray(flow.flows(arcs), dtype=np.int64)
    return np.flatnonzero(values > 0)


def _solve_dense(
    problem: OptimisationProblem, households: IntArray, units: IntArray, scaled: Scaled
) -> IntArray:
    """Indices (into the usable pairs) of the matched pairs; missing pairs weigh 0."""
    from scipy.optimize import linear_sum_assignment  # only here: the import takes a while

    n_households, n_units = problem.shape
    matrix = np.zeros((n_households, n_units), dtype=np.float64)
    matrix[households, units] = scaled.weight
    rows, columns = linear_sum_assignment(matrix, maximize=True)
    matched = np.zeros((n_households, n_units), dtype=np.bool_)
    matched[rows, columns] = True
    return np.flatnonzero(matched[households, units])


# --------------------------------------------------------------------------------------------
# MIP
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class _Mip:
    status: Status
    #: Indices into the usable pairs.
    chosen: IntArray
    #: Upper bound on sum round(score x 10**decimals) (``None`` when proven optimal).
    bound: float | None
    nodes: int
    tie_break: bool


class _Rows:
    """Rows of a sparse matrix collected as (row, column, value) triplets with bounds."""

    def __init__(self) -> None:
        self.rows: list[IntArray] = []
        self.cols: list[IntArray] = []
        self.vals: list[FloatArray] = []
        self.lower: list[FloatArray] = []
        self.upper: list[FloatArray] = []
        self.count = 0

    def copy(self) -> _Rows:
        other = _Rows()
        other.rows, other.cols, other.vals = list(self.rows), list(self.cols), list(self.vals)
        other.lower, other.upper, other.count = list(self.lower), list(self.upper), self.count
        return other

    def add(
        self, row_of: IntArray, col: IntArray, val: FloatArray, low: FloatArray, up: FloatArray
    ) -> None:
        """Rows ``0..low.size-1`` (numbered from the current count) with their entries."""
        self.rows.append(row_of + self.count)
        self.cols.append(col)
        self.vals.append(val)
        self.lower.append(low)
        self.upper.append(up)
        self.count += low.size

    def add_grouped(
        self, owner: IntArray, owners: int, selected: IntArray, val: FloatArray, up: FloatArray
    ) -> None:
        """One row ``sum val x <= up[i]`` per selected owner i (a household or unit, of
        ``owners``) over the columns whose owner it is."""
        row_of = np.full(owners, -1, dtype=np.int64)
        row_of[selected] = np.arange(selected.size)
        mask = row_of[owner] >= 0
        self.add(
            row_of[owner][mask],
            np.flatnonzero(mask),
            val[mask],
            np.full(selected.size, -highspy.kHighsInf),
            up,
        )

    def model(self, cost: FloatArray, *, integer: bool) -> highspy.HighsLp:
        """``min cost x`` over these rows, columns in [0, 1] (binary when ``integer``)."""
        columns = cost.size
        rows = np.concatenate(self.rows) if self.rows else np.zeros(0, dtype=np.int64)
        cols = np.concatenate(self.cols) if self.cols else np.zeros(0, dtype=np.int64)
        vals = np.concatenate(self.vals) if self.vals else np.zeros(0)
        order = np.lexsort((rows, cols))
        lp = highspy.HighsLp()
        lp.num_col_ = columns
        lp.num_row_ = self.count
        lp.col_cost_ = cost
        lp.col_lower_ = np.zeros(columns)
        lp.col_upper_ = np.ones(columns)
        lp.row_lower_ = np.concatenate([*self.lower, np.zeros(0)]).astype(np.float64)
        lp.row_upper_ = np.concatenate([*self.upper, np.zeros(0)]).astype(np.float64)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.num_col_ = columns
        lp.a_matrix_.num_row_ = self.count
        lp.a_matrix_.start_ = np.searchsorted(cols[order], np.arange(columns + 1)).astype(np.int64)
        lp.a_matrix_.index_ = rows[order]
        lp.a_matrix_.value_ = vals[order]
        if integer:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * columns
        return lp


def mip_rows(problem: OptimisationProblem, index: IntArray) -> _Rows:
    """The rows of the placement MIP over the usable pairs ``index``: a household row only
    where it has two or more pairs, a count row only where a unit has more candidates than
    max_households, a persons row only where capacity can bind; the side constraints."""
    households = problem.pair_household[index]
    units = problem.pair_unit[index]
    ones = np.ones(index.size)
    n_households, n_units = problem.shape
    matrix = _Rows()
    per_household = np.bincount(households, minlength=n_households)
    shared = np.flatnonzero(per_household >= 2)
    matrix.add_grouped(households, n_households, shared, ones, np.ones(shared.size))
    per_unit = np.bincount(units, minlength=n_units)
    crowded = np.flatnonzero(per_unit > problem.max_households)
    matrix.add_grouped(
        units, n_units, crowded, ones, problem.max_households[crowded].astype(np.float64)
    )
    tight = np.flatnonzero(capacity_binding(problem, households, units))
    matrix.add_grouped(
        units,
        n_units,
        tight,
        problem.persons[households].astype(np.float64),
        problem.capacity[tight].astype(np.float64),
    )
    for share in problem.rows:
        coef = share.coef[index]
        nonzero = np.flatnonzero(coef)
        matrix.add(
            np.zeros(nonzero.size, dtype=np.int64),
            nonzero,
            coef[nonzero].astype(np.float64),
            np.array([float(share.lower)]),
            np.array([highspy.kHighsInf]),
        )
    return matrix


def _run(
    highs: highspy.Highs, lp: highspy.HighsLp, start: FloatArray | None = None
) -> tuple[str, FloatArray | None]:
    """Run HiGHS; (outcome, column values): outcome ``optimal``, ``infeasible`` or
    ``limit`` (time limit with a solution; values ``None`` without one)."""
    highs.passModel(lp)
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = start
        solution.value_valid = True
        highs.setSolution(solution)
    highs.run()
    status = highs.getModelStatus()
    if status == _STATUS.kInfeasible:
        return "infeasible", None
    info = highs.getInfo()
    values = np.asarray(highs.getSolution().col_value, dtype=np.float64)
    if status == _STATUS.kOptimal:
        return "optimal", values
    if status in (_STATUS.kTimeLimit, _STATUS.kInterrupt):
        has_solution = int(info.primal_solution_status) == 2  # kSolutionStatusFeasible
        return "limit", values if has_solution else None
    raise PlacementSolverError(f"placement MIP: {highs.modelStatusToString(status)}")


def _solve_mip(
    problem: OptimisationProblem,
    index: IntArray,
    scaled: Scaled,
    gap: float,
    time_limit: float | None,
) -> _Mip:
    options: dict[str, bool | int | float | str] = {}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    whole = scaled.whole
    cost = -whole.astype(np.float64)
    rows = mip_rows(problem, index)

    # Stage 1: the LP relaxation bounds the optimum.
    highs = new_highs(**options)
    outcome, relaxed = _run(highs, rows.model(cost, integer=False))
    if outcome == "infeasible":
        return _Mip(Status.INFEASIBLE, np.zeros(0, dtype=np.int64), None, 0, False)
    if relaxed is None:
        raise PlacementSolverError("placement LP: the time limit ended it without an answer")
    lp_bound = float(whole @ relaxed)
    reduced = np.asarray(highs.getSolution().col_dual, dtype=np.float64)

    # Stage 2: the MIP over a core (the LP support and each household's pairs of smallest
    # reduced cost), a good placement quickly.
    core = _core(problem.pair_household[index], relaxed, reduced)
    start: IntArray | None = None
    sub = mip_rows(problem, index[core])
    sub_outcome, sub_values = _run(
        new_highs(mip_rel_gap=gap / 2 if gap > 0 else CORE_GAP, mip_abs_gap=0.99, **options),
        sub.model(cost[core], integer=True),
    )
    if sub_values is not None and sub_outcome != "infeasible":
        candidate = core[sub_values > 0.5]
        if verify(problem, index[candidate]) is None:
            start = candidate
    if start is not None and gap > 0:
        value = float(whole[start].sum())
        if lp_bound - value < 1 or value >= (1 - gap) * lp_bound:
            status = Status.OPTIMAL if lp_bound - value < 1 else Status.WITHIN_GAP
            bound = None if status is Status.OPTIMAL else lp_bound
            return _Mip(status, start, bound, 0, False)

    # Stage 3: the full MIP from that start.
    highs = new_highs(mip_rel_gap=float(gap), mip_abs_gap=0.99, **options)
    initial = None
    if start is not None:
        initial = np.zeros(index.size)
        initial[start] = 1.0
    outcome, values = _run(highs, rows.model(cost, integer=True), initial)
    if outcome == "infeasible":
        return _Mip(Status.INFEASIBLE, np.zeros(0, dtype=np.int64), None, 0, False)
    if values is None:
        raise PlacementSolverError("placement MIP: the time limit ended it without a solution")
    info = highs.getInfo()
    chosen = np.flatnonzero(values > 0.5)
    nodes = int(info.mip_node_count)
    primal = float(whole[chosen].sum())
    dual = min(-float(info.mip_dual_bound), lp_bound)
    if outcome == "optimal" and dual - primal < 1:
        if gap == 0:
            chosen = _most_households(problem, index, rows, whole, chosen, options)
            return _Mip(Status.OPTIMAL, chosen, None, nodes, True)
        return _Mip(Status.OPTIMAL, chosen, None, nodes, False)
    status = Status.WITHIN_GAP if outcome == "optimal" else Status.TIME_LIMIT
    return _Mip(status, chosen, max(dual, primal), nodes, False)


def _core(households: IntArray, relaxed: FloatArray, reduced: FloatArray) -> IntArray:
    """The LP support and each household's :data:`CORE_PAIRS` pairs of smallest reduced cost
    (a core problem: pairs outside it rarely belong to a good placement)."""
    order = np.lexsort((reduced, households))
    rank = np.arange(order.size) - np.searchsorted(households[order], households[order])
    return np.union1d(np.flatnonzero(relaxed > _INTEGRAL), order[rank < CORE_PAIRS])


def _most_households(
    problem: OptimisationProblem,
    index: IntArray,
    rows: _Rows,
    whole: IntArray,
    chosen: IntArray,
    options: dict[str, bool | int | float | str],
) -> IntArray:
    """Among the placements of the optimal total score, one placing the most households
    (a second MIP: maximise the count subject to total score >= the optimum); ``chosen`` when
    that MIP fails or its answer does not check out exactly."""
    optimum = int(whole[chosen].sum())
    stage = rows.copy()
    every = np.arange(index.size, dtype=np.int64)
    stage.add(
        np.zeros(index.size, dtype=np.int64),
        every,
        whole.astype(np.float64),
        np.array([float(optimum)]),
        np.array([highspy.kHighsInf]),
    )
    initial = np.zeros(index.size)
    initial[chosen] = 1.0
    try:
        outcome, values = _run(
            new_highs(mip_rel_gap=0.0, mip_abs_gap=0.99, **options),
            stage.model(-np.ones(index.size), integer=True),
            initial,
        )
    except PlacementSolverError:
        return chosen
    if values is None or outcome == "infeasible":
        return chosen
    better = np.flatnonzero(values > 0.5)
    if (
        int(whole[better].sum()) >= optimum
        and better.size > chosen.size
        and verify(problem, index[better]) is None
    ):
        return better
    return chosen


# --------------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------------


def verify(problem: OptimisationProblem, chosen: IntArray) -> str | None:
    """The first constraint the chosen pairs violate (exact integer arithmetic), or None."""
    households = problem.pair_household[chosen]
    units = problem.pair_unit[chosen]
    if households.size and int(np.bincount(households).max()) > 1:
        return "a household placed twice"
    n_units = len(problem.unit_ids)
    if bool(np.any(np.bincount(units, minlength=n_units) > problem.max_households)):
        return "a unit's max_households"
    load = np.bincount(units, weights=problem.persons[households], minlength=n_units)
    if bool(np.any(load > problem.capacity)):
        return "a unit's capacity"
    for row in problem.rows:
        if int(row.coef[chosen].sum()) < row.lower:
            return f"the side constraint {_describe(row)}"
    return None


def _result(
    problem: OptimisationProblem,
    chosen: IntArray,
    status: Status,
    method: Method,
    scaled: Scaled,
    bound: float | None,
    nodes: int,
    *,
    tie_break: bool | None = None,
) -> Assignment:
    violated = verify(problem, chosen)
    if violated is not None:
        raise PlacementSolverError(f"{method.value}: the solution violates {violated}")
    chosen = chosen[np.argsort(problem.pair_household[chosen], kind="stable")]
    scores = problem.score[chosen].tolist()
    placements = tuple(
        Placement(problem.household_ids[h], problem.unit_ids[u], s)
        for h, u, s in zip(
            problem.pair_household[chosen].tolist(),
            problem.pair_unit[chosen].tolist(),
            scores,
            strict=True,
        )
    )
    objective = math.fsum(scores)
    placed = np.zeros(len(problem.household_ids), dtype=np.bool_)
    placed[problem.pair_household[chosen]] = True
    upper = objective if bound is None else max(objective, bound / 10.0**scaled.decimals)
    return Assignment(
        status=status,
        method=method,
        placements=placements,
        objective=objective,
        placed=len(placements),
        bound=upper,
        gap=(upper - objective) / max(abs(upper), 1e-9),
        reason="",
        pairs=int(problem.score.size),
        decimals=scaled.decimals,
        exact_scores=scaled.exact,
        tie_break=scaled.tie_break if tie_break is None else tie_break,
        mip_nodes=nodes,
        unplaced=unplaced(problem, placed),
    )


def _empty(problem: OptimisationProblem, status: Status, method: Method, reason: str) -> Assignment:
    return Assignment(
        status=status,
        method=method,
        placements=(),
        objective=0.0,
        placed=0,
        bound=0.0,
        gap=0.0,
        reason=reason,
        pairs=int(problem.score.size),
        decimals=0,
        exact_scores=True,
        tie_break=True,
        mip_nodes=0,
        unplaced=unplaced(problem, np.zeros(len(problem.household_ids), dtype=np.bool_)),
    )


def unplaced(problem: OptimisationProblem, placed: BoolArray) -> tuple[Unplaced, ...]:
    """Why each household without a placement has none (input order):
    no pair lists it, or none of its units can take it (its persons above the capacity, or
    max_households 0): ``no_feasible_unit``; every pair that fits scores <= 0:
    ``no_positive_score``; else ``outcompeted`` (the optimum places others, or a side
    constraint keeps it out)."""
    n_households = len(problem.household_ids)
    h, u = problem.pair_household, problem.pair_unit
    fits = (problem.persons[h] <= problem.capacity[u]) & (problem.max_households[u] >= 1)
    listed = np.bincount(h, minlength=n_households)
    fitting = np.bincount(h[fits], minlength=n_households)
    usable = np.bincount(h[fits & (problem.score > 0)], minlength=n_households)
    result = []
    for index in np.flatnonzero(~placed).tolist():
        if listed[index] == 0:
            outcome, message = Outcome.NO_FEASIBLE_UNIT, "no pair lists this household"
        elif fitting[index] == 0:
            outcome = Outcome.NO_FEASIBLE_UNIT
            message = (
                f"none of its {_count(int(listed[index]), 'unit')} can take it "
                f"({problem.persons[index]} persons above the capacity, or max_households 0)"
            )
        elif usable[index] == 0:
            outcome = Outcome.NO_POSITIVE_SCORE
            message = f"its {_count(int(fitting[index]), 'pair')} that fit all score 0 or less"
        else:
            outcome = Outcome.OUTCOMPETED
            message = (
                f"outcompeted: its {_count(int(usable[index]), 'unit')} with a score > 0 "
                "went to others (a higher total score"
                + (", or a side constraint)" if problem.rows else ")")
            )
        result.append(Unplaced(problem.household_ids[index], outcome, message))
    return tuple(result)


def _count(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
