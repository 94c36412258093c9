"""Small money and calendar helpers of the P&C cycle: rounding to cents, straight-line
depreciation, relocation of flex homes, the SFT subsidy, traffic lights and quarters.

All amounts are :class:`~decimal.Decimal` (or :class:`~fractions.Fraction` inside); results
are rounded half up (away from zero at exactly half a cent, Decimal's ``ROUND_HALF_UP``) to
cents once, at the end.
"""

from __future__ import annotations

from datetime import date
from decimal import MAX_PREC, Context, Decimal
from fractions import Fraction

from onderdak.engines.finance.model import FinanceInputError, Light

#: Relative overruns of expenditure from which a budget line turns amber and red.
AMBER = Decimal("0.05")
RED = Decimal("0.10")
#: A context that never rounds (for scaling whole cents to euros).
_EXACT = Context(prec=MAX_PREC)


def cents_to_decimal(cents: int) -> Decimal:
    """Whole cents as euros with exactly two decimals (exact at any size)."""
    return Decimal(cents).scaleb(-2, _EXACT)


def decimal_to_cents(amount: Decimal) -> int:
    """A finite Decimal with at most two decimals as whole cents (exact at any size; more
    decimals are cut off, so round first)."""
    return int(amount.scaleb(2, _EXACT))


def round_half_up(value: Decimal | Fraction | int) -> Decimal:
    """``value`` rounded to cents, half up (away from zero at exactly half a cent), with two
    decimals. Exact for every finite Decimal and every Fraction."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise FinanceInputError(
                "not_a_number",
                f"must be finite, not {value}",
                kind="value",
                params={"value": value},
            )
        exact = Fraction(value)
    else:
        exact = Fraction(value)
    scaled = abs(exact) * 100
    cents = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    return cents_to_decimal(-cents if exact < 0 else cents)


def straight_line(cost: Decimal, start: date, end: date, year: int) -> Decimal:
    """The straight-line depreciation of ``cost`` in calendar ``year``.

    Convention: the asset depreciates daily and evenly from ``start`` up to but not including
    ``end`` (the end of the permit or of the economic life), so a year's share is its days in
    that period over all days of the period. The amount of a year is the rounded cumulative
    depreciation at its end minus the rounded cumulative depreciation at its start, so the
    years always add up to exactly ``cost`` (no cent lost to rounding); outside the period it
    is 0.00.
    """
    if end <= start:
        raise FinanceInputError(
            "empty_period",
            f"{end.isoformat()} is not after the start {start.isoformat()}",
            kind="depreciation",
            field="end",
            params={"start": start, "end": end},
        )
    _check_money(cost, "depreciation", "cost")
    total = (end - start).days

    def cumulative(day: date) -> Decimal:
        days = min(max((day - start).days, 0), total)
        return round_half_up(Fraction(cost) * days / total)

    if not 1 <= year <= 9999:
        raise FinanceInputError(
            "bad_year",
            f"must be a year 1-9999, not {year}",
            kind="depreciation",
            field="year",
            params={"value": year},
        )
    year_start = date(year, 1, 1)
    year_end = date(year + 1, 1, 1) if year < 9999 else date.max
    return cumulative(year_end) - cumulative(year_start)


def subsidy_sft(units: int, rate: Decimal, cap: Decimal) -> Decimal:
    """The flex-home subsidy (Stimuleringsregeling flex- en transformatiewoningen, SFT):
    ``units`` x ``rate`` (7,800 euro per unit in 2023-2026), at most ``cap`` (5 million per
    municipality), with two decimals."""
    if isinstance(units, bool) or not isinstance(units, int) or units < 0:
        raise FinanceInputError(
            "negative_units",
            f"must be a whole number >= 0, not {units!r}",
            kind="subsidy",
            field="units",
            params={"value": units},
        )
    _check_money(rate, "subsidy", "rate")
    _check_money(cap, "subsidy", "cap")
    return round_half_up(min(units * rate, cap))


def traffic_light(
    budget: Decimal, forecast: Decimal, *, amber: Decimal = AMBER, red: Decimal = RED
) -> Light:
    """The light of an expenditure line by its relative overrun ``(forecast - budget) /
    budget``: red from ``red`` (10 %) up, amber from ``amber`` (5 %) up to ``red``, green
    below ``amber`` (underspending is green). A zero budget is green with a zero forecast and
    red with any other forecast. A negative budget is an error (``negative_budget``)."""
    _check_money(budget, "light", "budget", code="negative_budget")
    if not isinstance(forecast, Decimal) or not forecast.is_finite():
        raise FinanceInputError(
            "not_a_number",
            f"must be a finite Decimal, not {forecast!r}",
            kind="light",
            field="forecast",
            params={"value": forecast},
        )
    if budget == 0:
        return Light.GREEN if forecast == 0 else Light.RED
    overrun = (Fraction(forecast) - Fraction(budget)) / Fraction(budget)
    if overrun >= Fraction(red):
        return Light.RED
    if overrun >= Fraction(amber):
        return Light.AMBER
    return Light.GREEN


def quarter_of(day: date) -> int:
    """The calendar quarter (1-4) of ``day``."""
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """(first day, day after the last day) of ``quarter`` (1-4) of ``year``."""
    if isinstance(quarter, bool) or quarter not in (1, 2, 3, 4):
        raise FinanceInputError(
            "bad_quarter",
            f"must be 1, 2, 3 or 4, not {quarter!r}",
            kind="quarter",
            field="quarter",
            params={"value": quarter},
        )
    try:
        first = date(year, 3 * quarter - 2, 1)
        after = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    except (ValueError, OverflowError):
        raise FinanceInputError(
            "bad_year",
            f"no quarter {quarter} of {year!r} in years 1-9999",
            kind="quarter",
            field="year",
            params={"value": year},
        ) from None
    return first, after


def _check_money(value: Decimal, kind: str, field: str, *, code: str = "negative_amount") -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise FinanceInputError(
            "not_a_number",
            f"must be a finite Decimal, not {value!r}",
            kind=kind,
            field=field,
            params={"value": value},
        )
    if value < 0:
        raise FinanceInputError(
            code,
            f"must not be negative: {value}",
            kind=kind,
            field=field,
            params={"value": value},
        )
