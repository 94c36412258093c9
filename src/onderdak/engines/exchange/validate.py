"""Validation of an exchange scenario and its preparation into arrays for the kernels.

Two entry points share one set of checks, so a JSON file and a Python caller get the same
messages: :func:`scenario_from_mapping` turns parsed JSON (dicts, lists, numbers) into a
:class:`Scenario`; :func:`prepare` validates a :class:`Scenario` (also one built in Python) and
returns the :class:`Problem` the kernels work on. Every error is an
:class:`ExchangeInputError` whose ``field`` is the JSON path of the value.

Exact arithmetic where it decides feasibility: points and fairness ratios are fractions (a JSON
number means its decimal value, so 0.1 is 1/10), costs are decimals, places are integers.
Points are scaled by the common denominator D of all points to integers a_g = D x points_g, so
that every points constraint of the MIP has integer coefficients and whole-number bounds:
a fairness bound L <= sum_g a_g x_mg <= U becomes ceil(L) <= ... <= floor(U) without changing
the set of integer allocations.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from numbers import Integral
from typing import TypeVar

import numpy as np

from onderdak.engines.exchange.model import (
    ExchangeInputError,
    Fairness,
    FloatArray,
    Group,
    IntArray,
    Mode,
    Municipality,
    Number,
    Scenario,
    readonly,
)

#: Largest number of places (obligation, capacity, caps) and euro per place accepted.
MAX_PLACES = 10**9
MAX_COST = 10**9
MAX_POPULATION = 10**10
#: Points and fairness ratios: at most this large, points with at most 6 decimals.
MAX_POINTS = 1000
MAX_RATIO = 10**6
POINTS_DECIMALS = 6
#: Scaled points must stay exact in double precision (what HiGHS computes in).
_EXACT = 2**53

_MISSING = object()
T = TypeVar("T")


# --------------------------------------------------------------------------------------------
# The prepared problem (kernel input)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class Problem:
    """A validated scenario as arrays: rows are municipalities, columns groups (input order).

    ``lower``/``upper`` are the bounds on places provided from capacity and caps:
    lower = max(0, obligation - max_hand_off), upper = min(capacity, obligation +
    max_take_over); lower > upper is possible and is reported by the pre-checks.
    Points are scaled: ``weights`` = D x points (integers), ``owed`` = obligation @ weights.
    ``band_low``/``band_high`` are the fairness bounds on scaled points, already rounded inward
    to whole numbers (``-inf``/``inf`` when absent); ``band_exact`` the unrounded bounds in
    points for messages.
    """

    mode: Mode
    codes: tuple[str, ...]
    groups: tuple[str, ...]
    points: tuple[Fraction, ...]
    scale: int
    weights: IntArray
    population: IntArray
    obligation: IntArray
    capacity: IntArray
    costs: tuple[tuple[Decimal, ...], ...]
    cost: FloatArray
    #: -1 where the municipality has no cap for the group.
    max_take_over: IntArray
    max_hand_off: IntArray
    lower: IntArray
    upper: IntArray
    owed: IntArray
    fairness: Fairness | None
    min_ratio: Fraction
    max_ratio: Fraction | None
    band_low: FloatArray
    band_high: FloatArray
    band_exact: tuple[tuple[Fraction, Fraction | None], ...]
    #: Points owed in the region per inhabitant (exact).
    average: Fraction
    #: Per group: its places stay within their province (the total of every province holds).
    within: tuple[bool, ...] = ()
    #: Per municipality: its province label (``None`` when not given).
    provinces: tuple[str | None, ...] = ()
    #: The total rows: (group index, province) with ``None`` for a group's regional total;
    #: in group order, a within_province group's provinces in order of first appearance.
    #: Without within_province groups exactly one row per group, in group order.
    blocks: tuple[tuple[int, str | None], ...] = ()
    #: M x G: the total row (index into ``blocks``) each cell counts in.
    block_of: IntArray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.codes), len(self.groups))

    def points_of(self, scaled: int | float) -> Fraction:
        """Scaled points back to points."""
        return Fraction(round(scaled), self.scale)

    def block_totals(self, places: IntArray) -> IntArray:
        """Places per total row (``blocks``) of an M x G array of places."""
        flat = np.zeros(len(self.blocks), dtype=np.int64)
        np.add.at(flat, self.block_of.ravel(), places.ravel().astype(np.int64))
        return flat


# --------------------------------------------------------------------------------------------
# Field checks (shared by the JSON parser and prepare)
# --------------------------------------------------------------------------------------------


def show(value: object) -> str:
    """A value as the user wrote it (JSON spelling where possible), for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, list, dict)):
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            text = repr(value)
        return text if len(text) <= 40 else text[:37] + "..."
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return repr(value)
    return str(value)


