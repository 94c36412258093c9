"""Carry-over ledger of the half-yearly status-holder quota (taakstelling huisvesting).

Huisvestingswet 2014, art. 28: per half-year (H1 = January-June, H2 = July-December) the
minister sets how many residence-permit holders each municipality houses. A backlog
(achterstand, positive) or surplus (voorsprong, negative) on 1 January / 1 July carries over:

    corrected quota   = new quota + carry-over
    carry-over (next) = corrected quota - realised

The new quota is the municipality's figure from the national number; when the national number
is lowered or raised during the half-year (2023-H2: 27,300 lowered to 17,600) the final figure
replaces the initial one. The expected pace is 1/6 of the corrected quota per month (expected
realised by the end of month m = corrected * m / 6). :attr:`Ledger.half_years_behind` counts the
consecutive half-years that ended with a backlog. The province supervises the quota under
art. 124 Gemeentewet (interbestuurlijk toezicht) with a framework of its own; where a
municipality stands on its province's ladder is :mod:`onderdak.engines.quota.supervision`'s
question, not a fixed number of half-years (in ECLI:NL:RVS:2018:2647, Groningen v. Delfzijl, the
province took over after a single half-year).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from onderdak.engines.quota.model import QuotaInputError, as_whole_number

MONTHS_PER_HALF_YEAR = 6


@dataclass(frozen=True, slots=True, order=True)
class HalfYear:
    """A quota period: ``half`` 1 is January-June, 2 is July-December."""

    year: int
    half: int

    def __post_init__(self) -> None:
        if self.half not in (1, 2):
            raise QuotaInputError(f"half must be 1 or 2, not {self.half!r}", field="period")

    @classmethod
    def parse(cls, text: str) -> HalfYear:
        """``"2024-H1"`` -> HalfYear(2024, 1)."""
        match = re.fullmatch(r"\s*(\d{4})-?[Hh]([12])\s*", text)
        if match is None:
            raise QuotaInputError(f"not a half-year like 2024-H1: {text!r}", field="period")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        """The last day of the half-year."""
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    def next(self) -> HalfYear:
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    def month_number(self, day: date) -> int:
        """1..6: which month of this half-year ``day`` falls in."""
        if not self.start <= day <= self.end:
            raise QuotaInputError(f"{day.isoformat()} is not in {self}", field="date")
        return day.month - self.start.month + 1


def expected_realised(corrected: int, month: int) -> Fraction:
    """Expected number housed by the end of month ``month`` (0..6): corrected * month / 6.

    Exact (a fraction of a person is a pace, not a count). A negative corrected quota (a
    surplus larger than the new quota) expects nothing.
    """
    if not 0 <= month <= MONTHS_PER_HALF_YEAR:
        raise QuotaInputError(f"must be 0..6, not {month}", field="month")
    return Fraction(max(corrected, 0) * month, MONTHS_PER_HALF_YEAR)


@dataclass(frozen=True, slots=True)
class PeriodQuota:
    """One half-year's input: the municipality's quota(s) and how many it housed."""

    period: HalfYear
    initial_quota: int
    realised: int
    #: The figure after the national number was changed during the half-year, if it was.
    final_quota: int | None = None

    @property
    def quota(self) -> int:
        return self.initial_quota if self.final_quota is None else self.final_quota


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One half-year of the ledger."""

    period: HalfYear
    initial_quota: int
    final_quota: int | None
    #: The new quota that counts: the final figure when there is one.
    quota: int
    #: Backlog (+) or surplus (-) brought in from the previous half-year.
    carry_in: int
    corrected: int
    realised: int
    #: Backlog (+) or surplus (-) carried to the next half-year: corrected - realised.
    carry_out: int
    #: Consecutive half-years ended behind (carry_out > 0) up to and including this one.
    behind_streak: int

    @property
    def behind(self) -> bool:
        return self.carry_out > 0

    def expected_by_month(self, month: int) -> Fraction:
        """Expected number housed by the end of month ``month`` of this half-year."""
        return expected_realised(self.corrected, month)

    def expected_on(self, day: date) -> Fraction:
        """Expected number housed by the end of the month that ``day`` falls in."""
        return expected_realised(self.corrected, self.period.month_number(day))


@dataclass(frozen=True, slots=True)
class Ledger:
    opening_carry: int
    lines: tuple[LedgerLine, ...]

    @property
    def closing_carry(self) -> int:
        """Backlog (+) or surplus (-) after the last half-year."""
        return self.lines[-1].carry_out if self.lines else self.opening_carry

    @property
    def half_years_behind(self) -> int:
        """How many consecutive half-years, counting back from the last, ended behind."""
        return self.lines[-1].behind_streak if self.lines else 0

    def line(self, period: HalfYear) -> LedgerLine:
        for line in self.lines:
            if line.period == period:
                return line
        raise KeyError(str(period))


def _count(value: object, period: HalfYear, field: str) -> int:
    number = as_whole_number(value)
    if number is None or number < 0:
        raise QuotaInputError(
            f"must be a whole number >= 0, not {value!r}", unit=str(period), field=field
        )
    return number


def run_ledger(periods: Sequence[PeriodQuota], *, opening_carry: int = 0) -> Ledger:
    """Carry backlog and surplus through consecutive half-years.

    ``periods`` must be consecutive half-years in order; ``opening_carry`` is the backlog (+)
    or surplus (-) at the start of the first. Raises :class:`QuotaInputError` otherwise.
    """
    if as_whole_number(opening_carry) is None:
        raise QuotaInputError(
            f"must be a whole number, not {opening_carry!r}", field="opening carry"
        )
    lines: list[LedgerLine] = []
    carry = opening_carry
    streak = 0
    for index, entry in enumerate(periods):
        if index and entry.period != periods[index - 1].period.next():
            raise QuotaInputError(
                f"expected {periods[index - 1].period.next()} after {periods[index - 1].period}",
                unit=str(entry.period),
                field="period",
            )
        initial = _count(entry.initial_quota, entry.period, "initial quota")
        final = (
            None
            if entry.final_quota is None
            else _count(entry.final_quota, entry.period, "final quota")
        )
        realised = _count(entry.realised, entry.period, "realised")
        quota = initial if final is None else final
        corrected = quota + carry
        carry_out = corrected - realised
        streak = streak + 1 if carry_out > 0 else 0
        lines.append(
            LedgerLine(
                period=entry.period,
                initial_quota=initial,
                final_quota=final,
                quota=quota,
                carry_in=carry,
                corrected=corrected,
                realised=realised,
                carry_out=carry_out,
                behind_streak=streak,
            )
        )
        carry = carry_out
    return Ledger(opening_carry=opening_carry, lines=tuple(lines))
