"""The programme overview for the college: per track its goal, people, status and traffic
lights, the next milestones, what is late, the critical path and the deadline check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from onderdak.apps.accounts.selectors import can_change
from onderdak.common.exports import download

from . import selectors
from .gantt import gantt_svg, shown_rows, window_start
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
    programme = selectors.programme_shown(user=request.user)
    context: dict[str, Any] = {
        "programme": programme,
        "may_create": programme is None
        and selectors.organisation_to_start_programme(user=request.user) is not None,
    }
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


@login_required
def gantt(request: HttpRequest, kind: str | None = None) -> HttpResponse:
    """The Gantt chart of the overall plan or of one track; ``?format=svg`` downloads it."""
    programme = selectors.programme_shown(user=request.user)
    if programme is None:
        raise Http404
    track = None
    if kind is not None:
        track = programme.tracks.filter(kind=kind).first()
        if track is None:
            raise Http404
    baselines = list(selectors.baseline_list(user=request.user).filter(programme=programme))
    chosen = request.GET.get("basislijn", "")
    baseline = next(
        (b for b in baselines if str(b.pk) == chosen), baselines[0] if baselines else None
    )
    view = selectors.plan_view(
        programme=programme, track=track, today=timezone.localdate(), baseline=baseline
    )
    part = track.get_kind_display() if track else _("overall plan")
    title = f"{programme.name}: {part}"
    whole = request.GET.get("alles") == "1"
    since = None if whole else window_start(view)
    svg = gantt_svg(view, title=title, since=since)
    if request.GET.get("format") == "svg" and svg:
        return download(svg, f"gantt-{kind or 'totaal'}.svg")
    return render(
        request,
        "programme/gantt.html",
        {
            "programme": programme,
            "track": track,
            "tracks": programme.tracks.all(),
            "view": view,
            "svg": mark_safe(svg),  # noqa: S308 - built by gantt_svg, every text escaped
            "baselines": baselines,
            "baseline": baseline,
            "title": title,
            "whole": whole,
            "since": since,
            "hidden": len(view.rows) - len(shown_rows(view, since)),
        },
    )
