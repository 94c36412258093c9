"""Hypothesis strategies for the care engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import strategies as st

from onderdak.engines.care import Basis, Capacity, HouseholdProfile, ServiceRule

GROUPS = ("asylum_seeker", "displaced_ukrainian", "status_holder", "uam")
START = date(2026, 1, 1)


@dataclass(frozen=True)
class DemandInstance:
    households: tuple[HouseholdProfile, ...]
    rules: tuple[ServiceRule, ...]
    capacities: tuple[Capacity, ...]
    dates: tuple[date, ...]


def days(low: int = -60, high: int = 500) -> st.SearchStrategy[date]:
    """Dates around 2026 (few distinct values, so boundaries are hit often)."""
    return st.integers(low, high).map(lambda n: START + timedelta(days=n))


@st.composite
def household(draw: st.DrawFn, code: str) -> HouseholdProfile:
    adults = draw(st.integers(0, 3))
    bands = [draw(st.integers(0, 3)) for _ in range(3)]
    if adults + sum(bands) == 0:
        adults = 1
    start = draw(st.none() | days(-30, 300))
    end = draw(st.none() | st.integers(1, 300))
    until = None
    if end is not None:
        until = (start or START) + timedelta(days=end)
    linked = draw(st.none() | days(-60, 300))
    if linked is not None and until is not None and until <= linked:
        linked = None
    return HouseholdProfile(
        code=code,
        linked_from=linked,
        target_group=draw(st.sampled_from(GROUPS[:3])),
        adults=adults,
        minors_0_3=bands[0],
        minors_4_11=bands[1],
        minors_12_17=bands[2],
        integration_required=draw(st.none() | st.integers(0, adults)),
        present_from=start,
        present_until=until,
    )


@st.composite
def demand_instances(draw: st.DrawFn, max_households: int = 30) -> DemandInstance:
    n = draw(st.integers(0, max_households))
    households = tuple(draw(household(f"H{i}")) for i in range(n))
    n_rules = draw(st.integers(1, 8))
    rules = tuple(
        ServiceRule(
            f"S{r}",
            draw(st.sampled_from(tuple(Basis))),
            frozenset(draw(st.sets(st.sampled_from(GROUPS), max_size=3))),
            draw(
                st.just(1)
                | st.fractions(min_value=Fraction(1, 100), max_value=1, max_denominator=1000)
            ),
        )
        for r in range(n_rules)
    )
    capacities = []
    for _ in range(draw(st.integers(0, 10))):
        start = draw(st.none() | days())
        length = draw(st.none() | st.integers(0, 200))
        end = None if length is None else (start or START) + timedelta(days=length)
        capacities.append(
            Capacity(f"S{draw(st.integers(0, n_rules - 1))}", draw(st.integers(0, 50)), start, end)
        )
    dates = tuple(draw(st.lists(days(), max_size=6)))
    return DemandInstance(households, rules, tuple(capacities), dates)
