"""Carry-over ledger of the half-yearly status-holder quota, worked by hand."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from onderdak.engines.quota import (
    HalfYear,
    PeriodQuota,
    QuotaInputError,
    expected_realised,
    run_ledger,
)

H1_2023 = HalfYear(2023, 1)


def four_half_years() -> list[PeriodQuota]:
    return [
        PeriodQuota(HalfYear(2023, 1), initial_quota=20, realised=15),
        # The national number was lowered during 2023-H2 (27,300 -> 17,600): 26 became 17.
        PeriodQuota(HalfYear(2023, 2), initial_quota=26, final_quota=17, realised=30),
        PeriodQuota(HalfYear(2024, 1), initial_quota=18, realised=10),
        PeriodQuota(HalfYear(2024, 2), initial_quota=12, realised=14),
    ]


def test_carry_over_over_four_half_years() -> None:
    # 2023-H1: backlog 3 + quota 20 = 23, housed 15 -> backlog 8 (behind, 1 in a row)
    # 2023-H2: 8 + 17 (final) = 25, housed 30 -> surplus -5 (ahead: streak 0)
    # 2024-H1: -5 + 18 = 13, housed 10 -> backlog 3 (behind, 1)
    # 2024-H2: 3 + 12 = 15, housed 14 -> backlog 1 (behind, 2)
    ledger = run_ledger(four_half_years(), opening_carry=3)
    rows = [
        (str(line.period), line.quota, line.carry_in, line.corrected, line.carry_out)
        for line in ledger.lines
    ]
    assert rows == [
        ("2023-H1", 20, 3, 23, 8),
        ("2023-H2", 17, 8, 25, -5),
        ("2024-H1", 18, -5, 13, 3),
        ("2024-H2", 12, 3, 15, 1),
    ]
    assert [line.behind for line in ledger.lines] == [True, False, True, True]
    assert [line.behind_streak for line in ledger.lines] == [1, 0, 1, 2]
    assert ledger.half_years_behind == 2
    assert ledger.closing_carry == 1
    assert ledger.line(HalfYear(2023, 2)).initial_quota == 26
    assert ledger.line(HalfYear(2023, 2)).final_quota == 17


def test_four_half_years_behind_in_a_row() -> None:
    periods = [
        PeriodQuota(HalfYear(2022, 2), initial_quota=10, realised=9),
        PeriodQuota(HalfYear(2023, 1), initial_quota=10, realised=10),
        PeriodQuota(HalfYear(2023, 2), initial_quota=10, realised=10),
        PeriodQuota(HalfYear(2024, 1), initial_quota=10, realised=10),
    ]
    # A backlog of 1 that is never made up: behind four half-years in a row (the streak; where
    # that puts a municipality on its province's ladder is test_supervision's subject).
    ledger = run_ledger(periods)
    assert [line.carry_out for line in ledger.lines] == [1, 1, 1, 1]
    assert ledger.half_years_behind == 4
    # Making up the backlog exactly (carry-over 0) ends the streak.
    caught_up = [*periods, PeriodQuota(HalfYear(2024, 2), initial_quota=10, realised=11)]
    assert run_ledger(caught_up).lines[-1].carry_out == 0
    assert run_ledger(caught_up).half_years_behind == 0
    assert run_ledger([]).half_years_behind == 0
    assert run_ledger([], opening_carry=-2).closing_carry == -2


def test_expected_pace_is_one_sixth_per_month() -> None:
    assert expected_realised(15, 0) == 0
    assert expected_realised(15, 1) == Fraction(5, 2)
    assert expected_realised(15, 2) == 5
    assert expected_realised(15, 6) == 15
    assert expected_realised(-4, 3) == 0  # a surplus expects nothing
    line = run_ledger(four_half_years(), opening_carry=3).lines[-1]  # 2024-H2, corrected 15
    assert line.expected_by_month(4) == 10
    assert line.expected_on(date(2024, 9, 15)) == Fraction(15 * 3, 6)
    with pytest.raises(QuotaInputError, match=r"month: must be 0\.\.6"):
        expected_realised(15, 7)
    with pytest.raises(QuotaInputError, match="is not in 2024-H2"):
        line.expected_on(date(2024, 1, 31))


def test_half_year() -> None:
    assert HalfYear.parse("2024-H1") == HalfYear(2024, 1)
    assert HalfYear.parse(" 2024h2 ") == HalfYear(2024, 2)
    assert str(HalfYear(2025, 2)) == "2025-H2"
    assert HalfYear(2024, 2).next() == HalfYear(2025, 1)
    assert HalfYear(2024, 1).next() == HalfYear(2024, 2)
    assert (HalfYear(2024, 1).start, HalfYear(2024, 1).end) == (date(2024, 1, 1), date(2024, 6, 30))
    assert (HalfYear(2024, 2).start, HalfYear(2024, 2).end) == (
        date(2024, 7, 1),
        date(2024, 12, 31),
    )
    assert HalfYear(2024, 2).month_number(date(2024, 12, 31)) == 6
    assert HalfYear(2023, 2) < HalfYear(2024, 1)
    with pytest.raises(QuotaInputError, match="half must be 1 or 2"):
        HalfYear(2024, 3)
    with pytest.raises(QuotaInputError, match="not a half-year like 2024-H1"):
        HalfYear.parse("2024-Q1")


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        (
            [PeriodQuota(H1_2023, 1, 0), PeriodQuota(HalfYear(2024, 1), 1, 0)],
            "period of 2024-H1: expected 2023-H2 after 2023-H1",
        ),
        (
            [PeriodQuota(HalfYear(2023, 2), 1, 0), PeriodQuota(H1_2023, 1, 0)],
            "expected 2024-H1 after 2023-H2",
        ),
        ([PeriodQuota(H1_2023, -1, 0)], "initial quota of 2023-H1: must be a whole number >= 0"),
        ([PeriodQuota(H1_2023, 1, -2)], "realised of 2023-H1"),
        ([PeriodQuota(H1_2023, 1, 0, final_quota=-1)], "final quota of 2023-H1"),
    ],
)
def test_invalid_periods_are_reported(periods: list[PeriodQuota], message: str) -> None:
    with pytest.raises(QuotaInputError, match=message):
        run_ledger(periods)


def test_opening_carry_must_be_whole() -> None:
    with pytest.raises(QuotaInputError, match="opening carry"):
        run_ledger([], opening_carry=1.5)  # type: ignore[arg-type]
