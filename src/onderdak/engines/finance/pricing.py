"""Pricing presences at the standard rates: one line per calendar month and scheme.

The amount of a line is the exact sum over the month's days of count x the day's rate,
divided by the number of days in the month for ``person_month`` rates, rounded half up to
cents once per line (issue 13, "exact arithmetic inside, rounded half up to cents once per
reported line").

The method is a sweep over breakpoints, not a loop over days. Every presence is cut at the
month boundaries into pieces; within a piece the count is constant and the rate is piecewise
constant, so the piece's amount is ``count x (R(end) - R(start))`` where ``R(day)`` is the
cumulative sum of the scheme's rate in cents over all days before ``day``: a piecewise-linear
function of the day with its breakpoints at the rate changes, evaluated by binary search
(``numpy.searchsorted``). Pieces are summed per (month, scheme[, key]) and divided by the days
of the month (``person_month``) only then, in integer arithmetic, and rounded half up once.
Everything is exact integer cents: NumPy ``int64`` when a bound computed beforehand shows that
no intermediate value can reach 2**62, Python integers (NumPy ``object`` arrays) otherwise.
No float touches an amount.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from onderdak.engines.finance.model import FinanceInputError, MonthLine, Presence, Unit
from onderdak.engines.finance.money import cents_to_decimal, decimal_to_cents
from onderdak.engines.finance.rates import RateTable, before_first_rate, unknown_scheme

#: ``date.toordinal()`` of 1970-01-01, the epoch of ``numpy.datetime64``.
_EPOCH = date(1970, 1, 1).toordinal()
#: Keys of the combined rate table: scheme number x _SHIFT + day ordinal (ordinals < 2**22).
_SHIFT = 1 << 23
#: Intermediate values below this bound are computed in int64.
_INT64_SAFE = 1 << 62

Array = npt.NDArray[np.int64]
#: int64 or object (Python int) arrays of exact cents.
Exact = npt.NDArray[Any]


def price(
    table: RateTable, presences: Iterable[Presence], *, by_key: bool = False
) -> list[MonthLine]:
    """The month lines of ``presences`` at the rates of ``table``, sorted by month, scheme
    (and key): one per calendar month and scheme with any presence (quantity > 0; a presence
    with count 0 adds nothing), or with ``by_key`` one per month, scheme and key.

    Every presence is validated, in order, also one with count 0 (:class:`FinanceInputError`
    with ``kind`` ``presence``, ``id`` the key or None, the ``field`` and
    ``params["index"]``, its 0-based position): ``unknown_scheme`` (no rate for the scheme),
    ``not_a_date``, ``empty_period`` (``until`` not after ``start``), ``not_a_count`` (not an
    int), ``negative_count``, ``before_first_rate`` (``start`` before the scheme's first rate;
    params ``scheme``, ``day``, ``first_valid_from``).

    Python's cyclic garbage collector is paused during the call (and restored after): the
    records and lines made are acyclic, so it has nothing to find, and its passes over the
    caller's millions of live objects cost more than the pricing itself.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _price(table, presences, by_key=by_key)
    finally:
        if was_enabled:
            gc.enable()


def _price(
    table: RateTable, presences: Iterable[Presence], *, by_key: bool = False
) -> list[MonthLine]:
    """:func:`price` without pausing the garbage collector."""
    if not isinstance(table, RateTable):
        raise TypeError(f"table must be a RateTable, not {type(table).__name__}")
    schemes = table.schemes
    number = {scheme: i for i, scheme in enumerate(schemes)}
    first = {scheme: table.first_valid_from(scheme) for scheme in schemes}
    scheme_of: list[int] = []
    starts: list[int] = []
    untils: list[int] = []
    counts: list[int] = []
    keys: list[str] = []
    for index, presence in enumerate(presences):
        count = presence.count
        start = presence.start
        until = presence.until
        scheme = presence.scheme
        # the common case in one test; anything else is checked in full (and raises)
        if not (
            type(count) is int
            and type(start) is date
            and type(until) is date
            and scheme in first
            and count >= 0
            and start < until
            and start >= first[scheme]
        ):
            _check(presence, index, number, first)
        if count:
            scheme_of.append(number[scheme])
            starts.append(start.toordinal())
            untils.append(until.toordinal())
            counts.append(count)
            keys.append(presence.key if by_key else "")
    if not counts:
        return []
    return _sweep(table, schemes, scheme_of, starts, untils, counts, keys)


