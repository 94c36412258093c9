"""Distribution keys (verdeelsleutels): the weight of each unit in an apportionment.

* :func:`population_key`: population on a chosen reference date. The status-holder quota
  has its own rule and date in Huisvestingswet 2014 art. 29(1) (rounded up, 1 January of the
  year before: :mod:`onderdak.engines.quota.statutory`); for apportionments (Spreidingswet,
  what-if work) the reference date is a parameter.
* :func:`corrected_key`: population (or any key) times a per-unit correction factor. The
  Spreidingswet key corrects the population share with the CBS SES-WOA score (welfare,
  education, work); the exact formula is not published in our sources, so any factor mapping is
  accepted.
* :func:`composite_key`: a weighted sum of normalised indicators, each divided by its total
  over the units. The EU relocation key of 2015 (European Agenda on Migration, COM(2015) 240,
  and the relocation proposals COM(2015) 286 and 451) weighed population size 40%, total GDP
  40%, the average number of past asylum applications (per million inhabitants, 2010-2014) 10%
  and the unemployment rate 10%. The last two entered as corrections that *lower* a member
  state's share (with a cap on their effect), not as plain shares. This function stays a
  generic weighted sum: a caller who wants such a correction passes an already transformed
  indicator (for example the reciprocal of the unemployment rate).

Keys only compute weights; :func:`onderdak.engines.quota.apportion` turns them into whole
numbers. Scaling a key by a constant changes no apportionment.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from onderdak.engines.quota.model import QuotaInputError, as_whole_number

#: Criterion weights of the EU relocation key of 2015 (see the module docstring); the indicator
#: names are this module's, the data and any inverse transformation are the caller's.
EU_RELOCATION_2015_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"population": 0.4, "gdp": 0.4, "past_applications": 0.1, "unemployment": 0.1}
)


@dataclass(frozen=True, slots=True)
class Key:
    """A named distribution key: unit code -> weight (>= 0), in a fixed order."""

    name: str
    weights: Mapping[str, float]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.weights)

    def restricted_to(self, codes: set[str] | frozenset[str]) -> Key:
        """The same key on the units whose code is in ``codes`` (order kept)."""
        return Key(
            self.name,
            MappingProxyType({c: w for c, w in self.weights.items() if c in codes}),
        )


def _checked(value: object, unit: str, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise QuotaInputError(f"must be a number, not {value!r}", unit=unit, field=field)
    if not math.isfinite(value) or value < 0:
        raise QuotaInputError(
            f"must be a finite number >= 0, not {value!r}", unit=unit, field=field
        )
    return value


def population_key(
    populations: Mapping[str, Mapping[date, int]], on: date, *, name: str | None = None
) -> Key:
    """Population on the reference date ``on`` per unit (weights are the whole numbers)."""
    weights: dict[str, float] = {}
    for code, by_date in populations.items():
        if on not in by_date:
            raise QuotaInputError(
                f"no population on {on.isoformat()}", unit=code, field="population"
            )
        count = as_whole_number(by_date[on])
        if count is None or count < 0:
            raise QuotaInputError(
                f"must be a whole number >= 0, not {by_date[on]!r}", unit=code, field="population"
            )
        weights[code] = count
    return Key(name or f"population {on.isoformat()}", MappingProxyType(weights))


def corrected_key(
    key: Key | Mapping[str, float], factors: Mapping[str, float], *, name: str | None = None
) -> Key:
    """weight * factor per unit; every unit of ``key`` needs a factor (extra factors are ignored).

    For example the Spreidingswet population share corrected by a SES-WOA based factor.
    """
    base = key.weights if isinstance(key, Key) else key
    weights: dict[str, float] = {}
    for code, weight in base.items():
        if code not in factors:
            raise QuotaInputError("no correction factor", unit=code, field="factor")
        weights[code] = _checked(weight, code, "weight") * _checked(factors[code], code, "factor")
    label = name or (f"{key.name} corrected" if isinstance(key, Key) else "corrected key")
    return Key(label, MappingProxyType(weights))


def composite_key(
    indicators: Mapping[str, Mapping[str, float]],
    criterion_weights: Mapping[str, float],
    *,
    name: str = "composite",
) -> Key:
    """sum over criteria k of weight_k * indicator_k(unit) / sum over units of indicator_k.

    ``indicators`` maps a criterion name to its values per unit; every criterion must cover the
    same units and have a positive total. ``criterion_weights`` maps each criterion to a weight
    >= 0 (they need not sum to 1: scaling changes no apportionment). See
    :data:`EU_RELOCATION_2015_WEIGHTS` for the EU 2015 relocation key's 40/40/10/10.
    """
    if not criterion_weights:
        raise QuotaInputError("no criteria given", field="criterion")
    missing = [c for c in criterion_weights if c not in indicators]
    if missing:
        raise QuotaInputError("no indicator values", unit=missing[0], field="criterion")
    for criterion, weight in criterion_weights.items():
        _checked(weight, criterion, "criterion weight")
    if math.fsum(criterion_weights.values()) <= 0:
        raise QuotaInputError("criterion weights sum to zero", field="criterion weight")
    first = next(iter(criterion_weights))
    codes = list(indicators[first])
    result = dict.fromkeys(codes, 0.0)
    for criterion, weight in criterion_weights.items():
        values = indicators[criterion]
        if set(values) != set(codes):
            odd = sorted(set(values) ^ set(codes))[0]
            raise QuotaInputError(
                f"criterion '{criterion}' and '{first}' cover different units",
                unit=odd,
                field="indicator",
            )
        checked = {code: _checked(values[code], code, criterion) for code in codes}
        criterion_total = math.fsum(checked.values())
        if criterion_total <= 0:
            raise QuotaInputError("indicator total is zero", unit=criterion, field="indicator")
        for code in codes:
            result[code] += weight * checked[code] / criterion_total
    return Key(name, MappingProxyType(result))
