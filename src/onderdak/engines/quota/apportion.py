"""Apportionment of a whole number over units by weights: largest remainder and divisor methods.

The status-holder quota (Huisvestingswet 2014, art. 28: the minister sets per half-year how many
residence-permit holders each municipality houses) and the asylum reception places of the
Spreidingswet (Wet gemeentelijke taak mogelijk maken asielopvangvoorzieningen, 2024) both start
from a national number split "pro rata population". Neither law fixes the rounding, so the
method is a parameter:

* ``hamilton``: largest remainder (Hamilton / Hare-Niemeyer); every unit gets its exact quota
  total * weight / sum(weights) rounded down, the seats left go to the largest remainders.
  Satisfies quota, suffers the Alabama and population paradoxes (Balinski & Young, *Fair
  Representation*, 2nd ed. 2001).
* ``dhondt`` (Jefferson), ``sainte-lague`` (Webster), ``huntington-hill`` (equal proportions):
  divisor methods, quota = round(weight / d) for a common divisor d with the method's signposts
  s(n) = n + 1, n + 1/2 and sqrt(n (n + 1)) (Balinski & Young; Pukelsheim,
  *Proportional Representation*, 2nd ed. 2017). House-monotone and
  population-monotone, no quota guarantee.

Tie rule (documented, deterministic): a tie between units for the last seat goes to the unit
with the larger weight, and between equal weights to the unit that comes first in the input (the
CLI orders units by code, so the lower code). For Hamilton "tie" means equal remainders, compared
exactly (in integers) when all weights are whole numbers; for divisor methods equal averages
weight / s(n).

Floors and caps (per-unit integer bounds) restrict the result: a divisor method then gives
clip(round(weight / d), floor, cap) with d such that the sum is the total (Pukelsheim 2017);
Hamilton rounds the bounded exact quota clip(lambda * weight, floor, cap) that sums to the
total (water-filling), by the same largest-remainder rule. Units with weight zero get their floor.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from onderdak.engines.quota.model import (
    Apportionment,
    FloatArray,
    IntArray,
    Method,
    QuotaInputError,
    as_whole_number,
    readonly,
)

BoolArray: TypeAlias = npt.NDArray[np.bool_]
WeightsLike: TypeAlias = Mapping[str, float] | Sequence[float] | FloatArray
BoundsLike: TypeAlias = Mapping[str, int] | Sequence[int] | IntArray

#: Signpost offset of the stationary divisor methods: s(n) = n + offset.
_OFFSET = {Method.DHONDT: 1.0, Method.SAINTE_LAGUE: 0.5}
#: Integer arithmetic for Hamilton while total * sum(weights) stays below this.
_EXACT_LIMIT = 2**62


# --------------------------------------------------------------------------------------------
# Public entry point (validates)
# --------------------------------------------------------------------------------------------


def apportion(
    weights: WeightsLike,
    total: int,
    *,
    method: Method | str = Method.HAMILTON,
    codes: Sequence[str] | None = None,
    floors: BoundsLike | None = None,
    caps: BoundsLike | None = None,
) -> Apportionment:
    """Apportion the whole number ``total`` over units in proportion to ``weights``.

    ``weights`` is a mapping code -> weight, or a sequence (then ``codes`` names the units,
    default ``"0"``, ``"1"``, ...). ``floors`` and ``caps`` give per-unit integer bounds, as a
    mapping code -> bound (units not named: floor 0, no cap) or a sequence in unit order.

    Raises :class:`QuotaInputError` for a negative, NaN or infinite weight, a negative or
    non-integer total, a negative bound, a floor above a cap, floors summing to more than the
    total, caps summing to less, or a positive total with all weights zero. The result is
    deterministic and the inputs are not modified.
    """
    chosen = parse_method(method)
    unit_codes, weight_array = _validate_weights(weights, codes)
    count = _validate_total(total)
    lower = _validate_bounds(unit_codes, floors, "floor", default=0)
    upper = None if caps is None else _validate_bounds(unit_codes, caps, "cap", default=count)
    _validate_feasible(unit_codes, weight_array, count, lower, upper)
    upper_or_total = upper if upper is not None else np.full(len(unit_codes), count, np.int64)

    weight_sum = math.fsum(weight_array.tolist())
    shares = weight_array / weight_sum if weight_sum > 0 else np.zeros_like(weight_array)
    # total * weight / sum: one rounding for whole weights (total * weight < 2**53), as a
    # reader recomputing it would do; total * share would round twice
    exact = count * weight_array / weight_sum if weight_sum > 0 else np.zeros_like(weight_array)
    divisor: float | None = None
    if chosen is Method.HAMILTON:
        quotas, rounded, tied = hamilton(weight_array, count, lower, upper_or_total, exact)
    else:
        quotas, divisor, tied = divisor_method(weight_array, count, chosen, lower, upper_or_total)
        rounded = weight_array / divisor if divisor else exact.copy()
    return Apportionment(
        method=chosen,
        total=count,
        codes=unit_codes,
        weights=readonly(weight_array),
        shares=readonly(shares),
        exact=readonly(exact),
        quotas=readonly(quotas),
        rounded=readonly(rounded),
        floors=readonly(lower),
        caps=readonly(upper) if upper is not None else None,
        divisor=divisor,
        tied=tuple(unit_codes[i] for i in np.flatnonzero(tied).tolist()),
    )


def parse_method(method: Method | str) -> Method:
    """The :class:`Method` named by ``method`` (its value, e.g. ``"sainte-lague"``)."""
    try:
        return Method(method)
    except ValueError:
        names = ", ".join(m.value for m in Method)
        raise QuotaInputError(f"unknown method '{method}' (choose from {names})") from None


def _validate_total(total: object) -> int:
    count = as_whole_number(total)
    if count is None:
        raise QuotaInputError(f"must be a whole number, not {total!r}", field="total")
    if count < 0:
        raise QuotaInputError(f"must not be negative ({count})", field="total")
    return count


def _validate_weights(
    weights: WeightsLike, codes: Sequence[str] | None
) -> tuple[tuple[str, ...], FloatArray]:
    if isinstance(weights, Mapping):
        if codes is not None:
            raise QuotaInputError("give codes either as mapping keys or as codes, not both")
        unit_codes = tuple(str(code) for code in weights)
        values: object = list(weights.values())
    else:
        values = weights
        size = len(weights)
        unit_codes = tuple(str(i) for i in range(size)) if codes is None else tuple(codes)
        if len(unit_codes) != size:
            raise QuotaInputError(f"{len(unit_codes)} codes for {size} weights", field="codes")
    if len(set(unit_codes)) != len(unit_codes):
        seen: set[str] = set()
        for code in unit_codes:
            if code in seen:
                raise QuotaInputError("duplicate unit code", unit=code, field="code")
            seen.add(code)
    try:
        array = np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise QuotaInputError("weights must be numbers", field="weight") from None
    if array.ndim != 1:
        raise QuotaInputError("weights must be one number per unit", field="weight")
    bad = ~np.isfinite(array) | (array < 0)
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        raise QuotaInputError(
            f"must be a finite number >= 0, not {array[index]!r}",
            unit=unit_codes[index],
            field="weight",
        )
    return unit_codes, array


def _validate_bounds(
    codes: tuple[str, ...], bounds: BoundsLike | None, name: str, *, default: int
) -> IntArray:
    result = np.full(len(codes), default, dtype=np.int64)
    if bounds is None:
        return result
    if isinstance(bounds, Mapping):
        position = {code: i for i, code in enumerate(codes)}
        pairs = []
        for code, value in bounds.items():
            if code not in position:
                raise QuotaInputError("not one of the units", unit=str(code), field=name)
            pairs.append((position[code], code, value))
    else:
        if len(bounds) != len(codes):
            raise QuotaInputError(f"{len(bounds)} values for {len(codes)} units", field=name)
        pairs = [(i, codes[i], value) for i, value in enumerate(bounds)]
    for index, code, value in pairs:
        number = as_whole_number(value)
        if number is None or number < 0:
            raise QuotaInputError(
                f"must be a whole number >= 0, not {value!r}", unit=code, field=name
            )
        result[index] = number
    return result


def _validate_feasible(
    codes: tuple[str, ...],
    weights: FloatArray,
    total: int,
    lower: IntArray,
    upper: IntArray | None,
) -> None:
    if upper is not None:
        crossed = np.flatnonzero(lower > upper)
        if crossed.size:
            i = int(crossed[0])
            raise QuotaInputError(
                f"floor {int(lower[i])} is above cap {int(upper[i])}", unit=codes[i], field="floor"
            )
        if int(upper.sum()) < total:
            raise QuotaInputError(
                f"caps sum to {int(upper.sum())}, less than the total {total}", field="cap"
            )
    if int(lower.sum()) > total:
        raise QuotaInputError(
            f"floors sum to {int(lower.sum())}, more than the total {total}", field="floor"
        )
    positive = weights > 0
    if not positive.any() and total > int(lower.sum()):
        raise QuotaInputError(
            f"all weights are zero, so the total {total} cannot be apportioned", field="weight"
        )
    if upper is not None:
        reachable = int(upper[positive].sum() + lower[~positive].sum())
        if reachable < total:
            raise QuotaInputError(
                f"units with a positive weight can take at most {reachable} (their caps; "
                f"units with weight zero keep their floor), less than the total {total}",
                field="cap",
            )


# --------------------------------------------------------------------------------------------
# Kernels (vectorised, no validation)
# --------------------------------------------------------------------------------------------


def hamilton(
    weights: FloatArray, total: int, lower: IntArray, upper: IntArray, exact: FloatArray
) -> tuple[IntArray, FloatArray, BoolArray]:
    """Largest remainder method; returns (quotas, rounded values, tied units).

    Without binding bounds every unit gets floor(exact) or ceil(exact). Remainders are
    compared in exact integer arithmetic when all weights are whole numbers.
    """
    if bool(np.all(exact >= lower)) and bool(np.all(exact <= upper)):
        whole = (
            weights.size > 0
            and bool(np.all(weights == np.floor(weights)))
            and float(weights.sum()) < 2.0**53
        )
        weight_sum = int(weights.sum()) if whole else 0
        if whole and weight_sum > 0 and total * weight_sum < _EXACT_LIMIT:
            numerators = weights.astype(np.int64) * total
            base = numerators // weight_sum
            remainders: npt.NDArray[np.float64] | IntArray = numerators - base * weight_sum
        else:
            base = np.floor(exact).astype(np.int64)
            remainders = exact - base
        can_up = (base < upper) & (weights > 0)
        can_down = base > lower
        quotas, tied = _largest_remainders(
            base, total, remainders, weights, can_up=can_up, can_down=can_down
        )
        return quotas, exact.copy(), tied
    target = bounded_exact(weights, total, lower, upper)
    base = np.clip(np.floor(target).astype(np.int64), lower, upper)
    quotas, tied = _largest_remainders(
        base,
        total,
        target - base,
        weights,
        can_up=(base < upper) & (weights > 0),
        can_down=base > lower,
    )
    return quotas, target, tied


def _largest_remainders(
    base: IntArray,
    total: int,
    remainders: npt.NDArray[np.float64] | IntArray,
    weights: FloatArray,
    *,
    can_up: BoolArray,
    can_down: BoolArray,
) -> tuple[IntArray, BoolArray]:
    quotas = base.copy()
    tied = np.zeros(base.size, dtype=bool)
    extra = total - int(base.sum())
    if extra > 0:
        candidates = np.flatnonzero(can_up)
        order = candidates[np.lexsort((candidates, -weights[candidates], -remainders[candidates]))]
    elif extra < 0:  # only through floating-point rounding of the exact quotas
        candidates = np.flatnonzero(can_down)
        order = candidates[np.lexsort((-candidates, weights[candidates], remainders[candidates]))]
    else:
        return quotas, tied
    steps = abs(extra)
    if steps > order.size:  # pragma: no cover - excluded by input validation
        raise RuntimeError("largest remainder: not enough units to place the remaining seats")
    quotas[order[:steps]] += 1 if extra > 0 else -1
    if steps < order.size and remainders[order[steps - 1]] == remainders[order[steps]]:
        tied[order[remainders[order] == remainders[order[steps - 1]]]] = True
    return quotas, tied


def bounded_exact(weights: FloatArray, total: int, lower: IntArray, upper: IntArray) -> FloatArray:
    """The values x = clip(lambda * weight, floor, cap) with sum(x) = total (water-filling).

    g(lambda) = sum clip(lambda * w, floor, cap) is piecewise linear and nondecreasing; its
    breakpoints floor/w and cap/w are sorted once and the linear piece that reaches the total
    is solved exactly. Units with weight zero stay at their floor.
    """
    result = lower.astype(np.float64)
    positive = weights > 0
    if not positive.any():
        return result
    w = weights[positive]
    low = lower[positive].astype(np.float64)
    high = upper[positive].astype(np.float64)
    target = total - float(lower[~positive].sum())
    points = np.concatenate((low / w, high / w))
    order = np.argsort(points, kind="stable")
    points = points[order]
    slope = np.cumsum(np.concatenate((w, -w))[order])
    constant = low.sum() + np.cumsum(np.concatenate((-low, high))[order])
    values = constant + slope * points
    k = int(np.searchsorted(values, target, side="left"))
    if k == 0:
        scale = float(points[0])
    elif k >= points.size:  # pragma: no cover - excluded by the caps check
        scale = float(points[-1])
    elif slope[k - 1] > 0:
        scale = float((target - constant[k - 1]) / slope[k - 1])
        scale = min(max(scale, float(points[k - 1])), float(points[k]))
    else:  # pragma: no cover - a flat piece below the total cannot precede one above it
        scale = float(points[k])
    result[positive] = np.clip(scale * w, low, high)
    return result


def _priority(method: Method, weights: FloatArray, seats: IntArray) -> FloatArray:
    """The average weight / s(n) that earns a unit holding n >= 0 seats its next seat.

    Huntington-Hill uses the square weight^2 / (n (n + 1)) (same order, and equal ratios stay
    exactly equal); s(0) = 0 makes a first seat infinitely deserved. Callers mask units that
    cannot take (or lose) a seat; units with weight zero get 0.
    """
    if method is Method.HUNTINGTON_HILL:
        product = seats * (seats + 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(seats > 0, weights * weights / product, np.inf)
        return np.where(weights > 0, values, 0.0)
    return weights / (seats + _OFFSET[method])


def _seat_count(method: Method, quotients: FloatArray) -> IntArray:
    """Seats whose average exceeds the divisor: #{n >= 0 : s(n) < quotient}."""
    if method is Method.HUNTINGTON_HILL:
        whole = np.floor(quotients)
        counts = whole + (whole * (whole + 1.0) < quotients * quotients)
        return np.where(quotients > 0, counts, 0.0).astype(np.int64)
    offset = _OFFSET[method]
    return np.maximum(np.ceil(quotients - offset), 0.0).astype(np.int64)


