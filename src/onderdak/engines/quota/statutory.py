"""The statutory status-holder quota (taakstelling): Huisvestingswet 2014, art. 29 (BWBR0035303).

Art. 29(1): a municipality's taakstelling for a half-year is

    vg x iG / iN, rounded up to a whole number,

where vg is the expected national number of residence-permit holders (vergunninghouders) the
minister publishes for the half-year (art. 28), iG the population (aantal ingezetenen) of the
municipality and iN that of the Netherlands, both according to CBS on **1 January of the
calendar year before** the year the half-year belongs to (2024-H1 and 2024-H2 use 1 January
2023). Because every municipality is rounded up, the figures add up to more than vg (2024-H1:
18,750 gives 18,928). This is not an apportionment with a fixed total: Hamilton and the divisor
methods (:func:`onderdak.engines.quota.apportion`) stay for the Spreidingswet and what-if work.

Art. 30: after a municipal re-division (herindeling) the province (gedeputeerde staten) fixes
the population of the new municipality; the caller passes such a figure as the municipality's
population (an override with its source) and keeps iN the national CBS figure.

Art. 29(2): two or more municipalities may jointly change their taakstellingen as long as the
sum stays the same (no provincial limit): the legal basis of status-holder exchange.

The arithmetic is exact: ceil(vg x iG / iN) = -((-vg x iG) // iN) on Python integers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from types import MappingProxyType

from onderdak.engines.quota.ledger import HalfYear
from onderdak.engines.quota.model import QuotaInputError, as_whole_number


@dataclass(frozen=True, slots=True)
class StatutoryQuota:
    """The art. 29(1) figures for one half-year.

    ``populations`` are the iG used (overrides included), ``national_population`` iN,
    ``quotas`` the rounded-up figures in the order of ``populations``; ``total`` their sum
    (at least ``national``).
    """

    national: int
    national_population: int
    populations: Mapping[str, int]
    quotas: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.quotas.values())

    def exact(self, code: str) -> Fraction:
        """vg x iG / iN before rounding up, as an exact fraction."""
        return Fraction(self.national * self.populations[code], self.national_population)


def statutory_reference_date(period: HalfYear) -> date:
    """1 January of the year before the half-year's year (art. 29(1)): 2024-H2 -> 2023-01-01."""
    return date(period.year - 1, 1, 1)


def ceil_share(national: int, population: int, national_population: int) -> int:
    """ceil(national x population / national_population), exactly in integers."""
    return -((-national * population) // national_population)


def _whole(value: object, *, unit: str | None, field: str) -> int:
    number = as_whole_number(value)
    if number is None or number < 0:
        raise QuotaInputError(
            f"must be a whole number >= 0, not {value!r}", unit=unit, field=field, code="invalid"
        )
    return number


def statutory_quotas(
    national: int,
    populations: Mapping[str, int],
    *,
    national_population: int | None = None,
) -> StatutoryQuota:
    """Art. 29(1) Huisvestingswet 2014: ceil(vg x iG / iN) per municipality.

    ``national`` is vg, ``populations`` iG per municipality code (CBS, 1 January of the year
    before the half-year's year; see :func:`statutory_reference_date`), ``national_population`` iN
    (default: the sum of ``populations``, which for the shipped CBS column equals the national
    total). Raises :class:`QuotaInputError` for a negative or non-whole number, an empty
    population or an iN of zero.
    """
    vg = _whole(national, unit=None, field="national")
    checked = {
        code: _whole(count, unit=code, field="population") for code, count in populations.items()
    }
    if not checked:
        raise QuotaInputError("no municipalities", field="population", code="no_population")
    i_n = (
        sum(checked.values())
        if national_population is None
        else _whole(national_population, unit=None, field="national_population")
    )
    if i_n == 0:
        raise QuotaInputError(
            "the national population is zero", field="national_population", code="no_population"
        )
    quotas = {code: ceil_share(vg, count, i_n) for code, count in checked.items()}
    return StatutoryQuota(
        national=vg,
        national_population=i_n,
        populations=MappingProxyType(checked),
        quotas=MappingProxyType(quotas),
    )
