"""Reads for quotas: rounds, tables, and the balance and pace per municipality.

Quota figures are public (they derive from published national numbers). Realisation entries
follow the access rules of ``accounts.selectors``; the *totals* per municipality (the balance)
are shown to the municipality itself and to its partners in a shared region, as provinces
publish them anyway.

How realised counts are read: in *persons* (status holders) the entries dated inside the period
count; in *places* (reception places) the stock realised up to the end of the period counts.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onderdak.apps.accounts.selectors import access_for, scope, user_organisations
from onderdak.apps.geo import selectors as geo_selectors
from onderdak.common.vocabulary import TargetGroup

from . import adapters
from .models import Adjustment, MunicipalQuota, QuotaRound, Realisation, Unit

if TYPE_CHECKING:
    from onderdak.apps.geo.models import Municipality, Region
    from onderdak.engines.quota import (
        CycleDeadline,
        HalfYear,
        LadderStep,
        Ledger,
        LedgerLine,
        SpreidingswetCycle,
        SupervisionLadder,
        SupervisionStanding,
    )

#: ``geo.RegionType.USER_DEFINED``: regions that municipalities form themselves (Duo+).
USER_DEFINED = "user_defined"


def round_list() -> QuerySet[QuotaRound]:
    return QuotaRound.objects.all()


def round_get(*, pk: int) -> QuotaRound:
    return QuotaRound.objects.get(pk=pk)


def rounds_with_figures() -> QuerySet[QuotaRound]:
    """Rounds with figures per municipality (computed or an official table), newest first."""
    with_official = QuotaRound.objects.filter(quotas__official__isnull=False)
    return (
        (QuotaRound.objects.exclude(computed_at=None) | with_official)
        .distinct()
        .order_by("-period_start")
    )


def round_quotas(*, round: QuotaRound) -> QuerySet[MunicipalQuota]:
    return round.quotas.select_related("municipality__province")


def round_adjustments(*, round: QuotaRound) -> QuerySet[Adjustment]:
    """The agreed exchanges that change obligations in ``round``."""
    return round.adjustments.select_related("municipality").order_by("municipality__name")


def realisation_list(*, user: Any) -> QuerySet[Realisation]:
    return scope(Realisation.objects.select_related("organisation"), user)


def realisation_get(*, user: Any, pk: int) -> Realisation:
    return realisation_list(user=user).get(pk=pk)


#: The reference housing writes when it places a household: ``plaatsing <placement id>``.
PLACEMENT_REFERENCE = re.compile(r"^plaatsing (\d+)\b")


def placement_of(realisation: Realisation) -> int | None:
    """The id of the placement a realisation was recorded for, if it was."""
    match = PLACEMENT_REFERENCE.match(realisation.reference)
    return int(match.group(1)) if match else None


class PeriodState:
    """Where a balance's round stands against today."""

    CURRENT = "current"
    ENDED = "ended"
    UPCOMING = "upcoming"


@dataclass(frozen=True)
class Pace:
    """How far the realisation is from the expected pace on ``on``."""

    on: date
    expected: Fraction
    realised: int
    light: str  # "green" | "amber" | "red"

    @property
    def ratio(self) -> float | None:
        return None if self.expected == 0 else float(self.realised / self.expected)


@dataclass(frozen=True)
class GroupBalance:
    target_group: str
    round: QuotaRound
    quota: MunicipalQuota | None
    obligation: int | None
    carry_in: int
    corrected: int | None
    realised: int
    pace: Pace | None
    behind_streak: int
    #: agreed exchanges that changed the obligation in this round (see the agreements)
    adjustments: tuple[Adjustment, ...] = ()
    #: the round's period against today: current, ended (no later round yet) or upcoming
    period: str = "current"

    @property
    def adjustment(self) -> int:
        return sum(a.places for a in self.adjustments)

    @property
    def label(self) -> str:
        return str(TargetGroup(self.target_group).label)

    @property
    def remaining(self) -> int | None:
        return None if self.corrected is None else self.corrected - self.realised


def _light(expected: Fraction, realised: int) -> str:
    if expected <= 0 or realised >= expected:
        return "green"
    if realised >= expected * Fraction(str(settings.QUOTA_PACE_AMBER_RATIO)):
        return "amber"
    return "red"


