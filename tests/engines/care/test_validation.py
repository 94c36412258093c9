"""Invalid demand input raises CareInputError naming the record and the field."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pytest

from onderdak.engines.care import (
    Basis,
    Capacity,
    CareInputError,
    HouseholdProfile,
    ServiceRule,
    demand_over_time,
    derive_demand,
)

DAY = date(2026, 1, 1)
HOUSEHOLD = HouseholdProfile("H1", "status_holder", adults=2)
RULE = ServiceRule("school", Basis.CHILDREN_4_11, frozenset())


def _error(
    households: Sequence[HouseholdProfile] = (HOUSEHOLD,),
    rules: Sequence[ServiceRule] = (RULE,),
    capacities: Sequence[Capacity] = (),
) -> CareInputError:
    with pytest.raises(CareInputError) as caught:
        derive_demand(households, rules, capacities, on=DAY)
    return caught.value


def _household(**changes: object) -> HouseholdProfile:
    values: dict[str, object] = {"code": "H3", "target_group": "status_holder", "adults": 1}
    values.update(changes)
    return HouseholdProfile(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("household", "field", "message"),
    [
        (_household(adults=-1), "adults", "must be a whole number >= 0, not -1"),
        (_household(adults=1.0), "adults", "must be a whole number >= 0, not 1.0"),
        (_household(adults=True), "adults", "whole number"),
        (_household(adults=10**10), "adults", "at most 1,000,000,000"),
        (_household(minors_0_3=-1), "minors_0_3", ">= 0, not -1"),
        (_household(minors_4_11=-2), "minors_4_11", ">= 0, not -2"),
        (_household(minors_12_17=-3), "minors_12_17", ">= 0, not -3"),
        (_household(adults=0), "adults", "the household has no persons"),
        (_household(integration_required=2), "integration_required", "at most adults (1), not 2"),
        (_household(integration_required=-1), "integration_required", ">= 0, not -1"),
        (
            _household(present_from=date(2026, 4, 1), present_until=date(2026, 4, 1)),
            "present_until",
            "must be after present_from (2026-04-01), not 2026-04-01",
        ),
        (
            _household(present_from=date(2026, 4, 1), present_until=date(2026, 3, 1)),
            "present_until",
            "after present_from",
        ),
        (_household(present_from="2026-04-01"), "present_from", "must be a date"),
        (
            _household(present_until=datetime(2026, 4, 1)),  # noqa: DTZ001
            "present_until",
            "not a datetime",
        ),
        (_household(target_group=""), "target_group", "non-empty"),
        (
            _household(linked_from=date(2026, 4, 1), present_until=date(2026, 4, 1)),
            "linked_from",
            "must be before present_until (2026-04-01), not 2026-04-01",
        ),
        (_household(linked_from="2026-04-01"), "linked_from", "must be a date"),
    ],
)
def test_household_errors(household: HouseholdProfile, field: str, message: str) -> None:
    error = _error([HOUSEHOLD, household])
    assert (error.kind, error.id, error.field) == ("household", "H3", field)
    assert message in error.message
    assert str(error).startswith(f"household 'H3', field '{field}': ")


def test_household_code_errors() -> None:
    error = _error([HOUSEHOLD, HouseholdProfile("H1", "status_holder", adults=1)])
    assert (error.kind, error.id, error.field) == ("household", "H1", "code")
    assert "duplicate code (also household number 1)" in str(error)
    error = _error([_household(code="")])
    assert (error.kind, error.id, error.field) == ("household", None, "code")


def test_unaccompanied_minors_need_no_adult() -> None:
    uam = HouseholdProfile("U1", "uam", adults=0, minors_12_17=1)
    rule = ServiceRule("guardianship", Basis.MINORS, frozenset({"uam"}))
    assert derive_demand([uam], [rule], on=DAY)[0].demand == 1


@pytest.mark.parametrize(
    ("rules", "id", "field", "message"),
    [
        ([RULE, ServiceRule("school", Basis.ADULTS, frozenset())], "school", "code", "duplicate"),
        (
            [ServiceRule("school", "pupils", frozenset())],  # type: ignore[arg-type]
            "school",
            "basis",
            "unknown basis 'pupils'; expected one of none, persons,",
        ),
        (
            [ServiceRule("school", Basis.PERSONS, "status_holder")],  # type: ignore[arg-type]
            "school",
            "target_groups",
            "set of target-group codes",
        ),
        (
            [ServiceRule("school", Basis.PERSONS, frozenset({""}))],
            "school",
            "target_groups",
            "non-empty",
        ),
        ([ServiceRule(" ", Basis.PERSONS, frozenset())], None, "code", "non-empty"),
    ],
)
def test_rule_errors(rules: list[ServiceRule], id: str | None, field: str, message: str) -> None:
    error = _error(rules=rules)
    assert (error.kind, error.id, error.field) == ("rule", id, field)
    assert message in error.message


def test_duplicate_rule_message() -> None:
    error = _error(rules=[RULE, RULE])
    assert str(error) == "rule 'school', field 'code': duplicate code (also rule number 1)"


@pytest.mark.parametrize(
    ("capacity", "field", "message"),
    [
        (Capacity("swimming", 3), "service_code", "unknown service code 'swimming'"),
        (Capacity("school", -1), "amount", "must be a whole number >= 0, not -1"),
        (
            Capacity("school", 3, start=date(2026, 2, 1), end=date(2026, 1, 31)),
            "end",
            "must not be before start (2026-02-01), not 2026-01-31",
        ),
        (Capacity("school", 3, start="2026-02-01"), "start", "must be a date"),  # type: ignore[arg-type]
    ],
)
def test_capacity_errors(capacity: Capacity, field: str, message: str) -> None:
    error = _error(capacities=[capacity])
    assert (error.kind, error.id, error.field) == ("capacity", capacity.service_code, field)
    assert message in error.message


def test_capacity_of_one_day_is_allowed() -> None:
    capacity = Capacity("school", 3, start=DAY, end=DAY)
    assert derive_demand([HOUSEHOLD], [RULE], [capacity], on=DAY)[0].capacity == 3


def test_date_errors() -> None:
    with pytest.raises(CareInputError) as caught:
        derive_demand([HOUSEHOLD], [RULE], on=datetime(2026, 1, 1))  # noqa: DTZ001
    assert (caught.value.kind, caught.value.field) == ("dates", "on")
    with pytest.raises(CareInputError) as caught:
        demand_over_time([HOUSEHOLD], [RULE], dates=[DAY, "2026-02-01"])  # type: ignore[list-item]
    assert (caught.value.kind, caught.value.field) == ("dates", "dates[1]")
