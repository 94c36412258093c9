"""The quarterly letter as an Excel workbook (openpyxl): one sheet with the lines per track
(amounts as numbers in euro format), one with the amendments; every text cell through
``common.exports`` (no formulas)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from onderdak.common.exports import export_row

from .forecast import light_label
from .letter import LetterView

EURO = '"€" #,##0.00'


def letter_xlsx(view: LetterView) -> bytes:
    from openpyxl import Workbook  # on first use, not at start-up
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Quarterly letter")[:31]
    letter = view.letter
    title = _("Quarterly letter")
    sheet.append(export_row([f"{title} Q{letter.quarter} {letter.year}"]))
    sheet.append(export_row([letter.organisation.name]))
    sheet.append([])
    header = [
        _("Track"),
        _("Task field"),
        _("Description"),
        _("Original budget"),
        _("Current budget"),
        _("Actuals to date"),
        _("Still to come"),
        _("Forecast"),
        _("Variance"),
        _("Traffic light"),
        _("Proposed amendment"),
    ]
    sheet.append(export_row(header))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for section in view.sections:
        for line in section.lines:
            sheet.append(
                export_row(
                    [
                        section.label,
                        line["task_field"],
                        line["label"],
                        *(
                            line[n]
                            for n in (
                                "original",
                                "current",
                                "actual_to_date",
                                "still_to_come",
                                "forecast",
                                "variance",
                            )
                        ),
                        light_label(line["light"]),
                        line.get("proposed") or None,
                    ]
                )
            )
            for cell in sheet[sheet.max_row][3:9]:
                cell.number_format = EURO
            sheet[sheet.max_row][10].number_format = EURO
    amendments = workbook.create_sheet(_("Amendments")[:31])
    amendments.append(
        export_row(
            [
                _("Decided on"),
                _("Decision reference"),
                _("Task field"),
                _("Description"),
                _("Change (euro)"),
            ]
        )
    )
    for a in view.figures.get("amendments", []):
        amendments.append(
            export_row(
                [
                    date.fromisoformat(a["decided_on"]),
                    a["reference"],
                    a["task_field"],
                    a["description"],
                    Decimal(a["amount"]),
                ]
            )
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