@dataclass(frozen=True)
class _Facts:
    """Everything the balances of some municipalities are computed from, read at once (five
    queries, whatever the number of municipalities)."""

    rounds_by_group: dict[str, list[QuotaRound]]
    quotas: dict[int, list[MunicipalQuota]]
    realisations: dict[tuple[int, str], list[tuple[date, int]]]
    adjustments: dict[int, list[Adjustment]]

    @classmethod
    def read(cls, municipality_ids: list[int]) -> _Facts:
        rounds_by_group: dict[str, list[QuotaRound]] = defaultdict(list)
        rounds = {}
        for each in QuotaRound.objects.order_by("period_start", "pk"):
            rounds_by_group[each.target_group].append(each)
            rounds[each.pk] = each
        quotas: dict[int, list[MunicipalQuota]] = defaultdict(list)
        for quota in MunicipalQuota.objects.filter(municipality_id__in=municipality_ids):
            quota.round = rounds[quota.round_id]
            quotas[quota.municipality_id].append(quota)
        realisations: dict[tuple[int, str], list[tuple[date, int]]] = defaultdict(list)
        for municipality_id, group, day, amount in Realisation.objects.filter(
            organisation__municipality_id__in=municipality_ids
        ).values_list("organisation__municipality_id", "target_group", "date", "amount"):
            realisations[(municipality_id, group)].append((day, amount))
        adjustments: dict[int, list[Adjustment]] = defaultdict(list)
        for adjustment in Adjustment.objects.filter(municipality_id__in=municipality_ids):
            adjustment.round = rounds[adjustment.round_id]
            adjustments[adjustment.municipality_id].append(adjustment)
        return cls(dict(rounds_by_group), dict(quotas), dict(realisations), dict(adjustments))

    def realised(self, municipality_id: int, group: str, start: date | None, end: date) -> int:
        return sum(
            amount
            for day, amount in self.realisations.get((municipality_id, group), ())
            if day <= end and (start is None or day >= start)
        )

    def by_half_year(self, municipality_id: int, group: str) -> dict[HalfYear, int]:
        from onderdak.engines.quota import HalfYear

        totals: dict[HalfYear, int] = defaultdict(int)
        for day, amount in self.realisations.get((municipality_id, group), ()):
            totals[HalfYear(day.year, 1 if day.month <= 6 else 2)] += amount
        return totals

    def adjustment_totals(self, municipality_id: int) -> dict[int, int]:
        totals: dict[int, int] = defaultdict(int)
        for adjustment in self.adjustments.get(municipality_id, ()):
            totals[adjustment.round_id] += adjustment.places
        return dict(totals)

    def ledger(self, municipality_id: int, group: str) -> list[adapters.LedgerSegment]:
        quotas = [q for q in self.quotas.get(municipality_id, ()) if q.round.target_group == group]
        return adapters.ledger_segments(
            sorted(quotas, key=lambda q: q.round.period_start),
            self.by_half_year(municipality_id, group),
            self.adjustment_totals(municipality_id),
        )


def ledger(
    *, municipality: Municipality, target_group: str = TargetGroup.STATUS_HOLDER
) -> list[adapters.LedgerSegment]:
    """The carry-over ledger over all half-yearly rounds of the target group."""
    return _Facts.read([municipality.pk]).ledger(municipality.pk, target_group)


def adjustment_totals(*, municipality: Municipality) -> dict[int, int]:
    """round id -> places taken over (+) or handed off (-) through agreed exchanges."""
    totals: dict[int, int] = defaultdict(int)
    for round_id, places in Adjustment.objects.filter(municipality=municipality).values_list(
        "round_id", "places"
    ):
        totals[round_id] += places
    return dict(totals)


def adjustments_of(*, municipality: Municipality) -> QuerySet[Adjustment]:
    return Adjustment.objects.filter(municipality=municipality).select_related("round")


def _current_round(rounds: list[QuotaRound], today: date) -> QuotaRound | None:
    current = [r for r in rounds if r.period_start <= today <= r.period_end]
    if current:
        return current[-1]
    past = [r for r in rounds if r.period_end < today]
    return past[-1] if past else (rounds[0] if rounds else None)


