"""Deadlines of the civic integration of a status holder and their states.

Under the Wet inburgering 2021 (BWBR0044770) the municipality a person required to integrate
lives in (or, for a status holder, is linked to) takes a broad intake (brede intake, art. 14)
and draws up a personal plan for integration and participation (persoonlijk plan inburgering
en participatie, PIP, art. 15). The PIP is due 10 weeks after DUO's notice to the
municipality, or 10 weeks after the registration in the BRP when that comes later (Besluit
inburgering 2021, BWBR0045555, art. 5.3 as the published fact sheets cite it; see
``docs/engines/care.md`` for what could be verified): :func:`pip_due_date`. The person must
meet the integration obligation (art. 6) within the integration term (art. 11): three years
from the day after the date of the first PIP (:func:`integration_term_last_day`,
:func:`onderdak.engines.care.pipeline.integration_term_start`), which DUO may extend (Besluit
inburgering 2021, chapter 4). In the first six months of social assistance the municipality
pays rent, energy and health insurance from the benefit (financial relief, ontzorgen,
Participatiewet art. 56a). The periods are data (:class:`IntegrationNorms`), not code; their
defaults are the statutory ones.

Date arithmetic: weeks are 7 days; a month is a calendar month, clamped to the last day of
the target month when the day does not exist there (31 January + 1 month = 29 February in a
leap year, 28 February otherwise; 29 February 2024 + 12 months = 28 February 2025), the same
convention as ``dateutil.relativedelta``. Clamping does not carry over: 31 January + 1 month
+ 1 month is 29 March (2024), but 31 January + 2 months is 31 March.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from enum import StrEnum

from onderdak.engines.care.model import CareInputError
from onderdak.engines.care.pipeline import integration_term_start
from onderdak.engines.care.validate import calendar_date, flag, optional_date, whole

#: Days per month in a common year (January first).
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (negative: back), clamped to the month's end.

    Raises :class:`CareInputError` when the result falls outside years 1-9999.
    """
    if isinstance(months, bool) or not isinstance(months, int):
        raise CareInputError(f"must be a whole number, not {months!r}", kind="months")
    carry, month = divmod(day.month - 1 + months, 12)
    year = day.year + carry
    if not date.min.year <= year <= date.max.year:
        raise CareInputError(
            f"{day.isoformat()} plus {months} months is outside years 1-9999", kind="months"
        )
    last = 29 if month == 1 and calendar.isleap(year) else _MONTH_DAYS[month]
    return date(year, month + 1, min(day.day, last))


def add_weeks(day: date, weeks: int) -> date:
    """``day`` plus ``weeks`` x 7 days (negative: back)."""
    if isinstance(weeks, bool) or not isinstance(weeks, int):
        raise CareInputError(f"must be a whole number, not {weeks!r}", kind="weeks")
    try:
        return day + timedelta(weeks=weeks)
    except OverflowError:
        raise CareInputError(
            f"{day.isoformat()} plus {weeks} weeks is outside years 1-9999", kind="weeks"
        ) from None


def integration_term_last_day(
    start: date, *, term_months: int = 36, extension_months: int = 0
) -> date:
    """The last day of the integration term that starts on ``start`` (art. 11 Wet inburgering
    2021): the same calendar date ``term_months`` (three years) plus ``extension_months``
    (DUO's extensions, Besluit inburgering 2021 chapter 4) later, minus one day. A date that
    does not exist in the target month becomes that month's last day **before** the day is
    subtracted: start 16 May 2024 -> last day 15 May 2027; start 29 February 2024 -> 28
    February 2027 - 1 day = 27 February 2027.

    Raises :class:`CareInputError` for a negative ``extension_months``, ``term_months`` < 1 or
    a result outside years 1-9999.
    """
    calendar_date(start, "integration", None, "term_start")
    whole(term_months, "integration", None, "term_months", minimum=1)
    whole(extension_months, "integration", None, "term_extension_months")
    end = add_months(start, term_months + extension_months)
    if end == date.min:
        raise CareInputError(
            f"the day before {end.isoformat()} is outside years 1-9999", kind="months"
        )
    return end - timedelta(days=1)


