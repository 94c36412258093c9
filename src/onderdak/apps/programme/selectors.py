"""Reads of the decision log, limited to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from onderdak.apps.accounts.selectors import (
    primary_organisation,
    scope,
    user_organisations,
    writable_organisations,
)
from onderdak.common.urls import reverse

from . import adapters
from .models import (
    Baseline,
    Decision,
    PlanLink,
    PlanTask,
    Programme,
    ProgrammeTrack,
    ReadinessCheck,
    RiskRun,
    Track,
)

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation
    from onderdak.engines.planning import PlanningInputError


def decision_list(*, user: Any) -> QuerySet[Decision]:
    return scope(Decision.objects.select_related("organisation"), user)


def decision_get(*, user: Any, pk: int) -> Decision:
    """Raises ``Decision.DoesNotExist`` for records the user may not see (no existence leak)."""
    return decision_list(user=user).get(pk=pk)


# --- progress per policy goal (quarterly letter, programme overview) ---------------------------


@dataclass(frozen=True)
class Signal:
    """The progress of one policy goal of a track with a traffic light ("green", "amber",
    "red", or "grey" when there is nothing to judge), a one-line summary and the page behind it."""

    track: str
    goal: str
    light: str
    summary: str
    url: str


def _worst(lights: list[str]) -> str:
    for light in ("red", "amber", "green"):
        if light in lights:
            return light
    return "grey"


def _quota_signals(organisation: Any, on: date) -> list[Signal]:
    from onderdak.apps.quotas.selectors import balances

    if organisation.municipality_id is None:
        return []
    result = []
    for balance in balances(municipality=organisation.municipality, today=on):
        if balance.pace is None:
            continue
        result.append(
            Signal(
                track=Track.OVERALL,
                goal=_("Quota %(group)s") % {"group": balance.label},
                light=balance.pace.light,
                summary=_("%(realised)s realised, %(expected)s expected by now")
                % {
                    "realised": balance.pace.realised,
                    "expected": round(balance.pace.expected),
                },
                url=reverse("quotas:overview"),
            )
        )
    return result


def _housing_signals(user: Any, organisation_id: int, on: date) -> list[Signal]:
    from onderdak.apps.housing.selectors import complex_list, occupied_units_on, warnings_for

    complexes = list(complex_list(user=user).filter(organisation_id=organisation_id))
    if not complexes:
        return []
    units, occupied = occupied_units_on(complexes=complexes, on=on)
    lights: list[str] = []
    warnings = 0
    for item in complexes:
        found = warnings_for(item, today=on)
        warnings += len(found)
        lights.extend(w.level for w in found)
    url = reverse("housing:complex_list")
    return [
        Signal(
            track=Track.FLEX_HOMES,
            goal=_("Occupancy of the flex homes"),
            light="green" if units and occupied / units >= 0.9 else "amber",
            summary=_("%(occupied)s of %(units)s units occupied")
            % {"occupied": occupied, "units": units},
            url=url,
        ),
        Signal(
            track=Track.FLEX_HOMES,
            goal=_("Permits and contracts"),
            light=_worst(lights) if lights else "green",
            summary=_("%(count)s warnings about permits or contracts") % {"count": warnings},
            url=url,
        ),
    ]


def _site_signals(user: Any, organisation_id: int) -> list[Signal]:
    from onderdak.apps.sites.selectors import site_list, stage_counts

    counts = stage_counts(sites=site_list(user=user).filter(organisation_id=organisation_id))
    active = {k: v for k, v in counts.items() if k not in ("closed", "rejected")}
    if not active:
        return [
            Signal(
                Track.TEMPORARY_HOUSING,
                str(_("Sites in the pipeline")),
                "grey",
                str(_("No sites in the pipeline")),
                reverse("sites:list"),
            )
        ]
    advanced = sum(active.get(k, 0) for k in ("decision", "realisation", "in_use"))
    return [
        Signal(
            track=Track.TEMPORARY_HOUSING,
            goal=_("Sites in the pipeline"),
            light="green" if advanced else "amber",
            summary=_("%(count)s sites in the pipeline, %(advanced)s decided or further")
            % {"count": sum(active.values()), "advanced": advanced},
            url=reverse("sites:list"),
        )
    ]


def _care_signals(user: Any, organisation: Any) -> list[Signal]:
    from onderdak.apps.care.selectors import gap_list

    gaps = list(gap_list(user=user, organisation=organisation))
    missing = sum(1 for g in gaps if g.status == "missing")
    temporary = len(gaps) - missing
    return [
        Signal(
            track=Track.CARE,
            goal=_("Care and support covered"),
            light="red" if missing else ("amber" if temporary else "green"),
            summary=_("%(missing)s services missing, %(temporary)s arranged temporarily")
            % {"missing": missing, "temporary": temporary},
            url=reverse("care:overview"),
        )
    ]


def track_signals(*, user: Any, organisation_id: int, on: date) -> list[Signal]:
    """Per track the progress of its policy goals, with traffic lights taken from the other
    modules through their selectors: quota pace (quotas), occupancy and permit/contract
    warnings (housing), sites per stage (sites), care gaps (care coverage). Empty when the
    user is not a member of the organisation."""
    organisation = user_organisations(user).filter(pk=organisation_id).first()
    if organisation is None:
        return []
    return [
        *_quota_signals(organisation, on),
        *_care_signals(user, organisation),
        *_housing_signals(user, organisation_id, on),
        *_site_signals(user, organisation_id),
    ]


# --- the programme plan -----------------------------------------------------------------------


def programme_list(*, user: Any) -> QuerySet[Programme]:
    """The programmes the user may read; the plan's records (tracks, tasks, links, baselines,
    risk runs, readiness checks) are visible with their programme."""
    return scope(Programme.objects.select_related("organisation"), user)


def programme_get(*, user: Any, pk: int) -> Programme:
    """Raises ``Programme.DoesNotExist`` for a programme the user may not see."""
    return programme_list(user=user).get(pk=pk)


def programme_for(*, user: Any, organisation_id: int) -> Programme | None:
    """The organisation's programme, when the user may see it."""
    return programme_list(user=user).filter(organisation_id=organisation_id).first()


