"""Demand for services: a hand-worked example, the integration default, properties."""

from __future__ import annotations

import copy
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings

from onderdak.engines.care import (
    Basis,
    Capacity,
    CareInputError,
    DemandLine,
    HouseholdProfile,
    ServiceRule,
    demand_over_time,
    derive_demand,
)
from tests.engines.care.reference import naive_demand
from tests.engines.care.strategies import DemandInstance, demand_instances

SETTINGS = settings(max_examples=150, deadline=None)

# The worked example of docs/engines/care.md.
HOUSEHOLDS = (
    # A status-holder family: 2 adults, a child of 7 (primary school), a child of 14 (secondary).
    HouseholdProfile("H1", "status_holder", adults=2, minors_4_11=1, minors_12_17=1),
    # A Ukrainian mother with two toddlers, leaving on 1 July 2026 (last day 30 June).
    HouseholdProfile(
        "H2", "displaced_ukrainian", adults=1, minors_0_3=2, present_until=date(2026, 7, 1)
    ),
    # A single status holder arriving on 1 April 2026.
    HouseholdProfile("H3", "status_holder", adults=1, present_from=date(2026, 4, 1)),
)
EVERYONE: frozenset[str] = frozenset()
RULES = (
    ServiceRule("primary_school", Basis.CHILDREN_4_11, EVERYONE),
    ServiceRule("newcomer_secondary", Basis.CHILDREN_12_17, EVERYONE),
    ServiceRule("integration", Basis.INTEGRATION, frozenset({"status_holder"})),
    ServiceRule("child_care", Basis.CHILDREN_0_3, EVERYONE),
    ServiceRule("living_allowance", Basis.HOUSEHOLDS, frozenset({"displaced_ukrainian"})),
    ServiceRule("social_guidance", Basis.PERSONS, EVERYONE),
    ServiceRule("interpreters", Basis.NONE, EVERYONE),
)
CAPACITIES = (
    Capacity("primary_school", 1),
    Capacity("newcomer_secondary", 2),
    Capacity("integration", 2, end=date(2026, 5, 31)),
    Capacity("integration", 3, start=date(2026, 6, 1)),
    Capacity("child_care", 1),
    Capacity("living_allowance", 1),
    Capacity("interpreters", 40),  # hours per month
)

SH, DU = "status_holder", "displaced_ukrainian"


def _table(lines: list[DemandLine]) -> dict[tuple[str, date], tuple[int, int, dict[str, int]]]:
    return {
        (line.service_code, line.on): (line.demand, line.capacity, dict(line.by_target_group))
        for line in lines
    }


def test_worked_example_on_one_day() -> None:
    lines = derive_demand(HOUSEHOLDS, RULES, CAPACITIES, on=date(2026, 3, 1))
    assert [line.service_code for line in lines] == [rule.code for rule in RULES]
    got = [
        (line.demand, line.capacity, dict(line.by_target_group), line.shortage, line.surplus)
        for line in lines
    ]
    assert got == [
        (1, 1, {SH: 1}, 0, 0),  # primary school: H1's child of 7
        (1, 2, {SH: 1}, 0, 1),  # newcomer secondary: H1's child of 14, one place spare
        (2, 2, {SH: 2}, 0, 0),  # integration: H1's two adults (H3 not there yet)
        (2, 1, {DU: 2}, 1, 0),  # child care: H2's two toddlers, one place short
        (1, 1, {DU: 1}, 0, 0),  # living allowance: H2
        (7, 0, {DU: 3, SH: 4}, 7, 0),  # social guidance: 4 + 3 persons, no capacity
        (0, 40, {}, 0, 40),  # interpreters: no derived demand
    ]
    assert [line.ratio for line in lines] == [1.0, 2.0, 1.0, 0.5, 1.0, 0.0, None]
    assert list(lines[5].by_target_group) == [DU, SH]  # ordered by target-group code


