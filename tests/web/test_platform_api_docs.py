"""The API documentation (the footer's "API" link) renders for a signed-in user (issue 11)."""

from __future__ import annotations

from django.test import Client

import pytest

from onderdak.apps.accounts.models import User

pytestmark = pytest.mark.django_db


def test_api_docs_render_and_point_at_the_schema(client: Client, users: dict[str, User]) -> None:
    client.force_login(users["diemen-viewer"])
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "/api/v1/schema" in response.content.decode()
    schema = client.get("/api/v1/schema")
    assert schema.status_code == 200