def whole(value: object, path: str, *, minimum: int = 0, maximum: int = MAX_PLACES) -> int:
    """A whole number (not a bool, not 3.0) within [minimum, maximum]."""
    bound = "> 0" if minimum == 1 else f">= {minimum}"
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ExchangeInputError(f"must be a whole number {bound}, not {show(value)}", field=path)
    number = int(value)
    if number < minimum:
        raise ExchangeInputError(f"must be a whole number {bound}, not {number}", field=path)
    if number > maximum:
        raise ExchangeInputError(f"must be at most {maximum}, not {number}", field=path)
    return number


def _real(value: object, path: str, wanted: str) -> Fraction:
    """The exact (decimal) value of a real number: a float means its shortest decimal."""
    if isinstance(value, bool) or not isinstance(value, (Integral, float, Decimal, Fraction)):
        raise ExchangeInputError(f"must be {wanted}, not {show(value)}", field=path)
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise ExchangeInputError(f"must be a finite number, not {show(value)}", field=path)
    if isinstance(value, float):
        return Fraction(repr(value))
    if isinstance(value, Integral):
        return Fraction(int(value))
    return Fraction(value)


def ratio(value: object, path: str) -> Fraction:
    """A number >= 0 (fairness ratios)."""
    number = _real(value, path, "a number >= 0")
    if number < 0:
        raise ExchangeInputError(f"must be a number >= 0, not {show(value)}", field=path)
    if number > MAX_RATIO:
        raise ExchangeInputError(f"must be at most {MAX_RATIO}, not {show(value)}", field=path)
    return number


def points(value: object, path: str) -> Fraction:
    """A number > 0 with at most 6 decimals (a group's exchange weight)."""
    number = _real(value, path, "a number > 0")
    if number <= 0:
        raise ExchangeInputError(f"must be a number > 0, not {show(value)}", field=path)
    if number > MAX_POINTS:
        raise ExchangeInputError(f"must be at most {MAX_POINTS}, not {show(value)}", field=path)
    if 10**POINTS_DECIMALS % number.denominator:
        raise ExchangeInputError(
            f"must have at most {POINTS_DECIMALS} decimals, not {show(value)}", field=path
        )
    return number


def money(value: object, path: str) -> Decimal:
    """Euro per place: a number >= 0, exact as a decimal."""
    if isinstance(value, Fraction):
        value = _decimal_fraction(value, path)
    number = _real(value, path, "a number >= 0")
    if number < 0:
        raise ExchangeInputError(f"must be a number >= 0, not {show(value)}", field=path)
    if number > MAX_COST:
        raise ExchangeInputError(f"must be at most {MAX_COST}, not {show(value)}", field=path)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(int(number))


def _decimal_fraction(value: Fraction, path: str) -> Decimal:
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        raise ExchangeInputError(f"must be a decimal number, not {value}", field=path)
    return Decimal(value.numerator) / Decimal(value.denominator)


def parse_mode(value: object, path: str = "mode") -> Mode:
    if isinstance(value, str):
        try:
            return Mode(value)
        except ValueError:
            pass
    raise ExchangeInputError(f'must be "swap" or "compensation", not {show(value)}', field=path)


