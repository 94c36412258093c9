"""Reading uploaded tables (CSV or Excel) for imports that validate first and write atomically.

Readers only parse; each import service validates every row and collects *all* problems as
:class:`RowError` (row number as the user sees it in the file, the column, the message) before it
writes anything in one transaction.

One mechanism for every importer: describe the columns once with :class:`ImportColumn` in an
:class:`ImportSpec`; the same description

- reads the file (:meth:`ImportSpec.read`): the Dutch column names, the English ones and the
  ``key`` itself are all accepted (case, spaces and underscores do not matter), and each row
  comes back keyed by ``key``, so the service's parsing does not change;
- reports problems under the column name the user knows (:meth:`ImportSpec.rejected`,
  :meth:`ImportSpec.require_columns`);
- offers a template to download (:meth:`ImportSpec.template_response`, or the ready-made view
  :func:`template_view`): a CSV or XLSX with the Dutch column names and one example row.

Example (an app's ``services.py``)::

    SITE_COLUMNS = ImportSpec(
        name="locaties",
        columns=(
            ImportColumn("name", _("Name"), example="Sportpark Noord", required=True),
            ImportColumn("latitude", _("Latitude"), example=Decimal("52.3401"), aliases=("lat",)),
            ImportColumn("capacity", _("Capacity"), example=120, help=_("Places")),
        ),
    )

    table = SITE_COLUMNS.read(content, filename)        # checks required columns too
    for number, cells in table.rows:                   # cells["name"], cells["latitude"], ...
        ...
    if errors:
        raise SITE_COLUMNS.rejected(errors)            # RowError(number, "latitude", ...) is
                                                       # shown as "kolom 'Breedtegraad'"

and its ``urls.py``: ``path("importeren/sjabloon/", template_view(SITE_COLUMNS), ...)`` (the
format comes from ``?format=csv`` or ``?format=xlsx``; XLSX by default).

Limits (each refusal is an :class:`ImportRejected` with a Dutch message, never a server error):
:data:`MAX_UPLOAD_BYTES` per file, :data:`MAX_ROWS` rows with data, :data:`MAX_CELL_CHARS`
characters in one cell. Excel files are streamed (``openpyxl`` read-only) and reading stops at
the row limit, so a huge sheet does not hold a worker; after :data:`MAX_EMPTY_RUN` empty rows in
a row the rest of a sheet is treated as empty (Excel keeps formatted empty rows).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from onderdak.common.exports import FORMULA_START, csv_row, download, export_row
from onderdak.common.validation import messages_by_field

#: Rows with data in one file (the largest import, integration cases of a big city, has a few
#: thousand; streaming this many Excel rows takes about half a second).
MAX_ROWS = 25_000
#: Bytes in one uploaded file (the upload form refuses larger files before they are read).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
#: Characters in one cell (a longer value is a row error naming row and column).
MAX_CELL_CHARS = 10_000
#: Empty rows in a row after which the rest of an Excel sheet is treated as empty.
MAX_EMPTY_RUN = 10_000
#: Bytes of an Excel file once unpacked, and of its table of texts (read as a whole).
MAX_XLSX_UNPACKED = 200 * 1024 * 1024
MAX_XLSX_TEXTS = 16 * 1024 * 1024
#: Columns read from an Excel sheet (cells further right are ignored).
MAX_COLUMNS = 200


@dataclass(frozen=True)
class RowError:
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.field:
            where.append(_("column '%(column)s'") % {"column": self.field})
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


def _reject(message: str, row: int | None = None, column: str | None = None) -> ImportRejected:
    return ImportRejected([RowError(row, column, message)])


@dataclass(frozen=True)
class Table:
    #: the column names (normalised; for an :class:`ImportSpec` the ``key`` of known columns)
    header: list[str]
    #: (row number in the file, values by column name as in ``header``)
    rows: list[tuple[int, dict[str, str]]]
    #: the column names as written in the file, in the order of ``header`` (for messages)
    written: list[str] = field(default_factory=list)

    def label(self, name: str) -> str:
        """The column name as written in the file for ``header`` name ``name``."""
        for index, candidate in enumerate(self.header):
            if candidate == name and index < len(self.written):
                return self.written[index] or name
        return name


def _normalise(name: Any) -> str:
    return str(name or "").strip().lower()


def _loose(name: Any) -> str:
    """A column name for matching: lower case, no accents that matter, ``_``/``-`` as spaces."""
    return re.sub(r"[\s_\-]+", " ", str(name or "").strip().lower())


@dataclass(frozen=True)
class ImportColumn:
    """One column of an import file.

    ``key``: the name the service reads (``cells[key]``; English, as it always was, and still
    accepted in the file). ``label``: the column name in the template, a translation
    (``gettext_lazy``; Dutch in the Dutch interface); both its Dutch and English forms are
    accepted. ``aliases``: other accepted names (old or common spellings). ``example``: the value
    in the template's example row (typed values are written in Dutch format: ``Decimal("52.34")``
    becomes ``52,34`` in CSV). ``required``: the file must have this column. ``help``: a short
    explanation, written on the template's second sheet.
    """

    key: str
    label: Any  # str or lazy translation
    example: Any = ""
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: Any = ""

    def names(self) -> set[str]:
        """Every accepted column name, matched loosely (see :func:`_loose`)."""
        names = {_loose(self.key), *(_loose(alias) for alias in self.aliases)}
        for language in ("nl", "en"):
            with translation.override(language):
                names.add(_loose(str(self.label)))
        return names


@dataclass(frozen=True)
class ImportSpec:
    """The columns of one import: reads files, names columns in messages, makes the template.

    ``name`` is the template's file name (without extension), e.g. ``"locaties"``.
    """

    name: str
    columns: tuple[ImportColumn, ...]

    def column(self, key: str) -> ImportColumn | None:
        return next((column for column in self.columns if column.key == key), None)

    def label(self, key: str | None) -> str | None:
        """The column name a user knows for ``key`` (the translated label; unknown keys as is)."""
        if key is None:
            return None
        column = self.column(key)
        return str(column.label) if column is not None else key

    def read(self, content: bytes, filename: str, *, sheet: int = 0) -> Table:
        """Read the file (see :func:`read_table`), rename its columns to the keys and check that
        every required column is there (else :class:`ImportRejected` naming each missing one)."""
        table = read_table(content, filename, sheet=sheet)
        lookup: dict[str, str] = {}
        for column in self.columns:
            for name in column.names():
                lookup.setdefault(name, column.key)
        header: list[str] = []
        errors: list[RowError] = []
        for written, name in zip(table.written, table.header, strict=True):
            key = lookup.get(_loose(name), name)
            if key and key in header:
                errors.append(
                    RowError(None, written, _("this column occurs more than once in the file"))
                )
            header.append(key)
        errors.extend(
            RowError(None, str(column.label), _("the column is missing"))
            for column in self.columns
            if column.required and column.key not in header
        )
        if errors:
            raise ImportRejected(errors)
        rows = [
            (
                number,
                {key: cells.get(old, "") for old, key in zip(table.header, header, strict=True)},
            )
            for number, cells in table.rows
        ]
        return Table(header, rows, table.written)

    def rejected(self, errors: Iterable[RowError]) -> ImportRejected:
        """:class:`ImportRejected` with each error's column named by its label (raise it)."""
        return ImportRejected(
            RowError(error.row, self.label(error.field), error.message) for error in errors
        )

    def require_columns(self, table: Table, *keys: str) -> None:
        """Refuse the file when one of ``keys`` is not a column of ``table`` (for columns that
        are required only in some cases)."""
        missing = [key for key in keys if key not in table.header]
        if missing:
            raise ImportRejected(
                RowError(None, self.label(key), _("the column is missing")) for key in missing
            )

    def template_response(self, fmt: str = "xlsx") -> HttpResponse:
        """The template as a download: the column labels, one example row; XLSX also has a
        second sheet that explains each column. ``fmt`` is ``"csv"`` or ``"xlsx"``."""
        header = [str(column.label) for column in self.columns]
        example = [column.example for column in self.columns]
        template = _("template")
        filename = f"{self.name}-{template}.{'csv' if fmt == 'csv' else 'xlsx'}"
        if fmt == "csv":
            text = io.StringIO()
            writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
            writer.writerow(csv_row(header))
            writer.writerow(csv_row(example))
            return download("\ufeff" + text.getvalue(), filename)
        else:
            from openpyxl import Workbook
            from openpyxl.styles import Font

            workbook = Workbook()
            sheet = workbook.active
            assert sheet is not None
            sheet.title = _("Import")[:31]
            sheet.append(export_row(header))
            sheet.append(export_row(example))
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            explanation = workbook.create_sheet(_("Explanation")[:31])
            explanation.append(export_row([_("Column"), _("Required"), _("Explanation")]))
            for cell in explanation[1]:
                cell.font = Font(bold=True)
            for column in self.columns:
                explanation.append(
                    export_row(
                        [
                            str(column.label),
                            _("yes") if column.required else _("no"),
                            str(column.help),
                        ]
                    )
                )
            buffer = io.BytesIO()
            workbook.save(buffer)
            return download(buffer.getvalue(), filename)


