"""Distribution keys and the two-stage (province, then municipality) apportionment."""

from __future__ import annotations

from datetime import date

import pytest

from onderdak.engines.quota import (
    EU_RELOCATION_2015_WEIGHTS,
    QuotaInputError,
    apportion,
    apportion_in_two_stages,
    composite_key,
    corrected_key,
    population_key,
)

JAN_2023 = date(2023, 1, 1)
JAN_2024 = date(2024, 1, 1)
POPULATIONS = {
    "GM0384": {JAN_2023: 32_785, JAN_2024: 32_977},
    "GM0437": {JAN_2023: 14_384, JAN_2024: 14_447},
    "GM0451": {JAN_2023: 31_442, JAN_2024: 31_685},
}


def test_population_key_takes_the_reference_date() -> None:
    key = population_key(POPULATIONS, JAN_2024)
    assert dict(key.weights) == {"GM0384": 32_977, "GM0437": 14_447, "GM0451": 31_685}
    assert key.codes == ("GM0384", "GM0437", "GM0451")
    assert key.name == "population 2024-01-01"
    assert population_key(POPULATIONS, JAN_2023).weights["GM0437"] == 14_384
    with pytest.raises(QuotaInputError, match="population of GM0384: no population on 2022"):
        population_key(POPULATIONS, date(2022, 1, 1))
    with pytest.raises(QuotaInputError, match="population of X: must be a whole number"):
        population_key({"X": {JAN_2024: -1}}, JAN_2024)


def test_restricted_key_keeps_order() -> None:
    key = population_key(POPULATIONS, JAN_2024).restricted_to({"GM0451", "GM0384"})
    assert key.codes == ("GM0384", "GM0451")


def test_corrected_key_multiplies_by_the_factor() -> None:
    base = population_key(POPULATIONS, JAN_2024)
    key = corrected_key(base, {"GM0384": 0.5, "GM0437": 2.0, "GM0451": 1.0, "GM9999": 3.0})
    assert dict(key.weights) == {"GM0384": 16_488.5, "GM0437": 28_894.0, "GM0451": 31_685.0}
    assert key.name == "population 2024-01-01 corrected"
    with pytest.raises(QuotaInputError, match="factor of GM0451: no correction factor"):
        corrected_key(base, {"GM0384": 1.0, "GM0437": 1.0})
    with pytest.raises(QuotaInputError, match="factor of A: must be a finite number >= 0"):
        corrected_key({"A": 1.0}, {"A": -0.1})


def test_composite_key_is_a_weighted_sum_of_shares() -> None:
    # Hand-worked: shares of population (1/4, 3/4) and of GDP (1/2, 1/2), weights 0.4 / 0.6:
    # A = 0.4 * 0.25 + 0.6 * 0.5 = 0.4; B = 0.4 * 0.75 + 0.6 * 0.5 = 0.6.
    key = composite_key(
        {"population": {"A": 100, "B": 300}, "gdp": {"A": 5.0, "B": 5.0}},
        {"population": 0.4, "gdp": 0.6},
    )
    assert key.weights["A"] == pytest.approx(0.4)
    assert key.weights["B"] == pytest.approx(0.6)
    assert apportion(key.weights, 10).as_dict() == {"A": 4, "B": 6}


def test_eu_relocation_key_weights() -> None:
    assert dict(EU_RELOCATION_2015_WEIGHTS) == {
        "population": 0.4,
        "gdp": 0.4,
        "past_applications": 0.1,
        "unemployment": 0.1,
    }
    indicators = {
        "population": {"X": 10.0, "Y": 30.0},
        "gdp": {"X": 1.0, "Y": 1.0},
        "past_applications": {"X": 1.0, "Y": 0.0},
        "unemployment": {"X": 2.0, "Y": 2.0},
    }
    key = composite_key(indicators, EU_RELOCATION_2015_WEIGHTS)
    # X: 0.4 * 0.25 + 0.4 * 0.5 + 0.1 * 1 + 0.1 * 0.5 = 0.45
    assert key.weights["X"] == pytest.approx(0.45)
    assert sum(key.weights.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("indicators", "weights", "message"),
    [
        ({"a": {"X": 1.0}}, {}, "no criteria"),
        ({"a": {"X": 1.0}}, {"b": 1.0}, "criterion of b: no indicator values"),
        ({"a": {"X": 1.0}, "b": {"Y": 1.0}}, {"a": 1.0, "b": 1.0}, "cover different units"),
        ({"a": {"X": 0.0}}, {"a": 1.0}, "indicator total is zero"),
        ({"a": {"X": 1.0}}, {"a": 0.0}, "criterion weights sum to zero"),
        ({"a": {"X": -1.0}}, {"a": 1.0}, "a of X: must be a finite number"),
    ],
)
def test_composite_key_errors(
    indicators: dict[str, dict[str, float]], weights: dict[str, float], message: str
) -> None:
    with pytest.raises(QuotaInputError, match=message):
        composite_key(indicators, weights)


