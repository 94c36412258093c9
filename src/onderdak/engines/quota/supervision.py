"""Where a municipality stands on its own province's supervision ladder (interventieladder).

The province supervises the status-holder quota under art. 124 Gemeentewet (interbestuurlijk
toezicht, Wet revitalisering generiek toezicht): when a municipality does not (fully) carry out
a task the law asks of it, Gedeputeerde Staten take it over on behalf of and at the cost of the
municipality (indeplaatsstelling), after giving it a term to still carry it out. Each province
states how it does this in a framework of its own, dated and published in the CVDR:

* Utrecht: *Aanvullend beleidskader interbestuurlijk toezicht huisvesting vergunninghouders
  provincie Utrecht 2024*, CVDR713805, in force from 16 January 2024;
* Flevoland: *Beleidsregel interbestuurlijk toezicht huisvesting vergunninghouders provincie
  Flevoland*, CVDR646591 (from 1 December 2020), replaced by CVDR719256 (from 2 May 2024);
* Zuid-Holland: *Aanvullend beleidskader huisvesting vergunninghouders*, CVDR641687 (adopted by
  Gedeputeerde Staten on 14 April 2020).

The ladder runs from signalling through consultation (bestuurlijk overleg) and a warning with a
deadline (aanschrijving) to taking over (indeplaatsstelling). Which rung a province has reached
for a municipality is the province's *decision*; what Onderdak can say from the figures alone is
whether the ledger's last half-year ended with a backlog (the province then signals it) and, where
a framework states a number of half-years for a rung, whether that number is reached. A trigger
the stored framework text does not state is kept as :attr:`TriggerKind.NOT_STATED`, never guessed.
The takeover need not wait for several half-years: in ECLI:NL:RVS:2018:2647 (8 August 2018,
Groningen v. Delfzijl) Gedeputeerde Staten took over after the backlog of a single half-year
(2016-H1).

Pure: the ladders come in as data (``onderdak.data.law`` reads the shipped CSV), the ledger from
:func:`onderdak.engines.quota.ledger.run_ledger`. The result carries a code and parameters that
the apps translate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from onderdak.engines.quota.ledger import HalfYear, Ledger
from onderdak.engines.quota.model import QuotaInputError


class TriggerKind(StrEnum):
    """What moves a municipality onto a rung, as the framework states it."""

    #: A backlog at the end of a half-year (1 January / 1 July); ``half_years`` consecutive
    #: half-years when the framework states a number, else any backlog.
    BACKLOG_AT_HALF_YEAR_END = "backlog_at_half_year_end"
    #: The deadline set in the previous rung passed without the task being carried out; the
    #: term is set case by case (``weeks`` only when the framework states it).
    AFTER_DEADLINE = "after_deadline"
    #: The stored framework text does not state what moves a municipality onto this rung.
    NOT_STATED = "not_stated"


@dataclass(frozen=True, slots=True)
class LadderStep:
    """One rung of a province's ladder."""

    order: int
    #: ``signalling``, ``consultation``, ``warning`` or ``takeover`` (the apps translate them)
    code: str
    #: the province's own name for the rung (Dutch, shown as published)
    label: str
    trigger: TriggerKind
    #: consecutive half-years ended behind, only where the source states a number
    half_years: int | None = None
    #: weeks, only where the source states a number
    weeks: int | None = None
    #: where the trigger is stated (article, paragraph); ``None``: not stated in the source
    trigger_source: str | None = None

    @property
    def figures_decide(self) -> bool:
        """Whether the ledger alone tells whether this rung's trigger is met."""
        return self.trigger is TriggerKind.BACKLOG_AT_HALF_YEAR_END

    def met_by(self, half_years_behind: int) -> bool:
        if not self.figures_decide or half_years_behind < 1:
            return False
        return self.half_years is None or half_years_behind >= self.half_years


