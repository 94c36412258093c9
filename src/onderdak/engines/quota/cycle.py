"""The Spreidingswet cycle: the dates of a distribution round of asylum reception places.

Wet gemeentelijke taak mogelijk maken asielopvangvoorzieningen (the Spreidingswet, Stb. 2024,
12, in force 1 February 2024; Besluit gemeentelijke taak mogelijk maken
asielopvangvoorzieningen, Stb. 2024, 13). Every two years the minister estimates the places needed for the two following years
(capaciteitsraming, Besluit art. 1.1); per province the municipalities agree at the provincial
table (regietafel) under the Commissaris van de Koning which of them provide the places and
report **by 1 November**; the minister takes the distribution decision (verdeelbesluit) **by
31 December**; the municipalities then have **six months** from the decision to make the places
available; after **two years** the cycle starts again (DOMAIN.md section 3). The 2024 round:
1 November 2024, 31 December 2024, 30 June 2025; the next round is 2026.

The dates are data (:class:`CycleRules`, dated by ``valid_from``; ``onderdak.data.law`` reads the
shipped CSV) so that a change in the law is a new row, not a code change. Pure.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from onderdak.engines.quota.model import QuotaInputError


@dataclass(frozen=True, slots=True)
class CycleRules:
    """The cycle's deadlines as the law states them, valid from ``valid_from``."""

    valid_from: date
    #: (month, day) in the round's year by which the provinces report their proposals
    proposals_by: tuple[int, int]
    #: (month, day) in the round's year by which the minister decides
    decision_by: tuple[int, int]
    #: months after the decision within which the places are made available
    realise_within_months: int
    #: years between rounds
    period_years: int
    source: str

    def __post_init__(self) -> None:
        for field, (month, day) in (
            ("proposals_by", self.proposals_by),
            ("decision_by", self.decision_by),
        ):
            if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2023, month)[1]:
                raise QuotaInputError(f"not a day of the year: {month}-{day}", field=field)
        if self.realise_within_months < 0 or self.period_years < 1:
            raise QuotaInputError("months >= 0 and years >= 1", field="cycle")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; a day the target month lacks becomes its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class CycleDeadline:
    #: ``proposals``, ``decision`` or ``realisation`` (the apps translate them)
    code: str
    due: date
    round_year: int


@dataclass(frozen=True, slots=True)
class SpreidingswetCycle:
    round_year: int
    proposals_by: date
    decision_by: date
    realise_by: date
    next_round_year: int
    source: str

    @property
    def deadlines(self) -> tuple[CycleDeadline, ...]:
        return (
            CycleDeadline("proposals", self.proposals_by, self.round_year),
            CycleDeadline("decision", self.decision_by, self.round_year),
            CycleDeadline("realisation", self.realise_by, self.round_year),
        )


def rules_for(rules: Iterable[CycleRules], on: date) -> CycleRules:
    """The newest rules valid on ``on``; raises (code ``no_cycle_rules``) before the law."""
    valid = [each for each in rules if each.valid_from <= on]
    if not valid:
        raise QuotaInputError(
            f"no Spreidingswet cycle is known on {on.isoformat()}",
            field="round",
            code="no_cycle_rules",
        )
    return max(valid, key=lambda each: each.valid_from)


def spreidingswet_cycle(round_year: int, rules: Iterable[CycleRules]) -> SpreidingswetCycle:
    """The dates of the round of ``round_year`` (2024: 1 Nov 2024, 31 Dec 2024, 30 Jun 2025).

    The rules that count are those valid on the round's proposals date. The realisation date is
    the decision date plus the months (a decision taken earlier moves it earlier; this is the
    latest date).
    """
    rules = list(rules)
    chosen = rules_for(rules, date(round_year, 12, 31))
    proposals = date(round_year, *chosen.proposals_by)
    chosen = rules_for(rules, proposals)
    proposals = date(round_year, *chosen.proposals_by)
    decision = date(round_year, *chosen.decision_by)
    if decision < proposals:
        raise QuotaInputError("the decision date precedes the proposals date", field="cycle")
    return SpreidingswetCycle(
        round_year=round_year,
        proposals_by=proposals,
        decision_by=decision,
        realise_by=add_months(decision, chosen.realise_within_months),
        next_round_year=round_year + chosen.period_years,
        source=chosen.source,
    )


def next_deadline(round_year: int, on: date, rules: Iterable[CycleRules]) -> CycleDeadline:
    """The first deadline on or after ``on`` of this round or, once it has passed, a later one."""
    rules = list(rules)
    year = round_year
    while True:
        cycle = spreidingswet_cycle(year, rules)
        for deadline in cycle.deadlines:
            if deadline.due >= on:
                return deadline
        year = cycle.next_round_year
