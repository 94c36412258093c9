"""The money and calendar helpers: rounding, depreciation, relocation, subsidy, lights,
quarters."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onderdak.engines.finance import (
    FinanceInputError,
    Light,
    cents_to_decimal,
    quarter_bounds,
    quarter_of,
    round_half_up,
    straight_line,
    subsidy_sft,
    traffic_light,
)

D = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("0.005"), "0.01"),
        (D("0.0049999"), "0.00"),
        (D("-0.005"), "-0.01"),
        (D("2.675"), "2.68"),  # 2.67 as a float
        (D("83"), "83.00"),
        (D("1E+3"), "1000.00"),
        (Fraction(1, 200), "0.01"),
        (Fraction(9008, 31), "290.58"),
        (Fraction(-1, 3), "-0.33"),
        (7, "7.00"),
        (D("1000000000000000000000000000000.005"), "1000000000000000000000000000000.01"),
    ],
)
def test_round_half_up(value: Decimal | Fraction | int, expected: str) -> None:
    assert str(round_half_up(value)) == expected


def test_round_half_up_refuses_infinity() -> None:
    with pytest.raises(FinanceInputError):
        round_half_up(D("Infinity"))


@given(st.integers(-(10**30), 10**30))
def test_cents_to_decimal(cents: int) -> None:
    value = cents_to_decimal(cents)
    assert value.as_tuple().exponent == -2
    assert Fraction(value) * 100 == cents


def test_straight_line_by_days() -> None:
    # 3,650 euros from 1 July 2024 to 1 July 2034 (3,652 days, 10 years with 3 leap days):
    # 2024: 184 days (1 July - 31 Dec) -> 3,650 x 184 / 3,652 = 183.899... -> 183.90.
    cost = D("3650")
    start, end = date(2024, 7, 1), date(2034, 7, 1)
    assert straight_line(cost, start, end, 2024) == D("183.90")
    # 2025: cumulative 549 days -> 548.699... -> 548.70, minus 183.90 = 364.80.
    assert straight_line(cost, start, end, 2025) == D("364.80")
    assert straight_line(cost, start, end, 2023) == D("0.00")
    assert straight_line(cost, start, end, 2035) == D("0.00")


@given(
    st.integers(0, 10**9).map(lambda c: D(c).scaleb(-2)),
    st.dates(date(2000, 1, 1), date(2040, 1, 1)),
    st.integers(1, 8000),
)
def test_straight_line_years_add_up_to_the_cost(cost: Decimal, start: date, days: int) -> None:
    end = start + timedelta(days=days)
    years = range(start.year, end.year + 1)
    assert sum(straight_line(cost, start, end, year) for year in years) == cost


def test_straight_line_errors() -> None:
    with pytest.raises(FinanceInputError) as caught:
        straight_line(D("1"), date(2024, 1, 1), date(2024, 1, 1), 2024)
    assert caught.value.code == "empty_period"
    with pytest.raises(FinanceInputError) as caught:
        straight_line(D("-1"), date(2024, 1, 1), date(2025, 1, 1), 2024)
    assert caught.value.code == "negative_amount"
    with pytest.raises(FinanceInputError) as caught:
        straight_line(D("1"), date(2024, 1, 1), date(2025, 1, 1), 0)
    assert caught.value.code == "bad_year"


def test_subsidy_sft() -> None:
    assert subsidy_sft(30, D("7800"), D("5000000")) == D("234000.00")
    assert subsidy_sft(700, D("7800"), D("5000000")) == D("5000000.00")
    assert subsidy_sft(0, D("7800"), D("5000000")) == D("0.00")
    with pytest.raises(FinanceInputError) as caught:
        subsidy_sft(-1, D("7800"), D("5000000"))
    assert caught.value.code == "negative_units"


@pytest.mark.parametrize(
    ("budget", "forecast", "light"),
    [
        ("100", "80", Light.GREEN),
        ("100", "104.99", Light.GREEN),
        ("100", "105", Light.AMBER),
        ("100", "109.99", Light.AMBER),
        ("100", "110", Light.RED),
        ("0", "0", Light.GREEN),
        ("0", "0.01", Light.RED),
        ("0", "-5", Light.RED),
    ],
)
def test_traffic_light(budget: str, forecast: str, light: Light) -> None:
    assert traffic_light(D(budget), D(forecast)) is light


def test_traffic_light_thresholds_and_errors() -> None:
    assert traffic_light(D("100"), D("101"), amber=D("0.01"), red=D("0.02")) is Light.AMBER
    with pytest.raises(FinanceInputError) as caught:
        traffic_light(D("-1"), D("0"))
    assert caught.value.code == "negative_budget"


def test_quarters() -> None:
    assert [quarter_of(date(2025, m, 1)) for m in range(1, 13)] == [1] * 3 + [2] * 3 + [3] * 3 + [
        4
    ] * 3
    assert quarter_bounds(2025, 1) == (date(2025, 1, 1), date(2025, 4, 1))
    assert quarter_bounds(2025, 3) == (date(2025, 7, 1), date(2025, 10, 1))
    assert quarter_bounds(2025, 4) == (date(2025, 10, 1), date(2026, 1, 1))
    with pytest.raises(FinanceInputError) as caught:
        quarter_bounds(2025, 5)
    assert caught.value.code == "bad_quarter"
    with pytest.raises(FinanceInputError) as caught:
        quarter_bounds(9999, 4)
    assert caught.value.code == "bad_year"


@given(st.dates())
def test_a_day_lies_in_its_quarter(day: date) -> None:
    if day.year == 9999 and day.month > 9:
        return
    first, after = quarter_bounds(day.year, quarter_of(day))
    assert first <= day < after


def test_amounts_must_be_finite_decimals() -> None:
    with pytest.raises(FinanceInputError) as caught:
        subsidy_sft(1, 7800.0, D("5000000"))  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.field) == ("not_a_number", "rate")
    with pytest.raises(FinanceInputError) as caught:
        traffic_light(D("100"), D("NaN"))
    assert (caught.value.code, caught.value.field) == ("not_a_number", "forecast")
