"""Access per organisation and role, through the web pages and through the API."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

import pytest

from onderdak.apps.accounts.models import Membership, Organisation, User
from onderdak.apps.accounts.selectors import primary_organisation
from onderdak.apps.programme.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions(organisations: dict[str, Organisation]) -> dict[str, Decision]:
    def make(key: str, title: str, *, shared: bool) -> Decision:
        return Decision.objects.create(
            organisation=organisations[key],
            decided_on=date(2024, 1, 1),
            body="college",
            title=title,
            shared=shared,
        )

    return {
        "diemen": make("diemen", "Diemen intern", shared=False),
        "uithoorn-private": make("uithoorn", "Uithoorn intern", shared=False),
        "uithoorn-shared": make("uithoorn", "Uithoorn gedeeld", shared=True),
        "amsterdam-shared": make("amsterdam", "Amsterdam gedeeld", shared=True),
    }


def web(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user: User) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_diemen_editor_cannot_read_or_change_uithoorn_private_record_on_the_web(
    users: dict[str, User], decisions: dict[str, Decision]
) -> None:
    client = web(users["diemen-editor"])
    private = decisions["uithoorn-private"]
    listing = client.get(reverse("programme:decision_list")).content.decode()
    assert "Diemen intern" in listing
    assert "Uithoorn intern" not in listing
    assert client.get(reverse("programme:decision_detail", args=[private.pk])).status_code == 404
    assert client.get(reverse("programme:decision_update", args=[private.pk])).status_code == 404
    response = client.post(
        reverse("programme:decision_update", args=[private.pk]), {"title": "gekaapt"}
    )
    assert response.status_code == 404
    assert client.post(reverse("programme:decision_delete", args=[private.pk])).status_code == 404
    private.refresh_from_db()
    assert private.title == "Uithoorn intern"
    # the export does not leak it either
    export = client.get(reverse("programme:decision_list") + "?export=csv").content.decode(
        "utf-8-sig"
    )
    assert "Uithoorn intern" not in export and "Diemen intern" in export


def test_diemen_editor_cannot_read_or_change_uithoorn_private_record_through_the_api(
    users: dict[str, User], decisions: dict[str, Decision], organisations: dict[str, Organisation]
) -> None:
    client = api(users["diemen-editor"])
    private = decisions["uithoorn-private"]
    titles = [d["title"] for d in client.get("/api/v1/decisions").json()["results"]]
    assert "Diemen intern" in titles and "Uithoorn intern" not in titles
    for response in (
        client.get(f"/api/v1/decisions/{private.pk}"),
        client.patch(f"/api/v1/decisions/{private.pk}", {"title": "gekaapt"}, format="json"),
        client.delete(f"/api/v1/decisions/{private.pk}"),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
    created = client.post(
        "/api/v1/decisions",
        {
            "organisation": organisations["uithoorn"].pk,
            "decided_on": "2024-02-01",
            "body": "college",
            "title": "x",
        },
        format="json",
    )
    assert created.status_code == 400
    assert created.json()["invalidParams"][0]["name"] == "organisation"
    private.refresh_from_db()
    assert private.title == "Uithoorn intern"
    assert Decision.objects.filter(title="x").count() == 0


def test_shared_records_are_visible_to_partners_but_not_changeable(
    users: dict[str, User], decisions: dict[str, Decision]
) -> None:
    client = web(users["diemen-editor"])
    shared = decisions["uithoorn-shared"]
    assert client.get(reverse("programme:decision_detail", args=[shared.pk])).status_code == 200
    assert client.get(reverse("programme:decision_update", args=[shared.pk])).status_code == 403
    assert (
        api(users["diemen-editor"])
        .patch(f"/api/v1/decisions/{shared.pk}", {"title": "gewijzigd"}, format="json")
        .status_code
        == 403
    )
    # Amsterdam is not a Duo+ partner of Diemen: its shared records stay invisible
    amsterdam = decisions["amsterdam-shared"]
    assert client.get(reverse("programme:decision_detail", args=[amsterdam.pk])).status_code == 404


def test_region_coordinator_works_on_shared_data_of_the_region_only(
    users: dict[str, User], decisions: dict[str, Decision]
) -> None:
    client = api(users["duo-coordinator"])
    titles = {d["title"] for d in client.get("/api/v1/decisions").json()["results"]}
    assert titles == {"Uithoorn gedeeld"}
    shared = decisions["uithoorn-shared"]
    assert (
        client.patch(
            f"/api/v1/decisions/{shared.pk}",
            {"title": "Uithoorn gedeeld (bijgewerkt)"},
            format="json",
        ).status_code
        == 200
    )
    assert client.get(f"/api/v1/decisions/{decisions['uithoorn-private'].pk}").status_code == 404
    # a viewer of the regional body reads but does not change
    viewer = api(users["duo-viewer"])
    assert viewer.get(f"/api/v1/decisions/{shared.pk}").status_code == 200
    assert (
        viewer.patch(f"/api/v1/decisions/{shared.pk}", {"title": "nee"}, format="json").status_code
        == 403
    )


def test_viewer_cannot_create_or_change(
    users: dict[str, User], decisions: dict[str, Decision]
) -> None:
    client = web(users["diemen-viewer"])
    assert client.get(reverse("programme:decision_create")).status_code == 403
    assert (
        client.get(reverse("programme:decision_detail", args=[decisions["diemen"].pk])).status_code
        == 200
    )
    assert (
        client.post(reverse("programme:decision_delete", args=[decisions["diemen"].pk])).status_code
        == 403
    )
    assert Decision.objects.filter(pk=decisions["diemen"].pk).exists()


def test_anonymous_users_are_sent_to_login_and_api_answers_401(
    decisions: dict[str, Decision],
) -> None:
    response = Client().get(reverse("programme:decision_list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    api_response = APIClient().get("/api/v1/decisions")
    assert api_response.status_code == 401
    assert api_response["Content-Type"] == "application/problem+json"


def test_the_primary_organisation_is_read_once_per_request(
    users: dict[str, User], organisations: dict[str, Organisation], django_assert_num_queries: Any
) -> None:
    """The page shell and the view both ask for it (issue 11's load): the second answer comes
    from the request's user object; the next request (a new user object) reads it again."""
    user = User.objects.get(pk=users["diemen-editor"].pk)
    assert primary_organisation(user) == organisations["diemen"]
    with django_assert_num_queries(0):
        assert primary_organisation(user) == organisations["diemen"]
        assert primary_organisation(user).municipality.province.code  # type: ignore[union-attr]
    Membership.objects.filter(user=user).delete()
    assert primary_organisation(User.objects.get(pk=user.pk)) is None
