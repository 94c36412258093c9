"""Integration deadlines: calendar arithmetic, states, a worked example, validation."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.engines.care import (
    CareInputError,
    Deadline,
    DeadlineState,
    IntegrationDates,
    IntegrationNorms,
    add_months,
    add_weeks,
    integration_deadlines,
    integration_term_last_day,
    pip_due_date,
    worst_state,
)

NORMS = IntegrationNorms(
    broad_intake_weeks=10, pip_weeks=10, term_months=36, relief_months=6, due_soon_days=14
)
# The worked example of docs/engines/care.md: linked (and notified by DUO) on a leap day,
# registered in the BRP on 15 April 2024.
DATES = IntegrationDates(
    linked_on=date(2024, 2, 29),
    brp_registered_on=date(2024, 4, 15),
    broad_intake_on=date(2024, 4, 15),
    relief_start=date(2024, 3, 1),
)
S = DeadlineState


def _states(dates: IntegrationDates, today: date, norms: IntegrationNorms = NORMS) -> list[str]:
    return [d.state.value for d in integration_deadlines(dates, norms, today=today)]


# --------------------------------------------------------------------------------------------
# Calendar arithmetic
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 2, date(2024, 3, 31)),  # clamping does not carry over
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 36, date(2027, 2, 28)),  # the integration term
        (date(2024, 2, 29), 48, date(2028, 2, 29)),  # term + 12 months extension
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2023, 3, 31), -1, date(2023, 2, 28)),
        (date(2023, 8, 30), 6, date(2024, 2, 29)),  # financial relief
        (date(2024, 8, 30), 6, date(2025, 2, 28)),
        (date(2024, 8, 31), 1, date(2024, 9, 30)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2025, 1, 15), -13, date(2023, 12, 15)),
        (date(2025, 5, 17), 0, date(2025, 5, 17)),
        (date(1900, 1, 31), 1, date(1900, 2, 28)),  # 1900 is not a leap year
        (date(2000, 1, 31), 1, date(2000, 2, 29)),  # 2000 is
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_add_months_does_not_carry_clamping() -> None:
    assert add_months(add_months(date(2024, 1, 31), 1), 1) == date(2024, 3, 29)


def test_add_weeks() -> None:
    assert add_weeks(date(2024, 2, 29), 10) == date(2024, 5, 9)
    assert add_weeks(date(2024, 3, 7), -1) == date(2024, 2, 29)
    assert add_weeks(date(2024, 12, 30), 1) == date(2025, 1, 6)


def test_arithmetic_out_of_range() -> None:
    with pytest.raises(CareInputError, match="outside years 1-9999"):
        add_months(date(9999, 12, 1), 1)
    with pytest.raises(CareInputError, match="outside years 1-9999"):
        add_months(date(1, 1, 31), -1)
    with pytest.raises(CareInputError, match="outside years 1-9999"):
        add_weeks(date(9999, 12, 30), 1)
    with pytest.raises(CareInputError, match="whole number"):
        add_months(date(2024, 1, 1), 1.0)  # type: ignore[arg-type]
    with pytest.raises(CareInputError, match="whole number"):
        add_weeks(date(2024, 1, 1), True)


DAYS = st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31))


@given(day=DAYS, months=st.integers(-1200, 1200))
@settings(max_examples=500)
def test_add_months_equals_relativedelta(day: date, months: int) -> None:
    result = add_months(day, months)
    assert result == day + relativedelta(months=months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == min(day.day, calendar.monthrange(result.year, result.month)[1])


@given(day=DAYS, weeks=st.integers(-5000, 5000))
def test_add_weeks_equals_relativedelta(day: date, weeks: int) -> None:
    assert add_weeks(day, weeks) == day + relativedelta(weeks=weeks)


# --------------------------------------------------------------------------------------------
# The worked example and each state
# --------------------------------------------------------------------------------------------


def test_worked_example() -> None:
    deadlines = integration_deadlines(DATES, NORMS, today=date(2024, 6, 20))
    assert deadlines == [
        Deadline("broad_intake", date(2024, 5, 9), date(2024, 4, 15), S.DONE, -42),
        Deadline("pip", date(2024, 6, 24), None, S.DUE_SOON, 4),  # 10 weeks after the BRP
        # provisionally from the day after the PIP's due date: 25 June 2024 to 24 June 2027
        Deadline("term", date(2027, 6, 24), None, S.OPEN, 1099),
        Deadline("relief_end", date(2024, 9, 1), None, S.OPEN, 73),
    ]
    assert worst_state(deadlines) is S.DUE_SOON
    later = integration_deadlines(DATES, NORMS, today=date(2024, 7, 1))
    assert (later[1].state, later[1].days_left) == (S.OVERDUE, -7)
    assert worst_state(later) is S.OVERDUE


def test_pip_done_late_and_on_time() -> None:
    late = replace(DATES, pip_on=date(2024, 6, 25))
    assert _states(late, date(2024, 7, 1))[:2] == ["done", "done_late"]
    on_time = replace(DATES, pip_on=date(2024, 6, 24))
    assert _states(on_time, date(2024, 7, 1))[:2] == ["done", "done"]
    intake_late = replace(DATES, broad_intake_on=date(2024, 5, 10))
    deadlines = integration_deadlines(intake_late, NORMS, today=date(2024, 6, 1))
    assert deadlines[0].state is S.DONE_LATE
    assert deadlines[1].due == date(2024, 6, 24)  # a late intake does not move the PIP's due date
    # a late intake and a late PIP show as late, not as done, also in the case's summary
    both_late = replace(intake_late, pip_on=date(2024, 7, 1))
    deadlines = integration_deadlines(both_late, NORMS, today=date(2024, 7, 2))
    assert [d.state for d in deadlines[:3]] == [S.DONE_LATE, S.DONE_LATE, S.OPEN]
    assert worst_state(deadlines) is S.DONE_LATE


def test_pip_is_due_ten_weeks_after_duo_notice_or_the_later_brp_registration() -> None:
    # Besluit inburgering 2021 art. 5.3: 10 weeks after DUO's notice, or after the BRP
    # registration when that comes later
    notice = date(2024, 3, 4)
    assert pip_due_date(notified_on=notice, brp_registered_on=None, weeks=10) == date(2024, 5, 13)
    earlier = date(2024, 2, 1)
    assert pip_due_date(notified_on=notice, brp_registered_on=earlier, weeks=10) == date(
        2024, 5, 13
    )
    later = date(2024, 3, 25)
    assert pip_due_date(notified_on=notice, brp_registered_on=later, weeks=10) == date(2024, 6, 3)
    dates = IntegrationDates(linked_on=date(2024, 2, 29), duo_notified_on=notice)
    assert integration_deadlines(dates, NORMS, today=date(2024, 3, 4))[1].due == date(2024, 5, 13)
    registered = replace(dates, brp_registered_on=later)
    assert integration_deadlines(registered, NORMS, today=date(2024, 3, 4))[1].due == date(
        2024, 6, 3
    )


def test_pip_counts_from_the_link_without_a_notice_date() -> None:
    dates = IntegrationDates(linked_on=date(2024, 2, 29))
    deadlines = integration_deadlines(dates, NORMS, today=date(2024, 6, 20))
    assert [d.kind for d in deadlines] == ["broad_intake", "pip", "term"]  # no relief
    assert deadlines[0].state is S.OVERDUE
    assert (deadlines[1].due, deadlines[1].state, deadlines[1].days_left) == (
        date(2024, 5, 9),
        S.OVERDUE,
        -42,
    )
    # the term does not start at the link: provisionally the day after the PIP's due date
    assert deadlines[2].due == date(2027, 5, 9)


def test_due_soon_boundaries() -> None:
    dates = IntegrationDates(linked_on=date(2024, 1, 1))  # intake due 11 March 2024
    due = date(2024, 3, 11)
    assert integration_deadlines(dates, NORMS, today=due)[0].state is S.DUE_SOON  # due today
    assert integration_deadlines(dates, NORMS, today=due - timedelta(14))[0].state is S.DUE_SOON
    assert integration_deadlines(dates, NORMS, today=due - timedelta(15))[0].state is S.OPEN
    assert integration_deadlines(dates, NORMS, today=due + timedelta(1))[0].state is S.OVERDUE
    no_warning = replace(NORMS, due_soon_days=0)
    assert _states(dates, due - timedelta(1), no_warning)[0] == "open"
    assert _states(dates, due, no_warning)[0] == "due_soon"


def test_relief_end_passes_and_is_never_overdue() -> None:
    assert integration_deadlines(DATES, NORMS, today=date(2024, 8, 17))[3].state is S.OPEN
    before = integration_deadlines(DATES, NORMS, today=date(2024, 8, 31))[3]
    assert (before.state, before.done_on, before.days_left) == (S.DUE_SOON, None, 1)
    on = integration_deadlines(DATES, NORMS, today=date(2024, 9, 1))[3]
    assert (on.state, on.done_on, on.days_left) == (S.DONE, date(2024, 9, 1), 0)
    after = integration_deadlines(DATES, NORMS, today=date(2025, 1, 1))[3]
    assert (after.state, after.done_on) == (S.DONE, date(2024, 9, 1))
    leap = replace(DATES, relief_start=date(2023, 8, 31))  # + 6 months = 29 February 2024
    assert integration_deadlines(leap, NORMS, today=date(2024, 1, 1))[3].due == date(2024, 2, 29)


def test_term_start_extensions_and_completion() -> None:
    extended = replace(DATES, term_extension_months=12)
    assert integration_deadlines(extended, NORMS, today=date(2024, 6, 1))[2].due == date(
        2028, 6, 24
    )
    started = replace(DATES, term_start=date(2024, 3, 31))
    assert integration_deadlines(started, NORMS, today=date(2024, 6, 1))[2].due == date(2027, 3, 30)
    completed = replace(DATES, completed_on=date(2026, 12, 1))
    term = integration_deadlines(completed, NORMS, today=date(2030, 1, 1))[2]
    assert (term.state, term.done_on) == (S.DONE, date(2026, 12, 1))
    on_last_day = replace(DATES, completed_on=date(2027, 6, 24))
    assert integration_deadlines(on_last_day, NORMS, today=date(2030, 1, 1))[2].state is S.DONE
    late = replace(DATES, completed_on=date(2027, 6, 25))
    assert integration_deadlines(late, NORMS, today=date(2030, 1, 1))[2].state is S.DONE_LATE
    assert integration_deadlines(DATES, NORMS, today=date(2027, 6, 25))[2].state is S.OVERDUE


def test_the_term_runs_from_the_day_after_the_first_pip_as_in_the_law() -> None:
    # DOMAIN.md 4b, art. 11 Wet inburgering 2021: PIP dated 15 May 2024 -> the term starts on
    # 16 May 2024 and its last day is 15 May 2027; a revision on 1 September 2024 moves nothing
    dates = IntegrationDates(
        linked_on=date(2024, 3, 1),
        broad_intake_on=date(2024, 4, 2),
        pip_on=date(2024, 5, 15),
    )
    term = integration_deadlines(dates, NORMS, today=date(2024, 6, 1))[2]
    assert term.due == date(2027, 5, 15)
    revised = replace(dates, pip_revised_on=(date(2024, 9, 1), date(2024, 4, 1)))
    assert integration_deadlines(revised, NORMS, today=date(2024, 6, 1))[2] == term


@pytest.mark.parametrize(
    ("start", "extension", "expected"),
    [
        (date(2024, 5, 16), 0, date(2027, 5, 15)),  # the legal example
        (date(2024, 2, 29), 0, date(2027, 2, 27)),  # 29 Feb 2027 does not exist: 28 Feb - 1 day
        (date(2024, 2, 29), 48 - 36, date(2028, 2, 28)),  # to a leap year: 29 Feb 2028 - 1 day
        (date(2024, 3, 1), 0, date(2027, 2, 28)),
        (date(2024, 1, 31), 1, date(2027, 2, 27)),  # 31 Feb 2027 -> 28 Feb, then - 1 day
        (date(2024, 5, 16), 8, date(2028, 1, 15)),  # the extension crosses a year end
        (date(2024, 11, 30), 3, date(2028, 2, 28)),  # 30 Feb 2028 -> 29 Feb, then - 1 day
        (date(2024, 1, 1), 0, date(2026, 12, 31)),
    ],
)
def test_the_term_s_last_day(start: date, extension: int, expected: date) -> None:
    assert integration_term_last_day(start, extension_months=extension) == expected


def test_the_term_s_last_day_refuses_a_negative_extension_and_overflow() -> None:
    with pytest.raises(CareInputError, match=">= 0"):
        integration_term_last_day(date(2024, 5, 16), extension_months=-1)
    with pytest.raises(CareInputError, match="outside years"):
        integration_term_last_day(date(9998, 1, 1))


@given(start=st.dates(date(1900, 1, 1), date(2100, 12, 31)), extension=st.integers(0, 60))
def test_the_term_s_last_day_equals_a_dateutil_reference(start: date, extension: int) -> None:
    expected = start + relativedelta(months=36 + extension) - timedelta(days=1)
    assert integration_term_last_day(start, extension_months=extension) == expected


def test_closed_makes_open_deadlines_not_applicable() -> None:
    closed = replace(DATES, closed=True)
    deadlines = integration_deadlines(closed, NORMS, today=date(2024, 7, 1))
    assert [d.state for d in deadlines] == [
        S.DONE,  # what was done stays done
        S.NOT_APPLICABLE,
        S.NOT_APPLICABLE,
        S.NOT_APPLICABLE,
    ]
    assert worst_state(deadlines) is S.DONE
    relief_over = integration_deadlines(closed, NORMS, today=date(2024, 10, 1))[3]
    assert relief_over.state is S.DONE


def test_worst_state_order() -> None:
    order = [S.OVERDUE, S.DUE_SOON, S.DONE_LATE, S.OPEN, S.DONE, S.NOT_APPLICABLE]
    day = date(2024, 1, 1)
    for i, state in enumerate(order):
        deadlines = [Deadline("x", day, None, s, 0) for s in reversed(order[i:])]
        assert worst_state(deadlines) is state
    assert worst_state([]) is S.NOT_APPLICABLE


# --------------------------------------------------------------------------------------------
# Against a dateutil reference
# --------------------------------------------------------------------------------------------


@st.composite
def cases(draw: st.DrawFn) -> tuple[IntegrationDates, IntegrationNorms, date]:
    linked = draw(st.dates(date(2020, 1, 1), date(2026, 12, 31)))
    after = st.integers(0, 400).map(lambda n: linked + timedelta(days=n))
    intake = draw(st.none() | after)
    pip = draw(st.none() | st.integers(0, 200).map(lambda n: (intake or linked) + timedelta(n)))
    dates = IntegrationDates(
        linked_on=linked,
        duo_notified_on=draw(st.none() | after),
        brp_registered_on=draw(st.none() | st.dates(date(2019, 1, 1), date(2027, 12, 31))),
        pip_revised_on=tuple(draw(st.lists(st.dates(date(2019, 1, 1), date(2030, 1, 1))))),
        term_start=draw(st.none() | after),
        term_extension_months=draw(st.integers(0, 24)),
        broad_intake_on=intake,
        pip_on=pip,
        relief_start=draw(st.none() | st.dates(date(2019, 1, 1), date(2027, 12, 31))),
        completed_on=draw(st.none() | after),
        closed=draw(st.booleans()),
    )
    norms = IntegrationNorms(
        draw(st.integers(0, 26)),
        draw(st.integers(0, 26)),
        draw(st.integers(1, 60)),
        draw(st.integers(0, 12)),
        draw(st.integers(0, 60)),
    )
    today = draw(st.dates(date(2019, 1, 1), date(2031, 12, 31)))
    return dates, norms, today


@given(case=cases())
@settings(max_examples=300)
def test_matches_a_dateutil_reference(
    case: tuple[IntegrationDates, IntegrationNorms, date],
) -> None:
    dates, norms, today = case
    intake = dates.linked_on + relativedelta(weeks=norms.broad_intake_weeks)
    notice = dates.duo_notified_on or dates.linked_on
    pip = max(notice, dates.brp_registered_on or notice) + relativedelta(weeks=norms.pip_weeks)
    start = dates.term_start or (dates.pip_on or pip) + timedelta(days=1)
    term = (
        start
        + relativedelta(months=norms.term_months + dates.term_extension_months)
        - timedelta(days=1)
    )
    expected = [
        ("broad_intake", intake, dates.broad_intake_on),
        ("pip", pip, dates.pip_on),
        ("term", term, dates.completed_on),
    ]
    if dates.relief_start is not None:
        end = dates.relief_start + relativedelta(months=norms.relief_months)
        expected.append(("relief_end", end, end if today >= end else None))
    deadlines = integration_deadlines(dates, norms, today=today)
    assert [(d.kind, d.due, d.done_on) for d in deadlines] == expected
    for deadline in deadlines:
        assert deadline.days_left == (deadline.due - today).days
        if deadline.done_on is not None:
            assert deadline.state in {S.DONE, S.DONE_LATE}
            assert (deadline.state is S.DONE) == (deadline.done_on <= deadline.due)
        elif dates.closed:
            assert deadline.state is S.NOT_APPLICABLE
        elif today > deadline.due:
            assert deadline.state is S.OVERDUE
            assert deadline.kind != "relief_end"
        else:
            soon = deadline.days_left <= norms.due_soon_days
            assert deadline.state is (S.DUE_SOON if soon else S.OPEN)


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"broad_intake_on": date(2024, 2, 28)}, "broad_intake_on", "before linked_on"),
        ({"pip_on": date(2024, 2, 1), "broad_intake_on": None}, "pip_on", "before linked_on"),
        ({"completed_on": date(2023, 12, 31)}, "completed_on", "before linked_on"),
        ({"pip_on": date(2024, 4, 14)}, "pip_on", "before broad_intake_on"),
        ({"term_extension_months": -1}, "term_extension_months", ">= 0"),
        ({"linked_on": datetime(2024, 2, 29, 12)}, "linked_on", "not a datetime"),  # noqa: DTZ001
        ({"linked_on": None}, "linked_on", "must be a date"),
        ({"relief_start": "2024-03-01"}, "relief_start", "must be a date"),
        ({"closed": 1}, "closed", "true or false"),
        ({"duo_notified_on": "2024-03-01"}, "duo_notified_on", "must be a date"),
        ({"brp_registered_on": 20240301}, "brp_registered_on", "must be a date"),
        ({"pip_revised_on": [date(2024, 9, 1)]}, "pip_revised_on", "tuple of dates"),
        ({"pip_revised_on": ("2024-09-01",)}, "pip_revised_on", "must be a date"),
    ],
)
def test_dates_errors(changes: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(CareInputError) as caught:
        integration_deadlines(replace(DATES, **changes), NORMS, today=date(2024, 6, 1))
    assert (caught.value.kind, caught.value.field) == ("integration", field)
    assert message in caught.value.message
    assert str(caught.value).startswith(f"integration, field '{field}': ")


def test_today_must_be_a_date() -> None:
    with pytest.raises(CareInputError, match="today"):
        integration_deadlines(DATES, NORMS, today=datetime(2024, 6, 1))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("broad_intake_weeks", -1, ">= 0"),
        ("pip_weeks", -2, ">= 0"),
        ("term_months", 0, ">= 1"),
        ("relief_months", -6, ">= 0"),
        ("due_soon_days", -1, ">= 0"),
        ("due_soon_days", 1.5, "whole number"),
    ],
)
def test_norms_errors(field: str, value: Any, message: str) -> None:
    with pytest.raises(CareInputError) as caught:
        replace(NORMS, **{field: value})
    assert (caught.value.kind, caught.value.field) == ("norms", field)
    assert message in str(caught.value)
