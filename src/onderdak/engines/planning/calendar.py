"""A working-day calendar: day offsets of the plan <-> dates, skipping weekends and holidays.

Offsets count working days from the calendar's ``start``: offset 0 is the first working day
on or after ``start``, offset k the k-th working day after it. A task with early start ``es``
and duration ``d > 0`` works on the days ``date_of(es)`` .. ``date_of(es + d - 1)``; its
finish offset ``es + d`` is the morning of ``date_of(es + d)``.

The Dutch public holidays come from the maintained ``holidays`` package
(:func:`dutch_holidays`); the calendar itself only takes a set of dates, so a municipality can
add its own days off (or drop Good Friday) as data.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

#: Monday to Friday (``date.weekday()`` numbers).
MON_FRI: frozenset[int] = frozenset({0, 1, 2, 3, 4})


def dutch_holidays(years: Iterable[int]) -> frozenset[date]:
    """The Dutch public holidays of ``years`` from ``holidays.Netherlands`` (public category) (the Algemene
    termijnenwet's days and those equated with them): New Year's Day, Good Friday, Easter
    Sunday and Monday, King's Day (27 April, 26 April when the 27th is a Sunday), Liberation
    Day (5 May) in lustrum years only (2020, 2025, 2030: the years it is a day off for the
    national government; other years it is left to collective agreements), Ascension Day,
    Whit Sunday and Monday, Christmas and Boxing Day. The package is imported here, not at
    module import, to keep start-up fast."""
    import holidays  # lazy: a large package

    return frozenset(holidays.country_holidays("NL", years=sorted(set(years))))


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Working days: the ``workdays`` of the week (``date.weekday()`` numbers, Monday to
    Friday by default) that are not in ``holidays``. ``start`` is the date of offset 0 (or of
    the first working day after it); :meth:`offset_of` and :meth:`date_of` need it.
    ``WorkCalendar(frozenset(), workdays=frozenset(range(7)))`` counts calendar days."""

    holidays: frozenset[date] | set[date] = frozenset()
    workdays: frozenset[int] = MON_FRI
    start: date | None = None
    _sorted: tuple[date, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.workdays or not set(self.workdays) <= set(range(7)):
            raise ValueError(f"workdays must be weekday numbers 0-6, not {set(self.workdays)}")
        days = tuple(sorted(day for day in self.holidays if day.weekday() in self.workdays))
        object.__setattr__(self, "_sorted", days)

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day."""
        return day.weekday() in self.workdays and day not in self.holidays

    def workdays_between(self, first: date, end: date) -> int:
        """The number of working days in ``first`` .. ``end`` (``end`` excluded; negative
        when ``end`` is before ``first``)."""
        if end < first:
            return -self.workdays_between(end, first)
        days = (end - first).days
        weeks, rest = divmod(days, 7)
        count = weeks * len(self.workdays)
        weekday = first.weekday()
        count += sum((weekday + k) % 7 in self.workdays for k in range(rest))
        count -= bisect_left(self._sorted, end) - bisect_left(self._sorted, first)
        return count

    def next_workday(self, day: date) -> date:
        """``day`` when it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def add_workdays(self, start_date: date, n: int) -> date:
        """The working day ``n`` working days after ``start_date`` (``n`` 0: ``start_date``
        itself, or the next working day when it is none; negative ``n`` counts back)."""
        origin = self.next_workday(start_date)
        one = timedelta(days=1)

        def beyond(day: date) -> bool:  # more than n working days in origin .. day
            return self.workdays_between(origin, day + one) > n

        guess = origin + timedelta(days=n * 7 // len(self.workdays))
        step = timedelta(days=14)
        low = guess - step
        while beyond(low):
            step *= 2
            low -= step
        high = guess + step
        while not beyond(high):
            step *= 2
            high += step
        while high - low > one:  # not beyond(low), beyond(high): bisect
            middle = low + (high - low) // 2
            if beyond(middle):
                high = middle
            else:
                low = middle
        return high

    def _origin(self) -> date:
        if self.start is None:
            raise ValueError("the calendar has no start date")
        return self.next_workday(self.start)

    def date_of(self, offset: int) -> date:
        """The working day of day offset ``offset``."""
        return self.add_workdays(self._origin(), offset)

    def offset_of(self, day: date) -> int:
        """The day offset of ``day``: the working days from the start up to ``day`` (a day
        that is not a working day gets the offset of the next working day)."""
        return self.workdays_between(self._origin(), self.next_workday(day))
