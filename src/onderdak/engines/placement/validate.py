"""Validation of placement input and its preparation into arrays for the kernels.

Every public entry point validates here first, so a Python caller and the command line get the
same checks; every error is a :class:`PlacementInputError` naming the record and the field.
The kernels that follow work on NumPy arrays without further checks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from fractions import Fraction
from numbers import Integral, Real
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from onderdak.engines.placement.model import (
    Household,
    HouseholdSize,
    Pair,
    PlacementInputError,
    ShareBasis,
    ShareConstraint,
    Unit,
    UnitCapacity,
    Weights,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Largest number of persons, rooms, days, households per unit accepted (far beyond reality,
#: small enough for exact integer arithmetic in the solvers).
MAX_COUNT = 10**6
#: Largest magnitude of a coordinate (metres), an area (m2) or a weight.
MAX_MAGNITUDE = 1e9
#: Largest magnitude of a pair's score (the optimiser scales scores to integers).
MAX_SCORE = 1e15


ArrayT = TypeVar("ArrayT", bound="np.ndarray[Any, Any]")


def readonly(array: ArrayT) -> ArrayT:
    """Mark an array read-only (results are immutable) and return it."""
    array.flags.writeable = False
    return array


# --------------------------------------------------------------------------------------------
# Field checks
# --------------------------------------------------------------------------------------------


def _error(message: str, kind: str, id: str | None, field: str) -> PlacementInputError:
    return PlacementInputError(message, kind=kind, id=id, field=field)


def whole(
    value: object,
    kind: str,
    id: str | None,
    field: str,
    *,
    minimum: int | None = 0,
    maximum: int = MAX_COUNT,
) -> int:
    """A whole number (not a bool, not 3.0) within [minimum, maximum]."""
    bound = "" if minimum is None else f" >= {minimum}"
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise _error(f"must be a whole number{bound}, not {value!r}", kind, id, field)
    number = int(value)
    if minimum is not None and number < minimum:
        raise _error(f"must be a whole number{bound}, not {number}", kind, id, field)
    if abs(number) > maximum:
        raise _error(f"must be at most {maximum} in size, not {number}", kind, id, field)
    return number


def real(
    value: object,
    kind: str,
    id: str | None,
    field: str,
    *,
    minimum: float | None = 0.0,
    strict: bool = False,
    maximum: float = MAX_MAGNITUDE,
) -> float:
    """A finite real number (not a bool) >= minimum (> minimum when ``strict``), at most
    ``maximum`` in size."""
    bound = "" if minimum is None else (f" > {minimum:g}" if strict else f" >= {minimum:g}")
    if isinstance(value, bool) or not isinstance(value, Real):
        raise _error(f"must be a number{bound}, not {value!r}", kind, id, field)
    number = float(value)
    if not math.isfinite(number):
        raise _error(f"must be a finite number, not {value!r}", kind, id, field)
    if minimum is not None and (number < minimum or (strict and number == minimum)):
        raise _error(f"must be a number{bound}, not {value!r}", kind, id, field)
    if abs(number) > maximum:
        raise _error(f"must be at most {maximum:g} in size, not {value!r}", kind, id, field)
    return number


def flag(value: object, kind: str, id: str | None, field: str) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise _error(f"must be true or false, not {value!r}", kind, id, field)
    return bool(value)


def text(value: object, kind: str, id: str | None, field: str, *, empty: bool = False) -> str:
    if not isinstance(value, str):
        raise _error(f"must be a string, not {value!r}", kind, id, field)
    if not empty and not value.strip():
        raise _error("must not be empty", kind, id, field)
    return value


def point(
    x: object, y: object, kind: str, id: str, fields_: tuple[str, str]
) -> tuple[float, float] | None:
    """Both coordinates or neither (RD New metres)."""
    if x is None and y is None:
        return None
    if x is None or y is None:
        missing = fields_[0] if x is None else fields_[1]
        raise _error(
            f"missing while {fields_[1] if x is None else fields_[0]} is given (give both or "
            "neither)",
            kind,
            id,
            missing,
        )
    return (
        real(x, kind, id, fields_[0], minimum=None),
        real(y, kind, id, fields_[1], minimum=None),
    )


def unique_ids(ids: Sequence[object], kind: str) -> dict[str, int]:
    """id -> index; ids must be non-empty strings, each once."""
    index: dict[str, int] = {}
    for position, value in enumerate(ids):
        if not isinstance(value, str) or not value.strip():
            raise _error(
                f"the id of {kind} number {position + 1} must be a non-empty string, not {value!r}",
                kind,
                None,
                "id",
            )
        if value in index:
            raise _error(f"duplicate id (also {kind} number {index[value] + 1})", kind, value, "id")
        index[value] = position
    return index


# --------------------------------------------------------------------------------------------
# Weights
# --------------------------------------------------------------------------------------------

WEIGHT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Weights))


def check_weights(weights: Weights) -> Weights:
    """Every weight a finite number >= 0; the norms consistent."""
    if not isinstance(weights, Weights):
        raise PlacementInputError(f"must be Weights, not {weights!r}", kind="weights")
    for name in WEIGHT_FIELDS:
        value = getattr(weights, name)
        if name == "count_reunification":
            flag(value, "weights", None, name)
            continue
        strict = name in {"waiting_unit_days", "distance_scale_m"}
        real(value, "weights", None, name, strict=strict)
    if weights.neutral > 1:
        raise _error(
            f"must be between 0 and 1, not {weights.neutral!r}", "weights", None, "neutral"
        )
    if weights.space_min_m2 > weights.space_max_m2:
        raise _error(
            f"must not be above space_max_m2 ({weights.space_min_m2:g} > {weights.space_max_m2:g})",
            "weights",
            None,
            "space_min_m2",
        )
    return weights


# --------------------------------------------------------------------------------------------
# Scoring problem
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class ScoringProblem:
    """Households (rows) and units (columns) as arrays, validated; read-only."""

    household_ids: tuple[str, ...]
    unit_ids: tuple[str, ...]
    groups: tuple[str, ...]
    complexes: tuple[str, ...]
    #: Per household.
    group: IntArray
    persons: IntArray
    fit_persons: IntArray
    needs_accessible: BoolArray
    needs_ground_floor: BoolArray
    waiting_days: IntArray
    urgency: FloatArray
    tie_x: FloatArray
    tie_y: FloatArray
    has_tie: BoolArray
    has_preference: BoolArray
    #: households x complexes: the complex is among the household's preferences.
    prefers: BoolArray
    #: Per unit.
    complex: IntArray
    max_occupants: IntArray
    max_households: IntArray
    rooms: IntArray
    area: FloatArray
    accessible: BoolArray
    floor: IntArray
    x: FloatArray
    y: FloatArray
    has_xy: BoolArray
    #: units x groups: the unit is open to the group.
    allows: BoolArray
    #: Raw target-group lists of the units (for messages).
    unit_groups: tuple[tuple[str, ...], ...]

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.household_ids), len(self.unit_ids))


def _check_household(household: object) -> Household:
    if not isinstance(household, Household):
        raise PlacementInputError(f"must be a Household, not {household!r}", kind="household")
    kind, id = "household", household.id
    text(household.target_group, kind, id, "target_group")
    adults = whole(household.adults, kind, id, "adults")
    minors = whole(household.minors, kind, id, "minors")
    if adults + minors < 1:
        raise _error("the household has no persons (adults + minors is 0)", kind, id, "adults")
    flag(household.needs_accessible, kind, id, "needs_accessible")
    flag(household.needs_ground_floor, kind, id, "needs_ground_floor")
    whole(household.waiting_days, kind, id, "waiting_days")
    real(household.urgency, kind, id, "urgency")
    point(household.tie_x, household.tie_y, kind, id, ("tie_x", "tie_y"))
    whole(household.reunification_persons, kind, id, "reunification_persons")
    if not isinstance(household.preferred_complexes, tuple | list):
        raise _error(
            f"must be a tuple of complex names, not {household.preferred_complexes!r}",
            kind,
            id,
            "preferred_complexes",
        )
    for name in household.preferred_complexes:
        text(name, kind, id, "preferred_complexes")
    return household


def _check_unit(unit: object) -> Unit:
    if not isinstance(unit, Unit):
        raise PlacementInputError(f"must be a Unit, not {unit!r}", kind="unit")
    kind, id = "unit", unit.id
    text(unit.complex, kind, id, "complex", empty=True)
    whole(unit.max_occupants, kind, id, "max_occupants")
    whole(unit.rooms, kind, id, "rooms")
    real(unit.area_m2, kind, id, "area_m2")
    flag(unit.accessible, kind, id, "accessible")
    whole(unit.floor, kind, id, "floor", minimum=None, maximum=1000)
    point(unit.x, unit.y, kind, id, ("x", "y"))
    if not isinstance(unit.target_groups, tuple | list):
        raise _error(
            f"must be a tuple of target groups, not {unit.target_groups!r}",
            kind,
            id,
            "target_groups",
        )
    for group in unit.target_groups:
        text(group, kind, id, "target_groups")
    whole(unit.max_households, kind, id, "max_households")
    return unit


def _coordinates(
    points: Sequence[tuple[float | None, float | None]],
) -> tuple[FloatArray, FloatArray, BoolArray]:
    known = np.array([x is not None for x, _ in points], dtype=np.bool_)
    xs = np.array([np.nan if x is None else float(x) for x, _ in points], dtype=np.float64)
    ys = np.array([np.nan if y is None else float(y) for _, y in points], dtype=np.float64)
    return xs, ys, known


def prepare_scoring(
    households: Sequence[Household], units: Sequence[Unit], weights: Weights
) -> ScoringProblem:
    """Validate households, units and weights; return the arrays the scoring kernel uses."""
    check_weights(weights)
    household_list = list(households)
    unit_list = list(units)
    for household in household_list:
        if not isinstance(household, Household):
            raise PlacementInputError(f"must be a Household, not {household!r}", kind="household")
    for unit in unit_list:
        if not isinstance(unit, Unit):
            raise PlacementInputError(f"must be a Unit, not {unit!r}", kind="unit")
    unique_ids([h.id for h in household_list], "household")
    unique_ids([u.id for u in unit_list], "unit")
    for household in household_list:
        _check_household(household)
    for unit in unit_list:
        _check_unit(unit)

    groups = tuple(dict.fromkeys(h.target_group for h in household_list))
    group_index = {g: i for i, g in enumerate(groups)}
    complexes = tuple(dict.fromkeys(u.complex for u in unit_list))
    complex_index = {c: i for i, c in enumerate(complexes)}

    persons = np.array([h.persons for h in household_list], dtype=np.int64)
    reunification = np.array([h.reunification_persons for h in household_list], dtype=np.int64)
    fit_persons = persons + reunification if weights.count_reunification else persons.copy()
    tie_x, tie_y, has_tie = _coordinates([(h.tie_x, h.tie_y) for h in household_list])
    x, y, has_xy = _coordinates([(u.x, u.y) for u in unit_list])
    prefers = np.zeros((len(household_list), len(complexes)), dtype=np.bool_)
    for row, household in enumerate(household_list):
        for name in household.preferred_complexes:
            if name in complex_index:
                prefers[row, complex_index[name]] = True
    allows = np.zeros((len(unit_list), len(groups)), dtype=np.bool_)
    for row, unit in enumerate(unit_list):
        if not unit.target_groups:
            allows[row, :] = True
        else:
            for group in unit.target_groups:
                if group in group_index:
                    allows[row, group_index[group]] = True

    def ints(values: list[int]) -> IntArray:
        return readonly(np.array(values, dtype=np.int64))

    def bools(values: list[bool]) -> BoolArray:
        return readonly(np.array(values, dtype=np.bool_))

    def floats(values: list[float]) -> FloatArray:
        return readonly(np.array(values, dtype=np.float64))

    return ScoringProblem(
        household_ids=tuple(h.id for h in household_list),
        unit_ids=tuple(u.id for u in unit_list),
        groups=groups,
        complexes=complexes,
        group=ints([group_index[h.target_group] for h in household_list]),
        persons=readonly(persons),
        fit_persons=readonly(fit_persons),
        needs_accessible=bools([h.needs_accessible for h in household_list]),
        needs_ground_floor=bools([h.needs_ground_floor for h in household_list]),
        waiting_days=ints([h.waiting_days for h in household_list]),
        urgency=floats([float(h.urgency) for h in household_list]),
        tie_x=readonly(tie_x),
        tie_y=readonly(tie_y),
        has_tie=readonly(has_tie),
        has_preference=bools([bool(h.preferred_complexes) for h in household_list]),
        prefers=readonly(prefers),
        complex=ints([complex_index[u.complex] for u in unit_list]),
        max_occupants=ints([u.max_occupants for u in unit_list]),
        max_households=ints([u.max_households for u in unit_list]),
        rooms=ints([u.rooms for u in unit_list]),
        area=floats([float(u.area_m2) for u in unit_list]),
        accessible=bools([u.accessible for u in unit_list]),
        floor=ints([u.floor for u in unit_list]),
        x=readonly(x),
        y=readonly(y),
        has_xy=readonly(has_xy),
        allows=readonly(allows),
        unit_groups=tuple(tuple(u.target_groups) for u in unit_list),
    )


# --------------------------------------------------------------------------------------------
# Optimisation problem
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class ShareRow:
    """A side constraint as a linear row over the pairs: sum coef x >= lower (integers)."""

    coef: IntArray
    lower: int
    constraint: ShareConstraint
    #: Units of the complex (basis UNITS) or 0.
    units: int


@dataclass(frozen=True, slots=True, eq=False)
class OptimisationProblem:
    """Households, units and pairs as arrays, validated; read-only."""

    household_ids: tuple[str, ...]
    unit_ids: tuple[str, ...]
    persons: IntArray
    group: tuple[str, ...]
    capacity: IntArray
    max_households: IntArray
    complex: tuple[str, ...]
    pair_household: IntArray
    pair_unit: IntArray
    score: FloatArray
    rows: tuple[ShareRow, ...]

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.household_ids), len(self.unit_ids))


def check_constraints(
    constraints: Sequence[ShareConstraint], complexes: set[str]
) -> tuple[ShareConstraint, ...]:
    checked = []
    for position, constraint in enumerate(constraints):
        name = f"constraint {position + 1}"
        if not isinstance(constraint, ShareConstraint):
            raise PlacementInputError(
                f"must be a ShareConstraint, not {constraint!r}", kind="constraint", id=name
            )
        if not isinstance(constraint.groups, tuple | list) or not constraint.groups:
            raise _error("must name at least one target group", "constraint", name, "groups")
        for group in constraint.groups:
            text(group, "constraint", name, "groups")
        minimum = real(constraint.minimum, "constraint", name, "minimum")
        if minimum > 1:
            raise _error(f"must be between 0 and 1, not {minimum!r}", "constraint", name, "minimum")
        basis = constraint.basis
        if basis not in (ShareBasis.PLACEMENTS, ShareBasis.UNITS):
            raise _error(
                f"must be 'placements' or 'units', not {basis!r}", "constraint", name, "basis"
            )
        if constraint.complex is not None:
            text(constraint.complex, "constraint", name, "complex", empty=True)
            if constraint.complex not in complexes:
                raise _error(
                    f"unknown complex {constraint.complex!r}", "constraint", name, "complex"
                )
        elif ShareBasis(basis) is ShareBasis.UNITS:
            raise _error("a share of units needs a complex", "constraint", name, "complex")
        checked.append(constraint)
    return tuple(checked)


def _share_row(
    constraint: ShareConstraint,
    in_groups: BoolArray,
    pair_complex: list[str],
    unit_complex: tuple[str, ...],
) -> ShareRow:
    """The constraint over the pairs (exact: the minimum as a fraction of its decimal form)."""
    share = Fraction(repr(float(constraint.minimum)))
    if constraint.complex is None:
        scope = np.ones(in_groups.size, dtype=np.bool_)
    else:
        scope = np.array([c == constraint.complex for c in pair_complex], dtype=np.bool_)
    if ShareBasis(constraint.basis) is ShareBasis.UNITS:
        units = sum(1 for c in unit_complex if c == constraint.complex)
        needed = math.ceil(share * units)
        coef = (scope & in_groups).astype(np.int64)
        return ShareRow(readonly(coef), needed, constraint, units)
    # sum over scope of (den [group] - num) x >= 0  <=>  share of the groups >= num / den
    coef = np.where(
        scope, share.denominator * in_groups.astype(np.int64) - share.numerator, 0
    ).astype(np.int64)
    return ShareRow(readonly(coef), 0, constraint, 0)


def prepare_optimisation(
    households: Sequence[HouseholdSize],
    units: Sequence[UnitCapacity],
    pairs: Sequence[Pair],
    constraints: Sequence[ShareConstraint] = (),
) -> OptimisationProblem:
    """Validate the optimisation input; return its arrays."""
    household_list = list(households)
    unit_list = list(units)
    for household in household_list:
        if not isinstance(household, HouseholdSize):
            raise PlacementInputError(
                f"must be a HouseholdSize, not {household!r}", kind="household"
            )
    for unit in unit_list:
        if not isinstance(unit, UnitCapacity):
            raise PlacementInputError(f"must be a UnitCapacity, not {unit!r}", kind="unit")
    household_index = unique_ids([h.id for h in household_list], "household")
    unit_index = unique_ids([u.id for u in unit_list], "unit")
    for household in household_list:
        whole(household.persons, "household", household.id, "persons")
        text(household.group, "household", household.id, "group", empty=True)
    for unit in unit_list:
        whole(unit.capacity, "unit", unit.id, "capacity")
        whole(unit.max_households, "unit", unit.id, "max_households")
        text(unit.complex, "unit", unit.id, "complex", empty=True)
    pair_household, pair_unit, score = _pair_arrays(pairs, household_index, unit_index)
    return problem_from_arrays(
        household_ids=tuple(h.id for h in household_list),
        unit_ids=tuple(u.id for u in unit_list),
        persons=np.array([h.persons for h in household_list], dtype=np.int64),
        capacity=np.array([u.capacity for u in unit_list], dtype=np.int64),
        max_households=np.array([u.max_households for u in unit_list], dtype=np.int64),
        pair_household=pair_household,
        pair_unit=pair_unit,
        score=score,
        group=tuple(h.group for h in household_list),
        complex=tuple(u.complex for u in unit_list),
        constraints=constraints,
    )


def _pair_arrays(
    pairs: Sequence[Pair], household_index: dict[str, int], unit_index: dict[str, int]
) -> tuple[IntArray, IntArray, FloatArray]:
    """(household index, unit index, score) per pair; a fast path for well-formed input, the
    pair-by-pair checks (for the message) when it fails."""
    count = len(pairs)
    try:
        households = np.fromiter(
            (household_index[p.household] for p in pairs), dtype=np.int64, count=count
        )
        units = np.fromiter((unit_index[p.unit] for p in pairs), dtype=np.int64, count=count)
        scores = [p.score for p in pairs]
        if not set(map(type, scores)) <= {float, int}:
            raise TypeError
        score = np.array(scores, dtype=np.float64).reshape(count)
        if not bool(np.all(np.abs(score) <= MAX_SCORE)):  # also false for NaN
            raise ValueError
    except (KeyError, TypeError, ValueError, AttributeError):
        return _pairs_one_by_one(pairs, household_index, unit_index)
    return households, units, score


def _pairs_one_by_one(
    pairs: Sequence[Pair], household_index: dict[str, int], unit_index: dict[str, int]
) -> tuple[IntArray, IntArray, FloatArray]:
    households, units, scores = [], [], []
    for pair in pairs:
        if not isinstance(pair, Pair):
            raise PlacementInputError(f"must be a Pair, not {pair!r}", kind="pair")
        name = f"{pair.household}/{pair.unit}"
        if not isinstance(pair.household, str) or pair.household not in household_index:
            raise _error(f"unknown household {pair.household!r}", "pair", name, "household")
        if not isinstance(pair.unit, str) or pair.unit not in unit_index:
            raise _error(f"unknown unit {pair.unit!r}", "pair", name, "unit")
        households.append(household_index[pair.household])
        units.append(unit_index[pair.unit])
        scores.append(real(pair.score, "pair", name, "score", minimum=None, maximum=MAX_SCORE))
    return (
        np.array(households, dtype=np.int64),
        np.array(units, dtype=np.int64),
        np.array(scores, dtype=np.float64),
    )


def problem_from_arrays(
    *,
    household_ids: tuple[str, ...],
    unit_ids: tuple[str, ...],
    persons: npt.ArrayLike,
    capacity: npt.ArrayLike,
    max_households: npt.ArrayLike,
    pair_household: npt.ArrayLike,
    pair_unit: npt.ArrayLike,
    score: npt.ArrayLike,
    group: tuple[str, ...] | None = None,
    complex: tuple[str, ...] | None = None,
    constraints: Sequence[ShareConstraint] = (),
) -> OptimisationProblem:
    """The optimisation problem from arrays (vectorised checks): persons per household,
    capacity and max_households per unit, and per pair its household index, unit index and
    score. Duplicate pairs are an error."""
    n_households, n_units = len(household_ids), len(unit_ids)
    sizes = _counts(persons, n_households, "household", household_ids, "persons")
    caps = _counts(capacity, n_units, "unit", unit_ids, "capacity")
    limits = _counts(max_households, n_units, "unit", unit_ids, "max_households")
    h = np.asarray(pair_household, dtype=np.int64).reshape(-1)
    u = np.asarray(pair_unit, dtype=np.int64).reshape(-1)
    values = np.asarray(score, dtype=np.float64).reshape(-1)
    if not h.size == u.size == values.size:
        raise PlacementInputError("pair arrays differ in length", kind="pair")
    if h.size and (h.min() < 0 or h.max() >= n_households or u.min() < 0 or u.max() >= n_units):
        raise PlacementInputError("a pair names a household or unit out of range", kind="pair")
    bad = np.flatnonzero(~(np.abs(values) <= MAX_SCORE))
    if bad.size:
        first = int(bad[0])
        raise _error(
            f"must be a finite number at most {MAX_SCORE:g} in size, not {float(values[first])!r}",
            "pair",
            f"{household_ids[h[first]]}/{unit_ids[u[first]]}",
            "score",
        )
    key = h * max(n_units, 1) + u
    order = np.argsort(key, kind="stable")
    repeated = np.flatnonzero(key[order][1:] == key[order][:-1])
    if repeated.size:
        first = int(order[repeated[0] + 1])
        raise _error(
            "duplicate pair",
            "pair",
            f"{household_ids[h[first]]}/{unit_ids[u[first]]}",
            "unit",
        )
    groups = group if group is not None else ("",) * n_households
    complexes = complex if complex is not None else ("",) * n_units
    checked = check_constraints(constraints, set(complexes))
    pair_complex = [complexes[i] for i in u.tolist()] if checked else []
    rows = []
    for constraint in checked:
        wanted = set(constraint.groups)
        member = np.array([g in wanted for g in groups], dtype=np.bool_)
        rows.append(_share_row(constraint, member[h], pair_complex, complexes))
    return OptimisationProblem(
        household_ids=household_ids,
        unit_ids=unit_ids,
        persons=readonly(sizes),
        group=groups,
        capacity=readonly(caps),
        max_households=readonly(limits),
        complex=complexes,
        pair_household=readonly(h.copy()),
        pair_unit=readonly(u.copy()),
        score=readonly(values.copy()),
        rows=tuple(rows),
    )


def _counts(
    values: npt.ArrayLike, size: int, kind: str, ids: tuple[str, ...], field: str
) -> IntArray:
    array = np.asarray(values)
    if array.shape != (size,) or (size and array.dtype.kind not in "iu"):
        raise PlacementInputError(
            f"must be {size} whole numbers, got {array.dtype} of shape {array.shape}", kind=kind
        )
    result = array.astype(np.int64)
    bad = np.flatnonzero((result < 0) | (result > MAX_COUNT))
    if bad.size:
        first = int(bad[0])
        raise _error(
            f"must be a whole number >= 0 and at most {MAX_COUNT}, not {int(result[first])}",
            kind,
            ids[first],
            field,
        )
    return result