def _ranked_top(values: FloatArray, weights: FloatArray, eligible: BoolArray, k: int) -> IntArray:
    """Indices of the k best eligible units by (value desc, weight desc, index asc), best first."""
    candidates = np.flatnonzero(eligible)
    if k < candidates.size:
        kth = np.partition(values[candidates], candidates.size - k)[candidates.size - k]
        candidates = candidates[values[candidates] >= kth]
    order = candidates[np.lexsort((candidates, -weights[candidates], -values[candidates]))]
    return order[:k]


def _ranked_bottom(
    values: FloatArray, weights: FloatArray, eligible: BoolArray, k: int
) -> IntArray:
    """Indices of the k worst eligible units by (value asc, weight asc, index desc), worst first."""
    candidates = np.flatnonzero(eligible)
    if k < candidates.size:
        kth = np.partition(values[candidates], k - 1)[k - 1]
        candidates = candidates[values[candidates] <= kth]
    order = candidates[np.lexsort((-candidates, weights[candidates], values[candidates]))]
    return order[:k]


def divisor_method(
    weights: FloatArray, total: int, method: Method, lower: IntArray, upper: IntArray
) -> tuple[IntArray, float | None, BoolArray]:
    """Divisor method with bounds; returns (quotas, divisor, tied units).

    Jump-and-step (Pukelsheim 2017): a divisor estimated from the weight sum
    ("jump") gives all but a few seats; the rest are placed (or withdrawn) in vectorised steps,
    each taking the best next-seat averages that no second seat of the same units can outrank.
    A final check enforces the max-min inequality max_i w_i / s(n_i) <= min_j w_j / s(n_j - 1)
    over the units free to move (Balinski & Young 2001; Pukelsheim 2017),
    which characterises the seat-by-seat highest-averages result with the tie rule.
    """
    scale = 1.0
    if weights.size and float(weights.max()) > 0:  # exact power-of-two scaling: no overflow
        scale = 2.0 ** math.frexp(float(weights.max()))[1]
        weights = weights / scale
    positive = weights > 0
    seats = lower.copy()
    if total > int(lower.sum()):
        seats = _jump(weights, total, method, lower=lower, upper=upper, positive=positive)
    seats = _step(weights, total, method, lower=lower, upper=upper, positive=positive, seats=seats)
    divisor, tied = _divisor_and_ties(
        weights, method, lower=lower, upper=upper, positive=positive, seats=seats
    )
    return seats, None if divisor is None else divisor * scale, tied


