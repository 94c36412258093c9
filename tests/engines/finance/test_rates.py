"""The rate table: the rate on a day and the validation of rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from onderdak.engines.finance import FinanceInputError, Rate, RateTable, Unit

D = Decimal
GOO = (
    Rate("goo", date(2022, 10, 15), D("83"), Unit.PLACE_DAY),
    Rate("goo", date(2022, 3, 1), D("100"), Unit.PLACE_DAY),
    Rate("goo", date(2024, 1, 1), D("61"), Unit.PLACE_DAY),
)


def test_the_rate_on_a_day_is_the_latest_valid_from_on_or_before_it() -> None:
    table = RateTable(GOO)
    assert table.rate_on("goo", date(2022, 3, 1)).amount == 100
    assert table.rate_on("goo", date(2022, 10, 14)).amount == 100
    assert table.rate_on("goo", date(2022, 10, 15)).amount == 83
    assert table.rate_on("goo", date(2023, 12, 31)).amount == 83
    assert table.amount_on("goo", date(2030, 1, 1)) == 61
    assert [r.valid_from for r in table.rates("goo")] == sorted(r.valid_from for r in GOO)
    assert table.first_valid_from("goo") == date(2022, 3, 1)
    assert table.unit("goo") is Unit.PLACE_DAY
    assert table.schemes == ("goo",)
    assert "goo" in table
    assert "poo" not in table
    assert len(list(table)) == 3


def test_a_day_before_the_first_rate_is_an_error_never_zero() -> None:
    table = RateTable(GOO)
    with pytest.raises(FinanceInputError) as caught:
        table.rate_on("goo", date(2022, 2, 28))
    error = caught.value
    assert error.code == "before_first_rate"
    assert error.params == {
        "scheme": "goo",
        "day": date(2022, 2, 28),
        "first_valid_from": date(2022, 3, 1),
    }
    with pytest.raises(FinanceInputError) as caught:
        table.amount_on("goo", date(2022, 2, 28))
    assert caught.value.code == "before_first_rate"


def test_unknown_scheme() -> None:
    with pytest.raises(FinanceInputError) as caught:
        RateTable(GOO).rate_on("poo", date(2024, 1, 1))
    assert caught.value.code == "unknown_scheme"
    assert caught.value.params["scheme"] == "poo"


def test_an_exact_repetition_is_kept_once() -> None:
    table = RateTable([*GOO, GOO[0]])
    assert len(table.rates("goo")) == 3


def _error(rates: list[Rate]) -> FinanceInputError:
    with pytest.raises(FinanceInputError) as caught:
        RateTable(rates)
    return caught.value


def test_duplicate_valid_from_with_another_amount() -> None:
    error = _error([*GOO, Rate("goo", date(2022, 3, 1), D("99"), Unit.PLACE_DAY)])
    assert (error.code, error.field, error.params["index"]) == ("duplicate_rate", "amount", 3)
    assert error.params["amount"] == 100


def test_one_unit_per_scheme() -> None:
    error = _error([*GOO, Rate("goo", date(2025, 1, 1), D("44"), Unit.PERSON_MONTH)])
    assert (error.code, error.field, error.params["index"]) == ("mixed_units", "unit", 3)


@pytest.mark.parametrize(
    ("rate", "code", "field"),
    [
        (Rate("", date(2024, 1, 1), D("1"), Unit.PLACE_DAY), "empty_scheme", "scheme"),
        (Rate("x", "2024-01-01", D("1"), Unit.PLACE_DAY), "not_a_date", "valid_from"),  # type: ignore[arg-type]
        (Rate("x", date(2024, 1, 1), D("1"), "day"), "unknown_unit", "unit"),  # type: ignore[arg-type]
        (Rate("x", date(2024, 1, 1), 1.5, Unit.PLACE_DAY), "not_a_number", "amount"),  # type: ignore[arg-type]
        (Rate("x", date(2024, 1, 1), D("NaN"), Unit.PLACE_DAY), "not_a_number", "amount"),
        (Rate("x", date(2024, 1, 1), D("-0.01"), Unit.PLACE_DAY), "negative_amount", "amount"),
        (Rate("x", date(2024, 1, 1), D("1.005"), Unit.PLACE_DAY), "too_many_decimals", "amount"),
        (Rate("x", date(2024, 1, 1), D("1.000"), Unit.PLACE_DAY), "too_many_decimals", "amount"),
    ],
)
def test_invalid_rates(rate: Rate, code: str, field: str) -> None:
    error = _error([GOO[0], rate])
    assert (error.code, error.field, error.kind, error.params["index"]) == (
        code,
        field,
        "rate",
        1,
    )


def test_zero_and_exponent_amounts_are_accepted() -> None:
    table = RateTable(
        [
            Rate("x", date(2024, 1, 1), D("0"), Unit.PLACE_DAY),
            Rate("x", date(2024, 2, 1), D("1E+2"), Unit.PLACE_DAY),
        ]
    )
    assert table.amount_on("x", date(2024, 2, 1)) == 100


def test_repr_lists_the_rates() -> None:
    assert repr(RateTable(GOO[:1])) == f"RateTable([{GOO[0]!r}])"
