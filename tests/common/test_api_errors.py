"""One mechanism for errors that escape a service: problem+json 400/409 in the API, a 400/409
page in the HTML views, never a 500 (issue 11)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

import pytest

from onderdak import urls as project_urls
from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.geo.models import Municipality
from onderdak.common.api import RULE_PROBLEM_TYPE
from onderdak.engines.errors import RecordInputError
from tests.fixtures import PASSWORD


class Raises(APIView):
    """Raises what ``?error=`` names, as a service would."""

    permission_classes = [AllowAny]

    def get(self, request: Request, pk: int = 0) -> Response:
        error = request.query_params["error"]
        if error == "field":
            # Django's own message, so that its Dutch translation is known
            raise ValidationError({"name": [_("This field cannot be blank.")]})
        if error == "plain":
            raise ValidationError(_("This field cannot be blank."))
        if error == "protected":
            municipalities = list(Municipality.objects.all()[:2])
            raise ProtectedError("still referenced", set(municipalities))
        if error == "integrity":
            raise IntegrityError("UNIQUE constraint failed")
        if error == "overflow":
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        if error == "engine":
            raise RecordInputError("must be >= 0", kind="household", id="H1", field="adults")
        raise ValueError(error)


def page_raising(request: HttpRequest) -> HttpResponse:
    if request.GET.get("error") == "protected":
        raise ProtectedError("still referenced", set(Municipality.objects.all()[:1]))
    raise ValidationError({"number": [_("This field cannot be blank.")]})


urlpatterns = [
    path("api/v1/raises", Raises.as_view()),
    path("api/v1/raises/<int:pk>", Raises.as_view()),
    path("pagina/", page_raising),
    *project_urls.urlpatterns,  # the error page's layout links to the project's pages
]


@pytest.fixture
def api() -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
    return client


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


@override_settings(ROOT_URLCONF=__name__)
def test_model_validation_error_is_a_400_with_dutch_messages_per_field(
    db: None, api: APIClient
) -> None:
    body = _problem(api.get("/api/v1/raises?error=field"), 400)
    assert body["title"] == "Ongeldige invoer"
    assert body["invalidParams"] == [
        {"name": "name", "code": "invalid", "reason": "Dit veld kan niet leeg zijn"}
    ]
    body = _problem(api.get("/api/v1/raises?error=plain"), 400)
    assert body["invalidParams"][0]["name"] == "nonFieldErrors"


@override_settings(ROOT_URLCONF=__name__)
def test_record_still_in_use_and_constraint_violation_are_409(
    reference: None, api: APIClient
) -> None:
    body = _problem(api.get("/api/v1/raises?error=protected"), 409)
    assert "gemeenten" in body["detail"]
    assert "kan niet worden verwijderd" in body["detail"]
    body = _problem(api.get("/api/v1/raises?error=integrity"), 409)
    assert "UNIQUE" not in body["detail"]  # no internals


@override_settings(ROOT_URLCONF=__name__)
def test_numbers_out_of_range_are_400_or_404_for_a_path_id(db: None, api: APIClient) -> None:
    _problem(api.get("/api/v1/raises?error=overflow"), 400)
    _problem(api.get("/api/v1/raises/99999999999999999999?error=overflow"), 404)


@override_settings(ROOT_URLCONF=__name__)
def test_engine_input_error_names_its_field(db: None, api: APIClient) -> None:
    body = _problem(api.get("/api/v1/raises?error=engine"), 400)
    assert body["invalidParams"][0]["name"] == "adults"


@override_settings(ROOT_URLCONF=__name__)
def test_programming_errors_are_not_hidden(db: None, api: APIClient) -> None:
    with pytest.raises(ValueError, match="bug"):
        api.get("/api/v1/raises?error=bug")


@override_settings(ROOT_URLCONF=__name__)
def test_html_view_validation_error_is_a_dutch_400_page(reference: None) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    response = client.get("/pagina/")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Dit veld kan niet leeg zijn" in text
    assert "niet worden opgeslagen" in text
    response = client.get("/pagina/?error=protected")
    assert response.status_code == 409
    assert "kan niet worden verwijderd" in response.content.decode()


def test_huge_organisation_id_in_an_api_query_is_not_a_server_error(
    users: dict[str, User],
) -> None:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
    client.login(username="diemen-editor", password=PASSWORD)
    for url in (
        "/api/v1/care/services?organisation=99999999999999999999",
        "/api/v1/care/partners?organisation=99999999999999999999",
        "/api/v1/housing/complexes?organisation=99999999999999999999",
    ):
        response = client.get(url)
        assert response.status_code in {200, 400, 404}, (url, response.content)


@override_settings(ROOT_URLCONF=__name__)
def test_a_rule_problem_is_typed_so_clients_tell_it_from_invalid_input(
    db: None, api: APIClient
) -> None:
    assert _problem(api.get("/api/v1/raises?error=field"), 400)["type"] == RULE_PROBLEM_TYPE
    assert _problem(api.get("/api/v1/raises?error=overflow"), 400)["type"].endswith("/400")


@pytest.mark.parametrize(
    "query", ["page_size=null", "page_size=0", "page_size=501", "page_size=2&page_size=3"]
)
def test_an_invalid_page_size_is_a_400_not_the_default(users: dict[str, User], query: str) -> None:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
    client.login(username="diemen-editor", password=PASSWORD)
    body = _problem(client.get(f"/api/v1/municipalities?{query}"), 400)
    assert body["invalidParams"][0]["name"] == "page_size"
    assert len(client.get("/api/v1/municipalities?page_size=2").json()["results"]) == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("shared", 0),
        ("shared", "yes"),
        ("title", 12),
        ("organisation", "1"),
        ("organisation", True),
    ],
)
def test_a_json_body_uses_json_types(
    users: dict[str, User], organisations: dict[str, Organisation], field: str, value: Any
) -> None:
    """DRF alone would take 0 for false, "1" for 1 and 12 for "12"; the schema says otherwise."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
    client.login(username="diemen-editor", password=PASSWORD)
    organisation = organisations["diemen"]
    body = {
        "organisation": organisation.pk,
        "decided_on": "2026-01-05",
        "body": "college",
        "track": "overall",
        "title": "Besluit",
        "shared": False,
        field: value,
    }
    problem = _problem(client.post("/api/v1/decisions", body, format="json"), 400)
    assert [p["name"] for p in problem["invalidParams"]] == [field]


