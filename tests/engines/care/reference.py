"""Plain references for the care engine's tests: one loop per date x rule x household."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from onderdak.engines.care import (
    INTEGRATION_GROUPS,
    Basis,
    Capacity,
    DemandLine,
    HouseholdProfile,
    ServiceRule,
)


def basis_value(household: HouseholdProfile, basis: Basis) -> int:
    """What one household counts for a basis, straight from the definitions."""
    minors = household.minors_0_3 + household.minors_4_11 + household.minors_12_17
    if household.integration_required is not None:
        integrating = household.integration_required
    elif household.target_group in INTEGRATION_GROUPS:
        integrating = household.adults
    else:
        integrating = 0
    values = {
        Basis.NONE: 0,
        Basis.PERSONS: household.adults + minors,
        Basis.HOUSEHOLDS: 1,
        Basis.ADULTS: household.adults,
        Basis.CHILDREN_0_3: household.minors_0_3,
        Basis.CHILDREN_4_11: household.minors_4_11,
        Basis.CHILDREN_12_17: household.minors_12_17,
        Basis.MINORS: minors,
        Basis.INTEGRATION: integrating,
    }
    return values[basis]


def naive_demand(
    households: Sequence[HouseholdProfile],
    rules: Sequence[ServiceRule],
    capacities: Sequence[Capacity],
    on: date,
) -> list[DemandLine]:
    lines = []
    for rule in rules:
        per_group: dict[str, int] = {}
        for household in households:
            start = household.present_from
            if rule.basis == Basis.INTEGRATION and household.linked_from is not None:
                start = household.linked_from
            if start is not None and on < start:
                continue
            if household.present_until is not None and on >= household.present_until:
                continue
            if rule.target_groups and household.target_group not in rule.target_groups:
                continue
            group = household.target_group
            per_group[group] = per_group.get(group, 0) + basis_value(household, rule.basis)
        capacity = 0
        for item in capacities:
            if item.service_code != rule.code:
                continue
            if (item.start is None or item.start <= on) and (item.end is None or on <= item.end):
                capacity += item.amount
        share = Fraction(rule.share)
        per_group = {g: math.ceil(share * n) for g, n in per_group.items()}
        lines.append(
            DemandLine(
                service_code=rule.code,
                on=on,
                demand=sum(per_group.values()),
                capacity=capacity,
                by_target_group={g: n for g, n in sorted(per_group.items()) if n > 0},
            )
        )
    return lines
