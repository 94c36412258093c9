"""Malformed input: ExchangeInputError naming the JSON path, from JSON and from Python."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from onderdak.engines.exchange import (
    ExchangeInputError,
    Fairness,
    Group,
    Municipality,
    Scenario,
    optimise,
    scenario_from_mapping,
    scenario_to_mapping,
)
from tests.engines.exchange.test_worked_example import duo_plus


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    target: Any = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


def _drop(data: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    target: Any = changed
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return changed


BASE = duo_plus("swap")
M0 = ("municipalities", 0)

CASES: dict[str, tuple[Any, str, str]] = {
    "not an object": ([1, 2], "", "the input must be a JSON object, not [1, 2]"),
    "unknown mode": (
        _set(BASE, ("mode",), "trade"),
        "mode",
        'must be "swap" or "compensation", not "trade"',
    ),
    "missing mode": (_drop(BASE, ("mode",)), "mode", "required field is missing"),
    "no groups": (_set(BASE, ("groups",), {}), "groups", "must name at least one group"),
    "zero points": (
        _set(BASE, ("groups", "asylum_seeker", "points"), 0),
        "groups.asylum_seeker.points",
        "must be a number > 0, not 0",
    ),
    "negative capacity": (
        _set(BASE, (*M0, "capacity", "asylum_seeker"), -3),
        "municipalities[0].capacity.asylum_seeker",
        "must be a whole number >= 0, not -3",
    ),
    "fractional obligation": (
        _set(BASE, ("municipalities", 2, "obligation", "status_holder"), 2.5),
        "municipalities[2].obligation.status_holder",
        "must be a whole number >= 0, not 2.5",
    ),
    "obligation written as 3.0": (
        _set(BASE, (*M0, "obligation", "asylum_seeker"), 3.0),
        "municipalities[0].obligation.asylum_seeker",
        "must be a whole number >= 0, not 3.0",
    ),
    "text for a number": (
        _set(BASE, (*M0, "capacity", "status_holder"), "12"),
        "municipalities[0].capacity.status_holder",
        'must be a whole number >= 0, not "12"',
    ),
    "boolean": (
        _set(BASE, (*M0, "capacity", "status_holder"), True),
        "municipalities[0].capacity.status_holder",
        "must be a whole number >= 0, not true",
    ),
    "missing group in obligation": (
        _drop(BASE, (*M0, "obligation", "status_holder")),
        "municipalities[0].obligation.status_holder",
        "missing (every group needs a value)",
    ),
    "missing group in cost": (
        _drop(BASE, ("municipalities", 1, "cost_per_place", "asylum_seeker")),
        "municipalities[1].cost_per_place.asylum_seeker",
        "missing (every group needs a value)",
    ),
    "unknown group": (
        _set(BASE, (*M0, "capacity", "uam"), 4),
        "municipalities[0].capacity.uam",
        "unknown group (groups: asylum_seeker, status_holder)",
    ),
    "unknown group in a cap": (
        _set(BASE, (*M0, "max_take_over"), {"uam": 4}),
        "municipalities[0].max_take_over.uam",
        "unknown group (groups: asylum_seeker, status_holder)",
    ),
    "negative cap": (
        _set(BASE, (*M0, "max_hand_off"), {"asylum_seeker": -1}),
        "municipalities[0].max_hand_off.asylum_seeker",
        "must be a whole number >= 0, not -1",
    ),
    "negative cost": (
        _set(BASE, (*M0, "cost_per_place", "asylum_seeker"), -1),
        "municipalities[0].cost_per_place.asylum_seeker",
        "must be a number >= 0, not -1",
    ),
    "missing population": (
        _drop(BASE, (*M0, "population")),
        "municipalities[0].population",
        "required field is missing",
    ),
    "zero population": (
        _set(BASE, ("municipalities", 1, "population"), 0),
        "municipalities[1].population",
        "must be a whole number > 0, not 0",
    ),
    "missing capacity": (
        _drop(BASE, ("municipalities", 1, "capacity")),
        "municipalities[1].capacity",
        "required field is missing",
    ),
    "capacity not an object": (
        _set(BASE, ("municipalities", 1, "capacity"), [1, 2]),
        "municipalities[1].capacity",
        "must be an object with a value per group, not [1, 2]",
    ),
    "duplicate code": (
        _set(BASE, ("municipalities", 2, "code"), "GM0384"),
        "municipalities[2].code",
        'duplicate code "GM0384" (also municipalities[0])',
    ),
    "empty code": (
        _set(BASE, (*M0, "code"), ""),
        "municipalities[0].code",
        'must be a non-empty string, not ""',
    ),
    "no municipalities": (
        _set(BASE, ("municipalities",), []),
        "municipalities",
        "must list at least one municipality",
    ),
    "min above max": (
        _set(BASE, ("fairness",), {"min_ratio": 2.0, "max_ratio": 0.5}),
        "fairness.min_ratio",
        "must not be above max_ratio (2.0 > 0.5)",
    ),
    "negative ratio": (
        _set(BASE, ("fairness",), {"max_ratio": -1}),
        "fairness.max_ratio",
        "must be a number >= 0, not -1",
    ),
    "points with 7 decimals": (
        _set(BASE, ("groups", "asylum_seeker", "points"), 1.0000001),
        "groups.asylum_seeker.points",
        "must have at most 6 decimals, not 1.0000001",
    ),
    "missing points": (
        _set(BASE, ("groups", "asylum_seeker"), {}),
        "groups.asylum_seeker.points",
        "required field is missing",
    ),
    "non-finite cost": (
        _set(BASE, (*M0, "cost_per_place", "asylum_seeker"), float("inf")),
        "municipalities[0].cost_per_place.asylum_seeker",
        "must be a finite number, not inf",
    ),
    "too many places": (
        _set(BASE, (*M0, "capacity", "asylum_seeker"), 10**12),
        "municipalities[0].capacity.asylum_seeker",
        "must be at most 1000000000, not 1000000000000",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_json_names_the_field(case: str) -> None:
    data, field, message = CASES[case]
    with pytest.raises(ExchangeInputError) as caught:
        scenario_from_mapping(data)
    assert caught.value.field == (field or None)
    assert caught.value.message == message
    assert str(caught.value) == (f"{field}: {message}" if field else message)


def test_extra_keys_are_ignored_and_caps_may_be_null() -> None:
    data = _set(BASE, (*M0, "name"), "Diemen")
    data = _set(data, ("comment",), "Duo+ 2024")
    data = _set(data, (*M0, "max_take_over"), {"asylum_seeker": None})
    data = _set(data, ("fairness",), None)
    scenario = scenario_from_mapping(data)
    assert scenario.municipalities[0].max_take_over == {}
    assert scenario.fairness is None


def test_the_python_api_is_validated_with_the_same_paths() -> None:
    good = Municipality("GM0384", 10, {"g": 1}, {"g": 1}, {"g": 1})
    bad_capacity = Municipality("GM0437", 10, {"g": 1}, {"g": -2}, {"g": 1})
    with pytest.raises(ExchangeInputError, match=r"municipalities\[1\]\.capacity\.g: must be"):
        optimise(Scenario("swap", (Group("g"),), (good, bad_capacity)))
    with pytest.raises(ExchangeInputError, match=r"^mode: must be"):
        optimise(Scenario("barter", (Group("g"),), (good,)))
    with pytest.raises(ExchangeInputError, match=r"^groups.g.points: must be a number > 0"):
        optimise(Scenario("swap", (Group("g", -1),), (good,)))
    with pytest.raises(ExchangeInputError, match=r"^fairness.min_ratio: must not be above"):
        optimise(Scenario("swap", (Group("g"),), (good,), Fairness(3, 2)))
    third = Municipality("GM0384", 10, {"g": 1}, {"g": 1}, {"g": Fraction(1, 3)})
    with pytest.raises(ExchangeInputError, match="must be a decimal number"):
        optimise(Scenario("swap", (Group("g"),), (third,)))


def test_scenario_round_trip() -> None:
    data = duo_plus("compensation")
    data["groups"]["asylum_seeker"]["points"] = 1.5
    data["municipalities"][0]["max_take_over"] = {"status_holder": 80}
    data["municipalities"][1]["cost_per_place"]["status_holder"] = 24000.5
    scenario = scenario_from_mapping(data)
    assert scenario_to_mapping(scenario) == data
    assert scenario_to_mapping(
        Scenario(
            "swap",
            (Group("g", Decimal("2")),),
            (Municipality("GM0384", 10, {"g": 1}, {"g": 1}, {"g": Decimal("7.50")}),),
            Fairness(),
        )
    ) == {
        "mode": "swap",
        "groups": {"g": {"points": 2}},
        "municipalities": [
            {
                "code": "GM0384",
                "population": 10,
                "obligation": {"g": 1},
                "capacity": {"g": 1},
                "cost_per_place": {"g": 7.5},
            }
        ],
        "fairness": {"min_ratio": 0},
    }