def test_a_form_encoded_body_is_a_415(users: dict[str, User]) -> None:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
    client.login(username="diemen-editor", password=PASSWORD)
    _problem(client.post("/api/v1/decisions", {"title": "x"}, format="multipart"), 415)


def test_an_empty_page_number_is_a_400(users: dict[str, User]) -> None:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
    client.login(username="diemen-editor", password=PASSWORD)
    body = _problem(client.get("/api/v1/municipalities?page="), 400)
    assert body["invalidParams"][0]["name"] == "page"


def test_text_over_its_maximum_length_is_refused_even_with_spaces_around(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
    client.login(username="diemen-editor", password=PASSWORD)
    body = {
        "organisation": organisations["diemen"].pk,
        "decided_on": "2026-01-05",
        "body": "college",
        "title": "\t" + "x" * 200,  # 201 characters sent, 200 after trimming
    }
    problem = _problem(client.post("/api/v1/decisions", body, format="json"), 400)
    assert [p["name"] for p in problem["invalidParams"]] == ["title"]


def test_text_with_a_nul_character_is_refused(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    """The API description promises it (the fuzzing leaves NUL out because of that promise)."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
    client.login(username="diemen-editor", password=PASSWORD)
    body = {
        "organisation": organisations["diemen"].pk,
        "decided_on": "2026-01-05",
        "body": "college",
        "title": "Besluit\x00",
    }
    problem = _problem(client.post("/api/v1/decisions", body, format="json"), 400)
    assert [p["name"] for p in problem["invalidParams"]] == ["title"]