def balances(*, municipality: Municipality, today: date | None = None) -> list[GroupBalance]:
    """Per target group with a round: obligation, carry-over, realised and pace on ``today``."""
    today = today or timezone.localdate()
    return _balances(_Facts.read([municipality.pk]), municipality.pk, today)


def _balances(facts: _Facts, municipality_id: int, today: date) -> list[GroupBalance]:
    from onderdak.engines.quota import expected_realised

    quotas = {q.round_id: q for q in facts.quotas.get(municipality_id, ())}
    lines_by_round: dict[int, LedgerLine] = {}
    for segment in facts.ledger(municipality_id, TargetGroup.STATUS_HOLDER):
        for segment_quota, segment_line in zip(segment.quotas, segment.ledger.lines, strict=True):
            lines_by_round[segment_quota.round_id] = segment_line
    changes: dict[int, list[Adjustment]] = defaultdict(list)
    for change in facts.adjustments.get(municipality_id, ()):
        changes[change.round_id].append(change)
    result: list[GroupBalance] = []
    for target_group in TargetGroup.values:
        round = _current_round(facts.rounds_by_group.get(target_group, []), today)
        if round is None:
            continue
        quota = quotas.get(round.pk)
        adjustments = tuple(changes.get(round.pk, ()))
        obligation = quota.effective if quota else None
        if obligation is not None:
            obligation += sum(a.places for a in adjustments)
        line = lines_by_round.get(round.pk)
        pace_day = min(today, round.period_end)
        period = _period_state(round, today)
        if line is not None:
            half = adapters.half_year_of(round)
            assert half is not None
            # expected by the end of the last completed month (1/6 of the corrected quota a month)
            if today > round.period_end:
                months = 6
            elif today < round.period_start:
                months = 0
            else:
                months = half.month_number(today) - 1
            realised = line.realised
            expected = expected_realised(line.corrected, months)
            result.append(
                GroupBalance(
                    target_group,
                    round,
                    quota,
                    obligation,
                    line.carry_in,
                    line.corrected,
                    realised,
                    Pace(pace_day, expected, realised, _light(expected, realised)),
                    line.behind_streak,
                    adjustments,
                    period,
                )
            )
            continue
        start = round.period_start if round.unit == Unit.PERSONS else None
        realised = facts.realised(municipality_id, target_group, start, pace_day)
        pace = None
        if obligation is not None:
            duration = (round.period_end - round.period_start).days
            elapsed = max(0, min(duration, (pace_day - round.period_start).days))
            expected = (
                Fraction(obligation * elapsed, duration) if duration else Fraction(obligation)
            )
            pace = Pace(pace_day, expected, realised, _light(expected, realised))
        result.append(
            GroupBalance(
                target_group,
                round,
                quota,
                obligation,
                0,
                obligation,
                realised,
                pace,
                0,
                adjustments,
                period,
            )
        )
    return result


def _period_state(round: QuotaRound, today: date) -> str:
    if today > round.period_end:
        return PeriodState.ENDED
    if today < round.period_start:
        return PeriodState.UPCOMING
    return PeriodState.CURRENT


def partner_regions(*, user: Any) -> QuerySet[Region]:
    """Regions whose members' balances the user may compare: user-defined regions of their
    municipalities, and the regions their regional bodies coordinate."""
    access = access_for(user)
    organisations = list(user_organisations(user))
    municipalities = [o.municipality_id for o in organisations if o.municipality_id is not None]
    coordinated = {o.region_id for o in organisations if o.region_id is not None}
    regions = geo_selectors.region_list()
    user_defined = Q(region_type=USER_DEFINED)
    if access.superuser:
        return regions.filter(user_defined | Q(pk__in=coordinated))
    return regions.filter(
        (user_defined & Q(memberships__municipality_id__in=municipalities)) | Q(pk__in=coordinated)
    ).distinct()


def region_balances(
    *, region: Region, today: date | None = None
) -> list[tuple[Municipality, list[GroupBalance]]]:
    """The balances of every member, computed once from facts read once (a fixed number of
    queries, whatever the number of members)."""
    today = today or timezone.localdate()
    members = list(
        geo_selectors.municipality_list().filter(region_memberships__region=region).order_by("name")
    )
    facts = _Facts.read([m.pk for m in members])
    return [(m, _balances(facts, m.pk, today)) for m in members]


