"""Huisvestingswet 2014 art. 29(1): ceil(vg x iG / iN), CBS populations of 1 January the year before."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from onderdak.data.reference import read_municipalities
from onderdak.engines.quota import (
    HalfYear,
    QuotaInputError,
    apportion,
    ceil_share,
    statutory_quotas,
    statutory_reference_date,
)

NL_2023 = 17_811_291


def populations_on(on: date) -> dict[str, int]:
    _, municipalities = read_municipalities()
    return {m.code: m.population[on] for m in municipalities}


def test_reference_date_is_1_january_of_the_year_before() -> None:
    assert statutory_reference_date(HalfYear(2024, 1)) == date(2023, 1, 1)
    assert statutory_reference_date(HalfYear(2024, 2)) == date(2023, 1, 1)
    assert statutory_reference_date(HalfYear(2023, 1)) == date(2022, 1, 1)


def test_shipped_2023_column_adds_up_to_the_national_total() -> None:
    assert sum(populations_on(date(2023, 1, 1)).values()) == NL_2023


def test_diemen_2024_h1_is_35_and_the_national_total_18928() -> None:
    # 32,785 x 18,750 / 17,811,291 = 34.51... rounded up: 35 (DOMAIN.md section 3)
    result = statutory_quotas(18_750, populations_on(date(2023, 1, 1)))
    assert result.national_population == NL_2023
    assert result.quotas["GM0384"] == 35
    assert result.exact("GM0384") == Fraction(32_785 * 18_750, NL_2023)
    assert result.total == 18_928


def test_statutory_differs_from_the_apportionment_in_178_municipalities() -> None:
    populations = populations_on(date(2023, 1, 1))
    statutory = statutory_quotas(18_750, populations)
    hamilton = apportion({c: float(p) for c, p in populations.items()}, 18_750).as_dict()
    # the same reference date, largest remainder with the fixed total 18,750
    assert sum(hamilton.values()) == 18_750
    assert sum(statutory.quotas[c] != hamilton[c] for c in populations) == 178


def test_the_old_demo_figure_34_for_diemen_came_from_the_2024_apportionment() -> None:
    # regression: the demo apportioned 18,750 by the population of 1 January 2024 (34)
    populations = populations_on(date(2024, 1, 1))
    hamilton = apportion({c: float(p) for c, p in populations.items()}, 18_750).as_dict()
    assert hamilton["GM0384"] == 34
    assert statutory_quotas(18_750, populations_on(date(2023, 1, 1))).quotas["GM0384"] == 35


def test_hand_example_rounds_every_municipality_up() -> None:
    # 7 over three equal municipalities: 7/3 = 2.33 each, rounded up 3 each, total 9 (not 7)
    result = statutory_quotas(7, {"A": 1, "B": 1, "C": 1})
    assert dict(result.quotas) == {"A": 3, "B": 3, "C": 3}
    assert result.total == 9
    # a whole result is not rounded up: 18 x 1/3 = 6, 18 x 2/3 = 12
    assert dict(statutory_quotas(18, {"A": 1, "B": 2}).quotas) == {"A": 6, "B": 12}


def test_exact_integer_arithmetic_where_floats_would_round_down() -> None:
    # (10**17 + 1) x 1 / 10**17 is a hair above 1: exactly 2 when rounded up; a float gives 1.0
    assert float(10**17 + 1) / 10**17 == 1.0
    assert ceil_share(10**17 + 1, 1, 10**17) == 2
    assert statutory_quotas(10**17 + 1, {"A": 1}, national_population=10**17).quotas["A"] == 2


def test_zero_national_number_and_zero_population() -> None:
    result = statutory_quotas(0, {"A": 5, "B": 0})
    assert dict(result.quotas) == {"A": 0, "B": 0}
    assert statutory_quotas(100, {"A": 0, "B": 10}).quotas["A"] == 0


def test_national_population_is_the_callers_when_given() -> None:
    # art. 30: an overridden municipal figure leaves iN the national CBS figure
    result = statutory_quotas(100, {"A": 30}, national_population=1_000)
    assert result.quotas["A"] == 3
    assert result.national_population == 1_000


@pytest.mark.parametrize(
    ("national", "populations", "national_population", "field"),
    [
        (-1, {"A": 1}, None, "national"),
        (1.5, {"A": 1}, None, "national"),
        (True, {"A": 1}, None, "national"),
        (10, {"A": -1}, None, "population"),
        (10, {"A": 2.0}, None, "population"),
        (10, {}, None, "population"),
        (10, {"A": 0}, None, "national_population"),
        (10, {"A": 1}, 0, "national_population"),
    ],
)
def test_invalid_input_names_the_field(
    national: object, populations: dict[str, object], national_population: int | None, field: str
) -> None:
    with pytest.raises(QuotaInputError) as caught:
        statutory_quotas(national, populations, national_population=national_population)  # type: ignore[arg-type]
    assert caught.value.field == field
