"""A plain reference for the finance engine's tests: a loop over every day of every presence,
with Decimal amounts, straight from the definitions."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

from onderdak.engines.finance import MonthLine, Presence, RateTable, Unit


def daily_price(
    table: RateTable, presences: Iterable[Presence], *, by_key: bool = False
) -> list[MonthLine]:
    """Per day: count x the rate on that day, summed per (month, scheme[, key]); divided by
    the days of the month for person_month, rounded half up to cents once per line (in a
    Decimal context of 100 digits, exact for the amounts tested)."""
    with localcontext() as context:
        context.prec = 100
        return _daily_price(table, presences, by_key=by_key)


def _daily_price(
    table: RateTable, presences: Iterable[Presence], *, by_key: bool
) -> list[MonthLine]:
    sums: dict[tuple[str, str, str], Decimal] = {}
    quantities: dict[tuple[str, str, str], int] = {}
    for presence in presences:
        day = presence.start
        while day < presence.until:
            rate = table.rate_on(presence.scheme, day)
            line = (
                f"{day.year:04d}-{day.month:02d}",
                presence.scheme,
                presence.key if by_key else "",
            )
            sums[line] = sums.get(line, Decimal(0)) + presence.count * rate.amount
            quantities[line] = quantities.get(line, 0) + presence.count
            day += timedelta(days=1)
    lines = []
    for line in sorted(sums):
        if quantities[line] == 0:
            continue
        month, scheme, key = line
        amount = sums[line]
        if table.unit(scheme) is Unit.PERSON_MONTH:
            year, number = int(month[:4]), int(month[5:])
            amount /= calendar.monthrange(year, number)[1]
        amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        lines.append(MonthLine(month, scheme, quantities[line], amount, key))
    return lines
