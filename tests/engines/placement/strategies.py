"""Hypothesis strategies: small placement instances for both layers."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from onderdak.engines.placement import (
    Household,
    HouseholdSize,
    Pair,
    ShareBasis,
    ShareConstraint,
    Unit,
    UnitCapacity,
)

GROUPS = ("status_holder", "displaced_ukrainian", "urgent")
COMPLEXES = ("Diemerdreef", "Maalderij")
#: Scores with few decimals, ties likely; zero and negative ones too.
SCORES = st.one_of(
    st.integers(-2, 6).map(float),
    st.sampled_from([0.5, 1.25, 2.5, 3.75, 0.1, 0.2, 0.3]),
)


@dataclass(frozen=True)
class Instance:
    households: tuple[HouseholdSize, ...]
    units: tuple[UnitCapacity, ...]
    pairs: tuple[Pair, ...]
    constraints: tuple[ShareConstraint, ...] = ()


@st.composite
def instances(
    draw: st.DrawFn,
    *,
    households: tuple[int, int] = (0, 5),
    units: tuple[int, int] = (0, 4),
    shared: bool = True,
    constraints: bool = False,
) -> Instance:
    """Households (1-5 persons), units (one or more households, capacity in persons) and a
    random subset of the pairs with scores."""
    household_list = tuple(
        HouseholdSize(f"H{i}", draw(st.integers(0, 5)), draw(st.sampled_from(GROUPS)))
        for i in range(draw(st.integers(*households)))
    )
    unit_list = tuple(
        UnitCapacity(
            f"U{j}",
            draw(st.integers(0, 8)),
            draw(st.integers(0, 3)) if shared else 1,
            draw(st.sampled_from(COMPLEXES)),
        )
        for j in range(draw(st.integers(*units)))
    )
    pairs = tuple(
        Pair(h.id, u.id, draw(SCORES))
        for h in household_list
        for u in unit_list
        if draw(st.integers(0, 2)) > 0
    )
    chosen: tuple[ShareConstraint, ...] = ()
    if constraints and unit_list:
        chosen = tuple(
            ShareConstraint(
                (draw(st.sampled_from(GROUPS)),),
                draw(st.sampled_from([0.25, 0.3, 0.5, 0.75, 1.0])),
                draw(st.sampled_from([None, *(u.complex for u in unit_list)]))
                if basis is ShareBasis.PLACEMENTS
                else draw(st.sampled_from([u.complex for u in unit_list])),
                basis,
            )
            for basis in draw(st.lists(st.sampled_from(list(ShareBasis)), min_size=1, max_size=2))
        )
    return Instance(household_list, unit_list, pairs, chosen)


COORDINATE = st.one_of(st.none(), st.integers(120_000, 130_000).map(float))


@st.composite
def households_and_units(
    draw: st.DrawFn, *, households: tuple[int, int] = (0, 7), units: tuple[int, int] = (0, 6)
) -> tuple[tuple[Household, ...], tuple[Unit, ...]]:
    """Scoring-layer input: households and units with every kind of hard constraint."""
    household_list = []
    for i in range(draw(st.integers(*households))):
        adults = draw(st.integers(0, 3))
        minors = draw(st.integers(0 if adults else 1, 4))
        x = draw(COORDINATE)
        household_list.append(
            Household(
                id=f"H{i}",
                target_group=draw(st.sampled_from(GROUPS)),
                adults=adults,
                minors=minors,
                needs_accessible=draw(st.booleans()),
                needs_ground_floor=draw(st.booleans()),
                waiting_days=draw(st.integers(0, 1500)),
                urgency=draw(st.sampled_from([0.0, 0.0, 1.0, 2.0])),
                tie_x=x,
                tie_y=None if x is None else draw(st.integers(470_000, 490_000).map(float)),
                reunification_persons=draw(st.integers(0, 3)),
                preferred_complexes=draw(st.sampled_from([(), (), (COMPLEXES[0],), COMPLEXES])),
            )
        )
    unit_list = []
    for j in range(draw(st.integers(*units))):
        x = draw(COORDINATE)
        unit_list.append(
            Unit(
                id=f"U{j}",
                complex=draw(st.sampled_from(COMPLEXES)),
                max_occupants=draw(st.integers(1, 8)),
                rooms=draw(st.integers(1, 5)),
                area_m2=float(draw(st.integers(20, 110))),
                accessible=draw(st.booleans()),
                floor=draw(st.integers(0, 3)),
                x=x,
                y=None if x is None else draw(st.integers(470_000, 490_000).map(float)),
                target_groups=draw(st.sampled_from([(), (), (GROUPS[0],), (GROUPS[0], GROUPS[1])])),
                max_households=draw(st.sampled_from([1, 1, 1, 2])),
            )
        )
    return tuple(household_list), tuple(unit_list)
