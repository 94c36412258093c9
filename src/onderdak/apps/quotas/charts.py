"""The quota charts (Vega-Lite via Altair): the carry-over ledger over time."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onderdak.apps.quotas.adapters import LedgerSegment
from onderdak.common.charts import FONT, alt, data, spec_of


def ledger_chart(segments: list[LedgerSegment]) -> dict[str, Any] | None:
    """Corrected quota and realised per half-year, with the backlog carried out as a line."""
    rows: list[dict[str, Any]] = []
    for segment in segments:
        for line in segment.ledger.lines:
            period = str(line.period)
            rows.append({"period": period, "series": _("Corrected quota"), "value": line.corrected})
            rows.append({"period": period, "series": _("Realised"), "value": line.realised})
    if not rows:
        return None
    backlog = [
        {"period": str(line.period), "series": _("Backlog at the end"), "value": line.carry_out}
        for segment in segments
        for line in segment.ledger.lines
    ]
    bars = (
        alt.Chart(data(rows))
        .mark_bar()
        .encode(
            x=alt.X("period:N", title=_("Half-year")),
            xOffset="series:N",
            y=alt.Y("value:Q", title=_("Persons")),
            color=alt.Color("series:N", title=None, scale=alt.Scale(range=["#24578f", "#7fb069"])),
        )
    )
    line = (
        alt.Chart(data(backlog))
        .mark_line(point=True, color="#b3261e")
        .encode(x="period:N", y="value:Q", shape=alt.Shape("series:N", title=None))
    )
    chart = alt.layer(bars, line).properties(width=560, height=260).configure(font=FONT)
    spec = spec_of(chart)
    return spec