def pip_due_date(*, notified_on: date, brp_registered_on: date | None, weeks: int) -> date:
    """When the PIP is due: ``weeks`` (10) after DUO's notice to the municipality
    (``notified_on``), or after the registration in the BRP when that is later (Besluit
    inburgering 2021 art. 5.3, per the published fact sheets)."""
    calendar_date(notified_on, "integration", None, "duo_notified_on")
    registered = optional_date(brp_registered_on, "integration", None, "brp_registered_on")
    start = max(notified_on, registered) if registered is not None else notified_on
    return add_weeks(start, weeks)


@dataclass(frozen=True, slots=True)
class IntegrationNorms:
    """The municipality's norms for the integration deadlines.

    ``broad_intake_weeks`` after the link to the municipality (the municipality's own norm);
    ``pip_weeks`` after DUO's notice or the BRP registration, whichever is later (10, Besluit
    inburgering 2021 art. 5.3); ``term_months`` the integration term (36, art. 11 Wet
    inburgering 2021); ``relief_months`` of financial relief (6, Participatiewet art. 56a); a
    deadline within ``due_soon_days`` from today is due soon. All whole numbers >= 0,
    ``term_months`` >= 1; checked on construction (:class:`CareInputError`).
    """

    broad_intake_weeks: int
    pip_weeks: int
    term_months: int
    relief_months: int
    due_soon_days: int

    def __post_init__(self) -> None:
        for item in fields(self):
            minimum = 1 if item.name == "term_months" else 0
            whole(getattr(self, item.name), "norms", None, item.name, minimum=minimum)


class DeadlineState(StrEnum):
    """State of a deadline on a day, from the person's and the municipality's view."""

    DONE = "done"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    OPEN = "open"
    NOT_APPLICABLE = "not_applicable"


#: :func:`worst_state` order: the state that most needs attention first. A step done late
#: stays visible as late (above "on schedule"): it is a fact the municipality answers for.
_URGENCY: dict[DeadlineState, int] = {
    DeadlineState.OVERDUE: 5,
    DeadlineState.DUE_SOON: 4,
    DeadlineState.DONE_LATE: 3,
    DeadlineState.OPEN: 2,
    DeadlineState.DONE: 1,
    DeadlineState.NOT_APPLICABLE: 0,
}


@dataclass(frozen=True, slots=True)
class IntegrationDates:
    """What is known about one person's integration.

    ``linked_on`` the date of the link to the municipality (koppeling; for a family migrant
    the day the municipality became responsible); ``duo_notified_on`` DUO's notice to the
    municipality (``None``: ``linked_on``) and ``brp_registered_on`` the registration in the
    BRP (``None``: not known); ``term_start`` a start of the integration term the
    municipality recorded itself (``None``: the rule of
    :func:`~onderdak.engines.care.pipeline.integration_term_start`) and
    ``term_extension_months`` the extensions granted; ``broad_intake_on``, ``pip_on`` (the
    date of the **first** PIP), ``completed_on`` when these took place (``None``: not yet);
    ``pip_revised_on`` the dates of revised or newly set PIPs (they never move the term);
    ``relief_start`` the start of financial relief (``None``: no relief); ``closed`` when the
    obligation no longer applies (exempted, moved away, stopped): open deadlines become not
    applicable.
    """

    linked_on: date
    term_start: date | None = None
    term_extension_months: int = 0
    broad_intake_on: date | None = None
    pip_on: date | None = None
    duo_notified_on: date | None = None
    brp_registered_on: date | None = None
    pip_revised_on: tuple[date, ...] = ()
    relief_start: date | None = None
    completed_on: date | None = None
    closed: bool = False


@dataclass(frozen=True, slots=True)
class Deadline:
    """One deadline: ``kind`` (``broad_intake``, ``pip``, ``term``, ``relief_end``), its
    ``due`` date, when it was met (``done_on``), its ``state`` today and ``days_left``
    (due - today in days, negative when past)."""

    kind: str
    due: date
    done_on: date | None
    state: DeadlineState
    days_left: int