def test_worked_example_over_time() -> None:
    days = [
        date(2026, 3, 31),  # the day before H3 arrives
        date(2026, 4, 1),  # H3 arrives
        date(2026, 5, 31),  # last day of the old integration capacity
        date(2026, 6, 1),  # new integration capacity
        date(2026, 6, 30),  # H2's last day
        date(2026, 7, 1),  # H2 has left (present_until is exclusive)
    ]
    lines = demand_over_time(HOUSEHOLDS, RULES, CAPACITIES, dates=days)
    assert [(line.service_code, line.on) for line in lines] == [
        (rule.code, day) for rule in RULES for day in days
    ]
    table = _table(lines)
    assert [table["integration", day] for day in days] == [
        (2, 2, {SH: 2}),
        (3, 2, {SH: 3}),
        (3, 2, {SH: 3}),
        (3, 3, {SH: 3}),
        (3, 3, {SH: 3}),
        (3, 3, {SH: 3}),
    ]
    assert [table["child_care", day][0] for day in days] == [2, 2, 2, 2, 2, 0]
    assert [table["living_allowance", day] for day in days][-2:] == [(1, 1, {DU: 1}), (0, 1, {})]
    assert [table["social_guidance", day][0] for day in days] == [7, 8, 8, 8, 8, 5]
    assert table["social_guidance", date(2026, 7, 1)][2] == {SH: 5}
    assert [table["primary_school", day] for day in days] == [(1, 1, {SH: 1})] * len(days)
    shortage = {line.on: line.shortage for line in lines if line.service_code == "integration"}
    assert shortage[date(2026, 5, 31)] == 1
    assert shortage[date(2026, 6, 1)] == 0


def test_over_time_keeps_the_order_and_duplicates_of_the_dates() -> None:
    days = [date(2026, 7, 1), date(2026, 1, 1), date(2026, 7, 1)]
    lines = demand_over_time(HOUSEHOLDS, RULES[:1], dates=days)
    assert [line.on for line in lines] == days
    assert demand_over_time(HOUSEHOLDS, RULES, CAPACITIES, dates=[]) == []


def test_integration_default_and_override() -> None:
    rule = ServiceRule("integration", Basis.INTEGRATION, EVERYONE)
    households = [
        HouseholdProfile("A", "status_holder", adults=2),  # default: both adults
        HouseholdProfile("B", "status_holder", adults=2, integration_required=1),  # one exempt
        HouseholdProfile("C", "status_holder", adults=1, integration_required=0),
        HouseholdProfile("D", "displaced_ukrainian", adults=2),  # default: none
        HouseholdProfile("E", "family_migrant", adults=2, integration_required=1),
    ]
    (line,) = derive_demand(households, [rule], on=date(2026, 1, 1))
    assert line.demand == 2 + 1 + 0 + 0 + 1
    assert dict(line.by_target_group) == {"family_migrant": 1, SH: 3}
    restricted = ServiceRule("integration", Basis.INTEGRATION, frozenset({SH}))
    assert derive_demand(households, [restricted], on=date(2026, 1, 1))[0].demand == 3
    assert households[0].integrating == 2 and households[3].integrating == 0


def test_rule_for_a_group_without_households_has_no_demand() -> None:
    rule = ServiceRule("guardianship", Basis.MINORS, frozenset({"uam"}))
    (line,) = derive_demand(HOUSEHOLDS, [rule], [Capacity("guardianship", 3)], on=date(2026, 1, 1))
    assert (line.demand, line.capacity, dict(line.by_target_group)) == (0, 3, {})
    assert (line.shortage, line.surplus, line.ratio) == (0, 3, None)


def test_no_households() -> None:
    lines = derive_demand([], RULES, CAPACITIES, on=date(2026, 1, 1))
    assert [line.demand for line in lines] == [0] * len(RULES)
    assert lines[0].capacity == 1


def test_string_basis_and_any_collection_of_groups_are_accepted() -> None:
    rule = ServiceRule("school", "children_4_11", (SH,))  # type: ignore[arg-type]
    assert derive_demand(HOUSEHOLDS, [rule], on=date(2026, 1, 1))[0].demand == 1


def test_lines_are_hashable_and_read_only() -> None:
    (line,) = derive_demand(HOUSEHOLDS, RULES[5:6], on=date(2026, 1, 1))
    assert hash(line) == hash(line)
    with pytest.raises(TypeError):
        line.by_target_group[SH] = 0  # type: ignore[index]


@given(instance=demand_instances())
@SETTINGS
def test_matches_the_naive_reference(instance: DemandInstance) -> None:
    """demand_over_time equals derive_demand per date and a loop over every household."""
    over_time = demand_over_time(
        instance.households, instance.rules, instance.capacities, dates=instance.dates
    )
    n = len(instance.dates)
    for j, day in enumerate(instance.dates):
        single = derive_demand(instance.households, instance.rules, instance.capacities, on=day)
        assert over_time[j::n] == single
        assert single == naive_demand(instance.households, instance.rules, instance.capacities, day)