def test_two_stage_differs_from_direct_by_rounding_twice() -> None:
    # Hand-worked, Hamilton, 10 seats. Direct: quotas 1.5 1.5 1.5 5.5 (weights 15 15 15 55)
    # -> floors 1 1 1 5, two seats left, all remainders .5: larger weight D, then A -> 2 1 1 6.
    # Two stages with groups P = {A, B, C} (45) and Q = {D} (55): P 4.5, Q 5.5 -> floors 4 5,
    # one seat left, tie at .5 -> the larger Q: P 4, Q 6. Within P: 4 over 15/15/15 ->
    # 1.33 each -> 1 1 1 + one seat to A -> 2 1 1. Same as direct here.
    weights = {"A": 15, "B": 15, "C": 15, "D": 55}
    groups = {"A": "P", "B": "P", "C": "P", "D": "Q"}
    result = apportion_in_two_stages(weights, groups, 10)
    assert result.direct.as_dict() == {"A": 2, "B": 1, "C": 1, "D": 6}
    assert result.groups.as_dict() == {"P": 4, "Q": 6}
    assert result.as_dict() == {"A": 2, "B": 1, "C": 1, "D": 6}
    assert result.total_abs_difference == 0
    # Move 1 of weight from D to C (16 / 54): direct quotas 1.5 1.5 1.6 5.4 -> 1 1 1 5, two left
    # to C (.6) and then the larger of A, B at .5 -> tie, A: 2 1 2 5. Two stages: P 46 -> 4.6,
    # Q 5.4 -> 4 + 1 = 5 and 5: P 5, Q 5; within P 5 over 15/15/16 -> 1.63 1.63 1.74 ->
    # 1 1 1 + two seats to C (.74) and A (.63 tie with B, first) -> 2 1 2. Same again.
    weights = {"A": 15, "B": 15, "C": 16, "D": 54}
    assert apportion_in_two_stages(weights, groups, 10).total_abs_difference == 0


def test_two_stage_equals_direct_when_the_roundings_agree() -> None:
    # Hamilton, 4 seats over A 4, B 4 (group P) and C 2 (group Q): direct 1.6 1.6 0.8 ->
    # 1 1 0, two left: C (.8), then A (.6, tie with B, first) -> 2 1 1. Groups 3.2 / 0.8 ->
    # 3 0 + Q (.8) -> P 3, Q 1; within P: 3 over 4/4 -> 1.5 1.5 -> A first -> 2 1.
    weights = {"A": 4, "B": 4, "C": 2}
    groups = {"A": "P", "B": "P", "C": "Q"}
    result = apportion_in_two_stages(weights, groups, 4)
    assert result.as_dict() == result.direct.as_dict() == {"A": 2, "B": 1, "C": 1}
    assert result.total_abs_difference == 0
    # D'Hondt, 5 seats over A 40 (group G1), B 35 and C 25 (group G2). Direct averages
    # A 40 20 13.3, B 35 17.5, C 25 12.5 -> 40 35 25 20 17.5 -> 2 2 1. Groups: G1 40 20 13.3,
    # G2 60 30 20 15 -> 60 40 30 20 20 -> G1 2, G2 3; within G2: 35 25 17.5 -> B 2, C 1.
    weights = {"A": 40, "B": 35, "C": 25}
    groups = {"A": "G1", "B": "G2", "C": "G2"}
    result = apportion_in_two_stages(weights, groups, 5, method="dhondt")
    assert result.direct.as_dict() == {"A": 2, "B": 2, "C": 1}
    assert result.groups.as_dict() == {"G1": 2, "G2": 3}
    assert result.as_dict() == {"A": 2, "B": 2, "C": 1}


def test_two_stage_difference_is_reported() -> None:
    # Hamilton, 2 seats over A 1, B 1 (group P) and C 1, D 1, E 1 (group Q). Direct: exact
    # 0.4 each, two seats to the first two units (tie rule) -> A B. Groups: P 0.8, Q 1.2 ->
    # Q 1 + P (.8) -> P 1, Q 1; within P: A; within Q: C. So B loses, C gains.
    weights = {"A": 1, "B": 1, "C": 1, "D": 1, "E": 1}
    groups = {"A": "P", "B": "P", "C": "Q", "D": "Q", "E": "Q"}
    result = apportion_in_two_stages(weights, groups, 2)
    assert result.direct.as_dict() == {"A": 1, "B": 1, "C": 0, "D": 0, "E": 0}
    assert result.as_dict() == {"A": 1, "B": 0, "C": 1, "D": 0, "E": 0}
    assert result.difference.tolist() == [0, -1, 1, 0, 0]
    assert result.total_abs_difference == 2
    assert result.within["Q"].as_dict() == {"C": 1, "D": 0, "E": 0}


def test_two_stage_needs_a_group_for_every_unit() -> None:
    with pytest.raises(QuotaInputError, match="group of B: no group"):
        apportion_in_two_stages({"A": 1, "B": 1}, {"A": "P"}, 2)