def template_view(spec: ImportSpec) -> Callable[[HttpRequest], HttpResponse]:
    """A view (login required) that downloads ``spec``'s template; ``?format=csv`` or ``xlsx``."""

    @login_required
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
        return spec.template_response(fmt)

    return view


class MissingSheet(ImportRejected):
    """The Excel file has no sheet at the position asked (a CSV file has only the first)."""


def read_table(content: bytes, filename: str, *, sheet: int = 0) -> Table:
    """CSV (comma or semicolon, UTF-8 with or without BOM) or XLSX (the ``sheet``-th sheet,
    0 the first; :class:`MissingSheet` when there is none). Column names are lower-cased;
    prefer :meth:`ImportSpec.read`, which also maps Dutch names to keys."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise _reject(
            _("the file is larger than %(size)s MB")
            % {"size": number_format(MAX_UPLOAD_BYTES // (1024 * 1024))}
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(content, sheet)
    if filename.lower().endswith((".csv", ".txt")):
        if sheet:
            raise MissingSheet([RowError(None, None, _("a CSV file has only one sheet"))])
        return _read_csv(content)
    raise _reject(_("use a .csv or .xlsx file"))


def _read_csv(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _reject(_("the file is not UTF-8 text")) from None
    first_line = text.splitlines()[0] if text else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    # the cell limit is checked per cell below (naming row and column), not by the csv module
    csv.field_size_limit(max(csv.field_size_limit(), MAX_UPLOAD_BYTES))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return _table(enumerate(_csv_records(reader), start=1))


def _csv_records(reader: Any) -> Iterator[list[str]]:
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _reject(
                _("the CSV file cannot be read here (%(reason)s)") % {"reason": error},
                row=reader.line_num,
            ) from None
        yield record


def _xlsx_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(content: bytes, sheet: int = 0) -> Table:
    """The ``sheet``-th worksheet (0: the first), streamed: openpyxl's reader for the workbook parts (shared strings,
    styles for dates), its row parser for the sheet, stopping at the limits. (``load_workbook``
    even in read-only mode scans a whole sheet that lacks a ``<dimension>`` before the first
    row: seconds for a large file.)"""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import WorkSheetParser

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        sizes = {info.filename: info.file_size for info in archive.infolist()}
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _reject(_("the Excel file cannot be read")) from None
    if (
        sum(sizes.values()) > MAX_XLSX_UNPACKED
        or sizes.get("xl/sharedStrings.xml", 0) > MAX_XLSX_TEXTS
    ):
        raise _reject(_("the Excel file is too large when unpacked; split it into smaller files"))
    try:
        reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_workbook()
        paths = [
            rel.target
            for _sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
    except Exception:
        raise _reject(_("the Excel file cannot be read")) from None
    if sheet >= len(paths):
        reader.archive.close()
        if not paths:
            raise _reject(_("the Excel file cannot be read"))
        raise MissingSheet(
            [
                RowError(
                    None, None, _("the Excel file has no sheet %(number)s") % {"number": sheet + 1}
                )
            ]
        )
    path = paths[sheet]
    try:
        with reader.archive.open(path) as source:
            declared = _declared_rows(source)
        if declared is not None and declared > MAX_ROWS + 1 + MAX_EMPTY_RUN:
            raise _too_many_rows(None)
        try:
            reader.read_strings()
            apply_stylesheet(reader.archive, reader.wb)
        except Exception:
            raise _reject(_("the Excel file cannot be read")) from None
        with reader.archive.open(path) as source:
            parser = WorkSheetParser(
                source,
                reader.shared_strings,
                data_only=True,
                epoch=reader.wb.epoch,
                date_formats=getattr(reader.wb, "_date_formats", set()),
                timedelta_formats=getattr(reader.wb, "_timedelta_formats", set()),
            )
            return _table(_xlsx_records(parser), stop_after_empty=MAX_EMPTY_RUN)
    except ImportRejected:
        raise
    except Exception:
        raise _reject(_("the Excel file cannot be read")) from None
    finally:
        reader.archive.close()


def _xlsx_records(parser: Any) -> Iterator[tuple[int, list[str]]]:
    """(row number in the sheet, values by column) for the rows the sheet holds."""
    for number, cells in parser.parse():
        values: list[str] = []
        for cell in cells:
            column = int(cell["column"])
            if column > MAX_COLUMNS:
                continue
            values.extend([""] * (column - 1 - len(values)))
            values.append(_xlsx_value(cell["value"]))
        yield number, values


def _declared_rows(source: Any) -> int | None:
    """The last row a sheet declares in its ``<dimension>`` (read up to its first row)."""
    from openpyxl.worksheet._reader import DIMENSION_TAG, ROW_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    try:
        for _event, element in iterparse(source):
            if element.tag == DIMENSION_TAG:
                dimension: Any = SheetDimension.from_tree(element)
                boundaries = dimension.boundaries if dimension is not None else None
                return int(boundaries[3]) if boundaries else None
            if element.tag == ROW_TAG:
                return None
            element.clear()
    except Exception:
        return None
    return None


def _too_many_rows(row: int | None) -> ImportRejected:
    return _reject(
        _("the file has more than %(limit)s rows; split it into smaller files")
        % {"limit": number_format(MAX_ROWS, force_grouping=True)},
        row=row,
    )


def _table(
    records: Iterable[tuple[int, list[str]]], *, stop_after_empty: int | None = None
) -> Table:
    """The first record is the header; the others are rows (numbered as in the file)."""
    iterator = iter(records)
    first = next(iterator, None)
    if first is None:
        raise _reject(_("the file is empty"))
    header_number, names = first
    written = [str(name or "").strip() for name in names]
    header = [_normalise(name) for name in written]
    for index, name in enumerate(written):
        if len(name) > 200:
            raise _reject(_("a column name is too long"), row=header_number, column=str(index + 1))
    rows: list[tuple[int, dict[str, str]]] = []
    empty_run = 0
    previous = header_number
    for number, values in iterator:
        empty_run += number - previous - 1  # rows a sheet leaves out are empty
        previous = number
        if not any(str(v).strip() for v in values):
            empty_run += 1
        if stop_after_empty is not None and empty_run >= stop_after_empty:
            break
        if not any(str(v).strip() for v in values):
            continue
        empty_run = 0
        if len(rows) >= MAX_ROWS:
            raise _too_many_rows(number)
        cells: dict[str, str] = {}
        for i, name in enumerate(header):
            value = str(values[i]).strip() if i < len(values) else ""
            if value[:1] == "'" and value[1:2] and value[1] in FORMULA_START:
                value = value[1:]  # the escape our exports put before a formula start
            if len(value) > MAX_CELL_CHARS:
                raise _reject(
                    _("the value is longer than %(limit)s characters")
                    % {"limit": number_format(MAX_CELL_CHARS, force_grouping=True)},
                    row=number,
                    column=written[i] or str(i + 1),
                )
            cells[name] = value
        rows.append((number, cells))
    return Table(header, rows, written)


#: The ways a date is written in an import: ISO, Dutch (as Dutch Excel writes it), with
#: slashes, and as an Excel date cell comes (ISO with a time).
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S")


def read_date(text: str) -> date | None:
    """``text`` as a date in one of :data:`DATE_FORMATS`, else ``None``."""
    text = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - only the date is used
        except ValueError:
            continue
    return None


def parse_date(value: str, *, row: int, field: str, errors: list[RowError]) -> date | None:
    """A date (see :func:`read_date`), else an error naming the value (``None``)."""
    day = read_date(value)
    if day is None:
        errors.append(
            RowError(
                row,
                field,
                _("not a valid date (use dd-mm-yyyy or yyyy-mm-dd): '%(value)s'")
                % {"value": value},
            )
        )
    return day


def parse_whole_number(
    value: str, *, row: int, field: str, errors: list[RowError], minimum: int = 0
) -> int | None:
    """A whole number >= minimum (dots or spaces as thousands separators allowed), else an error."""
    cleaned = value.replace(" ", "").replace("\u00a0", "")
    if cleaned.count(".") and all(len(part) == 3 for part in cleaned.split(".")[1:]):
        cleaned = cleaned.replace(".", "")
    try:
        number = int(cleaned) if len(cleaned) <= 18 else None
    except ValueError:
        number = None
    if number is None:
        errors.append(RowError(row, field, _("not a whole number: '%(value)s'") % {"value": value}))
        return None
    if number < minimum:
        errors.append(
            RowError(
                row,
                field,
                _("must be at least %(minimum)s, not %(value)s")
                % {"minimum": minimum, "value": number},
            )
        )
        return None
    return number


def parse_decimal(
    value: str,
    *,
    row: int,
    field: str,
    errors: list[RowError],
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
) -> Decimal | None:
    """A decimal number written the Dutch way (``52,34``, ``1.234,5``) or the English way
    (``52.34``, as Excel cells come), within [minimum, maximum]; else an error (``None``)."""
    cleaned = value.strip().replace(" ", "").replace("\u00a0", "")
    if "," in cleaned:  # Dutch: dots group thousands, the comma is the decimal sign
        cleaned = cleaned.replace(".", "").replace(",", ".")
    number: Decimal | None
    try:
        number = Decimal(cleaned) if 0 < len(cleaned) <= 30 else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number.adjusted() > 15:
        errors.append(RowError(row, field, _("not a number: '%(value)s'") % {"value": value}))
        return None
    if minimum is not None and number < minimum:
        errors.append(
            RowError(
                row, field, _("must be at least %(minimum)s") % {"minimum": number_format(minimum)}
            )
        )
        return None
    if maximum is not None and number > maximum:
        errors.append(
            RowError(
                row, field, _("must be at most %(maximum)s") % {"maximum": number_format(maximum)}
            )
        )
        return None
    return number
