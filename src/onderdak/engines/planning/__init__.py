"""Planning engine: the critical path method, schedule risk and a working-day calendar.

The programme planning of a municipal reception programme (issue 14): tasks and milestones of
the tracks, linked finish-to-start, start-to-start, finish-to-finish and start-to-finish with
lags. Pure computation (no Django, no I/O, no clock):

* :func:`schedule`: early and late dates, total and free float, the critical tasks and
  critical paths (:class:`Schedule`, :class:`TaskSchedule`) against the plan's own finish or
  a deadline (negative float: by how much it is missed);
* :func:`simulate`: Monte Carlo over three-point estimates (triangular or PERT, seeded): P50,
  P80, P90 of the finish of the project and of milestones, the probability of meeting the
  target, the criticality index of every task (:class:`RiskResult`, :class:`FinishRisk`);
* :func:`readiness`: the places a pipeline of deliveries gives by a day, with the
  probability of reaching a required number, the gap and the tasks to accelerate
  (:class:`ReadinessResult`);
* :class:`WorkCalendar` and :func:`dutch_holidays`: day offsets <-> working days.

Invalid input raises :class:`PlanningInputError` with a ``code`` and ``params``. The rules and
the decisions are in ``docs/engines/planning.md``.
"""

from onderdak.engines.planning.calendar import MON_FRI, WorkCalendar, dutch_holidays
from onderdak.engines.planning.cpm import schedule
from onderdak.engines.planning.model import (
    MAX_CRITICAL_PATHS,
    FinishRisk,
    Link,
    LinkType,
    PlanningInputError,
    RiskResult,
    Schedule,
    Task,
    TaskSchedule,
)
from onderdak.engines.planning.readiness import (
    CERTAINTIES,
    Delivery,
    DeliveryOutlook,
    ReadinessResult,
    readiness,
)
from onderdak.engines.planning.risk import simulate

__all__ = [
    "CERTAINTIES",
    "MAX_CRITICAL_PATHS",
    "MON_FRI",
    "Delivery",
    "DeliveryOutlook",
    "FinishRisk",
    "Link",
    "LinkType",
    "PlanningInputError",
    "ReadinessResult",
    "RiskResult",
    "Schedule",
    "Task",
    "TaskSchedule",
    "WorkCalendar",
    "dutch_holidays",
    "readiness",
    "schedule",
    "simulate",
]
