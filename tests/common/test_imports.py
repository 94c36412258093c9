"""Reading uploads: limits that refuse instead of failing, Dutch column names and the template."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Sequence
from decimal import Decimal

from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy as _

import pytest
from openpyxl import Workbook, load_workbook

from onderdak.common import imports
from onderdak.common.imports import (
    ImportColumn,
    ImportRejected,
    ImportSpec,
    RowError,
    parse_decimal,
    parse_whole_number,
    read_table,
    template_view,
)

SPEC = ImportSpec(
    name="locaties",
    columns=(
        ImportColumn("name", _("Name"), example="Sportpark Noord", required=True),
        ImportColumn("latitude", _("Latitude"), example=Decimal("52.3401"), aliases=("lat",)),
        ImportColumn("capacity", _("Capacity"), example=120, help=_("Places")),
    ),
)


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_csv_field_over_the_csv_modules_limit_is_a_row_error_naming_row_and_column() -> None:
    content = ("naam;opmerking\nA;kort\nB;" + "x" * 200_000 + "\n").encode()
    with pytest.raises(ImportRejected) as raised:
        read_table(content, "lijst.csv")
    (error,) = raised.value.errors
    assert (error.row, error.field) == (3, "opmerking")
    assert "langer dan 10.000 tekens" in error.message


def test_a_long_but_allowed_csv_field_is_read() -> None:
    content = ("naam;opmerking\nA;" + "x" * 9_000 + "\n").encode()
    assert read_table(content, "lijst.csv").rows[0][1]["opmerking"] == "x" * 9_000


def test_a_csv_error_is_refused_with_its_line_not_a_server_error() -> None:
    class Broken:
        line_num = 7

        def __next__(self) -> list[str]:
            raise csv.Error("field larger than field limit")

    with pytest.raises(ImportRejected) as raised:
        list(imports._csv_records(Broken()))
    (error,) = raised.value.errors
    assert error.row == 7
    assert "niet te lezen" in error.message


def test_a_file_over_the_upload_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 1024)
    with pytest.raises(ImportRejected) as raised:
        read_table(b"naam\n" + b"a\n" * 1000, "lijst.csv")
    assert "groter dan" in str(raised.value)


def test_too_many_rows_are_refused_with_a_dutch_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 10)
    with pytest.raises(ImportRejected) as raised:
        read_table(xlsx([["naam"], *[[f"n{i}"] for i in range(11)]]), "lijst.xlsx")
    assert "meer dan 10 rijen" in str(raised.value)


def test_a_huge_xlsx_is_refused_quickly_and_streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet that declares a million rows is refused before its rows are read; one without a
    dimension is streamed and reading stops at the row limit."""
    monkeypatch.setattr(imports, "MAX_ROWS", 1_000)
    monkeypatch.setattr(imports, "MAX_EMPTY_RUN", 100)
    content = xlsx([["naam"], *[[f"n{i}"] for i in range(50_000)]])
    started = time.perf_counter()
    with pytest.raises(ImportRejected) as raised:
        read_table(content, "groot.xlsx")
    assert time.perf_counter() - started < 1.0
    assert "meer dan 1.000 rijen" in str(raised.value)
    # the same file without its <dimension>: streamed, stops at the row limit
    source = zipfile.ZipFile(io.BytesIO(content))
    stripped = io.BytesIO()
    with zipfile.ZipFile(stripped, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:A50001"/>', b"")
                assert b"<dimension" not in data
            target.writestr(item, data)
    started = time.perf_counter()
    with pytest.raises(ImportRejected) as raised:
        read_table(stripped.getvalue(), "groot.xlsx")
    assert time.perf_counter() - started < 1.0
    assert raised.value.errors[0].row == 1_002


def test_xlsx_rows_after_a_long_empty_run_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "MAX_EMPTY_RUN", 5)
    rows: list[Sequence[object]] = [["naam"], ["a"], *[[None]] * 3, ["b"], *[[None]] * 6, ["c"]]
    content = xlsx(rows)
    assert [cells["naam"] for _, cells in read_table(content, "x.xlsx").rows] == ["a", "b"]


