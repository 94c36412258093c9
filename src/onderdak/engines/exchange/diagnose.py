"""Why an exchange is infeasible, in sentences that name municipalities and groups.

Three stages, each used only when the previous one finds nothing:

1. Explicit pre-checks (exact, in integers and fractions), in this order: a max_hand_off that
   leaves a municipality more places than its capacity; a group whose regional capacity is
   below the regional obligation (or whose max_take_over caps leave too little room), and for
   a within_province group every province whose capacity (or room) is below its obligation,
   naming the province (the Spreidingswet total of each province must hold); in swap
   mode a municipality that cannot provide the points it owes; the fairness bounds (the
   region's sum, an empty band, a band out of reach of capacity and caps, or in swap mode the
   owed points outside the band).
2. An elastic LP: group totals (per province for a within_province group) and capacities stay
   hard; the caps, the swap balances and the
   fairness bounds get a slack per constraint (beyond-cap columns x_over in [0, capacity -
   upper] and x_under in [0, lower], points slacks s+ and s- per municipality row), and the LP
   minimises the total slack counted in points. Its positive slacks are one smallest set of
   constraints that must give way (other sets of the same size may exist); elastic programming
   as in J. W. Chinneck, *Feasibility and Infeasibility in Optimization*, Springer 2008.
3. When even that finds nothing, a fractional allocation exists but no whole-number one (the
   points per place cannot make up the required points exactly); the same elastic model with
   integer places (a small MIP) then names the balances or bounds that must give way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

import highspy
import numpy as np

from onderdak.engines.exchange.model import (
    Conflict,
    ConflictKind,
    ExchangeSolverError,
    FloatArray,
    IntArray,
    Mode,
)
from onderdak.engines.exchange.solver import LinearModel, column_wise
from onderdak.engines.exchange.validate import Problem
from onderdak.engines.highs import new_highs

_SLACK = 1e-6


def number(value: Fraction | float | int) -> str:
    """A figure for a sentence: whole numbers plain, others with at most two decimals."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return str(value.numerator)
    rounded = round(float(value), 2)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.2f}".rstrip("0")


def count(value: Fraction | float | int, noun: str) -> str:
    """``1 place``, ``2 places``, ``0.5 places``."""
    text = number(value)
    return f"{text} {noun}" if text == "1" else f"{text} {noun}s"


def _conflict(
    kind: ConflictKind,
    message: str,
    amount: Fraction | float | int,
    *,
    municipality: str | None = None,
    group: str | None = None,
) -> Conflict:
    return Conflict(kind, municipality, group, float(amount), message, "precheck")


# --------------------------------------------------------------------------------------------
# 1. Pre-checks
# --------------------------------------------------------------------------------------------


def precheck(problem: Problem) -> list[Conflict]:
    """Every conflict the explicit checks find, in the documented order."""
    conflicts = _hand_off_above_capacity(problem)
    conflicts += _group_capacity(problem)
    if problem.mode is Mode.SWAP:
        conflicts += _swap_balance(problem)
    if problem.fairness is not None:
        conflicts += _fairness(problem)
    return conflicts


def _hand_off_above_capacity(problem: Problem) -> list[Conflict]:
    conflicts = []
    rows, columns = np.nonzero(problem.lower > problem.capacity)
    for i, g in zip(rows.tolist(), columns.tolist(), strict=True):
        code, group = problem.codes[i], problem.groups[g]
        least, room = int(problem.lower[i, g]), int(problem.capacity[i, g])
        message = (
            f"{code} must provide at least {count(least, group + ' place')} (obligation "
            f"{int(problem.obligation[i, g])} minus max_hand_off {int(problem.max_hand_off[i, g])})"
            f" but has capacity for only {room}."
        )
        conflicts.append(
            _conflict(
                ConflictKind.HAND_OFF_ABOVE_CAPACITY,
                message,
                least - room,
                municipality=code,
                group=group,
            )
        )
    return conflicts