def programme_shown(*, user: Any) -> Programme | None:
    """The programme the planning pages show: that of the user's primary organisation."""
    organisation = primary_organisation(user)
    if organisation is None:
        return None
    return programme_for(user=user, organisation_id=organisation.pk)


def organisation_to_start_programme(*, user: Any) -> Organisation | None:
    """The organisation whose programme the user may start: their primary organisation (the
    one the planning pages show), when it has none yet and the user may write for it."""
    organisation = primary_organisation(user)
    if organisation is None or programme_for(user=user, organisation_id=organisation.pk):
        return None
    if not writable_organisations(user).filter(pk=organisation.pk).exists():
        return None
    return organisation


def track_list(*, user: Any) -> QuerySet[ProgrammeTrack]:
    return ProgrammeTrack.objects.select_related("programme__organisation").filter(
        programme__in=programme_list(user=user)
    )


def task_list(*, user: Any) -> QuerySet[PlanTask]:
    return PlanTask.objects.select_related(
        "programme__organisation", "track", "site", "complex"
    ).filter(programme__in=programme_list(user=user))


def link_list(*, user: Any) -> QuerySet[PlanLink]:
    return PlanLink.objects.select_related(
        "programme__organisation", "predecessor__track", "successor__track"
    ).filter(programme__in=programme_list(user=user))


def baseline_list(*, user: Any) -> QuerySet[Baseline]:
    return Baseline.objects.select_related("programme__organisation", "created_by").filter(
        programme__in=programme_list(user=user)
    )


def risk_run_list(*, user: Any) -> QuerySet[RiskRun]:
    return RiskRun.objects.select_related("programme__organisation", "created_by").filter(
        programme__in=programme_list(user=user)
    )


def readiness_check_list(*, user: Any) -> QuerySet[ReadinessCheck]:
    return ReadinessCheck.objects.select_related("programme__organisation", "created_by").filter(
        programme__in=programme_list(user=user)
    )


