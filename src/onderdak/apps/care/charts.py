"""Care charts (Vega-Lite through Altair, rendered to SVG on the server; each page also shows
the numbers as a table)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onderdak.common.charts import FONT, alt, chart_svg, data, spec_of

STATUS_COLOURS = {
    "structural": "#1f6b2b",
    "temporary": "#c98a00",
    "missing": "#a10000",
    "not_applicable": "#9ca3af",
}


def coverage_chart(overview: Any) -> str:
    """Cells per status per target group (stacked bars)."""
    from .models import CoverageStatus

    labels = dict(CoverageStatus.choices)
    rows: list[dict[str, Any]] = []
    for code, label in overview.groups:
        counts: dict[str, int] = {}
        for row in overview.rows:
            cell = row.cells.get(code)
            if cell is not None:
                counts[cell.status] = counts.get(cell.status, 0) + 1
        for status, count in counts.items():
            rows.append(
                {"group": label, "status": str(labels[status]), "key": status, "count": count}
            )
    order = [str(labels[s]) for s in STATUS_COLOURS]
    height = 32 * max(1, len(overview.groups))
    return (
        chart_svg(
            ("care coverage", height, *(tuple(sorted(row.items())) for row in rows)),
            lambda: _coverage_spec(rows, order, height),
            title=_("Services per target group by status"),
        )
        or ""
    )


def _coverage_spec(rows: list[dict[str, Any]], order: list[str], height: int) -> dict[str, Any]:
    chart = (
        alt.Chart(data(rows))
        .mark_bar()
        .encode(
            y=alt.Y("group:N", title=None),
            x=alt.X("count:Q", stack="zero", title=_("Services")),
            color=alt.Color(
                "status:N",
                title=_("Status"),
                scale=alt.Scale(domain=order, range=list(STATUS_COLOURS.values())),
            ),
        )
        .properties(width=420, height=height)
        .configure(font=FONT)
    )
    return spec_of(chart)


def demand_chart(overview: Any) -> str:
    """Demand against capacity today, per service with contracted capacity (grouped bars;
    ``overview`` is a ``selectors.DemandOverview``)."""
    values: list[dict[str, Any]] = []
    for row in overview.rows:
        today = row.today
        if today is None or today.capacity is None:
            continue
        name = row.service.name[:50]
        values.append({"service": name, "kind": _("demand"), "number": today.demand})
        values.append({"service": name, "kind": _("capacity"), "number": today.capacity})
    return (
        chart_svg(
            ("care demand", *(tuple(sorted(value.items())) for value in values)),
            lambda: _demand_spec(values),
            title=_("Demand against contracted capacity today"),
        )
        or ""
    )


def _demand_spec(values: list[dict[str, Any]]) -> dict[str, Any]:
    chart = (
        alt.Chart(data(values))
        .mark_bar()
        .encode(
            y=alt.Y("service:N", title=None),
            yOffset="kind:N",
            x=alt.X("number:Q", title=_("Number (in the unit of the service)")),
            color=alt.Color("kind:N", title=None, scale=alt.Scale(range=["#a10000", "#1b4470"])),
        )
        .properties(width=420, height=28 * max(1, len(values) // 2))
        .configure(font=FONT)
    )
    return spec_of(chart)