def _group_capacity(problem: Problem) -> list[Conflict]:
    conflicts = []
    owed = problem.obligation.sum(axis=0)
    capacity = problem.capacity.sum(axis=0)
    room = problem.upper.sum(axis=0)
    for g, group in enumerate(problem.groups):
        need = int(owed[g])
        if int(capacity[g]) < need:
            short = need - int(capacity[g])
            message = (
                f"The region lacks capacity for {group}: it owes {count(need, 'place')} but the "
                f"municipalities can provide at most {int(capacity[g])} (short by {short})."
            )
            conflicts.append(_conflict(ConflictKind.GROUP_CAPACITY, message, short, group=group))
        elif int(room[g]) < need:
            short = need - int(room[g])
            capped = [
                problem.codes[i]
                for i in np.flatnonzero(problem.upper[:, g] < problem.capacity[:, g]).tolist()
            ]
            message = (
                f"The max_take_over caps leave too little room for {group}: the region owes "
                f"{count(need, 'place')} but capacity and caps allow at most {int(room[g])} (short by "
                f"{short}); capped: {', '.join(capped)}."
            )
            conflicts.append(_conflict(ConflictKind.TAKE_OVER_CAPS, message, short, group=group))
    if any(problem.within):
        conflicts += _province_capacity(problem, reported={c.group for c in conflicts})
    return conflicts


def _province_capacity(problem: Problem, *, reported: set[str | None]) -> list[Conflict]:
    """A within_province group: every province must hold its own total (Spreidingswet).

    A group whose regional capacity already fails is reported once, by the regional check.
    """
    conflicts = []
    owed = problem.block_totals(problem.obligation)
    capacity = problem.block_totals(problem.capacity)
    room = problem.block_totals(problem.upper)
    block_of = problem.block_of
    for b, (g, province) in enumerate(problem.blocks):
        group = problem.groups[g]
        if province is None or group in reported:
            continue
        need = int(owed[b])
        if int(capacity[b]) < need:
            short = need - int(capacity[b])
            message = (
                f"Province {province} lacks capacity for {group}: its municipalities owe "
                f"{count(need, 'place')} but can provide at most {int(capacity[b])} (short by "
                f"{short}); {group} places stay within their province."
            )
            conflicts.append(
                replace(
                    _conflict(ConflictKind.PROVINCE_CAPACITY, message, short, group=group),
                    province=province,
                )
            )
        elif int(room[b]) < need:
            short = need - int(room[b])
            members = block_of[:, g] == b
            capped = [
                problem.codes[i]
                for i in np.flatnonzero(
                    members & (problem.upper[:, g] < problem.capacity[:, g])
                ).tolist()
            ]
            message = (
                f"The max_take_over caps leave too little room for {group} in province "
                f"{province}: the province owes {count(need, 'place')} but capacity and caps "
                f"allow at most {int(room[b])} (short by {short}); capped: {', '.join(capped)}."
            )
            conflicts.append(
                replace(
                    _conflict(ConflictKind.PROVINCE_TAKE_OVER_CAPS, message, short, group=group),
                    province=province,
                )
            )
    return conflicts


def _swap_balance(problem: Problem) -> list[Conflict]:
    conflicts = []
    reach = problem.upper @ problem.weights
    broken = np.any(problem.lower > problem.upper, axis=1)
    for i in np.flatnonzero((reach < problem.owed) & ~broken).tolist():
        code = problem.codes[i]
        owed = problem.points_of(int(problem.owed[i]))
        most = problem.points_of(int(reach[i]))
        message = (
            f"In swap mode {code} cannot balance its points: it owes {count(owed, 'point')} but "
            f"capacity and caps allow at most {number(most)}."
        )
        conflicts.append(
            _conflict(ConflictKind.SWAP_BALANCE, message, owed - most, municipality=code)
        )
    return conflicts


def _fairness(problem: Problem) -> list[Conflict]:
    conflicts: list[Conflict] = []
    for i, code in enumerate(problem.codes):
        low, high = problem.band_exact[i]
        if problem.band_low[i] > problem.band_high[i]:
            message = (
                f"{code} cannot meet its fairness band: it must provide between {number(low)} "
                f"and {count(high or 0, 'point')}, which no combination of whole places gives."
            )
            conflicts.append(_conflict(ConflictKind.FAIRNESS_BAND, message, 0, municipality=code))
    if conflicts:
        return conflicts
    if problem.mode is Mode.SWAP:
        return _fairness_of_owed_points(problem)
    return _fairness_of_region(problem) + _fairness_within_reach(problem)


