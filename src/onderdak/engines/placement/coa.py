"""COA's norms for housing a linked status holder: the two dates and where a household stands.

When COA links a status holder to a municipality (koppeling), the municipality has **10 weeks
to find a home** and then **2 weeks for the move** (COA's norms as published on coa.nl;
DOMAIN.md section 3). These are COA's working norms, not a statute: the legal duty is the
half-yearly quota (Huisvestingswet 2014 art. 28). The periods are data (:class:`CoaNorms`).

Date arithmetic: a week is 7 days, so the dates do not depend on month lengths: linked on
31 January 2024, a home must be found by 10 April 2024 (+70 days) and the move made by
24 April 2024 (+84 days). A deadline's own day still counts as in time; the day after it is
overdue.

A household that is placed is compared with the norm by the date its (first) placement starts,
the day it moves in: on or before the moving date is on time, after it late. A late placement
stays late: being housed does not make a missed norm met. The date a home was found is not
recorded separately, so a placement is measured against the moving date only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from onderdak.engines.placement.model import PlacementInputError

#: COA's norms (coa.nl): weeks after the link to find a home, then weeks for the move.
HOME_WEEKS = 10
MOVE_WEEKS = 2
#: Days before a deadline from which a waiting household is shown as due soon.
WARNING_DAYS = 14


class CoaState(StrEnum):
    """Where a household stands against COA's norms."""

    #: Waiting, the date a home must be found more than ``warning_days`` away.
    RUNNING = "running"
    #: Waiting, the date a home must be found within ``warning_days`` (today included).
    DUE_SOON = "due_soon"
    #: Waiting, the deadline of ``step`` has passed (``HOME``: no home 10 weeks after the link;
    #: ``MOVE``: not moved in 12 weeks after it).
    OVERDUE = "overdue"
    #: Placed (moved in) on or before the moving date.
    ON_TIME = "on_time"
    #: Placed (moved in) after the moving date.
    LATE = "late"


class CoaStep(StrEnum):
    """Which of the two deadlines a state is about."""

    HOME = "home"  # find a home (10 weeks)
    MOVE = "move"  # move in (2 more weeks)


@dataclass(frozen=True, slots=True)
class CoaNorms:
    """COA's periods in weeks and the warning window in days."""

    home_weeks: int = HOME_WEEKS
    move_weeks: int = MOVE_WEEKS
    warning_days: int = WARNING_DAYS

    def __post_init__(self) -> None:
        for name in ("home_weeks", "move_weeks", "warning_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise PlacementInputError(
                    f"must be a whole number >= 0, not {value!r}", kind="options", field=name
                )

    @property
    def home_days(self) -> int:
        """Days from the link to the date a home must be found."""
        return 7 * self.home_weeks

    @property
    def moved_days(self) -> int:
        """Days from the link to the date the household must have moved in."""
        return 7 * (self.home_weeks + self.move_weeks)


@dataclass(frozen=True, slots=True)
class CoaTerm:
    """One household's dates under COA's norms and its state on ``today``.

    ``days``: for ``RUNNING`` and ``DUE_SOON`` the days left until the deadline of ``step``
    (0: today is the last day); for ``OVERDUE`` the days since that deadline; for ``ON_TIME``
    the days the move-in came before the moving date; for ``LATE`` the days after it.
    """

    linked_on: date
    home_by: date
    moved_by: date
    placed_on: date | None
    state: CoaState
    step: CoaStep
    days: int

    @property
    def warning(self) -> bool:
        """Whether the household needs attention (due soon, overdue or placed late)."""
        return self.state in (CoaState.DUE_SOON, CoaState.OVERDUE, CoaState.LATE)


def coa_term(
    linked_on: date,
    *,
    today: date,
    placed_on: date | None = None,
    norms: CoaNorms | None = None,
) -> CoaTerm:
    """The dates by which a status holder linked on ``linked_on`` must have a home and have
    moved in (COA's 10 + 2 weeks, coa.nl; DOMAIN.md section 3) and the household's state on
    ``today``: waiting (running, due soon, overdue) or, with ``placed_on`` the start of its
    first placement, placed on time or late.

    Raises :class:`PlacementInputError` when a date is not a date or the dates fall outside
    years 1-9999.
    """
    norms = norms or CoaNorms()
    for name, value in (("linked_on", linked_on), ("today", today), ("placed_on", placed_on)):
        if value is None and name == "placed_on":
            continue
        if not isinstance(value, date):
            raise PlacementInputError(
                f"must be a date, not {value!r}", kind="household", field=name
            )
    try:
        home_by = linked_on + timedelta(days=norms.home_days)
        moved_by = linked_on + timedelta(days=norms.moved_days)
    except OverflowError:
        raise PlacementInputError(
            f"{linked_on.isoformat()} plus {norms.moved_days} days is outside years 1-9999",
            kind="household",
            field="linked_on",
        ) from None
    if placed_on is not None:
        late = (placed_on - moved_by).days
        state = CoaState.LATE if late > 0 else CoaState.ON_TIME
        step, days = CoaStep.MOVE, abs(late)
    elif today > home_by:
        # overdue: first on finding a home, after the moving date on the move
        step, deadline = (CoaStep.MOVE, moved_by) if today > moved_by else (CoaStep.HOME, home_by)
        state, days = CoaState.OVERDUE, (today - deadline).days
    else:
        step, days = CoaStep.HOME, (home_by - today).days
        state = CoaState.DUE_SOON if days <= norms.warning_days else CoaState.RUNNING
    return CoaTerm(linked_on, home_by, moved_by, placed_on, state, step, days)
