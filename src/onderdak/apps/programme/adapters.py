"""ORM <-> planning engine: a programme's tasks and links in as day offsets on its calendar,
dates out. No writes here.

Offsets count the programme's calendar days (working days with the Dutch public holidays, or
calendar days) from ``Programme.start_date``. A task with early start ``es`` and duration
``d > 0`` works on ``date_of(es)`` .. ``date_of(es + d - 1)``: its *start date* is the first
and its *finish date* the last of those days. A milestone (``d`` 0) at offset ``k`` is reached
at the end of the working day before (``date_of(k - 1)``; ``date_of(0)`` when ``k`` is 0), so
a milestone right after a task shows that task's finish date. The conversions:

* start no earlier than a date -> earliest start = offset of that date;
* finish no later than a date, and the target date -> latest finish = the working days up to
  and including that date;
* an actual start fixes the start (earliest start), an actual finish the duration (the working
  days from the actual start up to and including the actual finish); a finished task keeps no
  three-point estimate; a milestone's actual finish fixes its date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING

from .models import CalendarKind, PlanLink, PlanTask, Programme

if TYPE_CHECKING:
    from onderdak.engines import planning

ONE_DAY = timedelta(days=1)
#: Years of public holidays loaded around the programme's start.
HOLIDAY_YEARS_BEFORE, HOLIDAY_YEARS_AFTER = 1, 15


@cache
def _holidays(first_year: int, last_year: int) -> frozenset[date]:
    from onderdak.engines import planning

    return planning.dutch_holidays(range(first_year, last_year + 1))


def calendar_for(programme: Programme) -> planning.WorkCalendar:
    """The programme's calendar, starting at its start date."""
    from onderdak.engines import planning

    if programme.calendar == CalendarKind.CALENDAR_DAYS:
        return planning.WorkCalendar(
            frozenset(), workdays=frozenset(range(7)), start=programme.start_date
        )
    year = programme.start_date.year
    return planning.WorkCalendar(
        _holidays(year - HOLIDAY_YEARS_BEFORE, year + HOLIDAY_YEARS_AFTER),
        start=programme.start_date,
    )


@dataclass(frozen=True)
class Dates:
    """Offsets <-> dates on one calendar, with the conventions of this module."""

    calendar: planning.WorkCalendar

    @property
    def origin(self) -> date:
        start = self.calendar.start
        assert start is not None
        return self.calendar.next_workday(start)

    def start_offset(self, day: date) -> int:
        return self.calendar.offset_of(day)

    def finish_offset(self, day: date) -> int:
        """The offset just after ``day``: a finish on ``day`` at the latest."""
        return self.calendar.workdays_between(self.origin, day + ONE_DAY)

    def start_date(self, es: int, duration: int) -> date:
        return self.finish_date(es) if duration == 0 else self.calendar.date_of(es)

    def finish_date(self, ef: int) -> date:
        return self.calendar.date_of(ef - 1) if ef > 0 else self.calendar.date_of(0)


def engine_task(task: PlanTask, dates: Dates) -> planning.Task:
    """One task as the engine sees it (see the module docstring for the conversions)."""
    from onderdak.engines import planning

    duration = task.duration
    estimate: tuple[int | None, int | None, int | None] = (
        task.optimistic,
        task.most_likely,
        task.pessimistic,
    )
    earliest = (
        dates.start_offset(task.start_no_earlier_than) if task.start_no_earlier_than else None
    )
    if task.actual_start is not None:
        earliest = dates.start_offset(task.actual_start)
    if task.actual_finish is not None:
        estimate = (None, None, None)
        if duration == 0:
            earliest = dates.finish_offset(task.actual_finish)
        elif task.actual_start is not None:
            duration = max(
                0,
                dates.finish_offset(task.actual_finish) - dates.start_offset(task.actual_start),
            )
    latest = dates.finish_offset(task.finish_no_later_than) if task.finish_no_later_than else None
    return planning.Task(
        id=task.code,
        duration=duration,
        optimistic=estimate[0],
        most_likely=estimate[1],
        pessimistic=estimate[2],
        earliest_start=earliest,
        latest_finish=latest,
    )


def engine_link(link: PlanLink, codes: dict[int, str]) -> planning.Link:
    from onderdak.engines import planning

    return planning.Link(
        predecessor=codes[link.predecessor_id],
        successor=codes[link.successor_id],
        type=planning.LinkType(link.type),
        lag=link.lag,
    )


@dataclass(frozen=True)
class EngineInput:
    """A programme's plan in the engine's terms, and the calendar to turn offsets into dates."""

    tasks: tuple[planning.Task, ...]
    links: tuple[planning.Link, ...]
    dates: Dates
    deadline: int | None

    def as_json(self) -> dict[str, object]:
        """The plan as stored with a risk run or readiness check (what was computed from)."""
        return {
            "start": self.dates.origin.isoformat(),
            "deadline": self.deadline,
            "tasks": [
                {
                    "id": t.id,
                    "duration": t.duration,
                    "optimistic": t.optimistic,
                    "most_likely": t.most_likely,
                    "pessimistic": t.pessimistic,
                    "earliest_start": t.earliest_start,
                    "latest_finish": t.latest_finish,
                }
                for t in self.tasks
            ],
            "links": [
                {
                    "predecessor": k.predecessor,
                    "successor": k.successor,
                    "type": k.type,
                    "lag": k.lag,
                }
                for k in self.links
            ],
        }


def engine_input(
    programme: Programme,
    tasks: Sequence[PlanTask],
    links: Iterable[PlanLink],
    *,
    target_date: date | None = None,
) -> EngineInput:
    """The engine's input for ``tasks`` and the ``links`` between them (links to tasks not in
    ``tasks`` are left out: a track's own plan). ``target_date`` (default: the programme's)
    becomes the deadline."""
    dates = Dates(calendar_for(programme))
    codes = {task.pk: task.code for task in tasks}
    target = target_date or programme.target_date
    return EngineInput(
        tasks=tuple(engine_task(task, dates) for task in tasks),
        links=tuple(
            engine_link(link, codes)
            for link in links
            if link.predecessor_id in codes and link.successor_id in codes
        ),
        dates=dates,
        deadline=None if target is None else max(0, dates.finish_offset(target)),
    )
