"""The plan API: programmes with tracks, tasks, dependencies, baselines, the schedule, risk
runs and readiness checks, with the access rules and refusals of the pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from rest_framework.test import APIClient

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.programme import services
from onderdak.apps.programme.models import PlanLink, PlanTask, Programme, ReadinessCheck, RiskRun

pytestmark = pytest.mark.django_db


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def programme(users: dict[str, User], organisations: dict[str, Organisation]) -> Programme:
    today = timezone.localdate()
    return services.programme_create(
        actor=users["diemen-admin"],
        organisation=organisations["diemen"],
        name="Programma API",
        start_date=today,
        target_date=today + timedelta(days=30),
    )


def _task(client: APIClient, programme: Programme, **values: Any) -> dict[str, Any]:
    body = {"programme": programme.pk, "track": "care", **values}
    response = client.post("/api/v1/plan/tasks", body, format="json")
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_a_plan_built_through_the_api_is_scheduled(
    users: dict[str, User], programme: Programme
) -> None:
    api = _api(users["diemen-editor"])
    listed = api.get("/api/v1/programmes").json()
    assert [item["id"] for item in listed["results"]] == [programme.pk]
    assert {track["kind"] for track in listed["results"][0]["tracks"]} == {
        "overall",
        "care",
        "flex_homes",
        "temporary_housing",
    }
    a = _task(
        api,
        programme,
        code="1.1",
        name="Inventaris",
        duration=5,
        optimistic=3,
        most_likely=5,
        pessimistic=9,
    )
    m = _task(
        api,
        programme,
        code="1.2",
        name="Vastgesteld",
        duration=0,
        units=12,
        target_groups=["status_holder"],
    )
    link = api.post(
        "/api/v1/plan/links",
        {"programme": programme.pk, "predecessor": a["id"], "successor": m["id"], "lag": 2},
        format="json",
    )
    assert link.status_code == 201
    schedule = api.get(f"/api/v1/programmes/{programme.pk}/schedule").json()
    rows = {row["code"]: row for row in schedule["tasks"]}
    # measured against the target date a month away: both have the same float to spare
    assert schedule["target_float"] > 0
    assert rows["1.1"]["total_float"] == rows["1.2"]["total_float"] == schedule["target_float"]
    assert not rows["1.1"]["critical"] and schedule["critical_paths"] == []
    assert rows["1.1"]["start"] == schedule["start"]
    # a dependency back closes a cycle: refused with the tasks named, nothing written
    cycle = api.post(
        "/api/v1/plan/links",
        {"programme": programme.pk, "predecessor": m["id"], "successor": a["id"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert cycle.status_code == 400
    assert cycle["Content-Type"] == "application/problem+json"
    assert "1.1 → 1.2 → 1.1" in cycle.json()["invalidParams"][0]["reason"]
    assert PlanLink.objects.count() == 1
    patched = api.patch(f"/api/v1/plan/tasks/{a['id']}", {"duration": 8}, format="json")
    assert patched.status_code == 200 and patched.json()["duration"] == 8
    baseline = api.post(
        "/api/v1/plan/baselines",
        {"programme": programme.pk, "name": "Vastgesteld", "adopted_on": "2026-12-01"},
        format="json",
    )
    assert baseline.status_code == 201 and set(baseline.json()["tasks"]) == {"1.1", "1.2"}
    run = api.post(
        "/api/v1/plan/risk-runs",
        {"programme": programme.pk, "runs": 200, "seed": 4},
        format="json",
    )
    assert run.status_code == 201
    assert run.json()["result"]["finish"]["probability"] is not None
    assert api.get(f"/api/v1/plan/risk-runs?programme={programme.pk}").json()["count"] == 1
    check = api.post(
        "/api/v1/plan/readiness-checks",
        {
            "programme": programme.pk,
            "places": 10,
            "target_group": "status_holder",
            "by_date": (timezone.localdate() + timedelta(days=90)).isoformat(),
            "runs": 200,
        },
        format="json",
    )
    assert check.status_code == 201
    assert check.json()["result"]["deliveries"][0]["code"] == "1.2"
    assert api.delete(f"/api/v1/plan/tasks/{m['id']}").status_code == 204
    assert not PlanLink.objects.exists()  # the task's dependency went with it


def test_a_viewer_reads_but_may_not_write_and_other_municipalities_see_nothing(
    users: dict[str, User], programme: Programme
) -> None:
    admin = users["diemen-admin"]
    task = services.task_create(
        actor=admin,
        programme=programme,
        track=programme.tracks.get(kind="care"),
        code="1.1",
        name="Taak",
        duration=3,
    )
    run = services.risk_run_create(
        actor=admin,
        programme=programme,
        runs=100,
        seed=1,
        distribution="triangular",
        target_date=None,
        today=timezone.localdate(),
    )
    viewer = _api(users["diemen-viewer"])
    assert viewer.get(f"/api/v1/plan/tasks/{task.pk}").status_code == 200
    assert (
        viewer.patch(f"/api/v1/plan/tasks/{task.pk}", {"name": "X"}, format="json").status_code
        == 403
    )
    assert viewer.delete(f"/api/v1/plan/risk-runs/{run.pk}").status_code == 403
    refused = viewer.post(
        "/api/v1/plan/tasks",
        {"programme": programme.pk, "track": "care", "code": "9", "name": "X", "duration": 1},
        format="json",
    )
    assert refused.status_code == 400 and "programme" in refused.content.decode()
    other = _api(users["uithoorn-editor"])
    assert other.get("/api/v1/programmes").json()["count"] == 0
    assert other.get("/api/v1/plan/tasks").json()["count"] == 0
    assert other.get(f"/api/v1/plan/tasks/{task.pk}").status_code == 404
    assert other.get(f"/api/v1/plan/risk-runs/{run.pk}").status_code == 404
    assert other.get(f"/api/v1/programmes/{programme.pk}/schedule").status_code == 404
    assert PlanTask.objects.get().name == "Taak" and RiskRun.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/plan/risk-runs", {"runs": 5}, "runs"),
        ("/api/v1/plan/risk-runs", {"distribution": "normal"}, "distribution"),
        (
            "/api/v1/plan/readiness-checks",
            {"places": 0, "target_group": "status_holder", "by_date": "2099-01-01"},
            "places",
        ),
        (
            "/api/v1/plan/readiness-checks",
            {"places": 5, "target_group": "status_holder", "by_date": "2000-01-01"},
            "by_date",
        ),
        (
            "/api/v1/plan/tasks",
            {"track": "care", "code": "a b", "name": "X", "duration": 1},
            "code",
        ),
        (
            "/api/v1/plan/tasks",
            {"track": "care", "code": "1", "name": "X", "duration": -1},
            "duration",
        ),
    ],
)
def test_wrong_input_is_a_problem_naming_the_field(
    users: dict[str, User], programme: Programme, path: str, body: dict[str, Any], field: str
) -> None:
    response = _api(users["diemen-editor"]).post(
        path, {"programme": programme.pk, **body}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in {item["name"] for item in response.json()["invalidParams"]}
    assert not RiskRun.objects.exists() and not ReadinessCheck.objects.exists()
    assert not PlanTask.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize(
    "field", ["finish_no_later_than", "start_no_earlier_than", "actual_start", "actual_finish"]
)
def test_a_date_the_calendar_cannot_reach_is_refused_not_a_server_error(
    users: dict[str, User], programme: Programme, field: str, day: str
) -> None:
    """Regression: 31-12-9999 as a constraint overflowed the calendar (500 on every page)."""
    api = _api(users["diemen-editor"])
    task = _task(api, programme, code="1.1", name="Taak", duration=3)
    response = api.patch(f"/api/v1/plan/tasks/{task['id']}", {field: day}, format="json")
    assert response.status_code == 400
    assert field in {item["name"] for item in response.json()["invalidParams"]}
    assert api.get(f"/api/v1/programmes/{programme.pk}/schedule").status_code == 200
