"""Writes of the programme (decision log and plan); every change is validated, audited and
atomic, and a change to the plan that makes it impossible to schedule rolls back."""

from __future__ import annotations

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
from onderdak.engines import planning
from onderdak.engines.planning import PlanningInputError

from . import adapters
from .models import Baseline, Decision, PlanLink, PlanTask, Programme, ProgrammeTrack, Track
from .selectors import plan_view, planning_error_message

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation

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
