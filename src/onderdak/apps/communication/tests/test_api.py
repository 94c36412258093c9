"""The communication API: stakeholders, plans, moments and the log, scoped and refused like
the pages."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.communication.models import FollowUp, Moment, Stakeholder

pytestmark = pytest.mark.django_db


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_stakeholders_plans_moments_and_log_through_the_api(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    diemen = organisations["diemen"].pk
    api = _api(users["diemen-editor"])
    made = api.post(
        "/api/v1/stakeholders",
        {
            "organisation": diemen,
            "name": "Wijkraad",
            "kind": "neighbourhood_council",
            "influence": 4,
            "interest": 5,
            "tracks": ["overall"],
        },
        format="json",
    )
    assert made.status_code == 201 and made.json()["quadrant"] == "manage"
    stakeholder = made.json()["id"]
    plan = api.post(
        "/api/v1/communication-plans",
        {"organisation": diemen, "track": "care", "goals": "Doel", "status": "adopted"},
        format="json",
    )
    assert plan.status_code == 200 and plan.json()["status"] == "adopted"
    no_date = api.post(
        "/api/v1/moments",
        {"organisation": diemen, "title": "Brief", "kind": "residents_letter"},
        format="json",
    )
    assert no_date.status_code == 400
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    moment = api.post(
        "/api/v1/moments",
        {
            "organisation": diemen,
            "title": "Brief",
            "kind": "residents_letter",
            "date": day,
            "audience": [stakeholder],
        },
        format="json",
    )
    assert moment.status_code == 201 and moment.json()["audience"] == [stakeholder]
    pk = moment.json()["id"]
    logged = api.post(
        f"/api/v1/moments/{pk}/log",
        {
            "summary": "Vragen",
            "sentiment": "mixed",
            "follow_ups": [{"action": "Antwoorden", "owner": "Team", "due": day}],
        },
        format="json",
    )
    assert logged.status_code == 201 and logged.json()["follow_ups"][0]["done"] is False
    assert len(api.get(f"/api/v1/moments/{pk}/log").json()) == 1
    assert FollowUp.objects.count() == 1
    # another municipality sees none of it and may not write it
    other = _api(users["uithoorn-editor"])
    assert other.get("/api/v1/stakeholders").json()["count"] == 0
    assert other.get(f"/api/v1/moments/{pk}").status_code == 404
    assert (
        other.post(
            f"/api/v1/moments/{pk}/log", {"summary": "x", "sentiment": "mixed"}, format="json"
        ).status_code
        == 404
    )
    refused = other.post(
        "/api/v1/stakeholders",
        {"organisation": diemen, "name": "X", "kind": "press"},
        format="json",
    )
    assert refused.status_code == 400 and Stakeholder.objects.count() == 1
    viewer = _api(users["diemen-viewer"])
    assert viewer.patch(f"/api/v1/moments/{pk}", {"title": "Y"}, format="json").status_code == 403
    assert viewer.delete(f"/api/v1/stakeholders/{stakeholder}").status_code == 403
    assert api.delete(f"/api/v1/moments/{pk}").status_code == 204
    assert not Moment.objects.exists()