def _jump(
    weights: FloatArray,
    total: int,
    method: Method,
    *,
    lower: IntArray,
    upper: IntArray,
    positive: BoolArray,
) -> IntArray:
    """Seats from an estimated divisor, refined a few times; the step phase does the rest.

    With q = weight / d, a divisor method gives about sum(q) + shift * units seats (shift -1/2
    for D'Hondt, 0 for Sainte-Lague; Pukelsheim 2017), so d = W / (total - shift *
    units). The shift is then re-estimated from the seats observed, and units held by a floor
    or cap leave the estimate.
    """
    shift = 0.5 - _OFFSET.get(method, 0.5)
    seats = lower.copy()  # units with weight zero stay at their floor
    free = positive
    best: IntArray | None = None
    for _ in range(4):
        target = total - int(seats[~free].sum())
        count = int(free.sum())
        free_weight = float(weights[free].sum())
        if target <= 0 or count == 0 or target - shift * count <= 0:
            break
        divisor = free_weight / (target - shift * count)
        raw = _seat_count(method, weights / divisor)
        seats = np.clip(raw, lower, upper)
        if best is None or abs(total - int(seats.sum())) < abs(total - int(best.sum())):
            best = seats
        if int(best.sum()) == total:
            break
        still_free = positive & (raw > lower) & (raw < upper)
        if np.array_equal(still_free, free):
            shift = (float(raw[free].sum()) - free_weight / divisor) / count
        free = still_free
    return best if best is not None else lower.copy()


