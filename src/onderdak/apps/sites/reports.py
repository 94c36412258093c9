"""The shortlist report for a council proposal (Word and Excel): method, weights, exclusions,
ranking, sensitivity and the shortlist. Built from the same analysis as the ranking page."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import Stage

METHOD_NAMES = {
    "topsis": "TOPSIS (Hwang & Yoon 1981)",
    "wsm": "gewogen som",
    "promethee2": "PROMETHEE II (Brans & Vincke 1985)",
}


def _weights(analysis: Any) -> list[tuple[str, str, float]]:
    total = sum(analysis.weights.get(c.key, 0.0) for c in analysis.matrix.criteria) or 1.0
    return [
        (c.label, c.get_direction_display(), analysis.weights.get(c.key, 0.0) / total)
        for c in analysis.matrix.criteria
    ]


def _shortlist(analysis: Any) -> list[Any]:
    return [s for s in analysis.matrix.sites if s.stage == Stage.SHORTLIST]


def shortlist_docx(analysis: Any) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    document.add_heading(_("Shortlist of sites for temporary housing"), level=0)
    document.add_paragraph(f"{analysis.organisation.name} · {timezone.localdate():%d-%m-%Y}")
    document.add_heading(_("Method"), level=1)
    document.add_paragraph(
        _(
            "Sites are ranked with %(method)s on %(count)d weighted criteria (normalisation: %(norm)s), "
            "after the hard criteria excluded sites. Weight set: %(set)s. The uncertainty analysis (SMAA-2, "
            "Lahdelma & Salminen 2001) draws %(samples)d weight vectors within the plausible ranges and reports "
            "how often each site ends among the best %(k)d."
        )
        % {
            "method": METHOD_NAMES.get(analysis.method, analysis.method),
            "count": len(analysis.matrix.criteria),
            "norm": analysis.normalization,
            "set": analysis.weight_set.name if analysis.weight_set else "-",
            "samples": analysis.smaa.samples if analysis.smaa is not None else 0,
            "k": analysis.shortlist_size,
        }
    )
    table = document.add_table(rows=1, cols=3)
    table.style = "Light Grid Accent 1"
    for cell, text in zip(
        table.rows[0].cells, (_("Criterion"), _("Direction"), _("Weight")), strict=True
    ):
        cell.text = text
    for label, direction, weight in _weights(analysis):
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = label, direction, f"{weight:.1%}"
    _exclusions(document, analysis)
    _ranking(document, analysis)
    _shortlist_section(document, analysis)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _exclusions(document: Any, analysis: Any) -> None:
    document.add_heading(_("Excluded sites"), level=1)
    excluded = [
        (s, analysis.matrix.exclusions[s.pk])
        for s in analysis.matrix.sites
        if s.pk in analysis.matrix.exclusions
    ]
    if excluded:
        for site, reasons in excluded:
            document.add_paragraph(f"{site.name}: {'; '.join(reasons)}", style="List Bullet")
    else:
        document.add_paragraph(_("No site is excluded by the hard criteria."))
    incomplete = [
        (s, analysis.matrix.incomplete[s.pk])
        for s in analysis.matrix.sites
        if s.pk in analysis.matrix.incomplete
    ]
    if incomplete:
        document.add_heading(_("Not ranked: data missing"), level=2)
        for site, missing in incomplete:
            document.add_paragraph(f"{site.name}: {', '.join(missing)}", style="List Bullet")


def _ranking(document: Any, analysis: Any) -> None:
    document.add_heading(_("Ranking"), level=1)
    if analysis.error:
        document.add_paragraph(analysis.error)
    ranking = document.add_table(rows=1, cols=4)
    ranking.style = "Light Grid Accent 1"
    headers = (
        _("Rank"),
        _("Site"),
        _("Score"),
        _("Chance of the best %(k)d") % {"k": analysis.shortlist_size},
    )
    for cell, text in zip(ranking.rows[0].cells, headers, strict=True):
        cell.text = text
    for ranked in analysis.ranked:
        row = ranking.add_row().cells
        row[0].text = str(ranked.rank)
        row[1].text = ranked.site.name
        row[2].text = f"{ranked.score:.4f}"
        row[3].text = f"{analysis.shortlist_probability.get(ranked.site.pk, 0.0):.0%}"
    if analysis.comparison is not None:
        document.add_heading(_("Agreement between weight sets (Kendall's tau)"), level=2)
        names = analysis.comparison.names
        compare = document.add_table(rows=1, cols=len(names) + 1)
        compare.style = "Light Grid Accent 1"
        compare.rows[0].cells[0].text = ""
        for index, name in enumerate(names):
            compare.rows[0].cells[index + 1].text = name
        for a, name in enumerate(names):
            cells = compare.add_row().cells
            cells[0].text = name
            for b in range(len(names)):
                cells[b + 1].text = f"{analysis.comparison.tau[a, b]:.2f}"


def _shortlist_section(document: Any, analysis: Any) -> None:
    document.add_heading(_("Shortlist"), level=1)
    shortlist = _shortlist(analysis)
    if shortlist:
        for site in shortlist:
            document.add_paragraph(
                f"{site.name} — {site.capacity_places or '?'} {_('places')}, {site.get_owner_display()}",
                style="List Bullet",
            )
    else:
        document.add_paragraph(_("No site has been moved to the shortlist yet."))


def shortlist_xlsx(analysis: Any) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Ranking")[:31]
    criteria = analysis.matrix.criteria
    sheet.append(
        [
            _("Rank"),
            _("Site"),
            _("Stage"),
            _("Score"),
            _("Chance of the best %(k)d") % {"k": analysis.shortlist_size},
        ]
        + [c.label for c in criteria]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for ranked in analysis.ranked:
        sheet.append(
            [
                ranked.rank,
                ranked.site.name,
                ranked.site.get_stage_display(),
                ranked.score,
                analysis.shortlist_probability.get(ranked.site.pk, 0.0),
                *ranked.values,
            ]
        )
    weights = workbook.create_sheet(_("Weights")[:31])
    weights.append([_("Criterion"), _("Direction"), _("Weight")])
    for row in _weights(analysis):
        weights.append(list(row))
    excluded = workbook.create_sheet(_("Excluded")[:31])
    excluded.append([_("Site"), _("Reasons")])
    for site in analysis.matrix.sites:
        if site.pk in analysis.matrix.exclusions:
            excluded.append([site.name, "; ".join(analysis.matrix.exclusions[site.pk])])
        elif site.pk in analysis.matrix.incomplete:
            excluded.append(
                [
                    site.name,
                    _("data missing: %(fields)s")
                    % {"fields": ", ".join(analysis.matrix.incomplete[site.pk])},
                ]
            )
    shortlist = workbook.create_sheet(_("Shortlist")[:31])
    shortlist.append([_("Site"), _("Places"), _("Owner")])
    for site in _shortlist(analysis):
        shortlist.append([site.name, site.capacity_places, site.get_owner_display()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
