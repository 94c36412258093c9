"""Validation of the decision problem shared by the public entry points.

Every check raises :class:`SitingInputError` naming the criterion, site or field. The matrix is
converted to float64 without copying when it already is one; it is never modified. Finiteness
is checked from the column minimum and maximum (NaN and infinity propagate there), so a valid
matrix costs no extra pass.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from onderdak.engines.siting.model import (
    AhpWeights,
    BoolArray,
    Criterion,
    Direction,
    FloatArray,
    Method,
    Normalization,
    Preference,
    PreferenceFunction,
    SiteIds,
    SitingInputError,
)
from onderdak.engines.siting.normalise import ColumnStats, column_stats

WeightsLike: TypeAlias = Mapping[str, float] | Sequence[float] | FloatArray | AhpWeights


@dataclass(frozen=True, slots=True, eq=False)
class Problem:
    """A validated decision problem: float64 matrix (n >= 2 sites, m >= 1 criteria)."""

    matrix: FloatArray
    sites: Sequence[str]
    criteria: tuple[Criterion, ...]
    weights: FloatArray
    cost: BoolArray
    stats: ColumnStats

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.criteria)


def parse_method(method: Method | str) -> Method:
    try:
        return Method(method)
    except ValueError:
        names = ", ".join(m.value for m in Method)
        raise SitingInputError(f"unknown method '{method}' (choose from {names})") from None


def parse_normalization(normalization: Normalization | str) -> Normalization:
    try:
        return Normalization(normalization)
    except ValueError:
        names = ", ".join(n.value for n in Normalization)
        raise SitingInputError(
            f"unknown normalization '{normalization}' (choose from {names})"
        ) from None


def prepare(
    matrix: npt.ArrayLike,
    criteria: Sequence[Criterion],
    sites: Sequence[str] | None,
    weights: WeightsLike | None,
    *,
    check_preferences: bool = False,
) -> Problem:
    """Validate the problem; ``weights`` overrides the criteria's own weights."""
    checked = validate_criteria(criteria, check_preferences=check_preferences)
    array = as_matrix(matrix, len(checked))
    site_ids = validate_sites(sites, array.shape[0])
    stats = column_stats(array)
    if not bool(stats.finite.all()):
        column = int(np.flatnonzero(~stats.finite)[0])
        row = int(np.flatnonzero(~np.isfinite(array[:, column]))[0])
        raise SitingInputError(
            f"must be a finite number, not {array[row, column]!r}",
            criterion=checked[column].name,
            site=site_ids[row],
            field="value",
        )
    names = tuple(c.name for c in checked)
    raw = [c.weight for c in checked] if weights is None else weight_values(weights, names)
    return Problem(
        matrix=array,
        sites=site_ids,
        criteria=checked,
        weights=normalise_weights(raw, names),
        cost=np.array([c.direction is Direction.COST for c in checked], dtype=np.bool_),
        stats=stats,
    )


def as_matrix(matrix: npt.ArrayLike, columns: int) -> FloatArray:
    try:
        array = np.asarray(matrix, dtype=np.float64)
    except (TypeError, ValueError):
        raise SitingInputError("the matrix must hold numbers only", field="matrix") from None
    if array.ndim != 2:
        raise SitingInputError(
            f"the matrix must be 2-dimensional (sites x criteria), not {array.ndim}-dimensional",
            field="matrix",
        )
    if array.shape[1] != columns:
        raise SitingInputError(
            f"the matrix has {array.shape[1]} columns for {columns} criteria", field="matrix"
        )
    if array.shape[0] < 2:
        raise SitingInputError(
            f"at least 2 sites are needed to compare, not {array.shape[0]}",
            code="too_few_sites",
            params={"count": int(array.shape[0])},
            field="matrix",
        )
    return array


def validate_sites(sites: Sequence[str] | None, count: int) -> Sequence[str]:
    if sites is None:
        return SiteIds(count)
    ids = tuple(str(site) for site in sites)
    if len(ids) != count:
        raise SitingInputError(f"{len(ids)} site ids for {count} matrix rows", field="sites")
    seen: set[str] = set()
    for site in ids:
        if not site:
            raise SitingInputError("empty site id", field="sites")
        if site in seen:
            raise SitingInputError("duplicate site id", site=site, field="sites")
        seen.add(site)
    return ids