def planning_error_message(error: PlanningInputError) -> str:
    """A planning engine error in the user's language, naming the tasks by their codes."""
    params = error.params
    if error.code == "cycle":
        cycle: Any = params.get("cycle") or ()
        return _(
            "These tasks depend on each other in a circle, so none of them can start: %(cycle)s."
        ) % {"cycle": " → ".join(str(code) for code in cycle)}
    if error.code == "invalid_estimate":
        return _(
            "Task %(task)s: give optimistic <= most likely <= pessimistic, or no estimate."
        ) % {"task": params.get("task", "")}
    if error.code in ("unknown_task", "unknown_milestone", "unknown_delivery"):
        return _("Task %(task)s is not in this plan.") % {"task": params.get("task", "")}
    if error.code == "duplicate_task":
        return _("The code %(task)s is used twice.") % {"task": params.get("task", "")}
    if error.code == "invalid_places":
        return _("A number of places must be a whole number of 0 or more.")
    return _("The plan cannot be computed: check the durations, estimates and dependencies.")


@dataclass(frozen=True)
class PlanRow:
    """One task of a scheduled plan, with dates (early and late) and its baseline."""

    task: PlanTask
    start: date
    finish: date
    late_start: date
    late_finish: date
    total_float: int
    free_float: int
    critical: bool
    baseline_start: date | None
    baseline_finish: date | None
    slip: int | None  # calendar days the finish moved against the baseline (+ later)
    late: bool  # should have started or finished by today and has not


@dataclass(frozen=True)
class PlanView:
    """A programme's plan (or one track's) after the critical path method: the rows in plan
    order, the links between them, the planned finish, the target and by how many days of the
    calendar it is met (positive) or missed (negative), and the critical paths as codes."""

    programme: Programme
    track: ProgrammeTrack | None
    rows: tuple[PlanRow, ...]
    links: tuple[PlanLink, ...]
    start: date
    finish: date | None
    target_date: date | None
    target_float: int | None
    critical_paths: tuple[tuple[str, ...], ...]
    baseline: Baseline | None
    today: date
    error: str = ""

    @property
    def critical_rows(self) -> list[PlanRow]:
        return [row for row in self.rows if row.critical]

    @property
    def late_rows(self) -> list[PlanRow]:
        return [row for row in self.rows if row.late]

    def next_milestones(self, count: int = 5) -> list[PlanRow]:
        return [
            row
            for row in self.rows
            if row.task.is_milestone and row.task.actual_finish is None and row.finish >= self.today
        ][:count]


def _late(task: PlanTask, start: date, finish: date, today: date) -> bool:
    if task.actual_finish is not None:
        return False
    if finish < today:
        return True
    return task.actual_start is None and start < today and task.duration > 0


