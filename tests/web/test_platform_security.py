"""Platform safeguards (issue 11): no caching of signed-in pages and downloads, X-Forwarded-Proto
only from trusted proxies (HSTS, no redirect loop), organisation ids out of range are no 500."""

from __future__ import annotations

from django.test import Client, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

import pytest

from onderdak.apps.accounts.models import User
from onderdak.apps.accounts.selectors import organisation_id

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def test_signed_in_pages_api_and_exports_are_not_stored(users: dict[str, User]) -> None:
    client = Client()
    client.force_login(users["diemen-editor"])
    for path in ("/", "/planning/besluiten/", "/huisvesting/huishoudens/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "no-store, private", path
    export = client.get("/planning/besluiten/?export=csv")
    assert "attachment" in export["Content-Disposition"]
    assert export["Cache-Control"] == "no-store, private"
    api = APIClient()
    token, _ = Token.objects.get_or_create(user=users["diemen-viewer"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/decisions")["Cache-Control"] == "no-store, private"


def test_anonymous_public_pages_keep_their_caching(users: dict[str, User]) -> None:
    response = Client().get("/jsi18n/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@override_settings(
    TRUSTED_PROXIES=["10.0.0.2"],
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31_536_000,
)
def test_forwarded_proto_is_believed_only_from_a_trusted_proxy() -> None:
    via_proxy = Client().get("/healthz", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="10.0.0.2")
    assert via_proxy.status_code == 200  # secure: no redirect (and so no loop)
    assert via_proxy["Strict-Transport-Security"].startswith("max-age=31536000")
    spoofed = Client().get("/healthz", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="192.0.2.9")
    assert spoofed.status_code == 301 and spoofed["Location"].startswith("https://")
    assert "Strict-Transport-Security" not in spoofed


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_trusted_proxies_may_be_networks() -> None:
    from onderdak.common.security import is_trusted_proxy

    assert is_trusted_proxy("10.0.0.77") and not is_trusted_proxy("10.0.1.1")
    assert not is_trusted_proxy("not-an-address")


def test_organisation_ids_out_of_range_are_no_ids() -> None:
    assert organisation_id("12") == 12
    for raw in (HUGE, "0", "-3", "abc", "", "1.5"):
        assert organisation_id(raw) is None


def test_huge_organisation_on_a_care_page_is_not_found(users: dict[str, User]) -> None:
    client = Client()
    client.force_login(users["diemen-editor"])
    response = client.get("/zorg/", {"organisatie": HUGE})
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/api/v1/care/services", "/api/v1/care/partners", "/api/v1/care/integration-cases"]
)
def test_huge_organisation_on_an_api_list_is_a_400(users: dict[str, User], path: str) -> None:
    api = APIClient()
    token, _ = Token.objects.get_or_create(user=users["diemen-editor"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(path, {"organisation": HUGE})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalidParams"][0]["name"] == "organisation"


def test_huge_organisation_in_a_decision_is_a_400(users: dict[str, User]) -> None:
    api = APIClient()
    api.force_authenticate(users["diemen-editor"])
    response = api.post(
        "/api/v1/decisions",
        {"organisation": int(HUGE), "decided_on": "2026-01-01", "body": "college", "title": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "organisation"
