"""API writes with an Idempotency-Key (issue 11): a retried create writes one row and returns the
first response; the same key with another body is a 422 problem; 5xx is not stored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.core.models import IdempotentRequest
from onderdak.apps.programme.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users: dict[str, User]) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users["diemen-editor"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _decision(organisations: dict[str, Organisation], title: str = "Besluit") -> dict[str, Any]:
    return {
        "organisation": organisations["diemen"].pk,
        "decided_on": "2026-03-01",
        "body": "college",
        "title": title,
    }


def test_a_retried_create_writes_one_row(
    api: APIClient, organisations: dict[str, Organisation]
) -> None:
    before = Decision.objects.count()
    first = api.post(
        "/api/v1/decisions", _decision(organisations), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == 201
    retry = api.post(
        "/api/v1/decisions", _decision(organisations), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Content-Type"] == first["Content-Type"]
    assert retry["Idempotent-Replayed"] == "true"
    assert Decision.objects.count() == before + 1
    # without a key (or with a new one) a second create is a second row
    assert api.post("/api/v1/decisions", _decision(organisations), format="json").status_code == 201
    assert Decision.objects.count() == before + 2


def test_the_same_key_with_another_body_is_a_dutch_422(
    api: APIClient, organisations: dict[str, Organisation]
) -> None:
    api.post(
        "/api/v1/decisions", _decision(organisations), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    other = api.post(
        "/api/v1/decisions",
        _decision(organisations, title="Ander besluit"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-2",
    )
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert "al gebruikt voor een ander verzoek" in other.json()["detail"]
    assert not Decision.objects.filter(title="Ander besluit").exists()


def test_keys_are_per_user_and_expire_after_a_day(
    api: APIClient, users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    api.post(
        "/api/v1/decisions", _decision(organisations), format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    admin = APIClient()
    admin.force_authenticate(users["diemen-admin"])
    mine = admin.post(
        "/api/v1/decisions", _decision(organisations), format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert mine.status_code == 201 and "Idempotent-Replayed" not in mine
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
    later = api.post(
        "/api/v1/decisions", _decision(organisations), format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert later.status_code == 201 and "Idempotent-Replayed" not in later
    assert Decision.objects.filter(title="Besluit").count() == 3


def test_a_retried_delete_and_a_refused_write_are_replayed(
    api: APIClient, organisations: dict[str, Organisation]
) -> None:
    pk = api.post("/api/v1/decisions", _decision(organisations), format="json").json()["id"]
    assert api.delete(f"/api/v1/decisions/{pk}", HTTP_IDEMPOTENCY_KEY="d-1").status_code == 204
    again = api.delete(f"/api/v1/decisions/{pk}", HTTP_IDEMPOTENCY_KEY="d-1")
    assert again.status_code == 204 and again["Idempotent-Replayed"] == "true"
    bad = {"organisation": organisations["diemen"].pk, "title": "x"}
    first = api.post("/api/v1/decisions", bad, format="json", HTTP_IDEMPOTENCY_KEY="b-1")
    retry = api.post("/api/v1/decisions", bad, format="json", HTTP_IDEMPOTENCY_KEY="b-1")
    assert first.status_code == retry.status_code == 400 and retry.json() == first.json()


def test_server_errors_are_not_stored(
    api: APIClient, organisations: dict[str, Organisation], monkeypatch: pytest.MonkeyPatch
) -> None:
    from onderdak.apps.programme import services

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "decision_create", broken)
    api.raise_request_exception = False
    failed = api.post(
        "/api/v1/decisions", _decision(organisations), format="json", HTTP_IDEMPOTENCY_KEY="e-1"
    )
    assert failed.status_code == 500
    assert not IdempotentRequest.objects.filter(key="e-1").exists()
    monkeypatch.undo()
    ok = api.post(
        "/api/v1/decisions", _decision(organisations), format="json", HTTP_IDEMPOTENCY_KEY="e-1"
    )
    assert ok.status_code == 201 and "Idempotent-Replayed" not in ok


def test_a_bad_key_is_a_400(api: APIClient, organisations: dict[str, Organisation]) -> None:
    response = api.post(
        "/api/v1/decisions", _decision(organisations), format="json", HTTP_IDEMPOTENCY_KEY="x" * 256
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_the_schema_documents_the_header() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/decisions"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"])
    assert "422" in operation["responses"]
    assert not any(
        p["name"] == "Idempotency-Key"
        for p in schema["paths"]["/api/v1/decisions"]["get"].get("parameters", [])
    )
