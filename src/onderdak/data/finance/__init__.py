"""The national standard rates (normbedragen) shipped with Onderdak (see README.md here).

``rates.csv``: one row per scheme and valid-from date, with its amount, unit, source and notes.
Pure: reads the file next to this module, no Django. A malformed file raises ``ValueError``
naming the row and column.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

FINANCE_DIR = Path(__file__).resolve().parent

RATE_COLUMNS = ("scheme", "name", "valid_from", "amount", "unit", "source", "notes")
#: The units a national rate may have (the values of ``finance.models.RateUnit``).
RATE_UNITS = ("place_day", "person_month", "unit", "place_year", "place", "municipality")


@dataclass(frozen=True, slots=True)
class NationalRate:
    """One national standard rate: ``amount`` euros per ``unit`` for ``scheme`` from
    ``valid_from`` until the next row of the same scheme."""

    scheme: str
    name: str
    valid_from: date
    amount: Decimal
    unit: str
    source: str
    notes: str


def _fail(path: Path, row: int, column: str, message: str) -> ValueError:
    return ValueError(f"{path.name} row {row}, column {column}: {message}")


def read_rates(path: Path | None = None) -> list[NationalRate]:
    """Every row of ``path`` (default: the shipped ``rates.csv``), in file order."""
    path = path or FINANCE_DIR / "rates.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in RATE_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path.name}: missing columns {missing}")
        rows = list(enumerate(reader, start=2))
    result: list[NationalRate] = []
    seen: set[tuple[str, date]] = set()
    for number, row in rows:
        if None in row or None in row.values():
            raise _fail(path, number, "-", "wrong number of columns")
        try:
            valid_from = date.fromisoformat(row["valid_from"])
        except ValueError:
            raise _fail(path, number, "valid_from", "not an ISO date") from None
        try:
            amount = Decimal(row["amount"])
        except InvalidOperation:
            raise _fail(path, number, "amount", "not a number") from None
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise _fail(path, number, "amount", "not an amount >= 0 with at most 2 decimals")
        if row["unit"] not in RATE_UNITS:
            raise _fail(path, number, "unit", f"unknown unit {row['unit']!r}")
        if not row["scheme"] or (row["scheme"], valid_from) in seen:
            raise _fail(path, number, "scheme", "empty or repeated for the same date")
        seen.add((row["scheme"], valid_from))
        result.append(
            NationalRate(
                scheme=row["scheme"],
                name=row["name"],
                valid_from=valid_from,
                amount=amount.quantize(Decimal("0.01")),
                unit=row["unit"],
                source=row["source"],
                notes=row["notes"],
            )
        )
    return result


@cache
def _national() -> tuple[NationalRate, ...]:
    return tuple(read_rates())


def national_rates() -> list[NationalRate]:
    """The shipped national rates (read once)."""
    return list(_national())
