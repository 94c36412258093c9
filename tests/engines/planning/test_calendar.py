"""The working-day calendar and the Dutch public holidays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onderdak.engines.planning import WorkCalendar, dutch_holidays

#: The Dutch public holidays of 2023 by hand (Algemene termijnenwet, with Good Friday as the
#: package counts it; Liberation Day only in lustrum years, so not in 2023).
HOLIDAYS_2023 = {
    date(2023, 1, 1),  # Nieuwjaarsdag
    date(2023, 4, 7),  # Goede Vrijdag
    date(2023, 4, 9),  # Eerste Paasdag
    date(2023, 4, 10),  # Tweede Paasdag
    date(2023, 4, 27),  # Koningsdag
    date(2023, 5, 18),  # Hemelvaartsdag
    date(2023, 5, 28),  # Eerste Pinksterdag
    date(2023, 5, 29),  # Tweede Pinksterdag
    date(2023, 12, 25),  # Eerste Kerstdag
    date(2023, 12, 26),  # Tweede Kerstdag
}


def test_dutch_holidays_2023() -> None:
    assert dutch_holidays([2023]) == HOLIDAYS_2023


def test_liberation_day_only_in_lustrum_years() -> None:
    assert date(2025, 5, 5) in dutch_holidays([2025])
    assert date(2024, 5, 5) not in dutch_holidays([2024])
    # King's Day moves to Saturday 26 April when the 27th is a Sunday (2025)
    assert date(2025, 4, 26) in dutch_holidays([2025])


CALENDAR = WorkCalendar(dutch_holidays([2023]), start=date(2023, 4, 4))


def test_offsets_of_the_college_decision_to_the_summer_recess() -> None:
    # 4 April 2023 (a Tuesday) is offset 0; Good Friday and Easter Monday are skipped
    assert CALENDAR.date_of(0) == date(2023, 4, 4)
    assert CALENDAR.date_of(3) == date(2023, 4, 11)
    assert CALENDAR.offset_of(date(2023, 4, 11)) == 3
    # Koningsdag, Hemelvaart and Pinkstermaandag are no working days
    for day in (date(2023, 4, 27), date(2023, 5, 18), date(2023, 5, 29)):
        assert not CALENDAR.is_workday(day)
    assert CALENDAR.add_workdays(date(2023, 4, 26), 1) == date(2023, 4, 28)
    assert CALENDAR.add_workdays(date(2023, 5, 26), 1) == date(2023, 5, 30)
    # a weekend day gets the offset of the Monday after it
    assert CALENDAR.offset_of(date(2023, 4, 15)) == CALENDAR.offset_of(date(2023, 4, 17))
    # counting back
    assert CALENDAR.add_workdays(date(2023, 4, 11), -1) == date(2023, 4, 6)
    assert CALENDAR.date_of(-1) == date(2023, 4, 3)


def test_calendar_days() -> None:
    every_day = WorkCalendar(frozenset(), workdays=frozenset(range(7)), start=date(2023, 1, 1))
    assert every_day.date_of(31) == date(2023, 2, 1)
    assert every_day.offset_of(date(2023, 12, 31)) == 364


def test_no_start_and_bad_workdays() -> None:
    with pytest.raises(ValueError, match="no start"):
        WorkCalendar().date_of(1)
    with pytest.raises(ValueError, match="weekday"):
        WorkCalendar(workdays=frozenset({7}))


def naive_add(calendar: WorkCalendar, start: date, n: int) -> date:
    day = start
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    step = timedelta(days=1 if n >= 0 else -1)
    for _ in range(abs(n)):
        day += step
        while not calendar.is_workday(day):
            day += step
    return day


@given(
    st.dates(date(2022, 1, 1), date(2024, 12, 31)),
    st.integers(-400, 400),
    st.sets(st.integers(0, 6), min_size=1),
)
def test_add_workdays_equals_counting_day_by_day(start: date, n: int, workdays: set[int]) -> None:
    calendar = WorkCalendar(
        dutch_holidays([2021, 2022, 2023, 2024, 2025]), workdays=frozenset(workdays)
    )
    day = calendar.add_workdays(start, n)
    assert day == naive_add(calendar, start, n)
    origin = calendar.next_workday(start)
    assert calendar.workdays_between(origin, day) == n