@dataclass(frozen=True)
class RegionTable:
    """The members of a region side by side: one column per target group with a round."""

    labels: list[str]
    rows: list[tuple[Municipality, list[GroupBalance | None]]]


def region_table(*, region: Region, today: date | None = None) -> RegionTable:
    """:func:`region_balances` as a table (the quota page and the regional dashboard)."""
    rows = region_balances(region=region, today=today)
    groups: list[str] = []
    labels: list[str] = []
    for _municipality, member_balances in rows:
        for balance in member_balances:
            if balance.target_group not in groups:
                groups.append(balance.target_group)
                labels.append(balance.label)
    table = [
        (m, [next((b for b in member_balances if b.target_group == g), None) for g in groups])
        for m, member_balances in rows
    ]
    return RegionTable(labels, table)


def visible_balance_municipalities(*, user: Any) -> QuerySet[Municipality]:
    """Municipalities whose balance the user may see: their own and their partner regions'."""
    municipalities = geo_selectors.municipality_list()
    if access_for(user).superuser:
        return municipalities
    own = [o.municipality_id for o in user_organisations(user) if o.municipality_id is not None]
    regions = list(partner_regions(user=user).values_list("pk", flat=True))
    return municipalities.filter(
        Q(pk__in=own) | Q(region_memberships__region__in=regions)
    ).distinct()


def figures(
    *, round_ids: Iterable[int], municipality_ids: Iterable[int]
) -> dict[tuple[int, int], int | None]:
    """(round id, municipality id) -> the figure of the round: official, else computed (without
    agreed exchanges); ``None`` (or no key) when the round has no figure for it. One query."""
    return {
        (q.round_id, q.municipality_id): q.effective
        for q in MunicipalQuota.objects.filter(
            round_id__in=list(round_ids), municipality_id__in=list(municipality_ids)
        ).only("round_id", "municipality_id", "official", "computed")
    }


def obligations(
    *, round_ids: Iterable[int], municipality_ids: Iterable[int]
) -> dict[tuple[int, int], int | None]:
    """(round id, municipality id) -> the obligation that counts now: the round's figure plus
    the agreed exchanges; ``None`` when the round has no figure for it. Two queries."""
    round_ids, municipality_ids = list(round_ids), list(municipality_ids)
    known = figures(round_ids=round_ids, municipality_ids=municipality_ids)
    result = {(r, m): known.get((r, m)) for r in round_ids for m in municipality_ids}
    for round_id, municipality_id, places in Adjustment.objects.filter(
        round_id__in=round_ids, municipality_id__in=municipality_ids
    ).values_list("round_id", "municipality_id", "places"):
        value = result.get((round_id, municipality_id))
        if value is not None:
            result[(round_id, municipality_id)] = value + places
    return result


#: The rungs of the supervision ladder by code (engines/quota/supervision.py).
STEP_NAMES = {
    "signalling": _("Signalling"),
    "consultation": _("Consultation (bestuurlijk overleg)"),
    "warning": _("Warning with a deadline"),
    "takeover": _("Taking over at the municipality's cost (indeplaatsstelling)"),
}


@dataclass(frozen=True)
class SupervisionRung:
    """One rung of the province's ladder as the quota page shows it."""

    step: LadderStep
    #: the rung the figures put the municipality on
    current: bool
    #: the rung after it: the province's decision
    next: bool

    @property
    def name(self) -> str:
        return str(STEP_NAMES.get(self.step.code, self.step.code))

    @property
    def trigger(self) -> str:
        """What leads to this rung, as the framework states it (or that it does not)."""
        from onderdak.engines.quota import TriggerKind

        step = self.step
        if step.trigger is TriggerKind.BACKLOG_AT_HALF_YEAR_END:
            if step.half_years is None:
                return str(
                    _(
                        "a backlog at the end of a half-year (1 January or 1 July); the "
                        "framework states no number of half-years"
                    )
                )
            return str(
                _("a backlog at the end of %(count)s half-years in a row")
                % {"count": step.half_years}
            )
        if step.trigger is TriggerKind.AFTER_DEADLINE:
            if step.weeks is None:
                return str(
                    _(
                        "the deadline the province set has passed without the task being done "
                        "(art. 124 Gemeentewet); its length is set case by case"
                    )
                )
            return str(
                _("a deadline of %(weeks)s weeks has passed without the task being done")
                % {"weeks": step.weeks}
            )
        return str(_("not stated in the source: the province decides"))


