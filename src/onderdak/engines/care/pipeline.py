"""When a household of the reception pipeline counts for care and support, and when a
person's integration term starts.

The rules the municipality plans with (``docs/engines/care.md``):

* a household that is placed is present now; a household still waiting for a home is the
  pipeline and counts from the first day of next month (the earliest it can move in), except
  for civic integration, which follows the link to the municipality (its ``waiting_since``,
  art. 14 Wet inburgering 2021: the broad intake follows the link, not the move);
* a household that left counts until the day it left (a departure without a date: not at all);
* expected family reunification (nareis) enlarges the household from the expected date (the
  persons are counted as adults, their ages are not known): the household is then one
  profile until that date and one, with the extra adults, from it;
* the integration term (art. 11 Wet inburgering 2021, BWBR0044770) starts on the day after
  the date of the **first** personal plan (PIP); a PIP that is revised or set again does not
  move it (art. 11(3)); while there is no PIP yet, provisionally the day after the PIP's due
  date; a start the municipality recorded itself (``given``) wins. One function,
  :func:`integration_term_start`, so a change of the rule is one change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from onderdak.engines.care.model import CareInputError, HouseholdProfile
from onderdak.engines.care.validate import calendar_date, optional_date


class Stage(StrEnum):
    """Where a household is in the reception pipeline."""

    WAITING = "waiting"
    PLACED = "placed"
    LEFT = "left"


@dataclass(frozen=True, slots=True)
class PipelineHousehold:
    """A household as the municipality records it, before the care rules apply.

    ``waiting_since`` is the day of the link to the municipality; ``left_on`` the day it left
    (only for ``Stage.LEFT``); ``reunification_persons`` expected to join on
    ``reunification_date`` (``None``: from the first day of next month).
    """

    code: str
    target_group: str
    stage: Stage
    adults: int
    minors_0_3: int = 0
    minors_4_11: int = 0
    minors_12_17: int = 0
    waiting_since: date | None = None
    left_on: date | None = None
    reunification_persons: int = 0
    reunification_date: date | None = None


def first_of_next_month(day: date) -> date:
    """The first day of the month after ``day``."""
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def pipeline_profiles(
    households: Iterable[PipelineHousehold], *, today: date
) -> list[HouseholdProfile]:
    """The reception population as the demand computation sees it (rules in the module
    docstring); the profile of a household's reunified form has the code ``<code>+nareis``."""
    profiles: list[HouseholdProfile] = []
    for household in households:
        try:
            stage = Stage(household.stage)
        except ValueError:
            raise CareInputError(
                f"unknown stage {household.stage!r}",
                kind="household",
                id=household.code,
                field="stage",
            ) from None
        if stage is Stage.LEFT and household.left_on is None:
            continue
        start = first_of_next_month(today) if stage is Stage.WAITING else None
        until = household.left_on if stage is Stage.LEFT else None
        if until is not None and start is not None and until <= start:
            continue
        extra = household.reunification_persons if stage is not Stage.LEFT else 0
        joins = household.reunification_date or first_of_next_month(today)
        if extra and start is not None and joins <= start:
            joins = start  # they arrive with the household
        linked = household.waiting_since if stage is Stage.WAITING else None
        periods: list[tuple[str, int, date | None, date | None, date | None]] = []
        if extra and (start is None or joins > start):
            periods.append((household.code, household.adults, start, joins, linked))
            periods.append(
                (f"{household.code}+nareis", household.adults + extra, joins, until, None)
            )
        else:
            periods.append((household.code, household.adults + extra, start, until, linked))
        for code, adults, present_from, present_until, link in periods:
            # a link on or after the period's end adds nothing to it
            usable = link is not None and (present_until is None or link < present_until)
            profiles.append(
                HouseholdProfile(
                    code=code,
                    target_group=household.target_group,
                    adults=adults,
                    minors_0_3=household.minors_0_3,
                    minors_4_11=household.minors_4_11,
                    minors_12_17=household.minors_12_17,
                    present_from=present_from,
                    present_until=present_until,
                    linked_from=link if usable else None,
                )
            )
    return profiles


def integration_term_start(
    *,
    pip_on: date | None,
    revisions: Iterable[date] = (),
    given: date | None = None,
    pip_due: date | None = None,
) -> date | None:
    """When the integration term starts (art. 11 Wet inburgering 2021, BWBR0044770).

    Art. 11(1)-(2): the term is three years and starts on the day after the date of the
    personal plan for integration and participation (PIP, art. 15); art. 11(3): a PIP that is
    revised or set again does not move the start. So:

    * ``given`` (a start the municipality recorded itself) when set;
    * else the day after ``pip_on``, the date of the **first** PIP. ``revisions`` (the dates
      of revised or newly set PIPs) are checked to be dates and then never move the start,
      also when one is dated before the first PIP;
    * else, while there is no PIP yet, provisionally the day after ``pip_due`` (the PIP's due
      date, :func:`onderdak.engines.care.deadlines.pip_due_date`);
    * else ``None`` (nothing known yet).

    Example (DOMAIN.md 4b): a PIP dated 15 May 2024 starts the term on 16 May 2024, with or
    without a revision on 1 September 2024. Raises :class:`CareInputError` for a value that
    is not a date or a PIP on 31 December 9999.
    """
    kind = "integration"
    for revised in revisions:
        calendar_date(revised, kind, None, "pip_revised_on")
    chosen = optional_date(given, kind, None, "term_start")
    if chosen is not None:
        return chosen
    first = optional_date(pip_on, kind, None, "pip_on")
    due = optional_date(pip_due, kind, None, "pip_due")
    base, field = (first, "pip_on") if first is not None else (due, "pip_due")
    if base is None:
        return None
    if base == date.max:
        raise CareInputError(
            f"the day after {base.isoformat()} is outside years 1-9999", kind=kind, field=field
        )
    return base + timedelta(days=1)