@given(instance=demand_instances())
@SETTINGS
def test_totals_are_conserved(instance: DemandInstance) -> None:
    """Per line the split adds up; persons = adults + minors = adults + the three bands."""
    bases = [
        Basis.PERSONS,
        Basis.ADULTS,
        Basis.MINORS,
        Basis.CHILDREN_0_3,
        Basis.CHILDREN_4_11,
        Basis.CHILDREN_12_17,
        Basis.HOUSEHOLDS,
    ]
    rules = [ServiceRule(basis.value, basis, EVERYONE) for basis in bases]
    for day in instance.dates:
        lines = derive_demand(instance.households, rules, on=day)
        for line in lines:
            assert sum(line.by_target_group.values()) == line.demand
            assert all(n > 0 for n in line.by_target_group.values())
        d = {line.service_code: line.demand for line in lines}
        assert d["persons"] == d["adults"] + d["minors"]
        assert d["minors"] == d["children_0_3"] + d["children_4_11"] + d["children_12_17"]
        assert d["households"] == sum(h.present_on(day) for h in instance.households)


@given(instance=demand_instances(max_households=10))
@settings(max_examples=40, deadline=None)
def test_deterministic_and_no_mutation(instance: DemandInstance) -> None:
    households, rules = list(instance.households), list(instance.rules)
    capacities, dates = list(instance.capacities), list(instance.dates)
    before = copy.deepcopy((households, rules, capacities, dates))
    first = demand_over_time(households, rules, capacities, dates=dates)
    assert (households, rules, capacities, dates) == before
    assert demand_over_time(households, rules, capacities, dates=dates) == first
    shuffled = list(reversed(households))  # household order does not matter
    assert demand_over_time(shuffled, rules, capacities, dates=dates) == first


def test_civic_integration_follows_the_link_not_the_move() -> None:
    # A status-holder couple linked to the municipality on 1 March 2026, still in the COA
    # centre, moving in on 1 June 2026: the integration of both adults counts from the link,
    # everything else from the move.
    couple = HouseholdProfile(
        "K1",
        "status_holder",
        adults=2,
        minors_4_11=1,
        present_from=date(2026, 6, 1),
        linked_from=date(2026, 3, 1),
    )
    rules = (
        ServiceRule("integration", Basis.INTEGRATION, frozenset({"status_holder"})),
        ServiceRule("primary_school", Basis.CHILDREN_4_11, EVERYONE),
        ServiceRule("guidance", Basis.HOUSEHOLDS, EVERYONE),
    )
    days = [date(2026, 2, 28), date(2026, 3, 1), date(2026, 5, 31), date(2026, 6, 1)]
    lines = demand_over_time([couple], rules, dates=days)
    demand = {(line.service_code, line.on): line.demand for line in lines}
    assert [demand["integration", d] for d in days] == [0, 2, 2, 2]
    assert [demand["primary_school", d] for d in days] == [0, 0, 0, 1]
    assert [demand["guidance", d] for d in days] == [0, 0, 0, 1]
    assert couple.linked_on(date(2026, 3, 1)) and not couple.present_on(date(2026, 3, 1))
    naive = [line for d in days for line in naive_demand([couple], rules, (), d)]
    key = lambda line: (line.service_code, line.on)  # noqa: E731
    assert sorted(lines, key=key) == sorted(naive, key=key)


def test_a_share_is_a_planning_assumption_rounded_up_per_target_group() -> None:
    # 7 status-holder adults and 3 from another group that must integrate: a B1 route for 55 %
    # of them needs ceil(0.55 x 7) = 4 + ceil(0.55 x 3) = 2 places, not ceil(0.55 x 10) = 6.
    households = [
        HouseholdProfile("A", "status_holder", adults=7),
        HouseholdProfile("B", "family_migrant", adults=3, integration_required=3),
    ]
    rule = ServiceRule("b1", Basis.INTEGRATION, EVERYONE, Fraction(55, 100))
    (line,) = derive_demand(households, [rule], on=date(2026, 1, 1))
    assert line.demand == 6
    assert dict(line.by_target_group) == {"family_migrant": 2, "status_holder": 4}
    whole = ServiceRule("all", Basis.INTEGRATION, EVERYONE)
    assert derive_demand(households, [whole], on=date(2026, 1, 1))[0].demand == 10


@pytest.mark.parametrize("share", [0, Fraction(3, 2), 0.5, True, "1", Fraction(1, 10**7)])
def test_a_share_must_be_an_exact_fraction_in_0_1(share: object) -> None:
    rule = ServiceRule("b1", Basis.INTEGRATION, EVERYONE, share)  # type: ignore[arg-type]
    with pytest.raises(CareInputError) as error:
        derive_demand([], [rule], on=date(2026, 1, 1))
    assert error.value.field == "share"
