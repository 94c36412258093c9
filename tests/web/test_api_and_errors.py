"""API conventions (problem+json, API-Version, pagination) and proper error pages."""

from __future__ import annotations

import dataclasses

from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

import pytest

from onderdak.apps.accounts.models import User
from onderdak.apps.core.navigation import AREAS_BY_SLUG
from tests.fixtures import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client(users: dict[str, User]) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users["diemen-viewer"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_municipalities_are_paginated_with_population_and_version_header(
    api_client: APIClient,
) -> None:
    response = api_client.get("/api/v1/municipalities", {"page_size": 10})
    assert response.status_code == 200
    assert response["API-Version"] == "1.0.0"
    body = response.json()
    assert body["count"] == 342 and len(body["results"]) == 10
    assert set(body["results"][0]) == {"code", "name", "province_code", "province", "population"}


def test_municipality_detail_with_boundary_and_reference_date(api_client: APIClient) -> None:
    body = api_client.get("/api/v1/municipalities/GM0384", {"reference_date": "2022-01-01"}).json()
    assert body["name"] == "Diemen" and body["population"] == 31_822
    assert body["boundary"]["type"] in {"Polygon", "MultiPolygon"}
    bad = api_client.get("/api/v1/municipalities/GM0384", {"reference_date": "gisteren"})
    assert bad.status_code == 400
    assert bad.json()["invalidParams"][0]["name"] == "reference_date"


def test_regions_and_populations(api_client: APIClient) -> None:
    duo = api_client.get("/api/v1/regions/DUOPLUS").json()
    assert [m["name"] for m in duo["members"]] == ["Diemen", "Ouder-Amstel", "Uithoorn"]
    mra = api_client.get("/api/v1/regions", {"region_type": "mra"}).json()["results"][0]
    assert sum(m["inferred"] for m in mra["members"]) == 3
    counts = api_client.get("/api/v1/populations", {"municipality": "GM0384"}).json()["results"]
    assert [c["population"] for c in counts] == [31_822, 32_785, 32_977]


@pytest.mark.parametrize(
    "path", ["/api/v1/municipalities/GM9999", "/api/v1/regions/NOPE", "/api/v1/does-not-exist"]
)
def test_api_not_found_is_problem_json(api_client: APIClient, path: str) -> None:
    response = api_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404 and body["instance"] == path and body["title"]


def test_unknown_page_gets_a_dutch_error_page(users: dict[str, User]) -> None:
    client = Client()
    client.force_login(users["diemen-viewer"])
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Pagina niet gevonden" in text
    assert "Traceback" not in text


def test_forbidden_page_is_dutch(users: dict[str, User]) -> None:
    client = Client()
    client.force_login(users["diemen-viewer"])
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


def test_wrong_password_gets_a_dutch_message(users: dict[str, User]) -> None:
    response = Client().post(
        "/accounts/inloggen/", {"username": "diemen-viewer", "password": "fout"}
    )
    assert response.status_code == 200
    assert "komen niet overeen" in response.content.decode()
    ok = Client().post("/accounts/inloggen/", {"username": "diemen-viewer", "password": PASSWORD})
    assert ok.status_code == 302


def test_expired_form_gets_a_dutch_page(users: dict[str, User]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["diemen-editor"])
    response = client.post("/planning/besluiten/nieuw/", {"title": "x"})
    assert response.status_code == 403
    assert "Sessie verlopen" in response.content.decode()


def test_expired_session_sends_back_to_login(users: dict[str, User]) -> None:
    client = Client()
    client.force_login(users["diemen-viewer"])
    client.cookies["sessionid"] = "verlopen"
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/inloggen/" in response["Location"]


def test_healthz_reports_database_and_migrations() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "unappliedMigrations": []}


def test_security_headers(users: dict[str, User]) -> None:
    response = Client().get("/accounts/inloggen/")
    policy = response["Content-Security-Policy"]
    assert (
        "default-src 'self'" in policy
        and "script-src 'self'" in policy
        and "unsafe-inline" not in policy
    )
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_password_reset_sends_mail(users: dict[str, User], mailoutbox: list) -> None:  # type: ignore[type-arg]
    users["diemen-viewer"].email = "kijker@diemen.example"
    users["diemen-viewer"].save()
    response = Client().post("/accounts/wachtwoord/vergeten/", {"email": "kijker@diemen.example"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/wachtwoord/herstellen/" in mailoutbox[0].body


def test_language_switch(users: dict[str, User]) -> None:
    client = Client()
    client.force_login(users["diemen-viewer"])
    assert "Taakstellingen" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert "Quotas" in english and 'lang="en"' in english
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert "Taakstellingen" in client.get("/").content.decode()


def test_every_built_area_goes_to_its_pages_and_an_unbuilt_one_says_so_honestly(
    users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    client.force_login(users["diemen-viewer"])
    for slug in ("quotas", "region", "sites", "housing", "care", "finance", "planning"):
        assert client.get(f"/gebied/{slug}/").status_code == 302, slug
    # Every area is built today; the empty state stays for the next one that is announced first.
    monkeypatch.setitem(
        AREAS_BY_SLUG, "planning", dataclasses.replace(AREAS_BY_SLUG["planning"], built=False)
    )
    response = client.get("/gebied/planning/")
    assert response.status_code == 200
    assert "Nog niet beschikbaar" in response.content.decode()


def test_a_form_with_too_much_text_gets_a_dutch_page_that_says_what_to_do(
    users: dict[str, User],
) -> None:
    """Regression (issue 11 walk): 100,000 characters in every cell of the exchange table is more
    than DATA_UPLOAD_MAX_MEMORY_SIZE; the page said only "Ongeldig verzoek"."""
    client = Client()
    client.force_login(users["diemen-editor"])
    response = client.post(
        "/planning/besluiten/nieuw/", {f"f{i}": "x" * 100_000 for i in range(30)}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Te veel gegevens" in text
    assert "Maak de langste teksten korter" in text
    assert "Traceback" not in text


def test_a_body_that_is_not_json_gets_a_dutch_problem(users: dict[str, User]) -> None:
    """Regression (issue 11 walk): the detail was DRF's parser message, "JSON parse error -
    Expecting value: line 1 column 1 (char 0)", English and internal."""
    client = APIClient()
    client.force_authenticate(users["diemen-editor"])
    response = client.post("/api/v1/decisions", data="nope", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "Ongeldig verzoek"
    assert body["detail"] == "De inhoud van het verzoek is onleesbaar: stuur geldige JSON."
    assert "JSON parse error" not in response.content.decode()
