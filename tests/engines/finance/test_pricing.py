"""Pricing presences per month: hand-worked examples, properties against the per-day
reference, exactness at any size and validation."""

from __future__ import annotations

import gc
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onderdak.engines.finance import (
    FinanceInputError,
    MonthLine,
    Presence,
    Rate,
    RateTable,
    Unit,
    line_total,
    price,
)
from tests.engines.finance.reference import daily_price
from tests.engines.finance.strategies import Instance, instances

D = Decimal
GOO = Unit.PLACE_DAY
POO = Unit.PERSON_MONTH

#: The GOO rates of issue 13 (the first one from 1 March 2022, when the scheme began).
GOO_RATES = (
    Rate("goo", date(2022, 3, 1), D("100"), GOO),
    Rate("goo", date(2022, 10, 15), D("83"), GOO),
    Rate("goo", date(2024, 1, 1), D("61"), GOO),
    Rate("goo", date(2025, 1, 1), D("44"), GOO),
)
#: A person_month scheme with a change in the middle of October 2022 (made up).
POO_RATES = (
    Rate("poo", date(2022, 3, 1), D("210"), POO),
    Rate("poo", date(2022, 10, 15), D("92"), POO),
)
TABLE = RateTable(GOO_RATES + POO_RATES)


def test_place_day_rate_change_in_the_middle_of_a_month() -> None:
    # 3 places in October 2022: 1-14 Oct at 100 (14 days), 15-31 Oct at 83 (17 days):
    # 3 x (14 x 100 + 17 x 83) = 3 x (1,400 + 1,411) = 3 x 2,811 = 8,433.00; 3 x 31 = 93 days.
    lines = price(TABLE, [Presence("goo", date(2022, 10, 1), date(2022, 11, 1), 3)])
    assert lines == [MonthLine("2022-10", "goo", 93, D("8433.00"))]


def test_person_month_rate_change_in_the_middle_of_a_month() -> None:
    # 2 persons in October 2022 (31 days): (14 x 210 + 17 x 92) x 2 / 31 = (2,940 + 1,564)
    # x 2 / 31 = 9,008 / 31 = 290.5806... -> 290.58; 2 x 31 = 62 person-days.
    lines = price(TABLE, [Presence("poo", date(2022, 10, 1), date(2022, 11, 1), 2)])
    assert lines == [MonthLine("2022-10", "poo", 62, D("290.58"))]


def test_rate_change_on_a_month_boundary() -> None:
    # 1 place from 20 Dec 2023 to 10 Jan 2024 (until excluded): December 20-31, 12 days at 83
    # = 996.00; January 1-9, 9 days at 61 = 549.00.
    lines = price(TABLE, [Presence("goo", date(2023, 12, 20), date(2024, 1, 10), 1)])
    assert lines == [
        MonthLine("2023-12", "goo", 12, D("996.00")),
        MonthLine("2024-01", "goo", 9, D("549.00")),
    ]
    assert line_total(lines) == D("1545.00")


def test_person_month_a_part_of_a_month_and_whole_months() -> None:
    # 1 person 15 Feb 2024 - 1 Apr 2024 at 92 (leap year): February 15-29 = 15 of 29 days:
    # 92 x 15 / 29 = 47.586... -> 47.59; March whole: 92.00.
    table = RateTable([Rate("poo", date(2024, 1, 1), D("92"), POO)])
    lines = price(table, [Presence("poo", date(2024, 2, 15), date(2024, 4, 1), 1)])
    assert lines == [
        MonthLine("2024-02", "poo", 15, D("47.59")),
        MonthLine("2024-03", "poo", 31, D("92.00")),
    ]


def test_rounding_is_half_up_once_per_line() -> None:
    # 0.05 per person-month, 1 person 15 of 30 days of November: 0.025 -> 0.03 half up
    # (half-even would give 0.02). Two such rows give 0.05 exactly (rounded once per line,
    # not 0.03 + 0.03).
    table = RateTable([Rate("x", date(2024, 1, 1), D("0.05"), POO)])
    one = Presence("x", date(2024, 11, 1), date(2024, 11, 16), 1)
    assert price(table, [one]) == [MonthLine("2024-11", "x", 15, D("0.03"))]
    assert price(table, [one, one]) == [MonthLine("2024-11", "x", 30, D("0.05"))]


