"""The quarterly letter as a Word document (python-docx) in council style: title,
municipality, date, a heading per track with its commentary, tables with right-aligned Dutch
amounts, traffic lights as text and colour, and the chart budget vs actuals vs forecast as a
PNG image."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from onderdak.common.exports import format_money, word_text

from .forecast import light_label
from .letter import LetterView

LIGHT_COLOURS = {"green": "1F6B2B", "amber": "C98A00", "red": "B00020", "grey": "666666"}


def signal_light_text(code: str) -> str:
    return {"green": _("green"), "amber": _("amber"), "red": _("red")}.get(code, _("no judgement"))


def chart_png(figures: dict[str, Any]) -> bytes | None:
    """The cumulative expenditure per month (budget, actuals, forecast) as a PNG: the chart of
    the forecast page (``finance.charts``)."""
    from .charts import monthly_png

    return monthly_png(figures.get("monthly", []))


def _right(cell: Any, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.text = text
    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def letter_docx(view: LetterView, *, with_chart: bool = True) -> bytes:
    from docx import Document
    from docx.shared import Cm, RGBColor

    letter = view.letter
    document = Document()
    document.add_heading(
        _("Quarterly letter %(quarter)s %(year)s")
        % {"quarter": f"Q{letter.quarter}", "year": letter.year},
        level=0,
    )
    document.add_paragraph(word_text(letter.organisation.name))
    as_of = view.figures.get("as_of", "")
    status = (
        _("Adopted on %(day)s") % {"day": word_text(letter.adopted_on)}
        if letter.adopted_on
        else _("Draft")
    )
    figures = _("Figures as of")
    document.add_paragraph(f"{figures} {word_text(_iso(as_of))} · {status}")
    headers = (
        _("Task field"),
        _("Description"),
        _("Current budget"),
        _("Actuals to date"),
        _("Forecast"),
        _("Variance"),
        _("Traffic light"),
    )
    for section in view.sections:
        document.add_heading(section.label, level=1)
        if section.commentary:
            document.add_paragraph(word_text(section.commentary))
        for signal in section.signals:
            paragraph = document.add_paragraph(style="List Bullet")
            mark = paragraph.add_run("● ")
            mark.font.color.rgb = RGBColor.from_string(LIGHT_COLOURS.get(signal["light"], "666666"))
            paragraph.add_run(
                f"{word_text(signal['goal'])}: {word_text(signal['summary'])} "
                f"({signal_light_text(signal['light'])})"
            )
        if not section.lines:
            document.add_paragraph(_("No budget lines or forecast for this track."))
            continue
        table = document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = header
        for line in section.lines:
            cells = table.add_row().cells
            cells[0].text = line["task_field"]
            cells[1].text = word_text(line["label"])
            for index, name in enumerate(("current", "actual_to_date", "forecast", "variance"), 2):
                _right(cells[index], format_money(line[name], 0))
            run = cells[6].paragraphs[0].add_run("● " + light_label(line["light"]))
            run.font.color.rgb = RGBColor.from_string(LIGHT_COLOURS.get(line["light"], "666666"))
        if section.proposals:
            document.add_heading(_("Proposed budget amendments"), level=2)
            for line in section.proposals:
                document.add_paragraph(
                    f"{line['task_field']} {word_text(line['label'])}: "
                    f"{format_money(line['proposed'], 0)}",
                    style="List Bullet",
                )
    document.add_heading(_("Budget amendments decided in the quarter"), level=1)
    amendments = view.figures.get("amendments", [])
    for amendment in amendments:
        document.add_paragraph(
            f"{word_text(_iso(amendment['decided_on']))} {word_text(amendment['reference'])} "
            f"({amendment['task_field']}): {format_money(amendment['amount'], 0)}",
            style="List Bullet",
        )
    if not amendments:
        document.add_paragraph(_("No budget amendments were decided in this quarter."))
    if with_chart:
        png = chart_png(view.figures)
        if png:
            document.add_heading(
                _("Expenditure over the year: budget, actuals and forecast (cumulative)"), level=1
            )
            document.add_picture(io.BytesIO(png), width=Cm(16))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _iso(text: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return text