def _check(presence: Presence, index: int, number: dict[str, int], first: dict[str, date]) -> None:
    scheme, start, until, count = presence.scheme, presence.start, presence.until, presence.count
    id = presence.key or None
    if scheme not in number:
        error = unknown_scheme(scheme, index=index)
        raise FinanceInputError(
            error.code,
            error.message,
            kind="presence",
            id=id,
            field="scheme",
            params=error.params,
        )

    def fail(code: str, field: str, message: str, value: object) -> FinanceInputError:
        return FinanceInputError(
            code,
            message,
            kind="presence",
            id=id,
            field=field,
            params={"index": index, "scheme": scheme, "value": value},
        )

    for field, day in (("start", start), ("until", until)):
        if not isinstance(day, date) or isinstance(day, datetime):
            raise fail("not_a_date", field, f"must be a date, not {day!r}", day)
    if isinstance(count, bool) or not isinstance(count, int):
        raise fail("not_a_count", "count", f"must be a whole number, not {count!r}", count)
    if count < 0:
        raise fail("negative_count", "count", f"must not be negative: {count}", count)
    if until <= start:
        raise fail(
            "empty_period",
            "until",
            f"{until.isoformat()} is not after the start {start.isoformat()}",
            until,
        )
    if start < first[scheme]:
        error = before_first_rate(scheme, start, first[scheme], index=index)
        raise FinanceInputError(
            error.code,
            error.message,
            kind="presence",
            id=id,
            field="start",
            params=error.params,
        )