def code_of(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ExchangeInputError(f"must be a non-empty string, not {show(value)}", field=path)
    return value


def per_group(
    mapping: object,
    path: str,
    groups: tuple[str, ...],
    convert: Callable[[object, str], T],
    *,
    required: bool,
) -> dict[str, T | None]:
    """Group -> converted value; unknown groups are errors, missing ones too when required.

    Optional mappings (the caps) allow a missing group or ``null``: no cap (``None``).
    """
    if mapping is None and not required:
        return {}
    if not isinstance(mapping, Mapping):
        raise ExchangeInputError(
            f"must be an object with a value per group, not {show(mapping)}", field=path
        )
    known = set(groups)
    for key in mapping:
        if key not in known:
            raise ExchangeInputError(
                f"unknown group (groups: {', '.join(groups)})", field=f"{path}.{key}"
            )
    result: dict[str, T | None] = {}
    for group in groups:
        value = mapping.get(group, _MISSING)
        if value is _MISSING or (value is None and not required):
            if required:
                raise ExchangeInputError(
                    "missing (every group needs a value)", field=f"{path}.{group}"
                )
            result[group] = None
            continue
        result[group] = convert(value, f"{path}.{group}")
    return result


# --------------------------------------------------------------------------------------------
# JSON-like input -> Scenario
# --------------------------------------------------------------------------------------------


def _object(value: object, path: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ExchangeInputError(f"must be an object, not {show(value)}", field=path)
    return value


def _required(mapping: Mapping[str, object], key: str, path: str) -> object:
    value = mapping.get(key, _MISSING)
    if value is _MISSING:
        raise ExchangeInputError("required field is missing", field=path)
    return value


def scenario_from_mapping(data: object) -> Scenario:
    """A :class:`Scenario` from parsed JSON (the ``onderdak exchange solve`` input format).

    Raises :class:`ExchangeInputError` naming the JSON path of the first problem. Keys that
    the contract does not define are ignored (files may carry names or comments); an unknown
    group inside a per-group mapping is an error.
    """
    if not isinstance(data, Mapping):
        raise ExchangeInputError(f"the input must be a JSON object, not {show(data)}")
    mode = parse_mode(_required(data, "mode", "mode"))
    groups_raw = _object(_required(data, "groups", "groups"), "groups")
    if not groups_raw:
        raise ExchangeInputError("must name at least one group", field="groups")
    groups = []
    for code, spec in groups_raw.items():
        path = f"groups.{code}"
        code_of(code, path)
        body = _object(spec, path)
        given = _required(body, "points", f"{path}.points")
        points(given, f"{path}.points")
        within = body.get("within_province", _MISSING)
        if within is _MISSING:
            groups.append(Group(code, _as_given(given)))
        else:
            flag = within_flag(within, f"{path}.within_province")
            groups.append(Group(code, _as_given(given), within_province=flag))
    group_codes = tuple(g.code for g in groups)
    listed = _required(data, "municipalities", "municipalities")
    if not isinstance(listed, list):
        raise ExchangeInputError(f"must be a list, not {show(listed)}", field="municipalities")
    if not listed:
        raise ExchangeInputError("must list at least one municipality", field="municipalities")
    within = tuple(g.code for g in groups if g.within_province)
    municipalities = [_municipality(raw, i, group_codes, within) for i, raw in enumerate(listed)]
    fairness_raw = data.get("fairness")
    fairness = None
    if fairness_raw is not None:
        body = _object(fairness_raw, "fairness")
        low = body.get("min_ratio")
        high = body.get("max_ratio")
        if low is not None:
            ratio(low, "fairness.min_ratio")
        if high is not None:
            ratio(high, "fairness.max_ratio")
        fairness = Fairness(
            min_ratio=_as_given(low) if low is not None else 0,
            max_ratio=_as_given(high) if high is not None else None,
        )
    scenario = Scenario(mode, tuple(groups), tuple(municipalities), fairness)
    _check_scenario_level(scenario, group_codes)
    return scenario


def _as_given(value: object) -> Number:
    """A value that passed a number check, kept as written (an int stays an int)."""
    assert isinstance(value, int | float | Decimal | Fraction)
    return value


def _municipality(
    raw: object, index: int, groups: tuple[str, ...], within: tuple[str, ...] = ()
) -> Municipality:
    path = f"municipalities[{index}]"
    body = _object(raw, path)
    code = code_of(_required(body, "code", f"{path}.code"), f"{path}.code")
    population = whole(
        _required(body, "population", f"{path}.population"),
        f"{path}.population",
        minimum=1,
        maximum=MAX_POPULATION,
    )

    def required(name: str, convert: Callable[[object, str], T]) -> dict[str, T]:
        raw_mapping = _required(body, name, f"{path}.{name}")
        return _complete(per_group(raw_mapping, f"{path}.{name}", groups, convert, required=True))

    def optional(name: str) -> dict[str, int | None]:
        capped = per_group(body.get(name), f"{path}.{name}", groups, whole, required=False)
        return {k: v for k, v in capped.items() if v is not None}

    return Municipality(
        code=code,
        population=population,
        obligation=required("obligation", whole),
        capacity=required("capacity", whole),
        cost_per_place=required("cost_per_place", cost_as_given),
        max_take_over=optional("max_take_over"),
        max_hand_off=optional("max_hand_off"),
        # read only when a group is within_province: otherwise an ignored key, as before
        province=province_of(body.get("province"), f"{path}.province", within) if within else None,
    )


def within_flag(value: object, path: str) -> bool:
    """``within_province`` of a group: ``true`` or ``false`` (nothing else, not ``null``)."""
    if not isinstance(value, bool):
        raise ExchangeInputError(f"must be true or false, not {show(value)}", field=path)
    return value


def province_of(value: object, path: str, within: tuple[str, ...]) -> str:
    """A municipality's province: a non-empty string, required when a group is within_province.

    The label is opaque (a code or a name) and compared exactly as given: ``"PV27"`` and
    ``"Noord-Holland"`` are two different provinces.
    """
    if value is None:
        raise ExchangeInputError(
            f"required because group {show(within[0])} is within_province", field=path
        )
    if not isinstance(value, str) or not value.strip():
        raise ExchangeInputError(f"must be a non-empty string, not {show(value)}", field=path)
    return value


def cost_as_given(value: object, path: str) -> Number:
    """Check a cost with :func:`money` but keep it as written (an int stays an int)."""
    money(value, path)
    return _as_given(value)


def _complete(mapping: Mapping[str, T | None]) -> dict[str, T]:
    """A required per-group mapping has no ``None`` values (per_group guarantees it)."""
    return {k: v for k, v in mapping.items() if v is not None}


def _check_scenario_level(scenario: Scenario, groups: tuple[str, ...]) -> None:
    seen: dict[str, int] = {}
    for index, municipality in enumerate(scenario.municipalities):
        first = seen.setdefault(municipality.code, index)
        if first != index:
            raise ExchangeInputError(
                f"duplicate code {show(municipality.code)} (also municipalities[{first}])",
                field=f"municipalities[{index}].code",
            )
    if len(set(groups)) != len(groups):
        raise ExchangeInputError("duplicate group code", field="groups")
    fairness = scenario.fairness
    if fairness is not None and fairness.max_ratio is not None:
        low = ratio(fairness.min_ratio, "fairness.min_ratio")
        high = ratio(fairness.max_ratio, "fairness.max_ratio")
        if low > high:
            raise ExchangeInputError(
                f"must not be above max_ratio ({show(fairness.min_ratio)} > "
                f"{show(fairness.max_ratio)})",
                field="fairness.min_ratio",
            )


# --------------------------------------------------------------------------------------------
# Scenario -> Problem
# --------------------------------------------------------------------------------------------


def prepare(scenario: Scenario) -> Problem:
    """Validate ``scenario`` and build the arrays of the kernels (inputs are not modified)."""
    mode = parse_mode(scenario.mode)
    groups, group_points = _groups(scenario)
    _check_scenario_level(scenario, groups)
    table = _table(scenario, groups)
    min_ratio, max_ratio = Fraction(0), None
    if scenario.fairness is not None:
        min_ratio = ratio(scenario.fairness.min_ratio, "fairness.min_ratio")
        if scenario.fairness.max_ratio is not None:
            max_ratio = ratio(scenario.fairness.max_ratio, "fairness.max_ratio")

    within, provinces = _provinces(scenario, groups)
    blocks, block_of = _blocks(groups, within, provinces)
    scale = math.lcm(*(p.denominator for p in group_points))
    weights = [int(p * scale) for p in group_points]
    largest = sum(
        w * int(max(table.obligation[:, j].sum(), table.capacity[:, j].sum()))
        for j, w in enumerate(weights)
    )
    if largest >= _EXACT:
        raise ExchangeInputError(
            "points times places are too large for exact arithmetic (use fewer decimals in the "
            "points or smaller numbers)",
            field="groups",
        )
    weight_array = np.array(weights, dtype=np.int64)
    owed = table.obligation @ weight_array
    average = Fraction(int(owed.sum()), scale) / int(table.population.sum())
    band_low = np.full(len(table.codes), -np.inf)
    band_high = np.full(len(table.codes), np.inf)
    band_exact: list[tuple[Fraction, Fraction | None]] = []
    if scenario.fairness is not None:
        for i, inhabitants in enumerate(table.population.tolist()):
            low = min_ratio * average * inhabitants
            high = max_ratio * average * inhabitants if max_ratio is not None else None
            band_exact.append((low, high))
            band_low[i] = math.ceil(low * scale)
            if high is not None:
                band_high[i] = math.floor(high * scale)

    obligation, capacity = table.obligation, table.capacity
    take_over, hand_off = table.max_take_over, table.max_hand_off
    lower = np.where(hand_off >= 0, np.maximum(obligation - hand_off, 0), 0)
    upper = np.where(take_over >= 0, np.minimum(capacity, obligation + take_over), capacity)
    cost = np.array([[float(c) for c in row] for row in table.costs], dtype=np.float64)
    return Problem(
        mode=mode,
        codes=table.codes,
        groups=groups,
        points=group_points,
        scale=scale,
        weights=readonly(weight_array),
        population=readonly(table.population),
        obligation=readonly(obligation),
        capacity=readonly(capacity),
        costs=table.costs,
        cost=readonly(cost.reshape(obligation.shape)),
        max_take_over=readonly(take_over),
        max_hand_off=readonly(hand_off),
        lower=readonly(lower.astype(np.int64)),
        upper=readonly(upper.astype(np.int64)),
        owed=readonly(owed.astype(np.int64)),
        fairness=scenario.fairness,
        min_ratio=min_ratio,
        max_ratio=max_ratio,
        band_low=readonly(band_low),
        band_high=readonly(band_high),
        band_exact=tuple(band_exact),
        average=average,
        within=within,
        provinces=provinces,
        blocks=blocks,
        block_of=readonly(block_of),
    )


def _provinces(
    scenario: Scenario, groups: tuple[str, ...]
) -> tuple[tuple[bool, ...], tuple[str | None, ...]]:
    """Per group the within_province flag; per municipality its province (checked)."""
    within = [
        within_flag(group.within_province, f"groups.{group.code}.within_province")
        for group in scenario.groups
    ]
    flagged = tuple(g for g, w in zip(groups, within, strict=True) if w)
    provinces: list[str | None] = []
    for i, municipality in enumerate(scenario.municipalities):
        if flagged:
            provinces.append(
                province_of(municipality.province, f"municipalities[{i}].province", flagged)
            )
        else:
            provinces.append(None)
    return tuple(within), tuple(provinces)


def _blocks(
    groups: tuple[str, ...], within: tuple[bool, ...], provinces: tuple[str | None, ...]
) -> tuple[tuple[tuple[int, str | None], ...], IntArray]:
    """The total rows (group, province or None) and the row of every cell."""
    order = list(dict.fromkeys(p for p in provinces if p is not None))
    blocks: list[tuple[int, str | None]] = []
    block_of = np.zeros((len(provinces), len(groups)), dtype=np.int64)
    for g in range(len(groups)):
        if not within[g]:
            block_of[:, g] = len(blocks)
            blocks.append((g, None))
            continue
        first = len(blocks)
        blocks.extend((g, province) for province in order)
        for i, province in enumerate(provinces):
            block_of[i, g] = first + order.index(str(province))
    return tuple(blocks), block_of


def _groups(scenario: Scenario) -> tuple[tuple[str, ...], tuple[Fraction, ...]]:
    if not scenario.groups:
        raise ExchangeInputError("must name at least one group", field="groups")
    codes: list[str] = []
    weights: list[Fraction] = []
    for index, group in enumerate(scenario.groups):
        if not isinstance(group, Group):
            raise ExchangeInputError(
                f"must be a Group, not {show(group)}", field=f"groups[{index}]"
            )
        code = code_of(group.code, f"groups[{index}].code")
        codes.append(code)
        weights.append(points(group.points, f"groups.{code}.points"))
    return tuple(codes), tuple(weights)


@dataclass(frozen=True, slots=True, eq=False)
class _Table:
    """The municipalities' figures as arrays (rows: municipalities, columns: groups)."""

    codes: tuple[str, ...]
    population: IntArray
    obligation: IntArray
    capacity: IntArray
    costs: tuple[tuple[Decimal, ...], ...]
    max_take_over: IntArray
    max_hand_off: IntArray


def _table(scenario: Scenario, groups: tuple[str, ...]) -> _Table:
    if not scenario.municipalities:
        raise ExchangeInputError("must list at least one municipality", field="municipalities")
    shape = (len(scenario.municipalities), len(groups))
    obligation = np.zeros(shape, dtype=np.int64)
    capacity = np.zeros(shape, dtype=np.int64)
    take_over = np.full(shape, -1, dtype=np.int64)
    hand_off = np.full(shape, -1, dtype=np.int64)
    population = np.zeros(shape[0], dtype=np.int64)
    costs: list[tuple[Decimal, ...]] = []
    codes: list[str] = []
    for i, municipality in enumerate(scenario.municipalities):
        path = f"municipalities[{i}]"
        if not isinstance(municipality, Municipality):
            raise ExchangeInputError(
                f"must be a Municipality, not {show(municipality)}", field=path
            )
        codes.append(code_of(municipality.code, f"{path}.code"))
        population[i] = whole(
            municipality.population, f"{path}.population", minimum=1, maximum=MAX_POPULATION
        )
        owed = per_group(
            municipality.obligation, f"{path}.obligation", groups, whole, required=True
        )
        room = per_group(municipality.capacity, f"{path}.capacity", groups, whole, required=True)
        price = per_group(
            municipality.cost_per_place, f"{path}.cost_per_place", groups, money, required=True
        )
        over = per_group(
            municipality.max_take_over, f"{path}.max_take_over", groups, whole, required=False
        )
        under = per_group(
            municipality.max_hand_off, f"{path}.max_hand_off", groups, whole, required=False
        )
        for j, code in enumerate(groups):
            obligation[i, j] = _present(owed[code])
            capacity[i, j] = _present(room[code])
            cap_over, cap_under = over[code], under[code]
            take_over[i, j] = -1 if cap_over is None else cap_over
            hand_off[i, j] = -1 if cap_under is None else cap_under
        costs.append(tuple(_present(price[code]) for code in groups))
    return _Table(tuple(codes), population, obligation, capacity, tuple(costs), take_over, hand_off)


def _present(value: T | None) -> T:
    if value is None:  # pragma: no cover - per_group(required=True) never yields None
        raise AssertionError("required per-group value missing")
    return value


__all__ = ["Number", "Problem", "prepare", "scenario_from_mapping"]
