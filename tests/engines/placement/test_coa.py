"""COA's norms per linked status holder (coa.nl, DOMAIN.md section 3): 10 weeks after the link
to find a home, 2 more weeks to move in; hand-worked dates and states."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onderdak.engines.placement import (
    CoaNorms,
    CoaState,
    CoaStep,
    PlacementInputError,
    coa_term,
)


def test_dates_hand_worked_link_late_in_a_month_of_a_leap_year() -> None:
    # 31 January 2024 + 70 days: February has 29 days (29 Feb = +29), 31 March = +60,
    # 10 April = +70; + 84 days = 24 April 2024.
    term = coa_term(date(2024, 1, 31), today=date(2024, 2, 1))
    assert term.home_by == date(2024, 4, 10)
    assert term.moved_by == date(2024, 4, 24)
    assert (term.state, term.step, term.days) == (CoaState.RUNNING, CoaStep.HOME, 69)


def test_dates_across_february_in_a_common_year_and_the_year_end() -> None:
    # 31 January 2025 + 70 days: 28 Feb = +28, 31 March = +59, 11 April = +70.
    assert coa_term(date(2025, 1, 31), today=date(2025, 1, 31)).home_by == date(2025, 4, 11)
    # 30 November 2025 + 70 days = 8 February 2026 (1 + 31 + 31 + 7); + 84 = 22 February 2026.
    term = coa_term(date(2025, 11, 30), today=date(2025, 12, 1))
    assert (term.home_by, term.moved_by) == (date(2026, 2, 8), date(2026, 2, 22))


def test_a_household_linked_today_is_running_with_ten_weeks_left() -> None:
    today = date(2026, 12, 2)
    term = coa_term(today, today=today)
    assert term.home_by == date(2027, 2, 10)
    assert term.moved_by == date(2027, 2, 24)
    assert (term.state, term.days, term.warning) == (CoaState.RUNNING, 70, False)


def test_due_soon_from_fourteen_days_before_and_on_the_last_day() -> None:
    linked = date(2025, 3, 3)  # home by 12 May 2025
    assert coa_term(linked, today=date(2025, 4, 27)).state is CoaState.RUNNING  # 15 days
    soon = coa_term(linked, today=date(2025, 4, 28))
    assert (soon.state, soon.days, soon.warning) == (CoaState.DUE_SOON, 14, True)
    last = coa_term(linked, today=date(2025, 5, 12))
    assert (last.state, last.days) == (CoaState.DUE_SOON, 0)


def test_overdue_the_day_after_each_deadline() -> None:
    linked = date(2025, 3, 3)  # home by 12 May, moved by 26 May 2025
    home = coa_term(linked, today=date(2025, 5, 13))
    assert (home.state, home.step, home.days) == (CoaState.OVERDUE, CoaStep.HOME, 1)
    still = coa_term(linked, today=date(2025, 5, 26))
    assert (still.state, still.step, still.days) == (CoaState.OVERDUE, CoaStep.HOME, 14)
    move = coa_term(linked, today=date(2025, 5, 27))
    assert (move.state, move.step, move.days) == (CoaState.OVERDUE, CoaStep.MOVE, 1)


def test_a_placement_is_measured_by_its_move_in_date_and_late_stays_late() -> None:
    linked = date(2025, 3, 3)  # moved by 26 May 2025
    on_time = coa_term(linked, today=date(2025, 12, 1), placed_on=date(2025, 5, 26))
    assert (on_time.state, on_time.days, on_time.warning) == (CoaState.ON_TIME, 0, False)
    # a move-in after 10 weeks but within the 2 weeks for the move is on time
    assert coa_term(linked, today=date(2025, 5, 20), placed_on=date(2025, 5, 20)).state is (
        CoaState.ON_TIME
    )
    late = coa_term(linked, today=date(2025, 12, 1), placed_on=date(2025, 6, 2))
    assert (late.state, late.step, late.days, late.warning) == (
        CoaState.LATE,
        CoaStep.MOVE,
        7,
        True,
    )
    # a placement planned for a later date counts by that date
    planned = coa_term(linked, today=date(2025, 4, 1), placed_on=date(2025, 6, 1))
    assert planned.state is CoaState.LATE


def test_norms_are_data() -> None:
    term = coa_term(
        date(2025, 3, 3),
        today=date(2025, 3, 3),
        norms=CoaNorms(home_weeks=8, move_weeks=4, warning_days=0),
    )
    assert (term.home_by, term.moved_by) == (date(2025, 4, 28), date(2025, 5, 26))
    with pytest.raises(PlacementInputError, match="home_weeks"):
        CoaNorms(home_weeks=-1)
    with pytest.raises(PlacementInputError, match="warning_days"):
        CoaNorms(warning_days=True)


def test_invalid_dates_name_the_field() -> None:
    with pytest.raises(PlacementInputError, match="linked_on"):
        coa_term("2025-03-03", today=date(2025, 3, 3))  # type: ignore[arg-type]
    with pytest.raises(PlacementInputError, match="linked_on"):
        coa_term(date(9999, 12, 1), today=date(9999, 12, 1))


@given(
    linked=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    offset=st.integers(min_value=-10, max_value=200),
)
def test_states_follow_the_days_since_the_link(linked: date, offset: int) -> None:
    today = linked + timedelta(days=offset)
    term = coa_term(linked, today=today)
    assert term.moved_by - term.home_by == timedelta(weeks=2)
    if offset <= 70 - 15:
        assert term.state is CoaState.RUNNING
    elif offset <= 70:
        assert term.state is CoaState.DUE_SOON
    else:
        assert term.state is CoaState.OVERDUE
        assert term.step is (CoaStep.HOME if offset <= 84 else CoaStep.MOVE)
    placed = coa_term(linked, today=today, placed_on=today)
    assert placed.state is (CoaState.ON_TIME if offset <= 84 else CoaState.LATE)
