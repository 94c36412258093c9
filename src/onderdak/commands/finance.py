"""``onderdak finance cost``: price occupancy at the standard rates, without a database.

The contract, as issue 13 states it ("Command line (stable contract; no database needed)"):

`onderdak finance cost --rates RATES.csv --occupancy OCC.csv [--out FILE.csv]`
- `RATES.csv` columns `scheme,valid_from,amount,unit`: `scheme` a free code (e.g. `goo`),
  `valid_from` an ISO date, `amount` euros with at most 2 decimals, `unit` `place_day` or
  `person_month`. A scheme's rate on a day is the one with the latest `valid_from` on or before it.
- `OCC.csv` columns `scheme,from,until,count`: `count` places (or persons) present on every day
  from `from` up to but not including `until` (ISO dates); rows may overlap and then add up.
- Output CSV `month,scheme,quantity,amount`, one line per calendar month (`YYYY-MM`) and scheme
  with any presence, sorted by month then scheme: `quantity` is the sum over the month's days of the
  count (place-days or person-days), `amount` the exact sum over those days of count x the day's
  rate, divided by the number of days in that month for `person_month`, rounded half up to cents
  (two decimals always written). The last stdout line is `total=<sum of the rounded amounts>`.
- Exit code 2 with file, row and column for: an unknown scheme, a day before a scheme's first rate,
  `until` not after `from`, a negative count, more than 2 decimals, unknown unit, malformed dates.

Details and decisions (``docs/engines/finance.md``):

* Without ``--out`` the CSV and then the ``total=`` line go to stdout; with ``--out`` the CSV
  (without the total) goes to the file and stdout holds only the ``total=`` line (as
  ``onderdak placement``). ``total=0.00`` and no data lines for an OCC.csv with only a header.
* "Any presence" means quantity > 0: a month whose rows all have count 0 has no line.
* Rows are numbered as in every CSV contract here: the header is row 1, the first data row
  row 2; blank rows are skipped but counted. Column names are matched case-insensitively,
  extra columns are allowed and ignored, values are stripped.
* Amounts: digits with an optional point and at most 2 decimals (``83``, ``83.5``, ``83.50``;
  ``83.505`` and ``83.500`` have more than 2 decimals); ``1e2``, ``83,50`` are not a number;
  a negative amount is refused (a rate is income). Counts: whole numbers >= 0. Dates:
  ``YYYY-MM-DD`` calendar dates. Units: exactly ``place_day`` or ``person_month``.
* A scheme has one unit: a second unit for a scheme is an error (at the row of the second).
  Two rates of a scheme valid from the same day with different amounts are an error (at the
  second row); an exact repetition is accepted.
* Every OCC.csv row is checked the same way, also one with count 0 (it prices nothing but a
  row naming an unknown scheme or starting before the first rate is still an error). A day
  before the first rate is reported at the row's ``from`` column (its first day).
* Errors are one line on stderr, ``error: OCC.csv, row 3, column 'scheme': unknown scheme
  'xyz' (not in RATES.csv)``, exit code 2; the first error in file order (RATES.csv before
  OCC.csv) is reported. Never a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from onderdak.commands.common import (
    ROW_COLUMN_WORDING,
    WHOLE,
    CommandError,
    Parser,
    csv_rows,
    run,
    write_csv,
)
from onderdak.engines.finance import (
    FinanceInputError,
    Presence,
    Rate,
    RateTable,
    Unit,
    line_total,
    price,
)

#: The sub-commands of ``onderdak finance`` that this module answers without a database.
SUBCOMMANDS = frozenset({"cost"})
RATE_COLUMNS = ("scheme", "valid_from", "amount", "unit")
OCCUPANCY_COLUMNS = ("scheme", "from", "until", "count")
OUTPUT_HEADER = ("month", "scheme", "quantity", "amount")
#: Euros as the contract accepts them: digits with an optional point and decimals.
_AMOUNT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: The CSV column of each field of the engine's records.
_RATE_FIELDS = {"scheme": "scheme", "valid_from": "valid_from", "amount": "amount", "unit": "unit"}
_PRESENCE_FIELDS = {"scheme": "scheme", "start": "from", "until": "until", "count": "count"}
_CSV_WORDING = ROW_COLUMN_WORDING


def main(argv: list[str]) -> int:
    """Run ``onderdak finance cost ...``; returns the exit code (0 answer, 2 input)."""
    return run(_parser(), argv, _cost, input_errors=(FinanceInputError,))


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="onderdak finance",
        description="Finance without a database: price occupancy at the standard rates.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cost = commands.add_parser(
        "cost",
        help="price occupancy per calendar month and scheme at the standard rates",
        description=(
            "Price the occupancy in OCC.csv (scheme,from,until,count) at the rates in "
            "RATES.csv (scheme,valid_from,amount,unit; unit place_day or person_month). "
            "Writes CSV month,scheme,quantity,amount, one line per month and scheme, amounts "
            "rounded half up to cents, then the line 'total=<sum>'. "
            "See docs/engines/finance.md."
        ),
    )
    cost.add_argument("--rates", required=True, type=Path, metavar="RATES.csv")
    cost.add_argument("--occupancy", required=True, type=Path, metavar="OCC.csv")
    cost.add_argument("--out", type=Path, metavar="FILE.csv", help="write the CSV here")
    return parser


def _cost(args: argparse.Namespace) -> int:
    rate_rows: list[int] = []
    try:
        table = RateTable(_read_rates(args.rates, rate_rows))
    except FinanceInputError as error:
        raise _located(error, args.rates, rate_rows, _RATE_FIELDS, args.rates) from None
    presence_rows: list[int] = []
    try:
        lines = price(table, _read_occupancy(args.occupancy, presence_rows, table, args.rates))
    except FinanceInputError as error:
        raise _located(error, args.occupancy, presence_rows, _PRESENCE_FIELDS, args.rates) from None
    rows = [[line.month, line.scheme, str(line.quantity), f"{line.amount:.2f}"] for line in lines]
    write_csv(args.out, OUTPUT_HEADER, rows)
    sys.stdout.write(f"total={line_total(lines):.2f}\n")
    return 0


def _located(
    error: FinanceInputError, path: Path, rows: list[int], fields: dict[str, str], rates: Path
) -> CommandError:
    """An engine error as ``file, row, column`` (``rows`` holds each record's row)."""
    index = error.params.get("index")
    if not isinstance(index, int) or not 0 <= index < len(rows):  # pragma: no cover
        return CommandError(f"{path}: {error}")
    column = fields.get(error.field or "", error.field)
    params = error.params
    scheme, day = params.get("scheme"), params.get("day")
    message = error.message
    if error.code == "unknown_scheme":
        message = f"unknown scheme '{scheme}' (not in {rates})"
    elif error.code == "before_first_rate":
        first = params["first_valid_from"]
        assert isinstance(day, date)
        assert isinstance(first, date)
        message = (
            f"{day.isoformat()} is before the first rate of scheme '{scheme}' (valid from "
            f"{first.isoformat()} in {rates})"
        )
    elif error.code == "empty_period":
        message = "until is not after from"
    elif error.code == "mixed_units":
        message = (
            f"scheme '{scheme}' has unit {params['unit']} in an earlier row, not "
            f"{params['value']} (one unit per scheme)"
        )
    elif error.code == "duplicate_rate":
        assert isinstance(day, date)
        message = (
            f"scheme '{scheme}' already has the amount {params['amount']} from "
            f"{day.isoformat()} in an earlier row, not {params['value']}"
        )
    return CommandError(f"{path}, row {rows[index]}, column '{column}': {message}")


# --------------------------------------------------------------------------------------------
# Reading CSV
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    path: Path
    number: int
    values: dict[str, str]

    def where(self, column: str) -> str:
        return f"{self.path}, row {self.number}, column '{column}'"

    def __getitem__(self, column: str) -> str:
        return self.values[column]


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[_Row]:
    """The data rows (the header is row 1; blank rows are skipped but counted)."""
    for number, values in csv_rows(path, required, _CSV_WORDING):
        yield _Row(path, number, values)


def _read_rates(path: Path, numbers: list[int]) -> Iterator[Rate]:
    """The rates of RATES.csv, one per row, in order; ``numbers`` gets each one's row."""
    for row in _rows(path, RATE_COLUMNS):
        scheme = _text(row, "scheme")
        valid_from = _date(row, "valid_from")
        amount = _amount(row, "amount")
        unit_text = _text(row, "unit")
        try:
            unit = Unit(unit_text)
        except ValueError:
            raise CommandError(
                f"{row.where('unit')}: unknown unit '{unit_text}' (use place_day or person_month)"
            ) from None
        numbers.append(row.number)
        yield Rate(scheme, valid_from, amount, unit)


def _read_occupancy(
    path: Path, numbers: list[int], table: RateTable, rates: Path
) -> Iterator[Presence]:
    """The presences of OCC.csv, one per row, in order; ``numbers`` gets each one's row."""
    for row in _rows(path, OCCUPANCY_COLUMNS):
        scheme = _text(row, "scheme")
        if scheme not in table:
            raise CommandError(f"{row.where('scheme')}: unknown scheme '{scheme}' (not in {rates})")
        start = _date(row, "from")
        until = _date(row, "until")
        count = _count(row, "count")
        numbers.append(row.number)
        yield Presence(scheme, start, until, count)


def _text(row: _Row, column: str) -> str:
    value = row[column]
    if not value:
        raise CommandError(f"{row.where(column)}: value missing")
    return value


def _date(row: _Row, column: str) -> date:
    value = _text(row, column)
    if not _ISO_DATE.fullmatch(value):
        raise CommandError(f"{row.where(column)}: not a date of the form YYYY-MM-DD: '{value}'")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{row.where(column)}: not a calendar date: '{value}'") from None


def _amount(row: _Row, column: str) -> Decimal:
    value = _text(row, column)
    if not _AMOUNT.fullmatch(value):
        raise CommandError(f"{row.where(column)}: not an amount in euros: '{value}'")
    try:
        amount = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise CommandError(f"{row.where(column)}: not an amount in euros: '{value}'") from None
    if amount < 0:
        raise CommandError(f"{row.where(column)}: must not be negative: {value}")
    if "." in value and len(value.split(".", 1)[1]) > 2:
        raise CommandError(f"{row.where(column)}: more than 2 decimals: {value}")
    return amount


def _count(row: _Row, column: str) -> int:
    value = _text(row, column)
    if not WHOLE.fullmatch(value):
        raise CommandError(f"{row.where(column)}: not a whole number: '{value}'")
    count = int(value)
    if count < 0:
        raise CommandError(f"{row.where(column)}: must not be negative: {count}")
    return count
