"""ORM <-> quota engine types. No writes here: services store what the engine returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from onderdak.apps.geo import selectors as geo_selectors

from .models import KeyKind, Level, Method, MunicipalQuota, PopulationOverride, QuotaRound

if TYPE_CHECKING:
    from onderdak.engines.quota import Apportionment, HalfYear, Ledger, StatutoryQuota


@dataclass(frozen=True)
class RoundComputation:
    """The engine's answer for a round, per municipality code.

    ``national`` holds weight, share and exact quota of the one-stage (national) apportionment;
    ``quotas`` the integer figures of the chosen route with the number that counts, and
    ``quotas_initial`` those with the initial number when it was changed later.
    ``two_stage_difference`` is the sum of absolute differences between the two routes.
    A statutory round (Huisvestingswet 2014 art. 29) has ``statutory`` instead of ``national``.
    """

    national: Apportionment | None
    quotas: dict[str, int]
    quotas_initial: dict[str, int] | None
    two_stage_difference: int | None
    statutory: StatutoryQuota | None = None

    @property
    def rows(self) -> list[tuple[str, float, float]]:
        """(code, weight, exact quota) per municipality, in the engine's order."""
        if self.statutory is not None:
            result = self.statutory
            return [
                (code, float(population), float(result.exact(code)))
                for code, population in result.populations.items()
            ]
        assert self.national is not None
        return [
            (code, float(self.national.weights[i]), float(self.national.exact[i]))
            for i, code in enumerate(self.national.codes)
        ]


@dataclass(frozen=True)
class StatutoryPopulation:
    """iG per municipality code on a reference date (art. 30 overrides applied), iN, and the
    codes whose figure the province fixed."""

    reference_date: date
    populations: dict[str, int]
    national_population: int
    overridden: frozenset[str]


def statutory_population(on: date) -> StatutoryPopulation:
    """The populations of art. 29(1) on ``on``: CBS per municipality, replaced by the
    province's figure where one is recorded (art. 30); iN is the CBS national total."""
    from onderdak.engines.quota import QuotaInputError

    populations = dict(
        geo_selectors.population_list()
        .filter(reference_date=on)
        .order_by("municipality__code")
        .values_list("municipality__code", "population")
    )
    if not populations:
        raise QuotaInputError(
            f"no population figures on {on.isoformat()}",
            field="population_date",
            code="no_population",
        )
    national_population = sum(populations.values())
    overrides = dict(
        PopulationOverride.objects.filter(reference_date=on).values_list(
            "municipality__code", "population"
        )
    )
    populations.update(overrides)
    return StatutoryPopulation(
        reference_date=on,
        populations=dict(sorted(populations.items())),
        national_population=national_population,
        overridden=frozenset(overrides),
    )


def statutory_date(round: QuotaRound) -> date:
    """The reference date art. 29(1) prescribes for a half-year round."""
    from onderdak.engines.quota import QuotaInputError, statutory_reference_date

    period = half_year_of(round)
    if period is None:
        raise QuotaInputError(
            "the statutory rule needs a half-year (1 January-30 June or 1 July-31 December)",
            field="period_start",
            code="statutory_needs_half_year",
        )
    return statutory_reference_date(period)


def _compute_statutory(round: QuotaRound, total: int) -> RoundComputation:
    from onderdak.engines.quota import statutory_quotas

    basis = statutory_population(statutory_date(round))
    result = statutory_quotas(
        total, basis.populations, national_population=basis.national_population
    )
    initial = None
    if round.national_total_final is not None and round.national_total_initial is not None:
        initial = dict(
            statutory_quotas(
                round.national_total_initial,
                basis.populations,
                national_population=basis.national_population,
            ).quotas
        )
    return RoundComputation(
        national=None,
        quotas=dict(result.quotas),
        quotas_initial=initial,
        two_stage_difference=None,
        statutory=result,
    )


def what_if(round: QuotaRound, method: str, on: date | None = None) -> dict[str, int]:
    """The round's number apportioned with a fixed total by ``method`` (Hamilton or a divisor
    method) over the populations of ``on`` (default: the statutory date): what-if only."""
    from onderdak.engines.quota import QuotaInputError, apportion

    total = round.national_total
    if total is None:
        raise QuotaInputError(
            "the round has no national number", field="national_total_initial", code="no_total"
        )
    basis = statutory_population(on or statutory_date(round))
    weights = {code: float(count) for code, count in basis.populations.items()}
    return apportion(weights, total, method=method).as_dict()


