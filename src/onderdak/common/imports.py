"""Reading uploaded tables (CSV or Excel) for imports that validate first and write atomically.

Readers only parse; each import service validates every row and collects *all* problems as
:class:`RowError` (row number as the user sees it in the file, the column, the message) before it
writes anything in one transaction.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from openpyxl import load_workbook

from onderdak.common.validation import messages_by_field

MAX_ROWS = 100_000


@dataclass(frozen=True)
class RowError:
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.field:
            where.append(f"kolom '{self.field}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


def row_errors(row: int, error: ValidationError) -> list[RowError]:
    """A model ``ValidationError`` of one row as :class:`RowError` s (field ``None``: the row)."""
    return [
        RowError(row, field or None, "; ".join(texts))
        for field, texts in messages_by_field(error).items()
    ]


class ImportRejected(Exception):  # noqa: N818 - it is a rejection, not an error in the program
    """The file was not imported; nothing was written. ``errors`` says why, per row and field."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(error) for error in self.errors[:10]))


@dataclass(frozen=True)
class Table:
    header: list[str]
    #: (row number in the file, values by lower-cased column name)
    rows: list[tuple[int, dict[str, str]]]


def _normalise(name: Any) -> str:
    return str(name or "").strip().lower()


def read_table(content: bytes, filename: str) -> Table:
    """CSV (comma or semicolon, UTF-8 with or without BOM) or XLSX (first sheet)."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(content)
    if filename.lower().endswith((".csv", ".txt")):
        return _read_csv(content)
    raise ImportRejected([RowError(None, None, "gebruik een .csv- of .xlsx-bestand")])


def _read_csv(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected([RowError(None, None, "het bestand is geen UTF-8-tekst")]) from None
    first_line = text.splitlines()[0] if text else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        raise ImportRejected([RowError(None, None, "het bestand is leeg")])
    header = [_normalise(name) for name in rows[0]]
    return Table(header, _rows(header, enumerate(rows[1:], start=2)))


def _read_xlsx(content: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise ImportRejected(
            [RowError(None, None, "het Excel-bestand kan niet worden gelezen")]
        ) from None
    sheet = workbook.worksheets[0]
    values = [
        [
            ""
            if v is None
            else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
            for v in row
        ]
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    if not values:
        raise ImportRejected([RowError(None, None, "het werkblad is leeg")])
    header = [_normalise(name) for name in values[0]]
    return Table(header, _rows(header, enumerate(values[1:], start=2)))


def _rows(
    header: list[str], numbered: Iterable[tuple[int, list[str]]]
) -> list[tuple[int, dict[str, str]]]:
    rows: list[tuple[int, dict[str, str]]] = []
    for number, values in numbered:
        if not any(str(v).strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportRejected([RowError(number, None, f"meer dan {MAX_ROWS} rijen")])
        rows.append(
            (
                number,
                {
                    name: str(values[i]).strip() if i < len(values) else ""
                    for i, name in enumerate(header)
                },
            )
        )
    return rows


def parse_whole_number(
    value: str, *, row: int, field: str, errors: list[RowError], minimum: int = 0
) -> int | None:
    """A whole number >= minimum (dots or spaces as thousands separators allowed), else an error."""
    cleaned = value.replace(" ", "").replace("\u00a0", "")
    if cleaned.count(".") and all(len(part) == 3 for part in cleaned.split(".")[1:]):
        cleaned = cleaned.replace(".", "")
    try:
        number = int(cleaned)
    except ValueError:
        errors.append(RowError(row, field, f"geen geheel getal: '{value}'"))
        return None
    if number < minimum:
        errors.append(RowError(row, field, f"moet minstens {minimum} zijn, niet {number}"))
        return None
    return number