def test_lines_sorted_by_month_then_scheme_overlaps_add_up() -> None:
    presences = [
        Presence("poo", date(2022, 11, 1), date(2022, 12, 1), 1),
        Presence("goo", date(2022, 11, 1), date(2022, 11, 3), 2),
        Presence("goo", date(2022, 11, 2), date(2022, 11, 4), 1),
        Presence("goo", date(2022, 10, 31), date(2022, 11, 1), 1),
    ]
    lines = price(TABLE, presences)
    # goo November: days 1-2 x 2 + days 2-3 x 1 = 6 place-days x 83 = 498.00
    assert lines == [
        MonthLine("2022-10", "goo", 1, D("83.00")),
        MonthLine("2022-11", "goo", 6, D("498.00")),
        MonthLine("2022-11", "poo", 30, D("92.00")),
    ]


def test_by_key_one_line_per_month_scheme_and_key() -> None:
    presences = [
        Presence("goo", date(2024, 1, 1), date(2024, 1, 11), 1, "housing.unit:2"),
        Presence("goo", date(2024, 1, 1), date(2024, 1, 3), 2, "housing.unit:17"),
        Presence("goo", date(2024, 1, 5), date(2024, 1, 6), 1, "housing.unit:2"),
    ]
    assert price(TABLE, presences, by_key=True) == [
        MonthLine("2024-01", "goo", 4, D("244.00"), "housing.unit:17"),
        MonthLine("2024-01", "goo", 11, D("671.00"), "housing.unit:2"),
    ]
    assert price(TABLE, presences) == [MonthLine("2024-01", "goo", 15, D("915.00"))]


def test_count_zero_and_empty_input_give_no_lines() -> None:
    assert price(TABLE, []) == []
    assert price(TABLE, [Presence("goo", date(2024, 1, 1), date(2024, 3, 1), 0)]) == []
    assert line_total([]) == D("0.00")


def test_amounts_always_have_two_decimals() -> None:
    lines = price(TABLE, [Presence("goo", date(2024, 1, 1), date(2024, 1, 2), 1)])
    assert str(lines[0].amount) == "61.00"


def test_exact_beyond_int64() -> None:
    # 10^15 euros a day x 10^6 places x 31 days = 3.1 x 10^22 euros: beyond int64 cents,
    # computed with Python integers.
    table = RateTable([Rate("big", date(2024, 1, 1), D("1000000000000000.01"), GOO)])
    presences = [Presence("big", date(2024, 1, 1), date(2024, 2, 2), 1_000_000)]
    lines = price(table, presences)
    assert lines == daily_price(table, presences)
    assert lines[0].amount == D("31000000000000000310000.00")


def test_far_dates() -> None:
    table = RateTable([Rate("x", date(1, 1, 1), D("1.01"), POO)])
    presences = [
        Presence("x", date(1, 1, 1), date(1, 1, 2), 1),
        Presence("x", date(9999, 12, 30), date(9999, 12, 31), 3),
    ]
    assert price(table, presences) == daily_price(table, presences)
    assert price(table, presences)[0].month == "0001-01"


def test_inputs_not_mutated_and_deterministic() -> None:
    presences = [Presence("goo", date(2022, 10, 1), date(2023, 2, 1), 4)]
    copy = list(presences)
    first = price(TABLE, presences)
    assert price(TABLE, iter(presences)) == first
    assert presences == copy


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


@given(instances(), st.booleans())
def test_equals_the_per_day_decimal_reference(instance: Instance, by_key: bool) -> None:
    assert price(instance.table, instance.presences, by_key=by_key) == daily_price(
        instance.table, instance.presences, by_key=by_key
    )


@given(instances(min_size=1), st.data())
def test_splitting_a_row_changes_nothing(instance: Instance, data: st.DataObject) -> None:
    presences = list(instance.presences)
    i = data.draw(st.integers(0, len(presences) - 1))
    row = presences[i]
    length = (row.until - row.start).days
    if length >= 2:
        cut = row.start + timedelta(days=data.draw(st.integers(1, length - 1)))
        presences[i : i + 1] = [
            Presence(row.scheme, row.start, cut, row.count, row.key),
            Presence(row.scheme, cut, row.until, row.count, row.key),
        ]
    for by_key in (False, True):
        before = price(instance.table, instance.presences, by_key=by_key)
        after = price(instance.table, presences, by_key=by_key)
        assert after == before
        assert line_total(after) == line_total(before)


