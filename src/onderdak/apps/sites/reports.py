"""The shortlist report for a council proposal (Word and Excel): method, weights, exclusions,
ranking, sensitivity and the shortlist. Built from the same analysis as the ranking page.

Every text goes through ``common.exports`` (``word_text`` for Word, ``write_rows`` for Excel: no
formulas, no characters that break the file) and numbers are written the Dutch way ("8,0%",
"0,3741")."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onderdak.common.exports import format_number, format_percent, word_text, write_rows

from .models import Stage

METHOD_NAMES = {
    "topsis": "TOPSIS (Hwang & Yoon 1981)",
    "wsm": gettext_lazy("weighted sum"),
    "promethee2": "PROMETHEE II (Brans & Vincke 1985)",
}
NORMALIZATION_NAMES = {"vector": gettext_lazy("vector"), "minmax": gettext_lazy("min-max")}


def _cells(cells: Any, texts: Any) -> None:
    """Write ``texts`` into a Word table row's cells (each through ``word_text``)."""
    for cell, text in zip(cells, texts, strict=True):
        cell.text = word_text(text)


def _paragraph(document: Any, text: Any, style: str | None = None) -> None:
    document.add_paragraph(word_text(text), style=style)


def _weights(analysis: Any) -> list[tuple[str, str, float]]:
    total = sum(analysis.weights.get(c.key, 0.0) for c in analysis.matrix.criteria) or 1.0
    return [
        (c.label, c.get_direction_display(), analysis.weights.get(c.key, 0.0) / total)
        for c in analysis.matrix.criteria
    ]


def _shortlist(analysis: Any) -> list[Any]:
    return [s for s in analysis.matrix.sites if s.stage == Stage.SHORTLIST]


def shortlist_docx(analysis: Any) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    document.add_heading(_("Shortlist of sites for temporary housing"), level=0)
    _paragraph(document, f"{analysis.organisation.name} · {timezone.localdate():%d-%m-%Y}")
    document.add_heading(_("Method"), level=1)
    _paragraph(
        document,
        _(
            "Sites are ranked with %(method)s on %(count)d weighted criteria (normalisation: %(norm)s), "
            "after the hard criteria excluded sites. Weight set: %(set)s. The uncertainty analysis (SMAA-2, "
            "Lahdelma & Salminen 2001) draws %(samples)d weight vectors within the plausible ranges and reports "
            "how often each site ends among the best %(k)d."
        )
        % {
            "method": str(METHOD_NAMES.get(analysis.method, analysis.method)),
            "count": len(analysis.matrix.criteria),
            "norm": str(NORMALIZATION_NAMES.get(analysis.normalization, analysis.normalization)),
            "set": analysis.weight_set.name if analysis.weight_set else "-",
            "samples": analysis.smaa.samples if analysis.smaa is not None else 0,
            "k": analysis.shortlist_size,
        },
    )
    table = document.add_table(rows=1, cols=3)
    table.style = "Light Grid Accent 1"
    _cells(table.rows[0].cells, (_("Criterion"), _("Direction"), _("Weight")))
    for label, direction, weight in _weights(analysis):
        _cells(table.add_row().cells, (label, direction, format_percent(weight)))
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
            _paragraph(document, f"{site.name}: {'; '.join(reasons)}", style="List Bullet")
    else:
        _paragraph(document, _("No site is excluded by the hard criteria."))
    incomplete = [
        (s, analysis.matrix.incomplete[s.pk])
        for s in analysis.matrix.sites
        if s.pk in analysis.matrix.incomplete
    ]
    if incomplete:
        document.add_heading(_("Not ranked: data missing"), level=2)
        for site, missing in incomplete:
            _paragraph(document, f"{site.name}: {', '.join(missing)}", style="List Bullet")


