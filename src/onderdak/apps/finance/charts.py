"""Finance charts (Vega-Lite through Altair, rendered to SVG on the server; the page also shows
the numbers as a table)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onderdak.common.charts import FONT, alt, chart_svg, data, spec_of

SERIES_COLOURS = ("#1b4470", "#1f6b2b", "#c98a00")


def forecast_chart(forecast: Any) -> str:
    """Cumulative expenditure per month: current budget, actuals and forecast (lines;
    ``forecast`` is a ``forecast.Forecast``)."""
    names = (_("Budget"), _("Actuals"), _("Forecast"))
    values: list[dict[str, Any]] = []
    for point in forecast.monthly:
        for name, value in zip(names, (point.budget, point.actual, point.forecast), strict=True):
            if value is not None:
                values.append(
                    {"month": point.month, "series": name, "euro": int(value.to_integral_value())}
                )
    if not values:
        return ""
    return (
        chart_svg(
            ("finance forecast", *(tuple(sorted(value.items())) for value in values)),
            lambda: _forecast_spec(values, list(names)),
            title=_("Expenditure over the year: budget, actuals and forecast (cumulative)"),
        )
        or ""
    )


def _forecast_spec(values: list[dict[str, Any]], names: list[str]) -> dict[str, Any]:
    chart = (
        alt.Chart(data(values))
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=_("Month")),
            y=alt.Y("euro:Q", title=_("Euro (cumulative)")),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=names, range=list(SERIES_COLOURS)),
            ),
            strokeDash=alt.StrokeDash("series:N", legend=None),
        )
        .properties(width=520, height=260)
        .configure(font=FONT)
    )
    return spec_of(chart)
