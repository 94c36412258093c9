"""Single-criterion PROMETHEE flows in O(n log n) (or O(n K) for the Gaussian function).

For one criterion (benefit orientation; a cost criterion is negated first) with values g and
preference function P, the PROMETHEE flows of site a are

    phi+(a) = (1 / (n - 1)) sum_b P(g(a) - g(b))      phi-(a) = (1 / (n - 1)) sum_b P(g(b) - g(a))

and the net flow of PROMETHEE II is sum_j w_j (phi+_j - phi-_j) (Brans & Vincke 1985). The
flows depend on a site's value only, so they are computed once per distinct value u_1 < ... <
u_U, in sorted order, and spread back to the sites (Calders & Van Assche, "PROMETHEE is not
quadratic: an O(qn log(n)) algorithm", *Omega* 76 (2018) 63-69):

* usual: phi+ counts the values below, phi- the values above: cumulative counts;
* U-shape (q) and level (q, p = two half steps): counts of b with fl(a - b) > q, found by binary
  search and then corrected so that the comparison is exactly the one the pairwise definition
  makes on the floating-point difference (fl(a - b) is monotone in b, so the set is a prefix);
* V-shape (p) and linear (q, p): piecewise linear, so a band sum sum (a - b - q) / (p - q) is
  a count times a minus a prefix sum of the sorted values (centred for accuracy);
* Gaussian (s): 1 - exp(-d^2 / 2 s^2) for d > 0. Terms further than 9 s are 1 to double
  precision (exp(-40.5) < 2^-53), so phi+ = #below - sum over the b within 9 s below a of
  exp(-d^2 / 2 s^2). With few values within reach these sums are done directly (O(n w)); with
  many, by a separable Taylor expansion around block centres c spaced s apart:
  exp(-(x - y)^2 / 2s^2) = exp(-delta^2 / 2) sum_k delta^k eta^k exp(-eta^2 / 2) / k! with
  delta = (x - c) / s, eta = (y - c) / s, so the one-sided sums become prefix sums over the
  sorted values (|delta eta| <= 4.75; 40 terms leave a truncation error below 1e-16).
"""

from __future__ import annotations

import numpy as np

from onderdak.engines.siting.model import FloatArray, IntArray, Preference, PreferenceFunction

#: Gaussian terms beyond this many s are below 2**-53 (exp(-40.5) = 2.6e-18) and dropped.
GAUSS_REACH = 9.0
#: Terms of the Taylor expansion of the Gaussian window sums.
_TAYLOR_TERMS = 40
#: Mean number of values within reach above which the Gaussian sums use the expansion (its
#: cost is about 19 x 40 operations per value, the direct sums' the window size).
_DIRECT_WINDOW = 1000
#: Upper bound on the elements of one block of direct Gaussian sums.
_BLOCK_ELEMENTS = 1 << 20


def criterion_flows(values: FloatArray, preference: Preference) -> tuple[FloatArray, FloatArray]:
    """(phi+, phi-) per site of one benefit criterion (n >= 2 values)."""
    count = values.size
    unique, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    below = np.zeros(unique.size + 1, dtype=np.int64)  # below[k] = #values < unique[k]
    np.cumsum(counts, out=below[1:])
    function = preference.function
    q, p = preference.q, preference.p
    if function is PreferenceFunction.USUAL:
        pos = below[:-1].astype(np.float64)
        neg = (count - below[1:]).astype(np.float64)
    elif function is PreferenceFunction.U_SHAPE:
        pos = _count_above(unique, below, q)
        neg = _count_below(unique, below, q, count)
    elif function is PreferenceFunction.LEVEL:
        pos = 0.5 * (_count_above(unique, below, q) + _count_above(unique, below, p))
        neg = 0.5 * (_count_below(unique, below, q, count) + _count_below(unique, below, p, count))
    elif function is PreferenceFunction.GAUSSIAN:
        pos, neg = _gaussian(unique, counts.astype(np.float64), below, preference.s)
    else:
        indifference = 0.0 if function is PreferenceFunction.V_SHAPE else q
        pos, neg = _linear(unique, counts, below, indifference, p)
    scale = 1.0 / (count - 1)
    return pos[inverse] * scale, neg[inverse] * scale


def _count_above(unique: FloatArray, below: IntArray, threshold: float) -> FloatArray:
    """Per distinct value a: #{b : fl(a - b) > threshold} (a prefix of the sorted values)."""
    size = unique.size
    k = np.searchsorted(unique, unique - threshold, side="left")
    while True:  # move right while the next value still qualifies
        probe = np.minimum(k, size - 1)
        step = (k < size) & (unique - unique[probe] > threshold)
        if not step.any():
            break
        k += step
    while True:  # move left while the last counted value does not qualify
        probe = np.maximum(k - 1, 0)
        step = (k > 0) & ~(unique - unique[probe] > threshold)
        if not step.any():
            break
        k -= step
    result: FloatArray = below[k].astype(np.float64)
    return result


def _count_below(unique: FloatArray, below: IntArray, threshold: float, count: int) -> FloatArray:
    """Per distinct value a: #{b : fl(b - a) > threshold} (a suffix of the sorted values)."""
    size = unique.size
    k = np.searchsorted(unique, unique + threshold, side="right")
    while True:  # move left while the previous value qualifies
        probe = np.maximum(k - 1, 0)
        step = (k > 0) & (unique[probe] - unique > threshold)
        if not step.any():
            break
        k -= step
    while True:  # move right while the first counted value does not qualify
        probe = np.minimum(k, size - 1)
        step = (k < size) & ~(unique[probe] - unique > threshold)
        if not step.any():
            break
        k += step
    result: FloatArray = (count - below[k]).astype(np.float64)
    return result


