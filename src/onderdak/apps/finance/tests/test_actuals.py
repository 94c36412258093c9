"""Actuals import: all-or-nothing, errors by row and column, replacing a period, the same file
twice, overlapping periods, the mapping import and the export's formula neutralisation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.test import Client
from django.utils import translation

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.finance import selectors, services
from onderdak.apps.finance.models import Actual
from onderdak.common.imports import ImportRejected

pytestmark = pytest.mark.django_db

Q1 = (date(2025, 1, 1), date(2025, 3, 31))

GOOD = (
    b"boekdatum;grootboekrekening;taakveld;bedrag;omschrijving;kostenplaats\n"
    b"15-01-2025;4711;6.1;1.234,56;Leefgeld januari;KP1\n"
    b"2025-02-03;4711;;100.10;Leefgeld februari;\n"
    b"28-03-2025;8100;6.1;5000;GOO bijdrage;\n"
    b"31-03-2025;4711;6.1;-34,56;Correctie;\n"
)


@pytest.fixture
def admin(users: dict[str, User]) -> User:
    return users["diemen-admin"]


@pytest.fixture
def diemen(organisations: dict[str, Organisation], admin: User) -> Organisation:
    organisation = organisations["diemen"]
    services.mapping_create(
        actor=admin,
        organisation=organisation,
        account="4711",
        task_field="6.1",
        track="overall",
        target_group="displaced_ukrainian",
        direction="expenditure",
    )
    services.mapping_create(
        actor=admin,
        organisation=organisation,
        account="8100",
        task_field="6.1",
        track="overall",
        target_group="displaced_ukrainian",
        direction="income",
    )
    return organisation


def _import(admin: User, diemen: Organisation, content: bytes, period=Q1, name="q1.csv"):  # type: ignore[no-untyped-def]
    return services.actuals_import(
        actor=admin,
        organisation=diemen,
        content=content,
        filename=name,
        period_start=period[0],
        period_end=period[1],
    )


def _totals(admin: User, diemen: Organisation) -> dict[tuple[str, str, str, str], Decimal]:
    return selectors.actual_totals(
        user=admin, organisation_id=diemen.pk, year=2025, until=date(2025, 12, 31)
    )


def test_import_places_rows_by_mapping(admin: User, diemen: Organisation) -> None:
    result = _import(admin, diemen, GOOD)
    assert result.rows == 4
    assert result.replaced == []
    assert _totals(admin, diemen) == {
        ("6.1", "overall", "displaced_ukrainian", "expenditure"): Decimal("1300.10"),
        ("6.1", "overall", "displaced_ukrainian", "income"): Decimal("5000.00"),
    }
    months = selectors.actuals_by_month(
        user=admin, organisation_id=diemen.pk, year=2025, until=date(2025, 12, 31)
    )
    assert months[("6.1", "overall", "displaced_ukrainian", "expenditure")] == {
        1: Decimal("1234.56"),
        2: Decimal("100.10"),
        3: Decimal("-34.56"),
    }


@pytest.mark.parametrize(
    ("row", "column", "text"),
    [
        ("15-04-2025;4711;6.1;10;x;", "Boekdatum", "buiten de periode"),
        ("15-01-2025;9999;6.1;10;x;", "Grootboekrekening", "9999"),
        ("15-01-2025;4711;8.3;10;x;", "Taakveld", "8.3"),
        ("15-01-2025;4711;6.1;10,123;x;", "Bedrag", "2 decimalen"),
        ("15-13-2025;4711;6.1;10;x;", "Boekdatum", "15-13-2025"),
        ("15-01-2025;4711;6.1;tien;x;", "Bedrag", "tien"),
    ],
)
def test_one_bad_row_writes_nothing_and_names_row_and_column(
    admin: User, diemen: Organisation, row: str, column: str, text: str
) -> None:
    content = GOOD + (row + "\n").encode()
    with translation.override("nl"), pytest.raises(ImportRejected) as caught:
        _import(admin, diemen, content)
    [error] = caught.value.errors
    assert error.row == 6
    assert error.field == column
    with translation.override("nl"):
        assert text in error.message
    assert not Actual.objects.exists()


def test_same_period_is_replaced_and_reported(admin: User, diemen: Organisation) -> None:
    first = _import(admin, diemen, GOOD)
    second = _import(admin, diemen, GOOD.replace(b"5000", b"6000"))
    assert second.replaced_rows == 4
    with translation.override("nl"):
        assert str(second.replaced[0]).startswith("vervangt 4 regels van de import van")
    assert not type(first.batch).objects.filter(pk=first.batch.pk).exists()
    assert _totals(admin, diemen)[("6.1", "overall", "displaced_ukrainian", "income")] == Decimal(
        "6000.00"
    )


def test_same_file_twice_changes_nothing(admin: User, diemen: Organisation) -> None:
    def rows() -> list[tuple[object, ...]]:
        return sorted(
            Actual.objects.values_list(
                "booking_date", "account", "task_field", "direction", "amount", "description"
            )
        )

    _import(admin, diemen, GOOD)
    before, totals = rows(), _totals(admin, diemen)
    _import(admin, diemen, GOOD)
    assert rows() == before
    assert _totals(admin, diemen) == totals


def test_overlapping_other_period_is_refused(admin: User, diemen: Organisation) -> None:
    _import(admin, diemen, GOOD)
    with translation.override("nl"), pytest.raises(ImportRejected) as caught:
        _import(admin, diemen, GOOD, period=(date(2025, 3, 1), date(2025, 5, 31)))
    assert "overlapt" in caught.value.errors[0].message
    assert Actual.objects.count() == 4


def test_viewer_may_not_import(users: dict[str, User], diemen: Organisation) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _import(users["diemen-viewer"], diemen, GOOD)


def test_mapping_import(admin: User, organisations: dict[str, Organisation]) -> None:
    content = (
        b"grootboekrekening;taakveld;spoor;doelgroep;richting;omschrijving\n"
        b"4711;6.1;overall;displaced_ukrainian;lasten;Leefgeld\n"
        b"8100;6.1;;;baten;GOO\n"
    )
    created, updated = services.mapping_import(
        actor=admin, organisation=organisations["diemen"], content=content, filename="g.csv"
    )
    assert (created, updated) == (2, 0)
    assert services.mapping_import(
        actor=admin, organisation=organisations["diemen"], content=content, filename="g.csv"
    ) == (0, 2)
    with pytest.raises(ImportRejected):
        services.mapping_import(
            actor=admin,
            organisation=organisations["diemen"],
            content=content + b"4712;99.9;;;x;\n",
            filename="g.csv",
        )


def test_export_neutralises_formulas(admin: User, diemen: Organisation) -> None:
    content = GOOD + b'20-03-2025;4711;6.1;1;=HYPERLINK("x");\n'
    _import(admin, diemen, content)
    client = Client()
    client.force_login(admin)
    response = client.get(f"/financien/realisatie/boekingen/?organisatie={diemen.pk}&export=csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_english_headers_and_excel(admin: User, diemen: Organisation) -> None:
    import io

    from openpyxl import Workbook

    english = b"booking date,ledger account,amount\n2025-01-15,4711,12.5\n"
    assert _import(admin, diemen, english).rows == 1
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Boekdatum", "Grootboekrekening", "Bedrag", "Omschrijving"])
    sheet.append([date(2025, 2, 1), "4711", 99.99, "Excel"])
    sheet.append([date(2025, 2, 2), 8100, 1000, "Excel"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = _import(admin, diemen, buffer.getvalue(), name="q1.xlsx")
    assert result.rows == 2
    assert result.replaced_rows == 1
    assert _totals(admin, diemen) == {
        ("6.1", "overall", "displaced_ukrainian", "expenditure"): Decimal("99.99"),
        ("6.1", "overall", "displaced_ukrainian", "income"): Decimal("1000.00"),
    }
