"""The programme overview for the college: per track its goal, people, status and traffic
lights, the next milestones, what is late, the critical path and the deadline check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from onderdak.apps.accounts.selectors import can_change, primary_organisation

from . import selectors
from .models import ProgrammeTrack


@dataclass
class TrackPanel:
    track: ProgrammeTrack
    signals: list[selectors.Signal] = field(default_factory=list)
    rows: list[selectors.PlanRow] = field(default_factory=list)

    @property
    def next_milestones(self) -> list[selectors.PlanRow]:
        today = timezone.localdate()
        open_milestones = [
            r
            for r in self.rows
            if r.task.is_milestone and r.task.actual_finish is None and r.finish >= today
        ]
        return sorted(open_milestones, key=lambda r: r.finish)[:3]

    @property
    def late(self) -> list[selectors.PlanRow]:
        return [r for r in self.rows if r.late]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    organisation = primary_organisation(request.user)
    programme = (
        selectors.programme_for(user=request.user, organisation_id=organisation.pk)
        if organisation is not None
        else None
    )
    context: dict[str, Any] = {"organisation": organisation, "programme": programme}
    if programme is not None:
        view = selectors.plan_view(programme=programme, today=today)
        signals = selectors.track_signals(
            user=request.user, organisation_id=programme.organisation_id, on=today
        )
        panels = [
            TrackPanel(
                track=track,
                signals=[s for s in signals if s.track == track.kind],
                rows=[r for r in view.rows if r.task.track_id == track.pk],
            )
            for track in programme.tracks.all()
        ]
        order = {"overall": 0, "care": 1, "flex_homes": 2, "temporary_housing": 3}
        panels.sort(key=lambda p: order.get(p.track.kind, 9))
        codes = {row.task.code: row for row in view.rows}
        context.update(
            view=view,
            panels=panels,
            critical_path=[codes[c] for c in view.critical_paths[0] if c in codes]
            if view.critical_paths
            else [],
            missed_by=-view.target_float if view.target_float is not None else None,
            risk_run=selectors.risk_run_list(user=request.user).filter(programme=programme).first(),
            readiness=selectors.readiness_check_list(user=request.user)
            .filter(programme=programme)
            .first(),
            may_change=can_change(request.user, programme),
        )
    return render(request, "programme/overview.html", context)