def _sweep(
    table: RateTable,
    schemes: tuple[str, ...],
    scheme_of: list[int],
    starts: list[int],
    untils: list[int],
    counts: list[int],
    keys: list[str],
) -> list[MonthLine]:
    # Groups (scheme, key) numbered in sorted order, so that sorting by group sorts the lines
    # by scheme, then key.
    pairs = sorted(set(zip(scheme_of, keys, strict=True)))
    group_of = {pair: g for g, pair in enumerate(pairs)}
    groups = np.fromiter(
        (group_of[pair] for pair in zip(scheme_of, keys, strict=True)),
        dtype=np.int64,
        count=len(keys),
    )
    scheme = np.asarray(scheme_of, dtype=np.int64)
    start = np.asarray(starts, dtype=np.int64)
    until = np.asarray(untils, dtype=np.int64)

    rate_keys, rate_days, rate_cents, cumulative = _cumulative_rates(table, schemes)

    # A bound on every intermediate value: R at the last day, and a line's sum (each presence
    # adds at most one piece of at most 31 days to a line, at most the largest rate a day).
    last = int(until.max())
    most_cents = max(rate_cents)
    bound = max(
        *(c + (last - d) * r for c, d, r in zip(cumulative, rate_days, rate_cents, strict=True)),
        2 * sum(counts) * 31 * max(most_cents, 1) + 62,
        len(pairs) * (last // 28 + 2),
    )
    exact: type = np.int64 if bound < _INT64_SAFE else object

    # Cut every presence at the month boundaries.
    first_month = _month(start)
    last_month = _month(until - 1)
    pieces = last_month - first_month + 1
    owner = np.repeat(np.arange(len(counts), dtype=np.int64), pieces)
    offset = np.arange(int(pieces.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(pieces) - pieces, pieces
    )
    month = first_month[owner] + offset
    month_start = _month_start(month)
    month_end = _month_start(month + 1)
    piece_start = np.maximum(start[owner], month_start)
    piece_end = np.minimum(until[owner], month_end)
    piece_scheme = scheme[owner]

    count: Exact = np.asarray(counts, dtype=exact)[owner]
    keys_array = np.asarray(rate_keys, dtype=np.int64)
    days_array = np.asarray(rate_days, dtype=np.int64)
    cents_array: Exact = np.asarray(rate_cents, dtype=exact)
    cumulative_array: Exact = np.asarray(cumulative, dtype=exact)

    def rate_sum_before(day: Array) -> Exact:
        at = np.searchsorted(keys_array, piece_scheme * _SHIFT + day, side="right") - 1
        elapsed: Exact = (day - days_array[at]).astype(exact)
        return cumulative_array[at] + elapsed * cents_array[at]  # type: ignore[no-any-return]

    amount = count * (rate_sum_before(piece_end) - rate_sum_before(piece_start))
    quantity = count * (piece_end - piece_start).astype(exact)

    # Sum per line: (month, group), sorted by month, then group.
    lowest = int(month.min())
    line_key = (month - lowest) * len(pairs) + groups[owner]
    order = np.argsort(line_key, kind="stable")
    line_key = line_key[order]
    heads = np.flatnonzero(np.r_[True, line_key[1:] != line_key[:-1]])
    line_amount = np.add.reduceat(amount[order], heads)
    line_quantity = np.add.reduceat(quantity[order], heads)
    line_month = month[order][heads]
    line_group = groups[owner][order][heads]
    days_in_month: Exact = (_month_start(line_month + 1) - _month_start(line_month)).astype(exact)
    per_month = np.asarray(
        [table.unit(schemes[pairs[g][0]]) is Unit.PERSON_MONTH for g in range(len(pairs))]
    )[line_group]
    # round half up of amount / days (amounts are >= 0): floor((2a + d) / 2d)
    rounded = np.where(
        per_month, (2 * line_amount + days_in_month) // (2 * days_in_month), line_amount
    )

    return _to_lines(schemes, pairs, line_month, line_group, line_quantity, rounded)


def _cumulative_rates(
    table: RateTable, schemes: tuple[str, ...]
) -> tuple[list[int], list[int], list[int], list[int]]:
    """The combined rate table, sorted by key (scheme number x _SHIFT + valid-from ordinal):
    keys, valid-from ordinals, cents per unit and R (the cumulative cents per unit over the
    scheme's days before the valid-from day, from its first rate on)."""
    keys: list[int] = []
    days: list[int] = []
    cents: list[int] = []
    cumulative: list[int] = []
    for i, name in enumerate(schemes):
        total = 0
        for j, rate in enumerate(table.rates(name)):
            day = rate.valid_from.toordinal()
            if j:
                total += (day - days[-1]) * cents[-1]
            keys.append(i * _SHIFT + day)
            days.append(day)
            cents.append(decimal_to_cents(rate.amount))
            cumulative.append(total)
    return keys, days, cents, cumulative


def _to_lines(
    schemes: tuple[str, ...],
    pairs: list[tuple[int, str]],
    months: Exact,
    groups: Exact,
    quantities: Exact,
    cents: Exact,
) -> list[MonthLine]:
    labels = {m: f"{1970 + m // 12:04d}-{m % 12 + 1:02d}" for m in np.unique(months).tolist()}
    names = [(schemes[number], key) for number, key in pairs]
    lines = []
    for m, g, q, c in zip(
        months.tolist(), groups.tolist(), quantities.tolist(), cents.tolist(), strict=True
    ):
        scheme, key = names[g]
        lines.append(MonthLine(labels[m], scheme, q, cents_to_decimal(c), key))
    return lines


def _month(ordinal: Array) -> Array:
    """Months since January 1970 of day ordinals."""
    days = (ordinal - _EPOCH).astype("datetime64[D]")
    return days.astype("datetime64[M]").astype(np.int64)


def _month_start(month: Array) -> Array:
    """Day ordinal of the first day of months since January 1970."""
    return month.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + _EPOCH


def line_total(lines: Iterable[MonthLine]) -> Decimal:
    """The sum of the (rounded) amounts of ``lines``, as a Decimal with two decimals."""
    return cents_to_decimal(sum(decimal_to_cents(line.amount) for line in lines))