@dataclass(frozen=True)
class SupervisionView:
    """Where the municipality stands on its own province's ladder (the quota page)."""

    province: str
    standing: SupervisionStanding
    rungs: tuple[SupervisionRung, ...]
    #: provinces whose framework Onderdak ships (named when the own one is unknown)
    known_provinces: tuple[str, ...]

    @property
    def ladder(self) -> SupervisionLadder | None:
        return self.standing.ladder

    @property
    def code(self) -> str:
        return self.standing.code

    @property
    def current(self) -> SupervisionRung | None:
        return next((rung for rung in self.rungs if rung.current), None)

    @property
    def following(self) -> SupervisionRung | None:
        return next((rung for rung in self.rungs if rung.next), None)


def _ended(ledger: Ledger, today: date) -> Ledger:
    """The ledger up to the last half-year that has ended on ``today`` (the province looks at a
    backlog on 1 January and 1 July, not during a half-year)."""
    from onderdak.engines.quota import Ledger

    return Ledger(
        opening_carry=ledger.opening_carry,
        lines=tuple(line for line in ledger.lines if line.period.end < today),
    )


def supervision(
    *,
    municipality: Municipality,
    today: date | None = None,
    segments: list[adapters.LedgerSegment] | None = None,
) -> SupervisionView:
    """The municipality on its own province's ladder, on the figures of the ended half-years.

    The ladders are the shipped dated data (``onderdak/data/law``); a province without one is
    ``unknown_framework``. ``segments``: the status-holder ledger when the caller has read it
    already (:func:`ledger`). Public figures only (the balance), no personal data.
    """
    from onderdak.data.law import supervision_ladders
    from onderdak.engines.quota import SupervisionStatus, ladder_for, supervision_standing

    today = today or timezone.localdate()
    province = municipality.province
    ladders = supervision_ladders()
    ladder = ladder_for(ladders, province.code, today)
    if segments is None:
        segments = ledger(municipality=municipality)
    last = _ended(segments[-1].ledger, today) if segments else None
    standing = supervision_standing(last, ladder, province_code=province.code)
    rungs = tuple(
        SupervisionRung(
            step,
            current=standing.step == step,
            next=standing.next_step == step and standing.status is SupervisionStatus.ON_LADDER,
        )
        for step in (ladder.steps if ladder else ())
    )
    known = tuple(sorted({each.province for each in ladders if each.valid_on(today)}))
    return SupervisionView(province.name, standing, rungs, known)


#: The Spreidingswet cycle's deadlines by code (engines/quota/cycle.py).
DEADLINE_NAMES = {
    "proposals": _("the provinces' proposals (provincial table)"),
    "decision": _("the minister's distribution decision"),
    "realisation": _("places available (six months after the decision)"),
}

#: Target groups distributed under the Spreidingswet.
SPREIDINGSWET_GROUPS = (TargetGroup.ASYLUM_SEEKER, TargetGroup.UAM)


@dataclass(frozen=True)
class CycleView:
    cycle: SpreidingswetCycle
    next: CycleDeadline

    @property
    def next_name(self) -> str:
        return str(DEADLINE_NAMES[self.next.code])


def round_cycle(*, round: QuotaRound, today: date | None = None) -> CycleView | None:
    """The Spreidingswet cycle of an asylum round (its year: the year its period starts) and the
    next deadline on ``today``; ``None`` for other rounds and rounds before the law."""
    from onderdak.data.law import cycle_rules
    from onderdak.engines.quota import QuotaInputError, next_deadline, spreidingswet_cycle

    if round.target_group not in SPREIDINGSWET_GROUPS:
        return None
    today = today or timezone.localdate()
    rules = cycle_rules()
    try:
        cycle = spreidingswet_cycle(round.period_start.year, rules)
    except QuotaInputError:
        return None
    return CycleView(cycle, next_deadline(cycle.round_year, today, rules))


