"""Downloads that cannot carry formulas or break: list exports (CSV, Excel), the audit trail
export and the sites council report (Word, Excel), with Dutch number and date formats."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest
from docx import Document
from openpyxl import load_workbook

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.audit.models import AuditEntry
from onderdak.apps.programme.models import Decision
from onderdak.apps.sites import services as site_services
from onderdak.apps.sites.models import Site
from onderdak.common.tables import Column, export_response

#: PostgreSQL refuses NUL in text outright, so there the hostile name carries only \x0b
HOSTILE = '=HYPERLINK("http://evil.example","klik")' + (
    "\x0b" if "postgres" in os.environ.get("DATABASE_URL", "") else "\x00\x0b"
)


@dataclass
class Row:
    name: str
    share: Decimal
    on: date


COLUMNS = (
    Column("name", "Naam", lambda r: r.name),
    Column("share", "Aandeel", lambda r: r.share, numeric=True),
    Column("on", "Datum", lambda r: r.on),
)
ROWS = [
    Row(HOSTILE, Decimal("0.375"), date(2024, 3, 1)),
    Row("+31 20 123", Decimal(2), date(2024, 12, 31)),
]


def test_csv_export_is_dutch_and_neutralised() -> None:
    response = export_response("lijst", COLUMNS, ROWS, "csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Naam", "Aandeel", "Datum"]
    assert rows[1] == ['\'=HYPERLINK("http://evil.example","klik")', "0,375", "01-03-2024"]
    assert rows[2] == ["'+31 20 123", "2", "31-12-2024"]


def test_xlsx_export_has_no_formula_and_survives_nul_and_vertical_tab() -> None:
    response = export_response("lijst", COLUMNS, ROWS, "xlsx", source="=bron")
    workbook = load_workbook(io.BytesIO(response.content))  # a NUL would make this fail
    sheet = workbook.worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil.example","klik")'
    assert sheet["B2"].value == 0.375  # numbers stay numbers
    assert sheet["C2"].value.date() == date(2024, 3, 1)
    assert sheet["A5"].value == "'=bron"


@pytest.mark.django_db
def test_a_list_page_export_of_a_hostile_title(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    Decision.objects.create(
        organisation=organisations["diemen"],
        decided_on=date(2023, 4, 4),
        body="college",
        track="overall",
        title=HOSTILE,
    )
    client = Client()
    client.force_login(users["diemen-editor"])
    text = client.get(reverse("programme:decision_list"), {"export": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in text and "\x00" not in text and "04-04-2023" in text
    content = client.get(reverse("programme:decision_list"), {"export": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.django_db
def test_the_audit_trail_export_is_neutralised(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    AuditEntry.objects.create(
        actor_name="@sum",
        organisation=organisations["diemen"],
        action="create",
        object_type="programme.Decision",
        object_id="1",
        object_repr=HOSTILE,
    )
    client = Client()
    client.force_login(users["diemen-admin"])
    text = client.get(reverse("audit:list"), {"export": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@sum" in text and "\x0b" not in text
    content = client.get(reverse("audit:list"), {"export": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'@sum" in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.django_db
def test_the_council_report_is_robust_neutralised_and_dutch(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    diemen = organisations["diemen"]
    for name, point, support in (
        (HOSTILE, (4.9600, 52.3390), 5),
        ("Matig", (4.9950, 52.3430), 1),
        ("Derde", (4.9650, 52.3460), 3),
    ):
        Site.objects.create(
            organisation=diemen,
            name=name,
            geometry={"type": "Point", "coordinates": list(point)},
            plot_area_m2=10_000,
            available_from=date(2026, 1, 1),
            available_until=date(2040, 1, 1),
            capacity_places=100,
            cost_one_off=Decimal(10_000_000),
            local_support=support,
        )
    amenities = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [4.9600, 52.3390]},
                "properties": {"kind": kind},
            }
            for kind in ("primary_school", "gp", "supermarket", "public_transport")
        ],
    }
    site_services.amenities_import(
        actor=users["diemen-editor"], organisation=diemen, content=json.dumps(amenities).encode()
    )
    site_services.criteria_ensure(organisation=diemen)
    site_services.weight_set_save(
        actor=users["diemen-editor"],
        organisation=diemen,
        name="College",
        weights={"cost_per_place": 3, "local_support": 2, "dist_primary_school": 1},
    )
    client = Client()
    client.force_login(users["diemen-editor"])
    with translation.override("nl"):
        response = client.get(reverse("sites:report", args=["docx"]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))  # a NUL or \x0b would break this
    texts = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    texts += [paragraph.text for paragraph in document.paragraphs]
    assert any(t.startswith('=HYPERLINK("http://evil.example"') for t in texts)
    weights = [t for t in texts if t.endswith("%")]
    assert weights and all("." not in t for t in weights)
    assert any("," in t and t.endswith("%") for t in weights)  # "8,0%", not "8.0%"
    scores = [t for t in texts if t[:2] in {"0,", "1,"} and t[2:].isdigit()]
    assert scores and all(len(t) == 6 for t in scores)  # "0,3741", not "0.3741"
    content = client.get(reverse("sites:report", args=["xlsx"])).content
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert '\'=HYPERLINK("http://evil.example","klik")' in [cell.value for cell in cells]