def _step(
    weights: FloatArray,
    total: int,
    method: Method,
    *,
    lower: IntArray,
    upper: IntArray,
    positive: BoolArray,
    seats: IntArray,
) -> IntArray:
    seats = seats.copy()
    while True:
        can_take = positive & (seats < upper)
        can_lose = seats > lower
        missing = total - int(seats.sum())
        if missing > 0:
            nxt = _priority(method, weights, seats)
            chosen = _ranked_top(nxt, weights, can_take, missing)
            if chosen.size == 0:  # pragma: no cover - excluded by input validation
                raise RuntimeError("divisor method: no unit can take another seat")
            after = seats[chosen] + 1
            second = _priority(method, weights[chosen], after)[after < upper[chosen]]
            accept = chosen[nxt[chosen] > second.max()] if second.size else chosen
            seats[accept if accept.size else chosen[:1]] += 1
        elif missing < 0:
            last = _priority(method, weights, np.maximum(seats - 1, 0))
            chosen = _ranked_bottom(last, weights, can_lose, -missing)
            after = seats[chosen] - 1
            previous = _priority(method, weights[chosen], np.maximum(after - 1, 0))
            previous = previous[after > lower[chosen]]
            accept = chosen[last[chosen] < previous.min()] if previous.size else chosen
            seats[accept if accept.size else chosen[:1]] -= 1
        else:
            if not can_take.any() or not can_lose.any():
                return seats
            nxt = _priority(method, weights, seats)
            last = _priority(method, weights, np.maximum(seats - 1, 0))
            best = int(_ranked_top(nxt, weights, can_take, 1)[0])
            worst = int(_ranked_bottom(last, weights, can_lose, 1)[0])
            if nxt[best] > last[worst] or (
                nxt[best] == last[worst] and _tie_key(weights, best) < _tie_key(weights, worst)
            ):
                seats[best] += 1
                seats[worst] -= 1
                continue
            return seats


