"""From scores to ranks: competition ranking with a documented tie rule.

Scores computed in a different order of operations (another implementation, another machine)
can differ in the last bits, so "equal" is decided on the scores rounded to
:data:`SIGNIFICANT_DIGITS` significant digits: two sites tie when their scores agree to 12
significant digits (round half to even on the binary value). Ties share the best rank of their
group and the next rank skips ("1, 2, 2, 4", standard competition ranking).
"""

from __future__ import annotations

import numpy as np

from onderdak.engines.siting.model import FloatArray, IntArray

SIGNIFICANT_DIGITS = 12


def _scale(values: FloatArray, exponent: IntArray) -> FloatArray:
    """values * 10**exponent with one rounding (the powers are exact up to 10**22)."""
    up = exponent >= 0
    powers = np.power(10.0, np.minimum(np.abs(exponent), 300).astype(np.float64))
    result: FloatArray = np.where(up, values * powers, values / powers)
    return result


def tie_keys(scores: FloatArray, digits: int = SIGNIFICANT_DIGITS) -> FloatArray:
    """The scores rounded to ``digits`` significant digits (equal keys mean a tie)."""
    values = np.asarray(scores, dtype=np.float64)
    keys = np.zeros_like(values)
    nonzero = np.flatnonzero(values != 0)
    if nonzero.size == 0:
        return keys
    picked = values[nonzero]
    exponent = np.floor(np.log10(np.abs(picked))).astype(np.int64)
    low = 10.0 ** (digits - 1)
    high = 10.0**digits
    for _ in range(3):  # log10 can be off by one next to a power of ten; rounding can carry
        shift = digits - 1 - exponent
        mantissa = np.rint(_scale(picked, shift))
        size = np.abs(mantissa)
        too_big = size >= high
        too_small = size < low
        if not (too_big.any() or too_small.any()):
            break
        exponent = exponent + too_big.astype(np.int64) - too_small.astype(np.int64)
    # the same decimal gives the same float; beyond 10**22 the powers are inexact but the
    # same for equal decimals, so equal keys still mean equal rounded scores
    keys[nonzero] = _scale(mantissa, -shift)
    return keys


def competition_ranks(scores: FloatArray, digits: int = SIGNIFICANT_DIGITS) -> IntArray:
    """Rank 1 for the highest score; rank = 1 + number of strictly better sites."""
    keys = tie_keys(scores, digits)
    ascending = np.sort(keys)
    better = keys.size - np.searchsorted(ascending, keys, side="right")
    result: IntArray = (better + 1).astype(np.int64)
    return result


def best_first(scores: FloatArray, digits: int = SIGNIFICANT_DIGITS) -> IntArray:
    """Indices from the highest score to the lowest; tied sites in input order."""
    keys = tie_keys(scores, digits)
    result: IntArray = np.argsort(-keys, kind="stable").astype(np.int64)
    return result