def _route(
    round: QuotaRound, weights: dict[str, float], provinces: dict[str, str], total: int
) -> tuple[Apportionment, dict[str, int], int | None]:
    from onderdak.engines.quota import apportion, apportion_in_two_stages

    if round.level == Level.PROVINCE:
        result = apportion_in_two_stages(weights, provinces, total, method=round.method)
        quotas = dict(zip(result.codes, result.quotas.tolist(), strict=True))
        return result.direct, quotas, int(abs(result.difference).sum())
    direct = apportion(weights, total, method=round.method)
    return direct, direct.as_dict(), None


def compute_round(round: QuotaRound) -> RoundComputation:
    """Apportion the round's national number(s) by population on its reference date; for a
    statutory round the figures of Huisvestingswet 2014 art. 29(1) instead."""
    from onderdak.engines.quota import QuotaInputError, corrected_key

    if round.method == Method.STATUTORY:
        total = round.national_total
        if total is None:
            raise QuotaInputError(
                "the round has no national number",
                field="national_total_initial",
                code="no_total",
            )
        return _compute_statutory(round, total)
    if round.population_date is None:
        raise QuotaInputError(
            "choose the population reference date first",
            field="population_date",
            code="no_population_date",
        )
    total = round.national_total
    if total is None:
        raise QuotaInputError(
            "the round has no national number", field="national_total_initial", code="no_total"
        )
    counts = (
        geo_selectors.population_list()
        .filter(reference_date=round.population_date)
        .select_related("municipality__province")
    )
    weights: dict[str, float] = {}
    provinces: dict[str, str] = {}
    for count in counts.order_by("municipality__code"):
        weights[count.municipality.code] = float(count.population)
        provinces[count.municipality.code] = count.municipality.province.code
    if not weights:
        raise QuotaInputError(
            f"no population figures on {round.population_date.isoformat()}",
            field="population_date",
            code="no_population",
        )
    if round.key == KeyKind.CORRECTED:
        factors = {
            code: float(factor)
            for code, factor in MunicipalQuota.objects.filter(
                round=round, factor__isnull=False
            ).values_list("municipality__code", "factor")
            if factor is not None
        }
        weights = dict(corrected_key(weights, factors).weights)
    national, quotas, difference = _route(round, weights, provinces, total)
    initial = None
    if round.national_total_final is not None and round.national_total_initial is not None:
        _, initial, _ = _route(round, weights, provinces, round.national_total_initial)
    return RoundComputation(
        national=national, quotas=quotas, quotas_initial=initial, two_stage_difference=difference
    )


def municipality_ids() -> dict[str, int]:
    return dict(geo_selectors.municipality_list().values_list("code", "pk"))


def half_year_of(round: QuotaRound) -> HalfYear | None:
    from onderdak.engines.quota import HalfYear

    pair = round.half_year
    return None if pair is None else HalfYear(*pair)


@dataclass(frozen=True)
class LedgerSegment:
    """A run of consecutive half-years; a gap (a half-year without a round) starts a new one."""

    ledger: Ledger
    quotas: tuple[MunicipalQuota, ...]


def ledger_segments(
    quotas: Sequence[MunicipalQuota],
    realised: dict[HalfYear, int],
    adjustments: dict[int, int] | None = None,
) -> list[LedgerSegment]:
    """Run the carry-over ledger over a municipality's half-yearly quotas, in order.

    The official opening backlog of a segment's first period is used when it is known, else 0.
    ``adjustments`` (round id -> places) from agreed exchanges change the final quota.
    """
    from onderdak.engines.quota import PeriodQuota, run_ledger

    adjustments = adjustments or {}
    segments: list[list[MunicipalQuota]] = []
    previous: HalfYear | None = None
    for quota in sorted(quotas, key=lambda q: q.round.period_start):
        period = half_year_of(quota.round)
        if period is None or quota.effective is None:
            continue
        if previous is None or period != previous.next() or quota.opening_carry is not None:
            segments.append([])
        segments[-1].append(quota)
        previous = period
    result: list[LedgerSegment] = []
    for segment in segments:
        periods = []
        for quota in segment:
            period = half_year_of(quota.round)
            assert period is not None
            assert quota.effective is not None
            initial = (
                quota.computed_initial if quota.computed_initial is not None else quota.effective
            )
            final = (
                quota.effective
                if quota.round.national_total_final is not None or quota.official is not None
                else None
            )
            change = adjustments.get(quota.round_id, 0)
            if change:
                final = (quota.effective if final is None else final) + change
            periods.append(
                PeriodQuota(
                    period=period,
                    initial_quota=initial,
                    final_quota=final,
                    realised=realised.get(period, 0),
                )
            )
        opening = segment[0].opening_carry or 0
        result.append(
            LedgerSegment(ledger=run_ledger(periods, opening_carry=opening), quotas=tuple(segment))
        )
    return result