@given(instances(), st.data())
def test_a_row_with_count_zero_changes_nothing(instance: Instance, data: st.DataObject) -> None:
    start = date(2023, 12, 1) + timedelta(days=data.draw(st.integers(0, 100)))
    zero = Presence(
        data.draw(st.sampled_from(instance.table.schemes)),
        start,
        start + timedelta(days=data.draw(st.integers(1, 60))),
        0,
    )
    at = data.draw(st.integers(0, len(instance.presences)))
    presences = [*instance.presences[:at], zero, *instance.presences[at:]]
    assert price(instance.table, presences) == price(instance.table, instance.presences)


@given(instances())
def test_lines_are_sorted_positive_and_in_cents(instance: Instance) -> None:
    lines = price(instance.table, instance.presences)
    assert [(line.month, line.scheme) for line in lines] == sorted(
        {(line.month, line.scheme) for line in lines}
    )
    for line in lines:
        assert line.quantity > 0
        assert line.amount >= 0
        assert line.amount.as_tuple().exponent == -2


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def _error(presences: list[Presence]) -> FinanceInputError:
    with pytest.raises(FinanceInputError) as caught:
        price(TABLE, presences)
    return caught.value


def test_unknown_scheme_even_with_count_zero() -> None:
    ok = Presence("goo", date(2024, 1, 1), date(2024, 1, 2), 1)
    error = _error([ok, Presence("xyz", date(2024, 1, 1), date(2024, 1, 2), 0, "k:1")])
    assert error.code == "unknown_scheme"
    assert error.field == "scheme"
    assert error.id == "k:1"
    assert error.params["index"] == 1
    assert error.params["scheme"] == "xyz"


def test_a_day_before_the_first_rate_names_it() -> None:
    error = _error([Presence("goo", date(2022, 2, 28), date(2022, 3, 2), 1)])
    assert error.code == "before_first_rate"
    assert error.field == "start"
    assert error.params["day"] == date(2022, 2, 28)
    assert error.params["first_valid_from"] == date(2022, 3, 1)
    assert "2022-03-01" in str(error)


def test_until_not_after_start() -> None:
    error = _error([Presence("goo", date(2024, 1, 2), date(2024, 1, 2), 1)])
    assert (error.code, error.field) == ("empty_period", "until")


@pytest.mark.parametrize(
    ("count", "code"),
    [(-1, "negative_count"), (True, "not_a_count"), (1.0, "not_a_count"), ("2", "not_a_count")],
)
def test_bad_counts(count: object, code: str) -> None:
    presence = Presence("goo", date(2024, 1, 1), date(2024, 1, 2), count)  # type: ignore[arg-type]
    error = _error([presence])
    assert (error.code, error.field) == (code, "count")


def test_dates_must_be_dates() -> None:
    presence = Presence("goo", "2024-01-01", date(2024, 1, 2), 1)  # type: ignore[arg-type]
    error = _error([presence])
    assert (error.code, error.field) == ("not_a_date", "start")


def test_table_must_be_a_rate_table() -> None:
    with pytest.raises(TypeError):
        price(list(GOO_RATES), [])  # type: ignore[arg-type]


def test_datetimes_are_not_dates() -> None:
    presence = Presence("goo", datetime(2024, 1, 1, 12, tzinfo=UTC), date(2024, 1, 2), 1)
    error = _error([presence])
    assert (error.code, error.field) == ("not_a_date", "start")


def test_the_garbage_collector_is_restored() -> None:
    presences = [Presence("goo", date(2024, 1, 1), date(2024, 1, 2), 1)]
    assert gc.isenabled()
    price(TABLE, presences)
    assert gc.isenabled()
    with pytest.raises(FinanceInputError):
        price(TABLE, [Presence("goo", date(2024, 1, 2), date(2024, 1, 1), 1)])
    assert gc.isenabled()
    gc.disable()
    try:
        price(TABLE, presences)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_exact_with_amounts_beyond_the_decimal_context() -> None:
    # a 40-digit rate: cents and totals must not pass through the 28-digit Decimal context
    amount = D("1234567890123456789012345678901234567.89")
    table = RateTable([Rate("big", date(2024, 1, 1), amount, GOO)])
    lines = price(table, [Presence("big", date(2024, 1, 1), date(2024, 1, 3), 3)])
    # 1,234,567,890,123,456,789,012,345,678,901,234,567.89 x 3 places x 2 days
    expected = D("7407407340740740734074074073407407407.34")
    assert lines[0].amount == expected
    assert line_total(lines) == expected
    assert lines == daily_price(table, [Presence("big", date(2024, 1, 1), date(2024, 1, 3), 3)])