def _tie_key(weights: FloatArray, index: int) -> tuple[float, int]:
    return (-float(weights[index]), index)


def _divisor_and_ties(
    weights: FloatArray,
    method: Method,
    *,
    lower: IntArray,
    upper: IntArray,
    positive: BoolArray,
    seats: IntArray,
) -> tuple[float | None, BoolArray]:
    """A divisor between the best unearned and the worst earned average, and the tied units."""
    can_take = positive & (seats < upper)
    can_lose = seats > lower
    nxt = _priority(method, weights, seats)
    last = _priority(method, weights, np.maximum(seats - 1, 0))
    high = float(nxt[can_take].max()) if can_take.any() else -math.inf
    low = float(last[can_lose].min()) if can_lose.any() else math.inf
    tied = np.zeros(seats.size, dtype=bool)
    if high == low:
        tied = (can_take & (nxt == high)) | (can_lose & (last == low))
    if method is Method.HUNTINGTON_HILL:
        high = math.sqrt(high) if high > 0 else high
        low = math.sqrt(low) if low > 0 else low
    if high == math.inf:  # Huntington-Hill with fewer seats than units of positive weight
        return None, tied
    if math.isfinite(high) and math.isfinite(low):
        return (high + low) / 2, tied
    if math.isfinite(high) and high > 0:
        return 2 * high, tied
    if math.isfinite(low):
        return low / 2, tied
    return None, tied