def validate_criteria(
    criteria: Sequence[Criterion], *, check_preferences: bool
) -> tuple[Criterion, ...]:
    if not criteria:
        raise SitingInputError("at least one criterion is needed", field="criteria")
    seen: set[str] = set()
    checked = []
    for criterion in criteria:
        if not isinstance(criterion, Criterion):
            raise SitingInputError(
                f"expected a Criterion, not {type(criterion).__name__}", field="criteria"
            )
        name = criterion.name
        if not isinstance(name, str) or not name:
            raise SitingInputError("a criterion needs a non-empty name", field="criteria")
        if name in seen:
            raise SitingInputError("duplicate criterion name", criterion=name, field="name")
        seen.add(name)
        try:
            direction = Direction(criterion.direction)
        except ValueError:
            raise SitingInputError(
                f"must be 'benefit' or 'cost', not {criterion.direction!r}",
                criterion=name,
                field="direction",
            ) from None
        preference = (
            validate_preference(criterion.preference, name)
            if check_preferences
            else criterion.preference
        )
        checked.append(
            Criterion(name, direction=direction, weight=criterion.weight, preference=preference)
        )
    return tuple(checked)


def validate_preference(preference: Preference, criterion: str) -> Preference:
    try:
        function = PreferenceFunction(preference.function)
    except ValueError:
        names = ", ".join(f.value for f in PreferenceFunction)
        raise SitingInputError(
            f"unknown preference function {preference.function!r} (choose from {names})",
            criterion=criterion,
            field="preference",
        ) from None
    values = {}
    for name in ("q", "p", "s"):
        value = getattr(preference, name)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise SitingInputError(
                f"must be a finite number, not {value!r}", criterion=criterion, field=name
            )
        if value < 0:
            raise SitingInputError(
                f"must not be negative, not {value!r}", criterion=criterion, field=name
            )
        values[name] = float(value)
    q, p, s = values["q"], values["p"], values["s"]
    if function is PreferenceFunction.V_SHAPE and p <= 0:
        raise SitingInputError(
            "the V-shape function needs a preference threshold p > 0",
            criterion=criterion,
            field="p",
        )
    if function is PreferenceFunction.LEVEL and p < q:
        raise SitingInputError(
            f"the level function needs q <= p, not q = {q!r} > p = {p!r}",
            criterion=criterion,
            field="p",
        )
    if function is PreferenceFunction.LINEAR and p <= q:
        raise SitingInputError(
            f"the linear function needs q < p, not q = {q!r}, p = {p!r}",
            criterion=criterion,
            field="p",
        )
    if function is PreferenceFunction.GAUSSIAN and s <= 0:
        raise SitingInputError("the Gaussian function needs s > 0", criterion=criterion, field="s")
    return Preference(function, q=q, p=p, s=s)


def weight_values(weights: WeightsLike, names: tuple[str, ...]) -> list[float]:
    """Weights in criterion order from a mapping, a sequence or AHP weights."""
    if isinstance(weights, AhpWeights):
        weights = weights.as_dict()
    if isinstance(weights, Mapping):
        unknown = [str(name) for name in weights if name not in names]
        if unknown:
            raise SitingInputError("not one of the criteria", criterion=unknown[0], field="weight")
        missing = [name for name in names if name not in weights]
        if missing:
            raise SitingInputError("no weight given", criterion=missing[0], field="weight")
        return [weights[name] for name in names]
    values = list(np.asarray(weights, dtype=object).ravel())
    if len(values) != len(names):
        raise SitingInputError(f"{len(values)} weights for {len(names)} criteria", field="weight")
    return values


def normalise_weights(raw: Sequence[object], names: tuple[str, ...]) -> FloatArray:
    """Weights >= 0, finite, not all zero; divided by their (correctly rounded) sum."""
    values = []
    for name, value in zip(names, raw, strict=True):
        number = _finite(value)
        if number is None:
            raise SitingInputError(
                f"must be a finite number, not {value!r}", criterion=name, field="weight"
            )
        if number < 0:
            raise SitingInputError(
                f"must not be negative, not {value!r}", criterion=name, field="weight"
            )
        values.append(number)
    total = math.fsum(values)
    if total <= 0:
        raise SitingInputError("all weights are zero", code="all_weights_zero", field="weight")
    result: FloatArray = np.array(values, dtype=np.float64) / total
    return result


def _finite(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
