"""Finance API: scoping, problem+json on bad input, 403 for viewer writes, the import."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.finance import services
from onderdak.apps.finance.models import Actual, BudgetLine

pytestmark = pytest.mark.django_db


def _client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


LINE = {
    "year": 2025,
    "task_field": "6.1",
    "track": "overall",
    "target_group": "displaced_ukrainian",
    "direction": "income",
    "description": "GOO",
    "amount": "100000.00",
}


def test_controller_writes_and_everyone_in_the_organisation_reads(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    diemen = organisations["diemen"]
    admin = _client(users["diemen-admin"])
    response = admin.post(
        "/api/v1/finance/budget-lines", {**LINE, "organisation": diemen.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    line_id = response.json()["id"]
    response = admin.post(
        "/api/v1/finance/amendments",
        {"line": line_id, "decided_on": "2025-07-03", "amount": "250.00", "reference": "R1"},
        format="json",
    )
    assert response.status_code == 201, response.content
    listing = _client(users["diemen-viewer"]).get(
        f"/api/v1/finance/budget-lines?organisation={diemen.pk}&year=2025&on=2025-12-31"
    )
    assert listing.status_code == 200
    [row] = listing.json()
    assert Decimal(row["current"]) == Decimal("100250.00")
    assert Decimal(row["amendments"]) == Decimal("250.00")
    other = _client(users["uithoorn-editor"])
    assert other.get(f"/api/v1/finance/budget-lines/{line_id}").status_code == 404
    assert other.get(f"/api/v1/finance/budget-lines?organisation={diemen.pk}").status_code == 404


@pytest.mark.parametrize("name", ["diemen-viewer", "diemen-editor"])
def test_viewer_and_editor_writes_are_403(
    name: str, users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    diemen = organisations["diemen"]
    line = services.budget_line_create(
        actor=users["diemen-admin"],
        organisation=diemen,
        **{**LINE, "amount": Decimal("1.00")},
    )
    client = _client(users[name])
    assert (
        client.post(
            "/api/v1/finance/budget-lines", {**LINE, "organisation": diemen.pk}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"/api/v1/finance/budget-lines/{line.pk}", {"amount": "5.00"}, format="json"
        ).status_code
        == 403
    )
    assert client.delete(f"/api/v1/finance/budget-lines/{line.pk}").status_code == 403
    assert (
        client.post(
            "/api/v1/finance/rates/adopt", {"organisation": diemen.pk}, format="json"
        ).status_code
        == 403
    )
    assert BudgetLine.objects.filter(pk=line.pk, amount=Decimal("1.00")).exists()


def test_bad_input_is_problem_json(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    client = _client(users["diemen-admin"])
    diemen = organisations["diemen"]
    for body in [
        {**LINE, "organisation": diemen.pk, "task_field": "99.9"},
        {**LINE, "organisation": diemen.pk, "amount": "1.001"},
        {**LINE, "organisation": diemen.pk, "year": "twee"},
        {**LINE, "organisation": organisations["uithoorn"].pk},
        {},
    ]:
        response = client.post("/api/v1/finance/budget-lines", body, format="json")
        assert response.status_code == 400, body
        assert response["Content-Type"].startswith("application/problem+json")
    for query in ("actuals?start=gisteren", "actuals?start=", "budget-lines?on="):
        response = client.get(f"/api/v1/finance/{query}")
        assert response.status_code == 400, query
    assert response["Content-Type"].startswith("application/problem+json")


def test_rates_adopt_and_change(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    client = _client(users["diemen-admin"])
    diemen = organisations["diemen"]
    adopted = client.post("/api/v1/finance/rates/adopt", {"organisation": diemen.pk}, format="json")
    assert adopted.status_code == 200
    assert adopted.json()["created"] > 0
    again = client.post("/api/v1/finance/rates/adopt", {"organisation": diemen.pk}, format="json")
    assert again.json()["created"] == 0
    rates = client.get(f"/api/v1/finance/rates?organisation={diemen.pk}").json()
    items = rates["results"] if isinstance(rates, dict) else rates
    goo = next(r for r in items if r["scheme"] == "goo" and r["valid_from"] == "2025-01-01")
    changed = client.patch(f"/api/v1/finance/rates/{goo['id']}", {"amount": "45.00"}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["national"] is False


def test_actuals_import_and_list(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    admin = users["diemen-admin"]
    diemen = organisations["diemen"]
    services.mapping_create(
        actor=admin,
        organisation=diemen,
        account="8100",
        task_field="6.1",
        track="overall",
        target_group="",
        direction="income",
    )
    client = _client(admin)

    def post(content: bytes) -> object:
        return client.post(
            "/api/v1/finance/actuals/import",
            {
                "organisation": diemen.pk,
                "period_start": "2025-01-01",
                "period_end": "2025-03-31",
                "file": SimpleUploadedFile("q1.csv", content, content_type="text/csv"),
            },
            format="multipart",
        )

    good = post(b"boekdatum;grootboekrekening;bedrag\n15-01-2025;8100;10,50\n")
    assert good.status_code == 201, good.content  # type: ignore[attr-defined]
    bad = post(b"boekdatum;grootboekrekening;bedrag\n15-01-2025;9999;10,50\n")
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert bad["Content-Type"].startswith("application/problem+json")  # type: ignore[index]
    assert Actual.objects.count() == 1
    listing = _client(users["diemen-viewer"]).get(
        f"/api/v1/finance/actuals?organisation={diemen.pk}"
    )
    assert listing.status_code == 200
    viewer = _client(users["diemen-viewer"]).post(
        "/api/v1/finance/actuals/import",
        {
            "organisation": diemen.pk,
            "period_start": "2025-01-01",
            "period_end": "2025-03-31",
            "file": SimpleUploadedFile("q1.csv", b"x", content_type="text/csv"),
        },
        format="multipart",
    )
    assert viewer.status_code == 403
