"""Site charts: rank acceptability (SMAA-2) as stacked bars; colours for ranks on the map."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onderdak.common.charts import FONT, alt, data, spec_of


def acceptability_chart(result: Any, names: dict[str, str], *, top: int = 12) -> dict[str, Any]:
    """Per site (the ``top`` with the highest first-rank acceptability) the probability of
    each of the first five ranks; the rest grouped as 'rank 6 or lower'."""
    order = sorted(range(len(result.sites)), key=lambda i: -float(result.acceptability[i, 0]))[:top]
    rows: list[dict[str, Any]] = []
    for i in order:
        name = names.get(result.sites[i], result.sites[i])
        values = result.acceptability[i].tolist()
        for r, value in enumerate(values[:5]):
            rows.append(
                {"site": name, "rank": _("rank %(n)d") % {"n": r + 1}, "order": r, "share": value}
            )
        rows.append(
            {
                "site": name,
                "rank": _("rank 6 or lower"),
                "order": 5,
                "share": float(sum(values[5:])),
            }
        )
    chart = (
        alt.Chart(data(rows))
        .mark_bar()
        .encode(
            y=alt.Y(
                "site:N",
                sort=[names.get(result.sites[i], result.sites[i]) for i in order],
                title=None,
            ),
            x=alt.X(
                "share:Q",
                stack="zero",
                title=_("Share of the weight samples"),
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color(
                "rank:N",
                title=_("Rank"),
                scale=alt.Scale(
                    range=["#1b4470", "#24578f", "#4f7fb5", "#8fb0d6", "#c9d9ec", "#e5e7eb"]
                ),
                sort=[_("rank %(n)d") % {"n": n} for n in range(1, 6)] + [_("rank 6 or lower")],
            ),
            order=alt.Order("order:Q"),
        )
        .properties(width=480, height=22 * len(order) + 10)
        .configure(font=FONT)
    )
    spec = spec_of(chart)
    return spec


def score_colour(rank: int, count: int) -> str:
    """Dark blue for the best, light for the last (the map legend says so)."""
    if count <= 1:
        return "#1b4470"
    palette = ("#1b4470", "#24578f", "#4f7fb5", "#8fb0d6", "#c9d9ec")
    return palette[min(len(palette) - 1, (rank - 1) * len(palette) // count)]
