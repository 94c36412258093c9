"""Writes of the programme (decision log and plan); every change is validated, audited and
atomic, and a change to the plan that makes it impossible to schedule rolls back."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from onderdak.apps.accounts.selectors import (
    require_change,
    require_create_in,
)
from onderdak.apps.audit.services import (
    audited_create,
    audited_delete,
    audited_update,
    require_editable,
)
from onderdak.common.imports import (
    ImportRejected,
    MissingSheet,
    RowError,
    parse_date,
    parse_whole_number,
    row_errors,
)

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
from .selectors import plan_view, planning_error_message

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation
    from onderdak.engines import planning
    from onderdak.engines.planning import PlanningInputError

EDITABLE_FIELDS = ("decided_on", "body", "track", "title", "summary", "reference", "shared")


@transaction.atomic
def decision_create(
    *,
    actor: Any,
    organisation: Organisation,
    decided_on: date,
    body: str,
    title: str,
    track: str = "overall",
    summary: str = "",
    reference: str = "",
    shared: bool = False,
) -> Decision:
    require_create_in(actor, organisation)
    decision = Decision(
        organisation=organisation,
        decided_on=decided_on,
        body=body,
        title=title,
        track=track,
        summary=summary,
        reference=reference,
        shared=shared,
    )
    audited_create(actor=actor, instance=decision)
    return decision


@transaction.atomic
def decision_update(*, actor: Any, decision: Decision, **changes: Any) -> Decision:
    require_change(actor, decision)
    audited_update(actor=actor, instance=decision, changes=changes, allowed=EDITABLE_FIELDS)
    return decision


@transaction.atomic
def decision_delete(*, actor: Any, decision: Decision) -> None:
    require_change(actor, decision)
    audited_delete(actor=actor, instance=decision)


# --- the programme plan -----------------------------------------------------------------------

PROGRAMME_FIELDS = (
    "name",
    "project_alderman",
    "start_date",
    "target_date",
    "target_label",
    "calendar",
    "shared",
)
TRACK_FIELDS = ("goal", "alderman", "lead", "status")
TASK_FIELDS = (
    "track",
    "code",
    "name",
    "duration",
    "optimistic",
    "most_likely",
    "pessimistic",
    "owner",
    "percent_complete",
    "actual_start",
    "actual_finish",
    "start_no_earlier_than",
    "finish_no_later_than",
    "site",
    "complex",
    "units",
    "target_groups",
    "notes",
    "position",
)
LINK_FIELDS = ("predecessor", "successor", "type", "lag")


def check_plan(programme: Programme) -> None:
    """Raise ``ValidationError`` (worded for the user) when the programme's plan as stored
    cannot be scheduled, for example because a change made a cycle. Services call it after a
    write, inside their transaction, so a refused change rolls back."""
    from onderdak.engines import planning
    from onderdak.engines.planning import PlanningInputError

    tasks = list(PlanTask.objects.filter(programme=programme).order_by("position", "pk"))
    links = list(PlanLink.objects.filter(programme=programme))
    plan = adapters.engine_input(programme, tasks, links)
    try:
        planning.schedule(plan.tasks, plan.links)
    except PlanningInputError as error:
        raise ValidationError(planning_error_message(error)) from error


@transaction.atomic
def programme_create(
    *, actor: Any, organisation: Organisation, name: str, start_date: date, **values: Any
) -> Programme:
    """A programme for ``organisation`` with the four tracks (overall and the three of the
    letter), each without goal or lead yet."""
    require_create_in(actor, organisation)
    require_editable(values, PROGRAMME_FIELDS)
    programme = Programme(organisation=organisation, name=name, start_date=start_date, **values)
    audited_create(actor=actor, instance=programme)
    for kind in Track.values:
        audited_create(actor=actor, instance=ProgrammeTrack(programme=programme, kind=kind))
    return programme


@transaction.atomic
def programme_update(*, actor: Any, programme: Programme, **changes: Any) -> Programme:
    require_change(actor, programme)
    audited_update(actor=actor, instance=programme, changes=changes, allowed=PROGRAMME_FIELDS)
    return programme


@transaction.atomic
def track_update(*, actor: Any, track: ProgrammeTrack, **changes: Any) -> ProgrammeTrack:
    require_change(actor, track.programme)
    audited_update(actor=actor, instance=track, changes=changes, allowed=TRACK_FIELDS)
    return track


@transaction.atomic
def task_create(*, actor: Any, programme: Programme, **values: Any) -> PlanTask:
    require_change(actor, programme)
    require_editable(values, TASK_FIELDS)
    if "position" not in values:
        last = PlanTask.objects.filter(programme=programme).order_by("-position").first()
        values["position"] = (last.position + 1) if last else 1
    task = PlanTask(programme=programme, **values)
    audited_create(actor=actor, instance=task)
    return task


@transaction.atomic
def task_update(*, actor: Any, task: PlanTask, **changes: Any) -> PlanTask:
    require_change(actor, task.programme)
    audited_update(actor=actor, instance=task, changes=changes, allowed=TASK_FIELDS)
    check_plan(task.programme)
    return task


@transaction.atomic
def task_delete(*, actor: Any, task: PlanTask) -> None:
    """Delete a task and its links (the confirmation page shows them first)."""
    require_change(actor, task.programme)
    audited_delete(actor=actor, instance=task)


@transaction.atomic
def link_create(*, actor: Any, programme: Programme, **values: Any) -> PlanLink:
    """A dependency; refused (``ValidationError``) when it would close a cycle."""
    require_change(actor, programme)
    require_editable(values, LINK_FIELDS)
    link = PlanLink(programme=programme, **values)
    audited_create(actor=actor, instance=link)
    check_plan(programme)
    return link


@transaction.atomic
def link_update(*, actor: Any, link: PlanLink, **changes: Any) -> PlanLink:
    require_change(actor, link.programme)
    audited_update(actor=actor, instance=link, changes=changes, allowed=LINK_FIELDS)
    check_plan(link.programme)
    return link


@transaction.atomic
def link_delete(*, actor: Any, link: PlanLink) -> None:
    require_change(actor, link.programme)
    audited_delete(actor=actor, instance=link)


@transaction.atomic
def baseline_save(
    *, actor: Any, programme: Programme, name: str, adopted_on: date, today: date
) -> Baseline:
    """Freeze the plan as it is scheduled now: every task's start and finish date."""
    require_change(actor, programme)
    view = plan_view(programme=programme, today=today, baseline=None)
    if view.error:
        raise ValidationError(view.error)
    if not view.rows or view.finish is None:
        raise ValidationError(_("The plan has no tasks yet: there is nothing to save."))
    baseline = Baseline(
        programme=programme,
        name=name,
        adopted_on=adopted_on,
        created_by=actor if getattr(actor, "pk", None) else None,
        finish=view.finish,
        tasks={
            row.task.code: {
                "name": row.task.name,
                "start": row.start.isoformat(),
                "finish": row.finish.isoformat(),
            }
            for row in view.rows
        },
    )
    audited_create(actor=actor, instance=baseline)
    return baseline


@transaction.atomic
def baseline_delete(*, actor: Any, baseline: Baseline) -> None:
    require_change(actor, baseline.programme)
    audited_delete(actor=actor, instance=baseline)


# --- schedule risk and directive readiness -------------------------------------------------


def _analysis_input(
    programme: Programme, target_date: date | None
) -> tuple[list[PlanTask], adapters.EngineInput]:
    tasks = list(
        PlanTask.objects.filter(programme=programme)
        .select_related("track")
        .order_by("position", "pk")
    )
    if not tasks:
        raise ValidationError(_("The plan has no tasks yet: there is nothing to simulate."))
    links = list(PlanLink.objects.filter(programme=programme).order_by("pk"))
    return tasks, adapters.engine_input(programme, tasks, links, target_date=target_date)


def _engine_refusal(error: PlanningInputError) -> ValidationError:
    return ValidationError(planning_error_message(error))


@transaction.atomic
def risk_run_create(
    *,
    actor: Any,
    programme: Programme,
    runs: int,
    seed: int,
    distribution: str,
    target_date: date | None,
    today: date,
) -> RiskRun:
    """Simulate the plan ``runs`` times (Monte Carlo over the three-point estimates) and store
    the run with the plan it simulated: the finish of the programme and of every milestone at
    P50, P80 and P90 as dates, the chance of meeting the target date (the programme's when
    none is given) and the criticality index of every task."""
    from onderdak.engines import planning
    from onderdak.engines.planning import PlanningInputError

    require_change(actor, programme)
    target = target_date or programme.target_date
    run = RiskRun(
        programme=programme,
        created_by=actor if getattr(actor, "pk", None) else None,
        runs=runs,
        seed=seed,
        distribution=distribution,
        target_date=target,
    )
    run.full_clean(exclude=["inputs", "result"])
    tasks, plan = _analysis_input(programme, target)
    milestones = [task for task in tasks if task.duration == 0]
    try:
        result = planning.simulate(
            plan.tasks,
            plan.links,
            runs=runs,
            seed=seed,
            distribution=distribution,  # type: ignore[arg-type]
            deadline=plan.deadline,
            milestones=[task.code for task in milestones],
        )
        planned = planning.schedule(plan.tasks, plan.links)
    except PlanningInputError as error:
        raise _engine_refusal(error) from error
    day = plan.dates.finish_date
    names = {task.code: task for task in tasks}

    def outlook(risk: planning.FinishRisk) -> dict[str, Any]:
        return {
            "p50": day(risk.p50).isoformat(),
            "p80": day(risk.p80).isoformat(),
            "p90": day(risk.p90).isoformat(),
            "target": None if risk.target is None else day(risk.target).isoformat(),
            "probability": risk.probability,
            "planned": day(
                planned.early_finish if risk.id is None else planned[risk.id].ef
            ).isoformat(),
        }

    run.inputs = {**plan.as_json(), "today": today.isoformat()}
    run.result = {
        "finish": outlook(result.finish),
        "histogram": [[day(ef).isoformat(), count] for ef, count in result.finish.counts],
        "milestones": [
            {
                "code": risk.id,
                "name": names[str(risk.id)].name,
                "track": names[str(risk.id)].track.get_kind_display(),
                **outlook(risk),
            }
            for risk in result.milestones
        ],
        "criticality": [
            {"code": code, "name": names[code].name, "index": index}
            for code, index in sorted(result.criticality.items(), key=lambda item: -item[1])
            if index > 0
        ],
    }
    audited_create(actor=actor, instance=run)
    return run


@transaction.atomic
def risk_run_delete(*, actor: Any, run: RiskRun) -> None:
    require_change(actor, run.programme)
    audited_delete(actor=actor, instance=run)


#: Tasks listed to accelerate in a readiness check.
ACCELERATE_SHOWN = 10


@transaction.atomic
def readiness_check_create(
    *,
    actor: Any,
    programme: Programme,
    places: int,
    target_group: str,
    by_date: date,
    runs: int,
    seed: int,
    title: str = "",
    today: date,
) -> ReadinessCheck:
    """ "A directive for ``places`` additional places for ``target_group`` by ``by_date``":
    the free places now (flex homes of the programme's organisation), less the places claimed
    by the group's households already waiting and the places lost when permits end before
    the date, and the places the plan's delivery tasks (a number of places
    and the group, not yet finished) bring by then over ``runs`` simulated schedules. Stored
    with every input, so a college letter can cite it."""
    from onderdak.apps.housing.selectors import places_outlook
    from onderdak.engines import planning
    from onderdak.engines.planning import PlanningInputError

    require_change(actor, programme)
    check = ReadinessCheck(
        programme=programme,
        created_by=actor if getattr(actor, "pk", None) else None,
        title=title,
        places=places,
        target_group=target_group,
        by_date=by_date,
        runs=runs,
        seed=seed,
    )
    check.full_clean(exclude=["inputs", "result"])
    if by_date <= today:
        raise ValidationError({"by_date": _("Choose a date after today.")})
    tasks, plan = _analysis_input(programme, None)
    deliveries = [
        task
        for task in tasks
        if task.units
        and task.actual_finish is None
        and (not task.target_groups or target_group in task.target_groups)
    ]
    pipeline = places_outlook(
        user=actor,
        organisation_id=programme.organisation_id,
        target_group=target_group,
        on=today,
        by=by_date,
    )
    by = max(0, plan.dates.finish_offset(by_date))
    try:
        result = planning.readiness(
            plan.tasks,
            plan.links,
            required=places,
            by=by,
            available=pipeline.free,
            claimed=pipeline.lost + pipeline.waiting,
            deliveries=[planning.Delivery(task.code, task.units or 0) for task in deliveries],
            runs=runs,
            seed=seed,
        )
    except PlanningInputError as error:
        raise _engine_refusal(error) from error
    day = plan.dates.finish_date
    by_code = {task.code: task for task in tasks}
    finished = {task.code for task in tasks if task.actual_finish is not None}
    check.inputs = {
        **plan.as_json(),
        "today": today.isoformat(),
        "by_offset": by,
        "free": pipeline.free,
        "free_units": pipeline.free_units,
        "lost": pipeline.lost,
        "lost_units": pipeline.lost_units,
        "waiting": pipeline.waiting,
        "waiting_households": pipeline.waiting_households,
        "ending": [
            {
                "complex": item.complex,
                "permit_end": item.permit_end.isoformat(),
                "places": item.places,
            }
            for item in pipeline.ending
        ],
        "deliveries": [{"task": task.code, "places": task.units} for task in deliveries],
    }
    check.result = {
        "expected": result.expected,
        "probability": result.probability,
        "reached": {str(p): value for p, value in result.reached.items()},
        "gap": {str(p): value for p, value in result.gap.items()},
        "deliveries": [
            {
                "code": item.task,
                "name": by_code[item.task].name,
                "track": by_code[item.task].track.get_kind_display(),
                "places": item.places,
                "probability": item.probability,
                "p50": day(item.p50).isoformat(),
                "p80": day(item.p80).isoformat(),
                "p90": day(item.p90).isoformat(),
            }
            for item in result.deliveries
        ],
        "accelerate": [
            {
                "code": code,
                "name": by_code[code].name,
                "owner": by_code[code].owner,
                "index": index,
            }
            for code, index in result.acceleration
            if code not in finished
        ][:ACCELERATE_SHOWN],
    }
    audited_create(actor=actor, instance=check)
    return check


@transaction.atomic
def readiness_check_delete(*, actor: Any, check: ReadinessCheck) -> None:
    require_change(actor, check.programme)
    audited_delete(actor=actor, instance=check)


# --- import of the plan from Excel ---------------------------------------------------------

#: Whole-number columns of the task sheet and their least value.
_NUMBERS = {
    "duration": 0,
    "optimistic": 0,
    "most_likely": 0,
    "pessimistic": 0,
    "percent_complete": 0,
    "units": 0,
}
_DATES = ("actual_start", "actual_finish", "start_no_earlier_than", "finish_no_later_than")
_TEXTS = ("name", "owner", "notes")


@dataclass(frozen=True)
class PlanImport:
    """What an import did: tasks created and changed, dependencies added and changed."""

    created: int
    updated: int
    links_created: int
    links_updated: int


@functools.cache
def _track_kinds() -> dict[str, str]:
    """Every accepted way to write a track (its key, its Dutch and English name), loosely;
    the same for every row and every import, so computed once per process."""
    from django.utils import translation

    kinds = {kind.value: kind.value for kind in Track}
    for language in ("nl", "en"):
        with translation.override(language):
            kinds.update({str(kind.label).strip().lower(): kind.value for kind in Track})
    return kinds


def _task_row(
    cells: dict[str, str], header: list[str], number: int, errors: list[RowError]
) -> dict[str, Any] | None:
    """One row of the task sheet as the task's fields (only the columns the file has)."""
    found = len(errors)
    values: dict[str, Any] = {}
    kind = _track_kinds().get(cells.get("track", "").strip().lower())
    if kind is None:
        errors.append(
            RowError(number, "track", _("unknown track: '%(value)s'") % {"value": cells["track"]})
        )
    values["track"] = kind
    for key in _TEXTS:
        if key in header:
            values[key] = cells[key].strip()
    for key, minimum in _NUMBERS.items():
        if key in header:
            text = cells[key].strip()
            if not text and key != "duration":
                values[key] = None
            else:
                values[key] = parse_whole_number(
                    text, row=number, field=key, errors=errors, minimum=minimum
                )
    if values.get("percent_complete") is None and "percent_complete" in header:
        values["percent_complete"] = 0
    for key in _DATES:
        if key in header:
            text = cells[key].strip()
            values[key] = parse_date(text, row=number, field=key, errors=errors) if text else None
    return values if len(errors) == found else None


def _sheet_errors(errors: Iterable[RowError], sheet: str, spec: Any) -> list[RowError]:
    """Row errors with their column named as the user knows it, after the sheet's name."""
    return [
        RowError(e.row, f"{sheet}: {spec.label(e.field)}" if e.field else sheet, e.message)
        for e in errors
    ]


def _import_tasks(
    actor: Any, programme: Programme, table: Any, existing: dict[str, PlanTask]
) -> tuple[int, int, list[RowError]]:
    """The task sheet: new codes created, known ones updated (``existing`` grows)."""
    errors: list[RowError] = []
    tracks = {track.kind: track for track in programme.tracks.all()}
    seen: dict[str, int] = {}
    created = updated = 0
    for number, cells in table.rows:
        code = cells["code"].strip()
        if code in seen:
            message = _("'%(code)s' is also on row %(row)d") % {"code": code, "row": seen[code]}
            errors.append(RowError(number, "code", message))
            continue
        seen[code] = number
        values = _task_row(cells, table.header, number, errors)
        if values is None:
            continue
        values["track"] = tracks[values["track"]]
        task = existing.get(code)
        try:
            if task is None:
                existing[code] = task_create(actor=actor, programme=programme, code=code, **values)
                created += 1
            elif changes := {k: v for k, v in values.items() if getattr(task, k) != v}:
                task_update(actor=actor, task=task, **changes)
                updated += 1
        except ValidationError as error:
            errors.extend(row_errors(number, error))
    return created, updated, errors