def test_a_spec_accepts_dutch_english_and_key_column_names() -> None:
    for header in ("Naam;Breedtegraad;Capaciteit", "Name;Latitude;capacity", "name;LAT;Capacity"):
        table = SPEC.read(f"{header}\nSportpark;52,1;120\n".encode(), "x.csv")
        assert table.rows == [(2, {"name": "Sportpark", "latitude": "52,1", "capacity": "120"})]
    # unknown columns are kept under their own name
    table = SPEC.read(b"naam;opmerking\nA;b\n", "x.csv")
    assert table.rows[0][1] == {"name": "A", "opmerking": "b"}


def test_a_spec_names_missing_and_doubled_columns_in_dutch() -> None:
    with pytest.raises(ImportRejected) as raised:
        SPEC.read(b"breedtegraad;lat\n52;52\n", "x.csv")
    texts = [str(error) for error in raised.value.errors]
    assert "kolom 'lat': deze kolom staat meer dan eens in het bestand" in texts
    assert "kolom 'Naam': de kolom ontbreekt" in texts


def test_rejected_names_columns_by_their_dutch_label() -> None:
    rejection = SPEC.rejected([RowError(4, "latitude", "te groot"), RowError(5, None, "x")])
    assert [str(error) for error in rejection.errors] == [
        "rij 4, kolom 'Breedtegraad': te groot",
        "rij 5: x",
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_has_dutch_columns_and_an_example_row_and_reads_back(fmt: str) -> None:
    with translation.override("nl"):
        response = SPEC.template_response(fmt)
    assert response["Content-Disposition"] == f'attachment; filename="locaties-sjabloon.{fmt}"'
    content = response.content
    if fmt == "csv":
        text = content.decode("utf-8-sig")
        assert list(csv.reader(io.StringIO(text), delimiter=";")) == [
            ["Naam", "Breedtegraad", "Capaciteit"],
            ["Sportpark Noord", "52,3401", "120"],
        ]
    else:
        workbook = load_workbook(io.BytesIO(content))
        assert [[c.value for c in row] for row in workbook.worksheets[0].iter_rows()] == [
            ["Naam", "Breedtegraad", "Capaciteit"],
            ["Sportpark Noord", 52.3401, 120],
        ]
        explanation = [[c.value for c in row] for row in workbook.worksheets[1].iter_rows()]
        assert explanation[0] == ["Kolom", "Verplicht", "Toelichting"]
        assert explanation[1][:2] == ["Naam", "ja"]
        assert explanation[3] == ["Capaciteit", "nee", "Plaatsen"]
    table = SPEC.read(content, f"sjabloon.{fmt}")
    assert table.rows[0][1]["name"] == "Sportpark Noord"


def test_template_view_needs_a_login() -> None:
    from django.contrib.auth.models import AnonymousUser

    view = template_view(SPEC)
    request = RequestFactory().get("/sjabloon/", {"format": "csv"})
    request.user = AnonymousUser()
    assert view(request).status_code == 302  # to the login page


def test_parse_decimal_reads_dutch_and_english_numbers() -> None:
    errors: list[RowError] = []
    assert parse_decimal("52,34", row=2, field="lat", errors=errors) == Decimal("52.34")
    assert parse_decimal("1.234,5", row=2, field="lat", errors=errors) == Decimal("1234.5")
    assert parse_decimal("52.34", row=2, field="lat", errors=errors) == Decimal("52.34")
    assert errors == []
    assert parse_decimal("NaN", row=3, field="lat", errors=errors) is None
    assert parse_decimal("1e999999", row=4, field="lat", errors=errors) is None
    assert parse_decimal("91", row=5, field="lat", errors=errors, maximum=Decimal(90)) is None
    assert [error.row for error in errors] == [3, 4, 5]


def test_parse_whole_number_refuses_absurdly_large_numbers() -> None:
    errors: list[RowError] = []
    assert parse_whole_number("1" + "0" * 25, row=2, field="n", errors=errors) is None
    assert parse_whole_number("1.234", row=3, field="n", errors=errors) == 1234
    assert [error.row for error in errors] == [2]
