"""One way out: every value written to a downloaded file (CSV, Excel, Word) passes through here.

- *Formula injection* (OWASP "CSV Injection"): a text that begins with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return is written with a leading apostrophe, so that a spreadsheet
  shows it as text instead of running it as a formula; Excel cells are never formulas.
- Characters that XML 1.0 forbids (NUL, ``\\x0b`` and the other C0 controls except tab, line feed
  and carriage return) are removed, since one of them makes an XLSX or Word file unreadable.
- Dutch formats for people who open a CSV in Dutch Excel (semicolon-separated): decimal comma,
  dates as dd-mm-jjjj, ``ja``/``nee``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
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