def _link_row(
    cells: dict[str, str], number: int, existing: dict[str, PlanTask], errors: list[RowError]
) -> tuple[PlanTask, PlanTask, str, int] | None:
    found = len(errors)
    ends: list[PlanTask] = []
    for key in ("predecessor", "successor"):
        code = cells[key].strip()
        if code in existing:
            ends.append(existing[code])
        else:
            message = _("no task has the code '%(code)s'") % {"code": code}
            errors.append(RowError(number, key, message))
    kind = (cells.get("type") or "").strip().upper() or "FS"
    if kind not in LINK_TYPES:
        message = _("unknown type '%(value)s' (FS, SS, FF or SF)") % {"value": kind}
        errors.append(RowError(number, "type", message))
    text = (cells.get("lag") or "").strip().replace("\u2212", "-")  # a typographic minus
    lag = (
        parse_whole_number(text, row=number, field="lag", errors=errors, minimum=-5000)
        if text
        else 0
    )
    if len(errors) > found or lag is None:
        return None
    return ends[0], ends[1], kind, lag


def _import_links(
    actor: Any, programme: Programme, table: Any, existing: dict[str, PlanTask]
) -> tuple[int, int, list[RowError]]:
    """The dependency sheet: new pairs added, known pairs' type and lag changed."""
    errors: list[RowError] = []
    current = {
        (link.predecessor_id, link.successor_id): link
        for link in PlanLink.objects.filter(programme=programme)
    }
    created = updated = 0
    for number, cells in table.rows:
        parsed = _link_row(cells, number, existing, errors)
        if parsed is None:
            continue
        predecessor, successor, kind, lag = parsed
        link = current.get((predecessor.pk, successor.pk))
        try:
            if link is None:
                current[(predecessor.pk, successor.pk)] = link_create(
                    actor=actor,
                    programme=programme,
                    predecessor=predecessor,
                    successor=successor,
                    type=kind,
                    lag=lag,
                )
                created += 1
            elif (link.type, link.lag) != (kind, lag):
                link_update(actor=actor, link=link, type=kind, lag=lag)
                updated += 1
        except ValidationError as error:
            errors.extend(row_errors(number, error))
    return created, updated, errors


#: The dependency types a file may name.
LINK_TYPES = ("FS", "SS", "FF", "SF")


@transaction.atomic
def plan_import(*, actor: Any, programme: Programme, content: bytes, filename: str) -> PlanImport:
    """Import an Excel workbook of the plan (as the export writes it): the first sheet's tasks
    are matched by code (a new code is a new task, a known one is updated with the columns
    the file has), the second sheet's dependencies are added (or their type and lag changed).
    Nothing is deleted. Every problem is reported with its sheet, row and column
    (:class:`ImportRejected`) and then nothing is written: the file lands whole or not at all."""
    from .exchange import LINK_COLUMNS, TASK_COLUMNS

    require_change(actor, programme)
    table = TASK_COLUMNS.read(content, filename)
    try:
        links_table = LINK_COLUMNS.read(content, filename, sheet=1)
    except MissingSheet:
        links_table = None
    existing = {task.code: task for task in PlanTask.objects.filter(programme=programme)}
    created, updated, errors = _import_tasks(actor, programme, table, existing)
    rejected = _sheet_errors(errors, _("Tasks"), TASK_COLUMNS)
    links_created = links_updated = 0
    if links_table is not None and not rejected:
        links_created, links_updated, errors = _import_links(
            actor, programme, links_table, existing
        )
        rejected += _sheet_errors(errors, _("Dependencies"), LINK_COLUMNS)
    if not table.rows and not rejected:
        rejected.append(RowError(None, _("Tasks"), _("the sheet holds no tasks")))
    if rejected:
        raise ImportRejected(rejected)
    return PlanImport(created, updated, links_created, links_updated)


# --- the milestone calendar's secret link --------------------------------------------------


@transaction.atomic
def calendar_link_renew(*, actor: Any, programme: Programme) -> str:
    """A new secret key for the programme's milestone calendar (an earlier link stops
    working); returns it."""
    import secrets

    require_change(actor, programme)
    token = secrets.token_urlsafe(32)
    audited_update(
        actor=actor,
        instance=programme,
        changes={"calendar_token": token},
        allowed=("calendar_token",),
    )
    return token


@transaction.atomic
def calendar_link_remove(*, actor: Any, programme: Programme) -> None:
    """No milestone calendar link any more (calendar apps stop receiving updates)."""
    require_change(actor, programme)
    audited_update(
        actor=actor, instance=programme, changes={"calendar_token": ""}, allowed=("calendar_token",)
    )
