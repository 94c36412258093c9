"""The year-end forecast (issue 13): per budget line, the actuals booked up to a day plus what
the programme will still cause from the next day to 31 December, against the current budget,
with a traffic light; the monthly series of the chart and the proposed reserve mutation.

* **still to come** = :func:`~onderdak.apps.finance.derivation.derived_lines` from the day
  after ``as_of`` to 31 December, with occupancy carried forward at the level of ``as_of``
  (the units in use then continue) and contracts, agreements and sites by their terms;
* **at the pace of the actuals**: a line with actuals that the programme causes nothing for
  (reception costs, allowances: booked, not derived) still costs or brings in its actuals per
  day booked so far, for the days after ``as_of``, rounded half up to cents;
* **forecast** = actuals to date + still to come; **variance** = forecast - current budget
  (current = original + amendments decided on or before ``as_of``);
* **budget line of a target group**: a line for a target group that has no budget line of its
  own counts on the line of its task field, track and direction held for every target group
  (target group empty), when there is one;
* **light**: expenditure by its overrun of the budget (engine ``traffic_light``: amber from
  5 %, red from 10 %); income mirrored, by its shortfall against the budget;
* **reserve** (task field 0.10): the Ukrainian income forecast minus the Ukrainian
  expenditure forecast, when positive, is proposed as an addition to a reserve;
* **monthly**: expenditure only: the current budget spread evenly over the months, the actuals
  cumulated per month up to ``as_of``, the forecast cumulated from the actuals and the
  still-to-come spread evenly over the remaining days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from . import derivation, selectors
from .derivation import EXPENDITURE, INCOME, UKRAINIAN, CostLine

if TYPE_CHECKING:
    from onderdak.engines.finance import Light

ZERO = Decimal("0.00")
Key = tuple[str, str, str, str]


@dataclass(frozen=True)
class ForecastLine:
    task_field: str
    track: str
    target_group: str
    direction: str
    description: str
    original: Decimal
    current: Decimal
    actual_to_date: Decimal
    still_to_come: Decimal
    forecast: Decimal
    variance: Decimal
    light: Light

    @property
    def key(self) -> Key:
        return (self.task_field, self.track, self.target_group, self.direction)


@dataclass(frozen=True)
class Totals:
    original: Decimal
    current: Decimal
    actual_to_date: Decimal
    still_to_come: Decimal
    forecast: Decimal
    variance: Decimal


@dataclass(frozen=True)
class MonthPoint:
    """Cumulative expenditure at the end of ``month`` (``YYYY-MM``); ``actual`` is ``None``
    after the month of ``as_of``."""

    month: str
    budget: Decimal
    actual: Decimal | None
    forecast: Decimal


@dataclass(frozen=True)
class ReserveProposal:
    """The proposed addition to a reserve (task field 0.10) of unspent Ukrainian money."""

    target_group: str
    income: Decimal
    expenditure: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Forecast:
    year: int
    as_of: date
    lines: list[ForecastLine]
    totals: dict[str, Totals]
    monthly: list[MonthPoint]
    reserve: list[ReserveProposal]
    has_budget: bool
    has_actuals: bool


def light_of(direction: str, current: Decimal, forecast: Decimal) -> Light:
    """Expenditure by its overrun, income by its shortfall (the mirror image)."""
    from onderdak.engines.finance import traffic_light

    if direction == INCOME:
        return traffic_light(current, current + (current - forecast))
    return traffic_light(current, forecast)


def _budget(
    user: Any, organisation_id: int, year: int, as_of: date
) -> dict[Key, tuple[str, Decimal, Decimal]]:
    """key -> (description, original, current on ``as_of``)."""
    return {
        (r.line.task_field, r.line.track, r.line.target_group, r.line.direction): (
            r.line.description,
            r.original,
            r.current,
        )
        for r in selectors.budget_rows(
            user=user, organisation_id=organisation_id, year=year, on=as_of
        )
    }


#: What a budget line's traffic light means, as people read it (the rule of
#: :func:`onderdak.engines.finance.traffic_light`). One place for the pages, Word and Excel.
LIGHT_LABELS = {
    "green": gettext_lazy("Green: within budget"),
    "amber": gettext_lazy("Amber: 5% to 10% off budget"),
    "red": gettext_lazy("Red: 10% or more off budget"),
}


def light_label(code: str) -> str:
    """The Dutch (active language) text of a traffic light code; the code itself if unknown."""
    return str(LIGHT_LABELS.get(str(code), code))


def default_as_of(*, user: Any, organisation_id: int, year: int, today: date) -> date:
    """The day a forecast of ``year`` looks from when none is asked: the last day that the
    imported actuals of the year cover (the controller's "realisatie t/m"), so that what the
    administration has not booked yet is forecast from the programme instead of left out;
    without actuals, ``today``; never after 31 December of ``year``."""
    end_of_year = date(year, 12, 31)
    covered = [
        batch.period_end
        for batch in selectors.actual_imports(user=user, organisation_id=organisation_id)
        if batch.period_start <= end_of_year and batch.period_end >= date(year, 1, 1)
    ]
    return min(max(covered, default=today), end_of_year)


def _budget_key(key: Key, budget: dict[Key, Any]) -> Key:
    """The budget line ``key`` counts on: its own, else the line of its task field, track and
    direction held for every target group, else its own (an unbudgeted line)."""
    if key in budget or not key[2]:
        return key
    general = (key[0], key[1], "", key[3])
    return general if general in budget else key


def _rolled_up(amounts: dict[Key, Decimal], budget: dict[Key, Any]) -> dict[Key, Decimal]:
    result: dict[Key, Decimal] = {}
    for key, amount in amounts.items():
        target = _budget_key(key, budget)
        result[target] = result.get(target, ZERO) + amount
    return result


def at_pace(actual: Decimal, year: int, as_of: date) -> Decimal:
    """``actual`` (booked from 1 January up to ``as_of``) carried forward at its pace per day
    over the rest of ``year``; nothing when ``as_of`` is outside the year or its last day."""
    from onderdak.engines.finance import round_half_up

    first, last = date(year, 1, 1), date(year, 12, 31)
    if not actual or as_of < first or as_of >= last:
        return ZERO
    elapsed = (as_of - first).days + 1
    remaining = (last - as_of).days
    return round_half_up(Fraction(actual) * remaining / elapsed)


def year_end_forecast(*, user: Any, organisation_id: int, year: int, as_of: date) -> Forecast:
    """The forecast of ``year`` as known on ``as_of`` (see the module's rules). Raises the
    derivation's :class:`~onderdak.engines.finance.FinanceInputError` when a day has no rate."""
    budget = _budget(user, organisation_id, year, as_of)
    actual_by: dict[Key, Decimal] = selectors.actual_totals(
        user=user, organisation_id=organisation_id, year=year, until=as_of
    )
    by_month = selectors.actuals_by_month(
        user=user, organisation_id=organisation_id, year=year, until=as_of
    )
    start = max(as_of + timedelta(days=1), date(year, 1, 1))
    coming: list[CostLine] = [
        line
        for line in derivation.derived_lines(
            user=user,
            organisation_id=organisation_id,
            year=year,
            since=start,
            carry_from=min(as_of, date(year, 12, 31)),
        )
        if line.counted
    ]
    actual_by = _rolled_up(actual_by, budget)
    coming_by: dict[Key, Decimal] = {}
    labels: dict[Key, str] = {}
    for line in coming:
        key = _budget_key((line.task_field, line.track, line.target_group, line.direction), budget)
        coming_by[key] = coming_by.get(key, ZERO) + line.amount
        labels.setdefault(key, line.category_label)
    keys = sorted(set(budget) | set(actual_by) | set(coming_by))
    lines = []
    for key in keys:
        description, original, current = budget.get(key, (labels.get(key, ""), ZERO, ZERO))
        actual = actual_by.get(key, ZERO)
        still = coming_by[key] if key in coming_by else at_pace(actual, year, as_of)
        forecast = actual + still
        lines.append(
            ForecastLine(
                task_field=key[0],
                track=key[1],
                target_group=key[2],
                direction=key[3],
                description=description,
                original=original,
                current=current,
                actual_to_date=actual,
                still_to_come=still,
                forecast=forecast,
                variance=forecast - current,
                light=light_of(key[3], max(current, ZERO), forecast),
            )
        )
    return Forecast(
        year=year,
        as_of=as_of,
        lines=lines,
        totals={d: _totals(x for x in lines if x.direction == d) for d in (INCOME, EXPENDITURE)},
        monthly=_monthly(year, as_of, lines, by_month),
        reserve=_reserve(lines),
        has_budget=bool(budget),
        has_actuals=bool(actual_by),
    )


def _totals(lines: Iterable[ForecastLine]) -> Totals:
    rows = list(lines)
    return Totals(
        *(
            sum((getattr(x, name) for x in rows), ZERO)
            for name in (
                "original",
                "current",
                "actual_to_date",
                "still_to_come",
                "forecast",
                "variance",
            )
        )
    )


def _reserve(lines: list[ForecastLine]) -> list[ReserveProposal]:
    income = sum(
        (x.forecast for x in lines if x.target_group == UKRAINIAN and x.direction == INCOME), ZERO
    )
    spent = sum(
        (x.forecast for x in lines if x.target_group == UKRAINIAN and x.direction == EXPENDITURE),
        ZERO,
    )
    if income - spent <= 0:
        return []
    return [ReserveProposal(UKRAINIAN, income, spent, income - spent)]


def _monthly(
    year: int, as_of: date, lines: list[ForecastLine], actuals: dict[Key, dict[int, Decimal]]
) -> list[MonthPoint]:
    """Expenditure, cumulative at each month's end (see the module's rules)."""
    from onderdak.engines.finance import round_half_up

    spending = [x for x in lines if x.direction == EXPENDITURE]
    budget = sum((x.current for x in spending), ZERO)
    still = sum((x.still_to_come for x in spending), ZERO)
    by_month: dict[int, Decimal] = {}
    for key, months in actuals.items():
        if key[3] == EXPENDITURE:
            for month, amount in months.items():
                by_month[month] = by_month.get(month, ZERO) + amount
    first_coming = max(as_of + timedelta(days=1), date(year, 1, 1))
    year_end = date(year + 1, 1, 1)
    coming_days = max((year_end - first_coming).days, 0)

    def shown(month: int) -> bool:
        return year < as_of.year or (year == as_of.year and month <= as_of.month)

    points = []
    actual = ZERO
    for month in range(1, 13):
        month_end = date(year, month + 1, 1) if month < 12 else year_end
        actual += by_month.get(month, ZERO)
        done = max(0, (month_end - first_coming).days) if coming_days else 0
        coming = round_half_up(Fraction(still) * done / coming_days) if coming_days else ZERO
        points.append(
            MonthPoint(
                month=f"{year}-{month:02d}",
                budget=round_half_up(Fraction(budget) * month / 12),
                actual=actual if shown(month) else None,
                forecast=actual + coming,
            )
        )
    return points