def _linear(
    unique: FloatArray, counts: IntArray, below: IntArray, q: float, p: float
) -> tuple[FloatArray, FloatArray]:
    """Sums of P(d) = clip((d - q) / (p - q), 0, 1) from prefix sums of the sorted values."""
    count = int(below[-1])
    centre = 0.5 * (float(unique[0]) + float(unique[-1]))
    y = unique - centre
    prefix = np.zeros(unique.size + 1)
    np.cumsum(y * counts, out=prefix[1:])
    width = p - q
    # a over b: b < a - p counts 1; a - p <= b < a - q counts (a - b - q) / width
    full = np.searchsorted(unique, unique - p, side="left")
    part = np.searchsorted(unique, unique - q, side="left")
    inside = below[part] - below[full]
    pos = below[full] + (inside * (y - q) - (prefix[part] - prefix[full])) / width
    # b over a: b > a + p counts 1; a + q < b <= a + p counts (b - a - q) / width
    start = np.searchsorted(unique, unique + q, side="right")
    stop = np.searchsorted(unique, unique + p, side="right")
    inside = below[stop] - below[start]
    neg = (count - below[stop]) + ((prefix[stop] - prefix[start]) - inside * (y + q)) / width
    return pos.astype(np.float64), neg.astype(np.float64)


def _gaussian(
    unique: FloatArray, weights: FloatArray, below: IntArray, s: float
) -> tuple[FloatArray, FloatArray]:
    """#below - near sums and #above - near sums of exp(-d^2 / 2 s^2) per distinct value."""
    count = int(below[-1])
    reach = GAUSS_REACH * s
    lo = np.searchsorted(unique, unique - reach, side="left")
    hi = np.searchsorted(unique, unique + reach, side="right")
    if float(np.mean(hi - lo)) <= _DIRECT_WINDOW:
        near_below, near_above = _gauss_direct(unique, weights, lo, hi, s)
    else:
        near_below, near_above = _gauss_taylor(unique, weights, s)
    less = below[:-1].astype(np.float64)
    greater = (count - below[1:]).astype(np.float64)
    return less - near_below, greater - near_above


def _gauss_direct(
    unique: FloatArray, weights: FloatArray, lo: IntArray, hi: IntArray, s: float
) -> tuple[FloatArray, FloatArray]:
    """Window sums term by term, in blocks of consecutive values."""
    size = unique.size
    near_below = np.zeros(size)
    near_above = np.zeros(size)
    start = 0
    while start < size:
        stop = start + 1
        step = 64
        while stop < size:  # grow the block while it stays within the element budget
            candidate = min(stop + step, size)
            if (candidate - start) * int(hi[candidate - 1] - lo[start]) > _BLOCK_ELEMENTS:
                break
            stop = candidate
            step *= 2
        window = slice(int(lo[start]), int(hi[stop - 1]))
        difference = unique[start:stop, np.newaxis] - unique[np.newaxis, window]
        terms = np.exp(-(difference * difference) / (2.0 * s * s)) * weights[window]
        near_below[start:stop] = np.where(difference > 0, terms, 0.0).sum(axis=1)
        near_above[start:stop] = np.where(difference < 0, terms, 0.0).sum(axis=1)
        start = stop
    return near_below, near_above


def _gauss_taylor(
    unique: FloatArray, weights: FloatArray, s: float
) -> tuple[FloatArray, FloatArray]:
    """Window sums by the separable expansion around block centres spaced s apart."""
    size = unique.size
    near_below = np.zeros(size)
    near_above = np.zeros(size)
    origin = float(unique[0])
    block = np.floor((unique - origin) / s).astype(np.int64)
    edges = np.flatnonzero(np.diff(block)) + 1
    starts = np.concatenate(([0], edges))
    stops = np.concatenate((edges, [size]))
    for first, last in zip(starts.tolist(), stops.tolist(), strict=True):
        centre = origin + (float(block[first]) + 0.5) * s
        left = int(np.searchsorted(unique, centre - (GAUSS_REACH + 0.5) * s, side="left"))
        right = int(np.searchsorted(unique, centre + (GAUSS_REACH + 0.5) * s, side="right"))
        eta = (unique[left:right] - centre) / s
        # g_k(eta) = eta^k exp(-eta^2 / 2) / k!, built by repeated multiplication (no overflow)
        powers = np.empty((right - left, _TAYLOR_TERMS))
        powers[:, 0] = np.exp(-0.5 * eta * eta) * weights[left:right]
        for k in range(1, _TAYLOR_TERMS):
            np.multiply(powers[:, k - 1], eta / k, out=powers[:, k])
        cumulative = np.zeros((right - left + 1, _TAYLOR_TERMS))
        np.cumsum(powers, axis=0, out=cumulative[1:])
        delta = (unique[first:last] - centre) / s
        basis = np.exp(-0.5 * delta * delta)[:, np.newaxis] * np.power.outer(
            delta, np.arange(_TAYLOR_TERMS)
        )
        # values of the window strictly below / above each target (targets are window values)
        position = np.arange(first, last) - left
        near_below[first:last] = np.einsum("ik,ik->i", basis, cumulative[position])
        near_above[first:last] = np.einsum(
            "ik,ik->i", basis, cumulative[-1] - cumulative[position + 1]
        )
    return near_below, near_above
