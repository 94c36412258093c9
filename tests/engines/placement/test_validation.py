"""Invalid input raises PlacementInputError naming the record and the field."""

from __future__ import annotations

import math
from typing import Any

import pytest

from onderdak.engines.placement import (
    Household,
    HouseholdSize,
    Pair,
    PlacementInputError,
    ShareBasis,
    ShareConstraint,
    Unit,
    UnitCapacity,
    Weights,
    optimise,
    place,
    weights_from_mapping,
)

UNIT = Unit("U1", "Diemerdreef", 4, 3, 50.0)
HOUSEHOLD = Household("H1", "status_holder", adults=2)


def _error(call: Any) -> PlacementInputError:
    with pytest.raises(PlacementInputError) as caught:
        call()
    return caught.value


@pytest.mark.parametrize(
    ("household", "field", "message"),
    [
        (Household("H1", "status_holder", adults=-1), "adults", "must be a whole number >= 0"),
        (Household("H1", "status_holder", adults=0), "adults", "the household has no persons"),
        (Household("H1", "", adults=1), "target_group", "must not be empty"),
        (Household("H1", "x", adults=1, waiting_days=-5), "waiting_days", ">= 0"),
        (Household("H1", "x", adults=1, urgency=math.nan), "urgency", "finite"),
        (Household("H1", "x", adults=1, tie_x=1.0), "tie_y", "give both or neither"),
        (Household("H1", "x", adults=1, needs_accessible=1), "needs_accessible", "true or false"),  # type: ignore[arg-type]
    ],
)
def test_household_errors(household: Household, field: str, message: str) -> None:
    error = _error(lambda: place([household], [UNIT]))
    assert (error.kind, error.id, error.field) == ("household", "H1", field)
    assert message in error.message
    assert str(error).startswith(f"household 'H1', field '{field}': ")


@pytest.mark.parametrize(
    ("unit", "field"),
    [
        (Unit("U1", "C", -1, 3, 50.0), "max_occupants"),
        (Unit("U1", "C", 4, 3, -50.0), "area_m2"),
        (Unit("U1", "C", 4, 3, 50.0, x=None, y=3.0), "x"),
        (Unit("U1", "C", 4, 3, 50.0, max_households=-1), "max_households"),
        (Unit("U1", "C", 4, 3, 50.0, target_groups=("",)), "target_groups"),
    ],
)
def test_unit_errors(unit: Unit, field: str) -> None:
    error = _error(lambda: place([HOUSEHOLD], [unit]))
    assert (error.kind, error.id, error.field) == ("unit", "U1", field)


def test_duplicate_ids() -> None:
    error = _error(lambda: place([HOUSEHOLD, HOUSEHOLD], [UNIT]))
    assert (error.kind, error.id, error.field) == ("household", "H1", "id")
    assert "duplicate id (also household number 1)" in str(error)


def test_weights_errors() -> None:
    assert _error(lambda: place([HOUSEHOLD], [UNIT], weights=Weights(space=-1.0))).field == "space"
    error = _error(lambda: place([HOUSEHOLD], [UNIT], weights=Weights(space_min_m2=16.0)))
    assert error.field == "space_min_m2" and "space_max_m2" in error.message
    assert _error(lambda: weights_from_mapping({"speed": 1})).field == "speed"
    assert _error(lambda: weights_from_mapping({"base": "1"})).field == "base"
    assert weights_from_mapping({"base": 2, "count_reunification": 0}) == Weights(
        base=2.0, count_reunification=False
    )


SIZES = [HouseholdSize("H1", 2), HouseholdSize("H2", 1)]
CAPACITIES = [UnitCapacity("U1", 3, 1, "Diemerdreef")]


@pytest.mark.parametrize(
    ("pairs", "kind", "field", "message"),
    [
        ([Pair("H9", "U1", 1.0)], "pair", "household", "unknown household 'H9'"),
        ([Pair("H1", "U9", 1.0)], "pair", "unit", "unknown unit 'U9'"),
        ([Pair("H1", "U1", 1.0), Pair("H1", "U1", 2.0)], "pair", "unit", "duplicate pair"),
        ([Pair("H1", "U1", math.inf)], "pair", "score", "finite"),
        ([Pair("H1", "U1", True)], "pair", "score", "must be a number"),
    ],
)
def test_pair_errors(pairs: list[Pair], kind: str, field: str, message: str) -> None:
    error = _error(lambda: optimise(SIZES, CAPACITIES, pairs))
    assert (error.kind, error.field) == (kind, field)
    assert message in error.message


def test_optimisation_input_errors() -> None:
    error = _error(lambda: optimise([HouseholdSize("H1", -2)], CAPACITIES, []))
    assert (error.kind, error.id, error.field) == ("household", "H1", "persons")
    error = _error(lambda: optimise(SIZES, [UnitCapacity("U1", -3)], []))
    assert (error.kind, error.id, error.field) == ("unit", "U1", "capacity")
    error = _error(lambda: optimise(SIZES, CAPACITIES, [], gap=1.5))
    assert error.field == "gap"
    error = _error(lambda: optimise(SIZES, CAPACITIES, [], method="simplex"))
    assert error.field == "method"


@pytest.mark.parametrize(
    ("constraint", "field"),
    [
        (ShareConstraint((), 0.3), "groups"),
        (ShareConstraint(("status_holder",), 1.5), "minimum"),
        (ShareConstraint(("status_holder",), 0.3, "Nowhere"), "complex"),
        (ShareConstraint(("status_holder",), 0.3, None, ShareBasis.UNITS), "complex"),
    ],
)
def test_constraint_errors(constraint: ShareConstraint, field: str) -> None:
    error = _error(lambda: optimise(SIZES, CAPACITIES, [], constraints=[constraint]))
    assert (error.kind, error.id, error.field) == ("constraint", "constraint 1", field)