def plan_view(
    *,
    programme: Programme,
    track: ProgrammeTrack | None = None,
    today: date,
    baseline: Baseline | None = None,
    target_date: date | None = None,
) -> PlanView:
    """The scheduled plan of ``programme`` (the caller got it through :func:`programme_get`),
    or of one ``track`` (its tasks and the links between them; the dates of tasks that wait on
    another track are the overall plan's, so a track's plan never looks earlier than it is).
    ``baseline`` defaults to the latest one. A plan that cannot be computed (a cycle) comes
    back without rows and with ``error`` worded for the user."""
    from onderdak.engines import planning
    from onderdak.engines.planning import PlanningInputError

    tasks = list(
        PlanTask.objects.filter(programme=programme)
        .select_related("track", "site", "complex")
        .order_by("position", "pk")
    )
    links = list(PlanLink.objects.filter(programme=programme).order_by("pk"))
    if baseline is None:
        baseline = Baseline.objects.filter(programme=programme).first()
    target = target_date or programme.target_date
    plan = adapters.engine_input(programme, tasks, links, target_date=target)
    empty = PlanView(
        programme, track, (), (), plan.dates.origin, None, target, None, (), baseline, today
    )
    if not tasks:
        return empty
    try:
        result = planning.schedule(plan.tasks, plan.links, deadline=plan.deadline)
    except PlanningInputError as error:
        return replace(empty, error=planning_error_message(error))
    dates = plan.dates
    shown = {t.pk for t in tasks if track is None or t.track_id == track.pk}
    frozen = baseline.tasks if baseline is not None else {}
    rows = []
    for task in tasks:
        if task.pk not in shown:
            continue
        s = result[task.code]
        start, finish = dates.start_date(s.es, task.duration), dates.finish_date(s.ef)
        kept = frozen.get(task.code)
        base_start = date.fromisoformat(kept["start"]) if kept else None
        base_finish = date.fromisoformat(kept["finish"]) if kept else None
        rows.append(
            PlanRow(
                task=task,
                start=start,
                finish=finish,
                late_start=dates.start_date(s.ls, task.duration),
                late_finish=dates.finish_date(s.lf),
                total_float=s.total_float,
                free_float=s.free_float,
                critical=s.critical,
                baseline_start=base_start,
                baseline_finish=base_finish,
                slip=(finish - base_finish).days if base_finish else None,
                late=_late(task, start, finish, today),
            )
        )
    finish_offset = max((result[t.code].ef for t in tasks if t.pk in shown), default=0)
    target_float = None if plan.deadline is None else plan.deadline - finish_offset
    return PlanView(
        programme=programme,
        track=track,
        rows=tuple(rows),
        links=tuple(
            link for link in links if link.predecessor_id in shown and link.successor_id in shown
        ),
        start=dates.origin,
        finish=dates.finish_date(finish_offset),
        target_date=target,
        target_float=target_float,
        critical_paths=tuple(
            path
            for path in result.critical_paths
            if track is None
            or any(code in {t.code for t in tasks if t.pk in shown} for code in path)
        ),
        baseline=baseline,
        today=today,
    )


# --- stored risk runs and readiness checks, for their pages --------------------------------

ONE_DAY = timedelta(days=1)
DATE_KEYS = ("p50", "p80", "p90", "target", "planned", "permit_end")


def dated(item: dict[str, Any]) -> dict[str, Any]:
    """A stored result row with its ISO dates as dates (for the template's date filter)."""
    return {
        key: date.fromisoformat(value) if key in DATE_KEYS and isinstance(value, str) else value
        for key, value in item.items()
    }


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    first: date
    last: date
    count: int


@dataclass(frozen=True)
class Mark:
    x: float
    label: str
    day: date


@dataclass(frozen=True)
class Histogram:
    """The finish dates of a risk run as bars (at most :data:`HISTOGRAM_BARS`), with the
    percentiles and the target as vertical lines: geometry for a server-side SVG."""

    width: int
    height: int
    bars: tuple[Bar, ...]
    marks: tuple[Mark, ...]
    first: date
    last: date
    top: int


HISTOGRAM_BARS = 40
HISTOGRAM_WIDTH, HISTOGRAM_HEIGHT, HISTOGRAM_MARGIN = 720, 220, 30


