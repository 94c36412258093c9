"""One way out: every value written to a downloaded file (CSV, Excel, Word) passes through here.

- *Formula injection* (OWASP "CSV Injection"): a text that begins with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return is written with a leading apostrophe, so that a spreadsheet
  shows it as text instead of running it as a formula; Excel cells are never formulas.
- Characters that XML 1.0 forbids (NUL, ``\\x0b`` and the other C0 controls except tab, line feed
  and carriage return) are removed, since one of them makes an XLSX or Word file unreadable.
- Dutch formats for people who open a CSV in Dutch Excel (semicolon-separated): decimal comma,
  dates as dd-mm-jjjj, ``ja``/``nee``.
- Excel: :func:`write_rows` appends rows to a worksheet with every text cell typed as text (never
  a formula). Word: :func:`word_text` for every run or cell.
- Dutch numbers where people read them (Word reports, pages through the ``od_formats`` template
  filters): :func:`format_number` ("1.234,5"), :func:`format_percent` ("8,0%"),
  :func:`format_money` ("€ 1.234,56").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def safe_text(value: str) -> str:
    """``value`` without the characters that XML 1.0 does not allow."""
    return _XML_ILLEGAL.sub("", value)


def neutralise(value: str) -> str:
    """``value`` safe for a spreadsheet: illegal characters removed, a formula start escaped."""
    text = safe_text(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def _local(value: datetime) -> datetime:
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def export_cell(value: Any) -> Any:
    """A value for an Excel cell: numbers, dates and empty stay typed; everything else is
    neutralised text (so never a formula); aware datetimes in local time."""
    if isinstance(value, datetime):
        return _local(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (int, float, Decimal, date)) or value is None:
        return value
    return neutralise(str(value))


def export_row(values: Iterable[Any]) -> list[Any]:
    return [export_cell(value) for value in values]


def csv_cell(value: Any) -> str:
    """A value for a Dutch CSV (read by Dutch Excel): decimal comma, dd-mm-jjjj dates."""
    value = export_cell(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return str(value)


def csv_row(values: Iterable[Any]) -> list[str]:
    return [csv_cell(value) for value in values]


def write_rows(sheet: Any, rows: Iterable[Iterable[Any]]) -> None:
    """Append ``rows`` to an openpyxl worksheet through :func:`export_row`; text cells are typed
    as text explicitly, so no value can become a formula."""
    for values in rows:
        sheet.append(export_row(values))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def word_text(value: Any) -> str:
    """A value for a Word document (python-docx): text without XML-illegal characters; numbers,
    dates and ``None`` in Dutch format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return _local(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, (int, float, Decimal)):
        return format_number(value)
    return safe_text(str(value))


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_number(value: Any, decimals: int | None = None) -> str:
    """A number the Dutch way: ``1234.5`` -> "1.234,5" (thousands grouped; ``decimals`` fixed
    when given, rounded half up); not a number -> the value as text ("" for ``None``)."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else safe_text(str(value))
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    return number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_percent(value: Any, decimals: int = 1, *, fraction: bool = True) -> str:
    """A share as a Dutch percentage: ``0.08`` -> "8,0%" (``fraction=False``: ``8`` -> "8,0%")."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else safe_text(str(value))
    return format_number(number * 100 if fraction else number, decimals) + "%"


def format_money(value: Any, decimals: int = 2) -> str:
    """An amount in euro the Dutch way: ``1234.5`` -> "€ 1.234,50", ``-5`` -> "€ -5,00"."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else safe_text(str(value))
    return "\u20ac\u00a0" + format_number(number, decimals)


#: The media type of each kind of file Onderdak hands out.
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ics": "text/calendar; charset=utf-8",
    "xml": "application/xml",
    "svg": "image/svg+xml; charset=utf-8",
}


def download(content: bytes | str, filename: str) -> HttpResponse:
    """A file to save (``Content-Disposition: attachment``) with the media type its extension
    names; the file name is ASCII (slugify it first), the content already made safe here."""
    extension = filename.rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
