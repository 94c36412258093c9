"""The demo programme: Diemen's tracks, a plan that schedules, cross-track links, a baseline."""

from __future__ import annotations

from django.utils import timezone

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.housing.demo import demo_seed as housing_seed
from onderdak.apps.programme import selectors
from onderdak.apps.programme.demo import DEMO_LABEL, plan_seed
from onderdak.apps.programme.models import PlanLink, PlanTask, Programme

pytestmark = pytest.mark.django_db


def test_plan_seed(users: dict[str, User], organisations: dict[str, Organisation]) -> None:
    editor, diemen = users["diemen-editor"], organisations["diemen"]
    housing_seed(actor=editor, organisation=diemen)
    made = plan_seed(actor=editor, organisation=diemen)
    assert made == PlanTask.objects.count() > 20
    assert plan_seed(actor=editor, organisation=diemen) == 0
    programme = Programme.objects.get(organisation=diemen)
    assert all(DEMO_LABEL in task.name for task in PlanTask.objects.all())
    cross = [
        link
        for link in PlanLink.objects.select_related("predecessor", "successor")
        if link.predecessor.track_id != link.successor.track_id
    ]
    assert len(cross) >= 3
    assert {link.type for link in PlanLink.objects.all()} == {"FS", "SS", "FF", "SF"}
    view = selectors.plan_view(programme=programme, today=timezone.localdate())
    assert view.error == ""
    assert view.baseline is not None
    assert view.critical_paths
    assert view.target_float is not None and view.target_float < 0  # location A slipped
    assert any(row.slip and row.slip > 0 for row in view.rows)
    assert PlanTask.objects.filter(units__isnull=False).exists()


def test_demo_analyses(users: dict[str, User], organisations: dict[str, Organisation]) -> None:
    from onderdak.apps.programme.models import ReadinessCheck, RiskRun

    editor, diemen = users["diemen-editor"], organisations["diemen"]
    housing_seed(actor=editor, organisation=diemen)
    plan_seed(actor=editor, organisation=diemen)
    run = RiskRun.objects.get()
    finish = run.result["finish"]
    assert finish["p50"] <= finish["p80"] <= finish["p90"]
    assert 0 <= finish["probability"] <= 1
    assert sum(count for _, count in run.result["histogram"]) == run.runs == 10000
    assert run.result["milestones"] and run.result["criticality"]
    assert run.inputs["tasks"]  # the plan as simulated is kept
    check = ReadinessCheck.objects.get()
    assert check.places == 50
    assert check.result["deliveries"]
    assert check.result["reached"]["50"] >= check.result["reached"]["80"]
    assert check.inputs["free"] >= 0 and "ending" in check.inputs