def finish_histogram(
    counts: list[list[Any]], *, marks: dict[str, str | None], target: str | None
) -> Histogram | None:
    """Bars of equal width in days over the finish dates in ``counts`` ([ISO date, runs])."""
    days = [(date.fromisoformat(day), int(count)) for day, count in counts]
    if not days:
        return None
    first, last = days[0][0], days[-1][0]
    points = [date.fromisoformat(d) for d in (*marks.values(), target) if d]
    first, last = min([first, *points]), max([last, *points])
    span = (last - first).days + 1
    per_bar = max(1, -(-span // HISTOGRAM_BARS))
    totals: dict[int, int] = {}
    for day, count in days:
        slot = (day - first).days // per_bar
        totals[slot] = totals.get(slot, 0) + count
    slots = -(-span // per_bar)
    plot = HISTOGRAM_WIDTH - 2 * HISTOGRAM_MARGIN
    step = plot / slots
    top = max(totals.values())
    high = HISTOGRAM_HEIGHT - 2 * HISTOGRAM_MARGIN

    def x_of(day: date) -> float:
        return HISTOGRAM_MARGIN + ((day - first).days + 0.5) / (slots * per_bar) * plot

    bars = tuple(
        Bar(
            x=round(HISTOGRAM_MARGIN + slot * step + 1, 1),
            y=round(HISTOGRAM_MARGIN + high - count / top * high, 1),
            width=round(max(1.0, step - 2), 1),
            height=round(count / top * high, 1),
            first=first + ONE_DAY * (slot * per_bar),
            last=min(last, first + ONE_DAY * (slot * per_bar + per_bar - 1)),
            count=count,
        )
        for slot, count in sorted(totals.items())
    )
    shown = [(label, value) for label, value in marks.items() if value]
    if target:
        shown.append((_("target"), target))
    return Histogram(
        width=HISTOGRAM_WIDTH,
        height=HISTOGRAM_HEIGHT,
        bars=bars,
        marks=tuple(
            Mark(
                x=round(x_of(date.fromisoformat(value)), 1),
                label=label,
                day=date.fromisoformat(value),
            )
            for label, value in shown
        ),
        first=first,
        last=last,
        top=top,
    )


@dataclass(frozen=True)
class ReadinessSummary:
    """A stored readiness check as its page shows it."""

    free: int
    free_units: int
    lost: int
    lost_units: int
    waiting: int
    waiting_households: int
    ending: list[dict[str, Any]]
    delivered: int  # places the plan's deliveries bring when all are on time
    expected: float
    probability: float
    reached: list[tuple[int, int, int]]  # (certainty, places reached, gap)
    deliveries: list[dict[str, Any]]
    accelerate: list[dict[str, Any]]
    met: bool  # reached with 80 percent certainty


def readiness_summary(check: ReadinessCheck) -> ReadinessSummary:
    inputs, result = check.inputs, check.result
    reached = result.get("reached", {})
    gap = result.get("gap", {})
    rows = [(int(p), int(reached[p]), int(gap.get(p, 0))) for p in sorted(reached, key=int)]
    deliveries = [dated(item) for item in result.get("deliveries", [])]
    return ReadinessSummary(
        free=int(inputs.get("free", 0)),
        free_units=int(inputs.get("free_units", 0)),
        lost=int(inputs.get("lost", 0)),
        lost_units=int(inputs.get("lost_units", 0)),
        waiting=int(inputs.get("waiting", 0)),
        waiting_households=int(inputs.get("waiting_households", 0)),
        ending=[dated(item) for item in inputs.get("ending", [])],
        delivered=sum(int(item.get("places", 0)) for item in deliveries),
        expected=float(result.get("expected", 0)),
        probability=float(result.get("probability", 0)),
        reached=rows,
        deliveries=deliveries,
        accelerate=list(result.get("accelerate", [])),
        met=any(p == 80 and missing == 0 for p, _places, missing in rows),
    )


def programme_by_calendar_token(token: str) -> Programme | None:
    """The programme whose milestone calendar has the secret key ``token`` (the key is the
    access: calendar apps fetch the feed without logging in)."""
    if len(token) < 32:
        return None
    return Programme.objects.filter(calendar_token=token).first()


def milestone_dates(*, user: Any, task_ids: set[int], today: date) -> dict[int, date]:
    """The planned dates (finish; the actual finish once reached) of the tasks ``task_ids``
    that ``user`` may see, for records of other apps tied to a milestone: one schedule per
    programme involved."""
    tasks = task_list(user=user).filter(pk__in=task_ids).select_related("programme")
    programmes = {task.programme_id: task.programme for task in tasks}
    dates: dict[int, date] = {}
    for programme in programmes.values():
        view = plan_view(programme=programme, today=today)
        for row in view.rows:
            if row.task.pk in task_ids:
                dates[row.task.pk] = row.task.actual_finish or row.finish
    return dates


def milestone_choices(*, user: Any) -> QuerySet[PlanTask]:
    """The milestones (tasks of 0 days) ``user`` may see, to tie another record to."""
    return (
        task_list(user=user)
        .filter(duration=0)
        .select_related("programme", "track")
        .order_by("programme_id", "position", "pk")
    )