def _check(dates: IntegrationDates) -> None:
    kind = "integration"
    linked = calendar_date(dates.linked_on, kind, None, "linked_on")
    optional_date(dates.term_start, kind, None, "term_start")
    optional_date(dates.relief_start, kind, None, "relief_start")
    optional_date(dates.duo_notified_on, kind, None, "duo_notified_on")
    optional_date(dates.brp_registered_on, kind, None, "brp_registered_on")
    if not isinstance(dates.pip_revised_on, tuple):
        raise CareInputError(
            f"must be a tuple of dates, not {dates.pip_revised_on!r}",
            kind=kind,
            field="pip_revised_on",
        )
    whole(dates.term_extension_months, kind, None, "term_extension_months")
    flag(dates.closed, kind, None, "closed")
    for name in ("broad_intake_on", "pip_on", "completed_on"):
        value = optional_date(getattr(dates, name), kind, None, name)
        if value is not None and value < linked:
            raise CareInputError(
                f"must not be before linked_on ({linked.isoformat()}), not {value.isoformat()}",
                kind=kind,
                field=name,
            )
    intake, pip = dates.broad_intake_on, dates.pip_on
    if intake is not None and pip is not None and pip < intake:
        raise CareInputError(
            f"must not be before broad_intake_on ({intake.isoformat()}), not {pip.isoformat()}",
            kind=kind,
            field="pip_on",
        )


def deadline_state(
    due: date, done_on: date | None, *, closed: bool, today: date, due_soon_days: int
) -> DeadlineState:
    """done_on set: DONE (on or before due) or DONE_LATE; else closed: NOT_APPLICABLE; else
    past due: OVERDUE; within ``due_soon_days``: DUE_SOON; else OPEN."""
    if done_on is not None:
        return DeadlineState.DONE if done_on <= due else DeadlineState.DONE_LATE
    if closed:
        return DeadlineState.NOT_APPLICABLE
    if today > due:
        return DeadlineState.OVERDUE
    if (due - today).days <= due_soon_days:
        return DeadlineState.DUE_SOON
    return DeadlineState.OPEN


def integration_deadlines(
    dates: IntegrationDates, norms: IntegrationNorms, *, today: date
) -> list[Deadline]:
    """The deadlines of one person's integration and their states on ``today``.

    In this order: ``broad_intake`` (``broad_intake_weeks`` after ``linked_on``), ``pip``
    (:func:`pip_due_date`: ``pip_weeks`` after DUO's notice, or after the BRP registration
    when later), ``term`` (its last day, :func:`integration_term_last_day`, from the start of
    :func:`~onderdak.engines.care.pipeline.integration_term_start`: the day after the first
    PIP, provisionally the day after the PIP's due date; met on ``completed_on``) and, only
    when ``relief_start`` is set,
    ``relief_end`` (``relief_months`` after ``relief_start``; it simply passes: done on its
    due date once today has reached it, never overdue). States: see :func:`deadline_state`.

    Raises :class:`CareInputError` when a date is before ``linked_on``, ``pip_on`` is before
    ``broad_intake_on`` or ``term_extension_months`` is negative.
    """
    _check(dates)
    today = calendar_date(today, "integration", None, "today")
    intake_due = add_weeks(dates.linked_on, norms.broad_intake_weeks)
    pip_due = pip_due_date(
        notified_on=dates.duo_notified_on or dates.linked_on,
        brp_registered_on=dates.brp_registered_on,
        weeks=norms.pip_weeks,
    )
    start = integration_term_start(
        pip_on=dates.pip_on,
        revisions=dates.pip_revised_on,
        given=dates.term_start,
        pip_due=pip_due,
    )
    assert start is not None  # pip_due is always known
    term_due = integration_term_last_day(
        start, term_months=norms.term_months, extension_months=dates.term_extension_months
    )
    items: list[tuple[str, date, date | None]] = [
        ("broad_intake", intake_due, dates.broad_intake_on),
        ("pip", pip_due, dates.pip_on),
        ("term", term_due, dates.completed_on),
    ]
    if dates.relief_start is not None:
        relief_due = add_months(dates.relief_start, norms.relief_months)
        items.append(("relief_end", relief_due, relief_due if today >= relief_due else None))
    return [
        Deadline(
            kind=kind,
            due=due,
            done_on=done_on,
            state=deadline_state(
                due,
                done_on,
                closed=dates.closed,
                today=today,
                due_soon_days=norms.due_soon_days,
            ),
            days_left=(due - today).days,
        )
        for kind, due, done_on in items
    ]


def worst_state(deadlines: Sequence[Deadline]) -> DeadlineState:
    """The state that most needs attention: OVERDUE > DUE_SOON > DONE_LATE > OPEN > DONE >
    NOT_APPLICABLE (``NOT_APPLICABLE`` for no deadlines)."""
    return max(
        (deadline.state for deadline in deadlines),
        key=_URGENCY.__getitem__,
        default=DeadlineState.NOT_APPLICABLE,
    )