def _ratio_text(problem: Problem, bound: str) -> str:
    value = problem.min_ratio if bound == "min" else problem.max_ratio
    return f"{bound}_ratio {number(value or 0)} x the regional average"


def _fairness_of_owed_points(problem: Problem) -> list[Conflict]:
    """Swap mode: every municipality provides exactly what it owes; is that inside its band?"""
    conflicts = []
    for i, code in enumerate(problem.codes):
        low, high = problem.band_exact[i]
        owed = problem.points_of(int(problem.owed[i]))
        if owed < low:
            message = (
                f"In swap mode {code} provides exactly the {count(owed, 'point')} it owes, below "
                f"its fairness minimum of {count(low, 'point')} ({_ratio_text(problem, 'min')})."
            )
            conflicts.append(
                _conflict(ConflictKind.FAIRNESS_MIN, message, low - owed, municipality=code)
            )
        elif high is not None and owed > high:
            message = (
                f"In swap mode {code} provides exactly the {count(owed, 'point')} it owes, above "
                f"its fairness maximum of {count(high, 'point')} ({_ratio_text(problem, 'max')})."
            )
            conflicts.append(
                _conflict(ConflictKind.FAIRNESS_MAX, message, owed - high, municipality=code)
            )
    return conflicts


def _fairness_of_region(problem: Problem) -> list[Conflict]:
    """The bands together must admit the region's points (rounded inward to whole points)."""
    conflicts = []
    total = int(problem.owed.sum())
    owed = count(problem.points_of(total), "point")
    least = int(problem.band_low.sum())
    if least > total:
        message = (
            f"The fairness minimums cannot all hold: together they ask at least "
            f"{count(problem.points_of(least), 'point')}, more than the {owed} the region "
            f"owes ({_ratio_text(problem, 'min')})."
        )
        excess = problem.points_of(least - total)
        conflicts.append(_conflict(ConflictKind.FAIRNESS_REGION, message, excess))
    if np.all(np.isfinite(problem.band_high)):
        most = int(problem.band_high.sum())
        if most < total:
            message = (
                f"The fairness maximums cannot all hold: together they allow at most "
                f"{count(problem.points_of(most), 'point')}, less than the {owed} the "
                f"region owes ({_ratio_text(problem, 'max')})."
            )
            short = problem.points_of(total - most)
            conflicts.append(_conflict(ConflictKind.FAIRNESS_REGION, message, short))
    return conflicts


def _fairness_within_reach(problem: Problem) -> list[Conflict]:
    """Each band must overlap what capacity and caps let the municipality provide."""
    conflicts = []
    high_reach = problem.upper @ problem.weights
    low_reach = problem.lower @ problem.weights
    for i, code in enumerate(problem.codes):
        low, high = problem.band_exact[i]
        if high_reach[i] < problem.band_low[i]:
            most = problem.points_of(int(high_reach[i]))
            message = (
                f"{code} cannot reach its fairness minimum of {count(low, 'point')}: capacity "
                f"and caps allow at most {count(most, 'point')}."
            )
            conflicts.append(
                _conflict(ConflictKind.FAIRNESS_MIN, message, low - most, municipality=code)
            )
        if high is not None and low_reach[i] > problem.band_high[i]:
            least = problem.points_of(int(low_reach[i]))
            message = (
                f"{code} cannot stay within its fairness maximum of {count(high, 'point')}: its "
                f"max_hand_off caps make it provide at least {count(least, 'point')}."
            )
            conflicts.append(
                _conflict(ConflictKind.FAIRNESS_MAX, message, least - high, municipality=code)
            )
    return conflicts


# --------------------------------------------------------------------------------------------
# 2. Elastic LP
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class _Elastic:
    """The elastic LP and where its slack columns start."""

    model: LinearModel
    #: Cells with a beyond-take-over column and a beyond-hand-off column.
    over: IntArray
    under: IntArray
    #: Municipality of each points row.
    rows_for: IntArray


