"""Login throttling (django-axes): the sign-in page and API token creation lock out an account
and an address after repeated failures; a right password is refused meanwhile (issue 11)."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

import pytest
from axes.models import AccessAttempt

from onderdak.apps.accounts.models import User
from tests.fixtures import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/inloggen/"
TOKENS = "/api/v1/tokens"


def _fail(client: Client, username: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        response = client.post(
            LOGIN, {"username": username, "password": "fout"}, REMOTE_ADDR=address
        )
        assert response.status_code in {200, 429}


@override_settings(AXES_FAILURE_LIMIT=3)
def test_account_is_locked_after_repeated_failures(users: dict[str, User]) -> None:
    client = Client()
    _fail(client, "diemen-viewer", 2)
    assert client.post(LOGIN, {"username": "diemen-viewer", "password": "fout"}).status_code == 429
    # the right password is refused while locked, from any address, with a Dutch message
    locked = Client().post(
        LOGIN, {"username": "diemen-viewer", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Te veel mislukte inlogpogingen" in page and "15 minuten" in page
    assert int(locked["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in Client().session
    # another account from another address still signs in
    other = Client().post(
        LOGIN, {"username": "diemen-editor", "password": PASSWORD}, REMOTE_ADDR="10.8.8.8"
    )
    assert other.status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_address_is_locked_for_every_account(users: dict[str, User]) -> None:
    client = Client()
    for name in ("nobody-1", "nobody-2", "nobody-3"):
        _fail(client, name, 1, address="10.0.0.7")
    response = Client().post(
        LOGIN, {"username": "diemen-editor", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 429


@override_settings(AXES_FAILURE_LIMIT=3)
def test_cool_off_ends_the_lockout(users: dict[str, User]) -> None:
    _fail(Client(), "diemen-viewer", 3)
    assert (
        Client().post(LOGIN, {"username": "diemen-viewer", "password": PASSWORD}).status_code == 429
    )
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = Client().post(LOGIN, {"username": "diemen-viewer", "password": PASSWORD})
    assert response.status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_api_token_creation_is_locked_out_too(users: dict[str, User]) -> None:
    api = APIClient()
    ok = api.post(TOKENS, {"username": "diemen-viewer", "password": PASSWORD}, format="json")
    assert ok.status_code == 200 and len(ok.json()["token"]) == 40
    for _ in range(3):
        wrong = api.post(TOKENS, {"username": "diemen-viewer", "password": "x"}, format="json")
        assert wrong.status_code in {400, 429}
    assert wrong.status_code == 429
    locked = api.post(TOKENS, {"username": "diemen-viewer", "password": PASSWORD}, format="json")
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/problem+json"
    assert "Te veel mislukte inlogpogingen" in locked.json()["detail"]
    # and the sign-in page agrees: the account is locked there as well
    page = Client().post(LOGIN, {"username": "diemen-viewer", "password": PASSWORD})
    assert page.status_code == 429


def test_token_with_a_wrong_password_is_a_dutch_problem(users: dict[str, User]) -> None:
    response = APIClient().post(
        TOKENS, {"username": "diemen-viewer", "password": "fout"}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "Gebruikersnaam of wachtwoord is onjuist." in response.content.decode()


def test_defaults_come_from_the_environment() -> None:
    from django.conf import settings

    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


@override_settings(AXES_FAILURE_LIMIT=3, TRUSTED_PROXIES=["10.0.0.2"])
def test_behind_a_trusted_proxy_the_client_address_is_counted(users: dict[str, User]) -> None:
    via_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for name in ("nobody-1", "nobody-2", "nobody-3"):
        Client().post(
            LOGIN,
            {"username": name, "password": "fout"},
            HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7",  # the left entry is the client's claim
            **via_proxy,
        )
    locked = Client().post(
        LOGIN,
        {"username": "diemen-editor", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **via_proxy,
    )
    assert locked.status_code == 429
    other_client = Client().post(
        LOGIN,
        {"username": "diemen-editor", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.8",
        **via_proxy,
    )
    assert other_client.status_code == 302