def _ranking(document: Any, analysis: Any) -> None:
    document.add_heading(_("Ranking"), level=1)
    if analysis.error:
        _paragraph(document, analysis.error)
    ranking = document.add_table(rows=1, cols=4)
    ranking.style = "Light Grid Accent 1"
    headers = (
        _("Rank"),
        _("Site"),
        _("Score"),
        _("Chance of the best %(k)d") % {"k": analysis.shortlist_size},
    )
    _cells(ranking.rows[0].cells, headers)
    for ranked in analysis.ranked:
        _cells(
            ranking.add_row().cells,
            (
                str(ranked.rank),
                ranked.site.name,
                format_number(ranked.score, 4),
                format_percent(analysis.shortlist_probability.get(ranked.site.pk, 0.0), 0),
            ),
        )
    if analysis.comparison is not None:
        document.add_heading(_("Agreement between weight sets (Kendall's tau)"), level=2)
        names = analysis.comparison.names
        compare = document.add_table(rows=1, cols=len(names) + 1)
        compare.style = "Light Grid Accent 1"
        _cells(compare.rows[0].cells, ["", *names])
        for a, name in enumerate(names):
            _cells(
                compare.add_row().cells,
                [
                    name,
                    *(format_number(analysis.comparison.tau[a, b], 2) for b in range(len(names))),
                ],
            )


def _shortlist_section(document: Any, analysis: Any) -> None:
    document.add_heading(_("Shortlist"), level=1)
    shortlist = _shortlist(analysis)
    if shortlist:
        for site in shortlist:
            places = format_number(site.capacity_places) if site.capacity_places else "?"
            _paragraph(
                document,
                _("%(site)s — %(places)s places, %(owner)s")
                % {"site": site.name, "places": places, "owner": site.get_owner_display()},
                style="List Bullet",
            )
    else:
        _paragraph(document, _("No site has been moved to the shortlist yet."))


def shortlist_xlsx(analysis: Any) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Ranking")[:31]
    criteria = analysis.matrix.criteria
    write_rows(
        sheet,
        [
            [
                _("Rank"),
                _("Site"),
                _("Stage"),
                _("Score"),
                _("Chance of the best %(k)d") % {"k": analysis.shortlist_size},
            ]
            + [c.label for c in criteria]
        ],
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    write_rows(
        sheet,
        (
            [
                ranked.rank,
                ranked.site.name,
                ranked.site.get_stage_display(),
                ranked.score,
                analysis.shortlist_probability.get(ranked.site.pk, 0.0),
                *ranked.values,
            ]
            for ranked in analysis.ranked
        ),
    )
    for score, chance, *_rest in sheet.iter_rows(min_row=2, min_col=4):
        score.number_format = "0.0000"
        chance.number_format = "0%"
    weights = workbook.create_sheet(_("Weights")[:31])
    write_rows(weights, [[_("Criterion"), _("Direction"), _("Weight")]])
    write_rows(weights, (list(row) for row in _weights(analysis)))
    for (weight,) in weights.iter_rows(min_row=2, min_col=3, max_col=3):
        weight.number_format = "0.0%"
    excluded = workbook.create_sheet(_("Excluded")[:31])
    write_rows(excluded, [[_("Site"), _("Reasons")]])
    for site in analysis.matrix.sites:
        if site.pk in analysis.matrix.exclusions:
            write_rows(excluded, [[site.name, "; ".join(analysis.matrix.exclusions[site.pk])]])
        elif site.pk in analysis.matrix.incomplete:
            write_rows(
                excluded,
                [
                    [
                        site.name,
                        _("data missing: %(fields)s")
                        % {"fields": ", ".join(analysis.matrix.incomplete[site.pk])},
                    ]
                ],
            )
    shortlist = workbook.create_sheet(_("Shortlist")[:31])
    write_rows(shortlist, [[_("Site"), _("Places"), _("Owner")]])
    write_rows(
        shortlist,
        (
            [site.name, site.capacity_places, site.get_owner_display()]
            for site in _shortlist(analysis)
        ),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
