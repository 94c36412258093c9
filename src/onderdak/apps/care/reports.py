"""The coverage overview for a college proposal, as Word and Excel: per service and target
group who owns it, the status, the cost per year, demand against capacity, and the gaps."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from onderdak.common.exports import download, export_row, safe_text

from .models import CoverageStatus

FILLS = {
    "structural": "E6F4E8",
    "temporary": "FFF1D6",
    "missing": "FDE8E8",
    "not_applicable": "EEEEEE",
}


def _status(value: str) -> str:
    return str(dict(CoverageStatus.choices).get(value, value))


def _euro(value: Any) -> str:
    return f"€ {value:,.0f}".replace(",", ".") if value is not None else "-"


def _summary(overview: Any) -> list[tuple[str, str]]:
    coverage = overview.coverage
    share = coverage.structural_share
    return [
        (_("Services in the catalogue"), str(len(overview.rows))),
        (_("Cells (service x target group) that apply"), str(coverage.applicable)),
        (_("Structural"), str(coverage.counts[CoverageStatus.STRUCTURAL])),
        (_("Temporary (crisis organisation)"), str(coverage.counts[CoverageStatus.TEMPORARY])),
        (_("Missing"), str(coverage.counts[CoverageStatus.MISSING])),
        (_("Share structural"), f"{float(share):.0%}" if share is not None else "-"),
        (_("Budget per year"), _euro(coverage.amount_per_year)),
        (_("Services with a capacity shortage today"), str(overview.shortages)),
    ]


def _demand_text(row: Any) -> str:
    if row.demand_today is None:
        return "-"
    if row.capacity_today is None:
        return f"{row.demand_today} / -"
    text = f"{row.demand_today} / {row.capacity_today}"
    if not row.shortage_today:
        return text
    return text + " (" + _("short %(count)s") % {"count": row.shortage_today} + ")"


def coverage_docx(overview: Any, *, today: date) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(9)
    document.add_heading(_("Care and support: structural ownership of services"), level=0)
    document.add_paragraph(safe_text(f"{overview.organisation.name} · {today:%d-%m-%Y}"))
    document.add_heading(_("Summary"), level=1)
    table = document.add_table(rows=0, cols=2)
    table.style = "Light Grid Accent 1"
    for label, value in _summary(overview):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = safe_text(label), safe_text(value)
    document.add_heading(_("Per service"), level=1)
    headers = [
        _("Service"),
        _("Status"),
        *[label for _code, label in overview.groups],
        _("Owner"),
        _("Accountable"),
        _("Per year"),
        _("Demand / capacity"),
    ]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = safe_text(text)
    for row in overview.rows:
        cells = table.add_row().cells
        values = [row.service.name, _status(row.status)]
        values += [_status(c.status) if c is not None else "-" for c in row.cells.values()]
        values += [
            "; ".join(row.owners) or "-",
            "; ".join(row.aldermen) or "-",
            _euro(row.amount_per_year),
            _demand_text(row),
        ]
        for cell, text in zip(cells, values, strict=True):
            cell.text = safe_text(text)
    document.add_heading(_("Still temporary or missing"), level=1)
    if overview.gaps:
        table = document.add_table(rows=1, cols=5)
        table.style = "Light Grid Accent 1"
        for cell, text in zip(
            table.rows[0].cells,
            (_("Service"), _("Target group"), _("Status"), _("Owner now"), _("Review by")),
            strict=True,
        ):
            cell.text = text
        for gap in overview.gaps:
            cells = table.add_row().cells
            values = [
                gap.service.name,
                gap.get_target_group_display(),
                gap.get_status_display(),
                gap.owner_label or _("nobody"),
                f"{gap.review_date:%d-%m-%Y}" if gap.review_date else "-",
            ]
            for cell, text in zip(cells, values, strict=True):
                cell.text = safe_text(str(text))
    else:
        document.add_paragraph(_("Every service is arranged structurally."))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def coverage_xlsx(overview: Any, *, today: date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Coverage")[:31]
    groups = overview.groups
    sheet.append(
        export_row(
            [
                _("Service"),
                _("Category"),
                _("Status"),
                *[label for _c, label in groups],
                _("Owner"),
                _("Accountable alderman"),
                _("Budget per year"),
                _("BBV task field"),
                _("Demand"),
                _("Capacity"),
                _("Shortage"),
            ]
        )
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in overview.rows:
        sheet.append(
            export_row(
                [
                    row.service.name,
                    row.service.get_category_display(),
                    _status(row.status),
                    *[_status(c.status) if c is not None else "-" for c in row.cells.values()],
                    "; ".join(row.owners),
                    "; ".join(row.aldermen),
                    float(row.amount_per_year),
                    row.service.task_field,
                    row.demand_today,
                    row.capacity_today,
                    row.shortage_today,
                ]
            )
        )
        r = sheet.max_row
        statuses = [row.status, *[c.status if c is not None else None for c in row.cells.values()]]
        for offset, status in enumerate(statuses):
            if status:
                sheet.cell(row=r, column=3 + offset).fill = PatternFill(
                    "solid", fgColor=FILLS[status]
                )
    gaps = workbook.create_sheet(_("Gaps")[:31])
    gaps.append(
        [
            _("Service"),
            _("Target group"),
            _("Status"),
            _("Owner now"),
            _("Accountable alderman"),
            _("Review by"),
            _("Notes"),
        ]
    )
    for cell in gaps[1]:
        cell.font = Font(bold=True)
    for gap in overview.gaps:
        gaps.append(
            export_row(
                [
                    gap.service.name,
                    gap.get_target_group_display(),
                    gap.get_status_display(),
                    gap.owner_label,
                    gap.alderman,
                    gap.review_date,
                    gap.evidence,
                ]
            )
        )
    summary = workbook.create_sheet(_("Summary")[:31])
    summary.append(export_row([overview.organisation.name, today]))
    for label, value in _summary(overview):
        summary.append(export_row([label, value]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _response(content: bytes, fmt: str, today: date) -> HttpResponse:
    return download(content, f"dekking-zorg-en-ondersteuning-{today.isoformat()}.{fmt}")


def docx_response(overview: Any, *, today: date) -> HttpResponse:
    return _response(coverage_docx(overview, today=today), "docx", today)


def xlsx_response(overview: Any, *, today: date) -> HttpResponse:
    return _response(coverage_xlsx(overview, today=today), "xlsx", today)
