"""What every engine command shares: one-line errors and the exit codes of the contract
(0 an answer, 1 the solver failed, 2 the input or the arguments are wrong), reading and
writing their CSV files, and the number formats of their outputs."""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NoReturn, TextIO

#: A whole number with an optional sign (``-3``, ``+7``); the caller strips the text.
WHOLE = re.compile(r"[+-]?\d+")
#: A decimal number as the CSV contracts accept it: digits with an optional point, sign and
#: exponent (``1``, ``-.5``, ``2.5e3``), but not ``inf``, ``nan`` or ``1_000``.
DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


class CommandError(Exception):
    """A user error: printed as one line on stderr, exit code 2."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (exit code 2), like every other error here."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def run(
    parser: argparse.ArgumentParser,
    argv: Sequence[str],
    action: Callable[[argparse.Namespace], int],
    *,
    input_errors: tuple[type[Exception], ...] = (),
    solver_errors: tuple[type[Exception], ...] = (),
) -> int:
    """Parse ``argv`` and run ``action``; every error becomes one line on stderr and its code:
    2 for usage errors, :class:`CommandError`, ``input_errors`` and unreadable files, 1 for
    ``solver_errors``."""
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
        return stop.code if isinstance(stop.code, int) else 2
    user_errors: tuple[type[Exception], ...] = (CommandError, *input_errors)
    try:
        return action(args)
    except user_errors as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return 2
    except solver_errors as error:
        print(f"error: solver: {error}", file=sys.stderr)
        return 1


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def require_file(path: Path, shown: str | None = None) -> None:
    """:class:`CommandError` ``<path>: file not found`` unless ``path`` is a file (``shown`` is
    the name the message uses, by default the path)."""
    if not path.is_file():
        raise CommandError(f"{path if shown is None else shown}: file not found")


def decode_text(raw: bytes, shown: object) -> str:
    """``raw`` as UTF-8 (a byte order mark is dropped); else :class:`CommandError`
    ``<shown>: not UTF-8 text (<reason> at byte <n>)``."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{shown}: not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None


# --------------------------------------------------------------------------------------------
# Reading CSV
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CsvWording:
    """How one command words the errors of its CSV files.

    The commands' contracts were written one by one and are checked to the letter, so where
    their words differ the difference is kept here, as a parameter, rather than made alike.
    The message templates take ``{path}``, ``{row}``, ``{column}`` (a name, or for
    ``more_values`` the 1-based position of the first surplus value), ``{expected}`` (the
    expected header) and ``{first}`` (its first column).
    """

    empty: str
    """The header row is missing (see ``header``)."""
    missing: str
    """A required column is not in the header (the first missing one, in required order)."""
    twice: str
    """A column name appears twice (case-insensitive; empty names do not count)."""
    more_values: str
    """A data row has more values than the header has columns."""
    separator: str | None = None
    """A header of one cell holding ``;`` (a file with ``;`` as separator); None: no check."""
    first_row: str | None = None
    """With ``header="first non-blank"``: blank rows stand before the header."""
    header: Literal["first", "first, not blank", "first non-blank"] = "first, not blank"
    """Which row is the header. ``first``: row 1 whatever it holds (``empty`` only when the
    file has no row at all); ``first, not blank``: row 1, and ``empty`` when it is missing or
    blank; ``first non-blank``: the first non-blank row, ``empty`` when there is none and
    ``first_row`` when it is not row 1."""
    twice_first: Literal["in header order", "alphabetical"] = "in header order"
    """Which duplicated column ``twice`` names when there are several."""
    unreadable_row: Literal["line", "line, at least 1", "header only"] = "line"
    """The row an unreadable file (bad UTF-8, a broken quote, a field over the size limit)
    is reported at: the reader's line number (0 before the first line is read), that number
    but at least 1, or row 1 while the header is read and no row after it."""


#: The wording of ``onderdak placement``, which ``finance cost`` and ``plan cpm`` share: every
#: message names file, row (the header is row 1) and column.
ROW_COLUMN_WORDING = CsvWording(
    empty="{path}, row 1: empty file, expected the header {expected}",
    missing="{path}, row 1, column '{column}': column missing",
    twice="{path}, row 1, column '{column}': column appears twice",
    more_values="{path}, row {row}, column {column}: more values than columns",
    separator="{path}, row 1: the file uses ';' as separator; use ',' (expected {expected})",
    header="first, not blank",
    twice_first="in header order",
    unreadable_row="line, at least 1",
)


