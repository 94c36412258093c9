"""The transfer flow diagram: who hands off places to whom, per target group (Vega-Lite)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onderdak.common.charts import FONT, alt, data, spec_of


def transfer_chart(
    transfers: list[dict[str, Any]], names: dict[str, str], labels: dict[str, str] | None = None
) -> dict[str, Any] | None:
    """Municipalities handing off on the left, taking over on the right; a line per transfer
    whose width is the number of places, labelled with it (a quarter along the line from the
    giver, so that the numbers of crossing lines do not fall on one spot), the legend below."""
    if not transfers:
        return None
    labels = labels or {}
    givers = sorted({t["from"] for t in transfers}, key=lambda c: names.get(c, c))
    takers = sorted({t["to"] for t in transfers}, key=lambda c: names.get(c, c))
    rows = []
    seen: dict[tuple[str, str], int] = {}
    for index, transfer in enumerate(transfers):
        y, y2 = givers.index(transfer["from"]), takers.index(transfer["to"])
        # the number sits a quarter along its line from the giver (crossing lines between the
        # same two rows, such as a swap, then get different places); a second line between the
        # same pair (another target group) sits further along
        pair = (transfer["from"], transfer["to"])
        along = 0.25 + 0.2 * seen.get(pair, 0)
        seen[pair] = seen.get(pair, 0) + 1
        rows.append(
            {
                "id": index,
                "x": 0,
                "y": y,
                "x2": 1,
                "y2": y2,
                "mx": along,
                "my": y + along * (y2 - y),
                "from": names.get(transfer["from"], transfer["from"]),
                "to": names.get(transfer["to"], transfer["to"]),
                "group": labels.get(transfer["group"], transfer["group"]),
                "places": transfer["places"],
                "label": f"{transfer['places']}",
            }
        )
    scale_y = alt.Scale(domain=[-0.5, max(len(givers), len(takers)) - 0.5], reverse=True)
    scale_x = alt.Scale(domain=[-0.6, 1.6])
    base = alt.Chart(data(rows))
    lines = base.mark_rule(opacity=0.7).encode(
        x=alt.X("x:Q", axis=None, scale=scale_x),
        y=alt.Y("y:Q", axis=None, scale=scale_y),
        x2="x2:Q",
        y2="y2:Q",
        strokeWidth=alt.StrokeWidth("places:Q", title=_("Places"), scale=alt.Scale(range=[2, 14])),
        color=alt.Color(
            "group:N",
            title=_("Target group"),
            legend=alt.Legend(orient="bottom", direction="vertical"),
        ),
    )
    position = {
        "x": alt.X("mx:Q", scale=scale_x),
        "y": alt.Y("my:Q", scale=scale_y),
        "text": "label:N",
    }
    # a white outline under each number keeps it readable where it sits on a line
    halo = base.mark_text(fontWeight="bold", stroke="white", strokeWidth=4).encode(**position)
    numbers = base.mark_text(fontWeight="bold").encode(**position)
    giver_rows = [{"x": 0, "y": i, "name": names.get(c, c)} for i, c in enumerate(givers)]
    taker_rows = [{"x": 1, "y": i, "name": names.get(c, c)} for i, c in enumerate(takers)]
    left = (
        alt.Chart(data(giver_rows))
        .mark_text(align="right", dx=-8, fontSize=12)
        .encode(x=alt.X("x:Q", scale=scale_x), y=alt.Y("y:Q", scale=scale_y), text="name:N")
    )
    right = (
        alt.Chart(data(taker_rows))
        .mark_text(align="left", dx=8, fontSize=12)
        .encode(x=alt.X("x:Q", scale=scale_x), y=alt.Y("y:Q", scale=scale_y), text="name:N")
    )
    height = 60 + 56 * max(len(givers), len(takers))
    chart = (
        alt.layer(lines, halo, numbers, left, right)
        .properties(width=560, height=height, title=_("Hands off → takes over"))
        .configure(font=FONT)
        .configure_view(stroke=None)
    )
    spec = spec_of(chart)
    return spec
