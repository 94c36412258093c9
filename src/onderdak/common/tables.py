"""Lists as users expect them: search, sorting, pagination and export to CSV or Excel.

A view describes its columns once; the same description drives the HTML table, the sort links
and the exported file, so what a user sees is what they download.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from onderdak.common.exports import csv_row, download, write_rows

EXPORT_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    """One column: ``key`` in the URL, a translated ``label``, how to read and sort it."""

    key: str
    label: Any  # str or lazy translation
    value: Callable[[Any], Any]
    order_by: str | None = None  # ORM expression; None means not sortable
    numeric: bool = False


@dataclass(frozen=True)
class TableState:
    columns: Sequence[Column]
    page: Page[Any]
    query: str
    sort: str
    descending: bool
    total: int

    def rows(self) -> list[list[Any]]:
        return [[column.value(item) for column in self.columns] for item in self.page.object_list]


def apply_search(queryset: QuerySet[Any], query: str, fields: Sequence[str]) -> QuerySet[Any]:
    """Every word must occur (case-insensitively) in at least one of ``fields``."""
    for word in query.split():
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def apply_sort(
    queryset: QuerySet[Any], columns: Sequence[Column], sort: str, default: str
) -> tuple[QuerySet[Any], str, bool]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    by_key = {column.key: column for column in columns if column.order_by}
    if key not in by_key:
        descending = default.startswith("-")
        key = default.lstrip("-")
    order = by_key[key].order_by
    assert order is not None
    primary = f"-{order}" if descending else order
    return queryset.order_by(primary, "pk"), key, descending


def table_state(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    columns: Sequence[Column],
    search_fields: Sequence[str],
    default_sort: str,
    page_size: int = 25,
) -> TableState:
    query = request.GET.get("q", "").strip()[:200]
    filtered = apply_search(queryset, query, search_fields)
    ordered, sort, descending = apply_sort(
        filtered, columns, request.GET.get("sort", ""), default_sort
    )
    paginator = Paginator(ordered, page_size)
    page = paginator.get_page(request.GET.get("page"))
    return TableState(columns, page, query, sort, descending, paginator.count)


#: Rows in one export (a list page shows a page; an export the whole searched, sorted list).
EXPORT_LIMIT = 100_000


def table_or_export(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    columns: Sequence[Column],
    search_fields: Sequence[str],
    default_sort: str,
    export_name: str,
    page_size: int = 25,
    source: str = "",
) -> tuple[TableState, HttpResponse | None]:
    """A list page's table, and, when ``?export=csv|xlsx`` asks for it, the whole searched and
    sorted list as a download (return that response instead of the page)."""
    fmt = requested_export(request)
    state = table_state(
        request,
        queryset,
        columns=columns,
        search_fields=search_fields,
        default_sort=default_sort,
        page_size=EXPORT_LIMIT if fmt else page_size,
    )
    if not fmt:
        return state, None
    return state, export_response(export_name, columns, state.page.object_list, fmt, source=source)


def export_response(
    name: str, columns: Sequence[Column], items: Iterable[Any], fmt: str, *, source: str = ""
) -> HttpResponse:
    """The rows of a list as a CSV (UTF-8 with BOM, semicolons, decimal comma and dd-mm-jjjj
    for Dutch Excel) or XLSX download. Every value goes through ``common.exports``: no text
    becomes a formula, characters that break XML are dropped."""
    header = [str(column.label) for column in columns]
    values = ([column.value(item) for column in columns] for item in items)
    stamp = timezone.localdate().isoformat()
    filename = f"{slugify(name)}-{stamp}.{fmt}"
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = str(name)[:31]
        write_rows(sheet, [header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        write_rows(sheet, values)
        if source:
            sheet.append([])
            write_rows(sheet, [[source]])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return download(buffer.getvalue(), filename)
    else:
        text = io.StringIO()
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(csv_row(header))
        writer.writerows(csv_row(row) for row in values)
        return download("\ufeff" + text.getvalue(), filename)


def requested_export(request: HttpRequest) -> str | None:
    fmt = request.GET.get("export", "")
    return fmt if fmt in EXPORT_FORMATS else None