def csv_records(path: Path, wording: CsvWording) -> Iterator[tuple[int, list[str]]]:
    """(row number, stripped cells) per row of the CSV file ``path``, blank rows included;
    the header is row 1. UTF-8 (a byte order mark is dropped), any line ending; a file that
    cannot be read as CSV raises :class:`CommandError` ``<path>[, row <n>]: unreadable CSV
    (<reason>)`` as ``wording.unreadable_row`` says."""
    require_file(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        number = 0
        try:
            for number, values in enumerate(reader, start=1):
                yield number, [value.strip() for value in values]
        except (csv.Error, UnicodeDecodeError) as error:
            if wording.unreadable_row == "header only":
                where = f"{path}, row 1" if number == 0 else str(path)
            elif wording.unreadable_row == "line, at least 1":
                where = f"{path}, row {reader.line_num or 1}"
            else:
                where = f"{path}, row {reader.line_num}"
            raise CommandError(f"{where}: unreadable CSV ({error})") from None


def is_blank(cells: Sequence[str]) -> bool:
    """Whether a row of stripped cells holds nothing (such rows are skipped but counted)."""
    return not any(cells)


def csv_header(
    path: Path,
    records: Iterator[tuple[int, list[str]]],
    wording: CsvWording,
    expected: str,
) -> list[str]:
    """The header row (stripped cells) of ``records``, found as ``wording.header`` says and
    checked for a ``;`` separator; the records after it stay in ``records``."""
    first = expected.split(",", 1)[0]
    words = {"path": path, "expected": expected, "first": first}
    if wording.header == "first non-blank":
        found = next(((n, cells) for n, cells in records if not is_blank(cells)), None)
        if found is not None and found[0] != 1 and wording.first_row is not None:
            raise CommandError(wording.first_row.format(**words, row=found[0]))
    else:
        found = next(records, None)
        if found is not None and wording.header == "first, not blank" and is_blank(found[1]):
            found = None
    if found is None:
        raise CommandError(wording.empty.format(**words))
    header = found[1]
    if wording.separator is not None and len(header) == 1 and ";" in header[0]:
        raise CommandError(wording.separator.format(**words))
    return header


def check_columns(
    path: Path, header: Sequence[str], required: Sequence[str], wording: CsvWording
) -> None:
    """:class:`CommandError` unless every ``required`` column is in ``header`` (casefolded)
    and no column name appears twice."""
    for column in required:
        if column not in header:
            raise CommandError(wording.missing.format(path=path, column=column))
    duplicated = [column for column in header if column and header.count(column) > 1]
    if duplicated:
        column = min(duplicated) if wording.twice_first == "alphabetical" else duplicated[0]
        raise CommandError(wording.twice.format(path=path, column=column))


def csv_rows(
    path: Path, required: Sequence[str], wording: CsvWording
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, column -> stripped value) per non-blank data row of the CSV file ``path``
    (the header is row 1; column names casefolded; short rows padded with empty values;
    columns without a name left out). The header must hold the ``required`` columns."""
    records = csv_records(path, wording)
    header = [cell.casefold() for cell in csv_header(path, records, wording, ",".join(required))]
    check_columns(path, header, required, wording)
    width = len(header)
    for number, cells in records:
        if is_blank(cells):
            continue
        if len(cells) > width:
            raise CommandError(wording.more_values.format(path=path, row=number, column=width + 1))
        padded = cells + [""] * (width - len(cells))
        yield (
            number,
            {column: value for column, value in zip(header, padded, strict=True) if column},
        )


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def write_csv(out: Path | None, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """The header and rows as CSV (lines end in ``\\n``, UTF-8) to ``out``, or to standard
    output when ``out`` is None."""
    if out is None:
        _write_rows(sys.stdout, header, rows)
    else:
        with out.open("w", encoding="utf-8", newline="") as handle:
            _write_rows(handle, header, rows)


def _write_rows(stream: TextIO, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def format_float(value: float) -> str:
    """Python's shortest round-trip form of ``value`` as a float; -0.0 is written as 0.0."""
    return repr(float(value) + 0.0)