def _elastic_model(problem: Problem) -> _Elastic:
    """Columns: x (every cell), x_over, x_under, s_plus and s_minus (per points row)."""
    m_count, g_count = problem.shape
    b_count = len(problem.blocks)
    block_of = problem.block_of.ravel()
    cells = np.arange(m_count * g_count)
    capacity = problem.capacity.ravel()
    lower = problem.lower.ravel()
    upper = problem.upper.ravel()
    over = cells[upper < capacity]
    under = cells[lower > 0]
    rows_for = np.arange(m_count if problem.mode is Mode.SWAP or problem.fairness else 0)
    if problem.mode is Mode.SWAP:
        row_lower = problem.owed.astype(np.float64)
        row_upper = row_lower
    else:
        row_lower, row_upper = problem.band_low[rows_for], problem.band_high[rows_for]
    r_count = rows_for.size

    entry_rows: list[IntArray] = []
    entry_cols: list[IntArray] = []
    entry_vals: list[FloatArray] = []
    offset = 0
    for part, sign in ((cells, 1.0), (over, 1.0), (under, -1.0)):
        column = offset + np.arange(part.size)
        entry_rows.append(block_of[part])
        entry_cols.append(column)
        entry_vals.append(np.full(part.size, sign))
        if r_count:
            entry_rows.append(b_count + part // g_count)
            entry_cols.append(column)
            entry_vals.append(sign * problem.weights[part % g_count].astype(np.float64))
        offset += part.size
    for sign in (1.0, -1.0):
        entry_rows.append(b_count + np.arange(r_count))
        entry_cols.append(offset + np.arange(r_count))
        entry_vals.append(np.full(r_count, sign))
        offset += r_count
    start, index, value = column_wise(
        np.concatenate(entry_rows), np.concatenate(entry_cols), np.concatenate(entry_vals), offset
    )
    group_points = np.array([float(p) for p in problem.points])
    owed = problem.block_totals(problem.obligation).astype(np.float64)
    model = LinearModel(
        cost=np.concatenate(
            (
                np.zeros(cells.size),
                group_points[over % g_count],
                group_points[under % g_count],
                np.full(2 * r_count, 1.0 / problem.scale),
            )
        ),
        col_lower=np.concatenate((lower, np.zeros(offset - cells.size))).astype(np.float64),
        col_upper=np.concatenate(
            (upper, (capacity - upper)[over], lower[under], np.full(2 * r_count, np.inf))
        ).astype(np.float64),
        row_lower=np.concatenate((owed, row_lower)),
        row_upper=np.concatenate((owed, row_upper)),
        start=start,
        index=index,
        value=value,
    )
    return _Elastic(model, over, under, rows_for)


def relax(problem: Problem, *, whole_places: bool = False) -> list[Conflict]:
    """The constraints the elastic LP must relax (empty when a fractional allocation exists).

    With ``whole_places`` the places columns are integer (a small MIP; stage 3) and the
    conflicts come with source ``"integrality"``. Assumes the pre-checks passed (lower <=
    capacity, regional capacity >= obligation), so the elastic programme is feasible.
    """
    elastic = _elastic_model(problem)
    places = problem.obligation.size + elastic.over.size + elastic.under.size
    highs = new_highs(mip_rel_gap=0.0)
    highs.passModel(elastic.model.to_highs(integer=places if whole_places else False))
    highs.run()
    status = highs.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise ExchangeSolverError(f"elastic programme: {highs.modelStatusToString(status)}")
    values = np.asarray(highs.getSolution().col_value, dtype=np.float64)
    conflicts = []
    start = problem.obligation.size
    for cell, amount in zip(elastic.over.tolist(), values[start:].tolist(), strict=False):
        if amount > _SLACK:
            conflicts.append(_over_cap(problem, cell, amount))
    start += elastic.over.size
    for cell, amount in zip(elastic.under.tolist(), values[start:].tolist(), strict=False):
        if amount > _SLACK:
            conflicts.append(_under_cap(problem, cell, amount))
    start += elastic.under.size
    r_count = elastic.rows_for.size
    for k, i in enumerate(elastic.rows_for.tolist()):
        short = values[start + k] / problem.scale
        excess = values[start + r_count + k] / problem.scale
        if short > _SLACK or excess > _SLACK:
            conflicts.append(_points_slack(problem, i, short, excess))
    if whole_places:
        conflicts = [replace(c, source="integrality") for c in conflicts]
    return conflicts


def _relaxed(
    kind: ConflictKind, message: str, amount: float, municipality: str, group: str | None
) -> Conflict:
    return Conflict(kind, municipality, group, amount, message, "relaxation")


def _over_cap(problem: Problem, cell: int, amount: float) -> Conflict:
    i, g = divmod(cell, len(problem.groups))
    code, group = problem.codes[i], problem.groups[g]
    message = (
        f"{code} would take over {count(amount, group + ' place')} more than its max_take_over "
        f"of {int(problem.max_take_over[i, g])} allows."
    )
    return _relaxed(ConflictKind.MAX_TAKE_OVER, message, amount, code, group)


def _under_cap(problem: Problem, cell: int, amount: float) -> Conflict:
    i, g = divmod(cell, len(problem.groups))
    code, group = problem.codes[i], problem.groups[g]
    message = (
        f"{code} would hand off {count(amount, group + ' place')} more than its max_hand_off "
        f"of {int(problem.max_hand_off[i, g])} allows."
    )
    return _relaxed(ConflictKind.MAX_HAND_OFF, message, amount, code, group)


def _points_slack(problem: Problem, i: int, short: float, excess: float) -> Conflict:
    code = problem.codes[i]
    if problem.mode is Mode.SWAP:
        owed = number(problem.points_of(int(problem.owed[i])))
        direction = "fewer" if short > _SLACK else "more"
        amount = short if short > _SLACK else excess
        message = (
            f"{code} would provide {count(amount, 'point')} {direction} than the {owed} it owes."
        )
        return _relaxed(ConflictKind.SWAP_BALANCE, message, amount, code, None)
    low, high = problem.band_exact[i]
    if short > _SLACK:
        message = (
            f"{code} would provide {count(short, 'point')} below its fairness minimum of "
            f"{count(low, 'point')}."
        )
        return _relaxed(ConflictKind.FAIRNESS_MIN, message, short, code, None)
    message = (
        f"{code} would provide {count(excess, 'point')} above its fairness maximum of "
        f"{count(high or 0, 'point')}."
    )
    return _relaxed(ConflictKind.FAIRNESS_MAX, message, excess, code, None)


# --------------------------------------------------------------------------------------------
# 3. Integrality
# --------------------------------------------------------------------------------------------


def integrality_conflict(problem: Problem) -> Conflict:
    """Stage 3's opening sentence: fractions would do, whole places do not."""
    listed = ", ".join(
        f"{group} {number(points)}"
        for group, points in zip(problem.groups, problem.points, strict=True)
    )
    message = (
        "A fractional allocation meets every constraint, but no allocation in whole places "
        f"does: the points per place ({listed}) cannot make up the required points of every "
        "municipality exactly."
    )
    return Conflict(ConflictKind.INTEGRALITY, None, None, 0.0, message, "integrality")


RELAXATION_INTRO = (
    "No allocation meets all constraints together. A smallest relaxation (counted in points):"
)
WHOLE_PLACES_INTRO = "In whole places, a smallest relaxation (counted in points):"


def explain_infeasible(problem: Problem) -> list[Conflict]:
    """Stages 2 and 3 for a problem that passed the pre-checks but has no allocation."""
    conflicts = relax(problem)
    if conflicts:
        return conflicts
    return [integrality_conflict(problem), *relax(problem, whole_places=True)]


def reason(conflicts: list[Conflict]) -> str:
    """The sentence(s) for the ``reason`` of an infeasible result."""
    sentences = []
    for conflict in conflicts:
        if conflict.source == "relaxation" and RELAXATION_INTRO not in sentences:
            sentences.append(RELAXATION_INTRO)
        sentences.append(conflict.message)
        if conflict.kind is ConflictKind.INTEGRALITY and len(conflicts) > 1:
            sentences.append(WHOLE_PLACES_INTRO)
    return " ".join(sentences)