@dataclass(frozen=True, slots=True)
class SupervisionLadder:
    """One province's framework, valid from ``valid_from`` up to and including ``valid_to``."""

    province_code: str
    province: str
    title: str
    #: the CVDR identifier, e.g. ``CVDR713805``
    source_id: str
    url: str
    valid_from: date
    valid_to: date | None
    steps: tuple[LadderStep, ...]

    def __post_init__(self) -> None:
        orders = [step.order for step in self.steps]
        if not self.steps or orders != sorted(set(orders)):
            raise QuotaInputError(
                "needs steps in strictly increasing order",
                unit=self.source_id,
                field="step_order",
            )
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise QuotaInputError(
                f"valid_to {self.valid_to} before valid_from {self.valid_from}",
                unit=self.source_id,
                field="valid_to",
            )

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def ladder_for(
    ladders: Iterable[SupervisionLadder], province_code: str, on: date
) -> SupervisionLadder | None:
    """The province's framework valid on ``on``, or ``None`` when none is known."""
    valid = [
        ladder
        for ladder in ladders
        if ladder.province_code == province_code and ladder.valid_on(on)
    ]
    if len(valid) > 1:
        raise QuotaInputError(
            f"{len(valid)} frameworks valid on {on.isoformat()}",
            unit=province_code,
            field="valid_from",
        )
    return valid[0] if valid else None


class SupervisionStatus(StrEnum):
    #: no framework of the province is known to Onderdak (the page says so)
    UNKNOWN_FRAMEWORK = "unknown_framework"
    #: no half-yearly ledger yet
    NO_LEDGER = "no_ledger"
    #: the last half-year ended without a backlog: not on the ladder on the figures
    NOT_BEHIND = "not_behind"
    #: behind, and the figures put the municipality on ``step`` (at least)
    ON_LADDER = "on_ladder"
    #: behind, but the framework's triggers are not in the source: no rung can be named
    BEHIND_UNPLACED = "behind_unplaced"


@dataclass(frozen=True, slots=True)
class SupervisionStanding:
    """Where a municipality stands on its province's ladder, on the figures."""

    status: SupervisionStatus
    province_code: str
    ladder: SupervisionLadder | None
    #: the highest rung whose trigger the figures meet (ON_LADDER only)
    step: LadderStep | None
    #: the rung after ``step``: reached only by the province's decision or a passed deadline
    next_step: LadderStep | None
    half_years_behind: int
    #: backlog (+) or surplus (-) after the last half-year
    backlog: int
    last_period: HalfYear | None

    @property
    def code(self) -> str:
        return self.status.value

    @property
    def params(self) -> Mapping[str, object]:
        """What the apps need to say it: step code, counts, the period and the source."""
        return {
            "province": self.province_code,
            "step": None if self.step is None else self.step.code,
            "next_step": None if self.next_step is None else self.next_step.code,
            "half_years_behind": self.half_years_behind,
            "backlog": self.backlog,
            "period": None if self.last_period is None else str(self.last_period),
            "source": None if self.ladder is None else self.ladder.source_id,
        }


def supervision_standing(
    ledger: Ledger | None, ladder: SupervisionLadder | None, *, province_code: str
) -> SupervisionStanding:
    """Place a municipality's ledger on its own province's ladder (``None``: unknown).

    The figures decide only the rungs whose trigger is a backlog at the end of a half-year; the
    next rung (consultation, a warning with a deadline, a takeover) is the province's decision and
    is returned as ``next_step``, not as reached. Never raises for a valid ledger.
    """
    lines = () if ledger is None else ledger.lines
    behind = ledger.half_years_behind if ledger is not None else 0
    backlog = ledger.closing_carry if ledger is not None else 0
    last = lines[-1].period if lines else None

    def standing(
        status: SupervisionStatus,
        step: LadderStep | None = None,
        next_step: LadderStep | None = None,
    ) -> SupervisionStanding:
        return SupervisionStanding(
            status, province_code, ladder, step, next_step, behind, backlog, last
        )

    if ladder is None:
        return standing(SupervisionStatus.UNKNOWN_FRAMEWORK)
    if ladder.province_code != province_code:
        raise QuotaInputError(
            f"the ladder is {ladder.province_code}'s", unit=province_code, field="province"
        )
    if not lines:
        return standing(SupervisionStatus.NO_LEDGER)
    if behind == 0:
        return standing(SupervisionStatus.NOT_BEHIND, next_step=ladder.steps[0])
    reached = [index for index, step in enumerate(ladder.steps) if step.met_by(behind)]
    if not reached:
        return standing(SupervisionStatus.BEHIND_UNPLACED, next_step=ladder.steps[0])
    index = reached[-1]
    following = ladder.steps[index + 1] if index + 1 < len(ladder.steps) else None
    return standing(SupervisionStatus.ON_LADDER, ladder.steps[index], following)