@dataclass(frozen=True)
class StatutoryComparison:
    """One status-holder half-year of one municipality: the statutory figure (Huisvestingswet
    2014 art. 29(1)) beside a what-if apportionment of the same national number with a fixed
    total. ``None`` where the population of the statutory reference date is not known."""

    round: QuotaRound
    reference_date: date | None
    population: int | None
    overridden: bool
    statutory: int | None
    what_if: int | None
    official: int | None
    family: FamilyReunificationSetting | None = None

    @property
    def difference(self) -> int | None:
        """Statutory minus what-if."""
        if self.statutory is None or self.what_if is None:
            return None
        return self.statutory - self.what_if


def statutory_comparison(
    *, municipality: Municipality, method: str = "hamilton"
) -> list[StatutoryComparison]:
    """Per status-holder half-year round: the statutory figure beside ``method``'s
    apportionment (what-if), over the same populations (art. 30 overrides included)."""
    from onderdak.engines.quota import (
        QuotaInputError,
        apportion,
        ceil_share,
        statutory_reference_date,
    )

    rows: list[StatutoryComparison] = []
    family = family_reunification_settings()
    bases: dict[date, adapters.StatutoryPopulation | None] = {}
    officials = dict(
        MunicipalQuota.objects.filter(
            municipality=municipality, round__target_group=TargetGroup.STATUS_HOLDER
        ).values_list("round_id", "official")
    )
    rounds = QuotaRound.objects.filter(target_group=TargetGroup.STATUS_HOLDER).order_by(
        "period_start"
    )
    for round in rounds:
        period = adapters.half_year_of(round)
        total = round.national_total
        if period is None or total is None:
            continue
        on = statutory_reference_date(period)
        if on not in bases:
            try:
                bases[on] = adapters.statutory_population(on)
            except QuotaInputError:
                bases[on] = None
        basis = bases[on]
        if basis is None or municipality.code not in basis.populations:
            rows.append(
                StatutoryComparison(
                    round,
                    None,
                    None,
                    False,
                    None,
                    None,
                    officials.get(round.pk),
                    family_reunification_on(round.period_start, family),
                )
            )
            continue
        population = basis.populations[municipality.code]
        weights = {code: float(count) for code, count in basis.populations.items()}
        what_if = apportion(weights, total, method=method).as_dict()[municipality.code]
        rows.append(
            StatutoryComparison(
                round=round,
                reference_date=on,
                population=population,
                overridden=municipality.code in basis.overridden,
                statutory=ceil_share(total, population, basis.national_population),
                what_if=what_if,
                official=officials.get(round.pk),
                family=family_reunification_on(round.period_start, family),
            )
        )
    return rows


@dataclass(frozen=True)
class FamilyReunificationSetting:
    """Whether later-arriving family (nareizigers) count towards the taakstelling from
    ``valid_from``: set by the half-year circular, not by the statute (``data/quota``)."""

    valid_from: date
    counts: bool
    source: str
    source_url: str
    verified: bool


NAREIZIGERS_FILE = Path(__file__).resolve().parents[2] / "data" / "quota" / "nareizigers.csv"


def family_reunification_settings(
    path: Path = NAREIZIGERS_FILE,
) -> list[FamilyReunificationSetting]:
    """The dated settings of ``data/quota/nareizigers.csv``, oldest first."""
    with path.open(encoding="utf-8", newline="") as handle:
        settings_ = [
            FamilyReunificationSetting(
                valid_from=date.fromisoformat(row["valid_from"]),
                counts=row["counts"].strip().lower() == "ja",
                source=row["source"].strip(),
                source_url=row["source_url"].strip(),
                verified=row["verified"].strip().lower() == "ja",
            )
            for row in csv.DictReader(handle)
        ]
    return sorted(settings_, key=lambda s: s.valid_from)


def family_reunification_on(
    on: date, settings_: list[FamilyReunificationSetting] | None = None
) -> FamilyReunificationSetting | None:
    """The setting that applies on ``on`` (``None`` before the first one)."""
    applicable = [s for s in (settings_ or family_reunification_settings()) if s.valid_from <= on]
    return applicable[-1] if applicable else None
