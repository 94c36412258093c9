"""The transfer flow diagram: who hands off places to whom, per target group (Vega-Lite)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

import altair as alt

from onderdak.common.charts import FONT, data


def transfer_chart(
    transfers: list[dict[str, Any]], names: dict[str, str], labels: dict[str, str] | None = None
) -> dict[str, Any] | None:
    """Municipalities handing off on the left, taking over on the right; a line per transfer
    whose width is the number of places, labelled with it."""
    if not transfers:
        return None
    labels = labels or {}
    givers = sorted({t["from"] for t in transfers}, key=lambda c: names.get(c, c))
    takers = sorted({t["to"] for t in transfers}, key=lambda c: names.get(c, c))
    rows = []
    for index, transfer in enumerate(transfers):
        rows.append(
            {
                "id": index,
                "x": 0,
                "y": givers.index(transfer["from"]),
                "x2": 1,
                "y2": takers.index(transfer["to"]),
                "from": names.get(transfer["from"], transfer["from"]),
                "to": names.get(transfer["to"], transfer["to"]),
                "group": labels.get(transfer["group"], transfer["group"]),
                "places": transfer["places"],
                "label": f"{transfer['places']}",
            }
        )
    scale_y = alt.Scale(domain=[-0.5, max(len(givers), len(takers)) - 0.5], reverse=True)
    base = alt.Chart(data(rows))
    lines = base.mark_rule(opacity=0.7).encode(
        x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.35, 1.35])),
        y=alt.Y("y:Q", axis=None, scale=scale_y),
        x2="x2:Q",
        y2="y2:Q",
        strokeWidth=alt.StrokeWidth("places:Q", title=_("Places"), scale=alt.Scale(range=[2, 14])),
        color=alt.Color("group:N", title=_("Target group")),
    )
    numbers = (
        base.transform_calculate(mx="0.5", my="(datum.y + datum.y2) / 2")
        .mark_text(fontWeight="bold", dy=-6)
        .encode(x="mx:Q", y=alt.Y("my:Q", scale=scale_y), text="label:N")
    )
    giver_rows = [{"x": 0, "y": i, "name": names.get(c, c)} for i, c in enumerate(givers)]
    taker_rows = [{"x": 1, "y": i, "name": names.get(c, c)} for i, c in enumerate(takers)]
    left = (
        alt.Chart(data(giver_rows))
        .mark_text(align="right", dx=-8, fontSize=12)
        .encode(x="x:Q", y=alt.Y("y:Q", scale=scale_y), text="name:N")
    )
    right = (
        alt.Chart(data(taker_rows))
        .mark_text(align="left", dx=8, fontSize=12)
        .encode(x="x:Q", y=alt.Y("y:Q", scale=scale_y), text="name:N")
    )
    height = 60 + 40 * max(len(givers), len(takers))
    chart = (
        alt.layer(lines, numbers, left, right)
        .properties(width=520, height=height, title=_("Hands off → takes over"))
        .configure(font=FONT)
        .configure_view(stroke=None)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec
