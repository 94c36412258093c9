"""The API documentation (the footer's "API" link) renders for a signed-in user (issue 11)."""

from __future__ import annotations

import re

from django.test import Client

import pytest

from onderdak.apps.accounts.models import User

pytestmark = pytest.mark.django_db


def test_api_docs_render_and_point_at_the_schema(client: Client, users: dict[str, User]) -> None:
    client.force_login(users["diemen-viewer"])
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    schema = client.get("/api/v1/schema")
    assert schema.status_code == 200
    script = client.get("/api/v1/docs?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema" in script.content.decode()


def test_api_docs_need_nothing_the_content_security_policy_refuses(
    client: Client, users: dict[str, User]
) -> None:
    """Regression: ReDoc injected <style> elements and Google Fonts, which ``style-src 'self'``
    refuses, and showed only "Something went wrong". Swagger UI's page now loads only files."""
    client.force_login(users["diemen-viewer"])
    page = client.get("/api/v1/docs").content.decode()
    assert "style-src 'self'" in client.get("/api/v1/docs")["Content-Security-Policy"]
    assert "<style" not in page
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []  # no inline script
    assert "swagger-ui-bundle.js" in page
    assert "googleapis" not in page
    assert re.search(r'<link rel="stylesheet" href="[^"]*swagger-ui\.css"', page)
