"""Finance charts (Vega-Lite through Altair, rendered to SVG on the server; the page also shows
the numbers as a table)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from onderdak.common.charts import FONT, alt, chart_svg, data, spec_of, to_png

SERIES_COLOURS = ("#1b4470", "#1f6b2b", "#c98a00")


def _names() -> list[str]:
    return [_("Budget"), _("Actuals"), _("Forecast")]


def _monthly_values(points: Iterable[Any]) -> list[dict[str, Any]]:
    """Chart rows from month points: a forecast's ``MonthPoint`` objects or the frozen figures
    of a letter (dicts with amounts as text), with ``budget``, ``actual`` and ``forecast``."""
    values: list[dict[str, Any]] = []
    for point in points:
        for name, key in zip(_names(), ("budget", "actual", "forecast"), strict=True):
            value = point.get(key) if isinstance(point, dict) else getattr(point, key)
            if value is not None:
                month = point["month"] if isinstance(point, dict) else point.month
                euro = int(Decimal(value).to_integral_value())
                values.append({"month": month, "series": name, "euro": euro})
    return values


def monthly_chart(points: Iterable[Any]) -> str:
    """Cumulative expenditure per month: current budget, actuals and forecast, as SVG for a
    page (empty without points)."""
    values = _monthly_values(points)
    if not values:
        return ""
    return (
        chart_svg(
            ("finance forecast", *(tuple(sorted(value.items())) for value in values)),
            lambda: _forecast_spec(values, _names()),
            title=_("Expenditure over the year: budget, actuals and forecast (cumulative)"),
        )
        or ""
    )


def monthly_png(points: Iterable[Any]) -> bytes | None:
    """The same chart as a PNG, for the Word letter (``None`` without points)."""
    values = _monthly_values(points)
    return to_png(_forecast_spec(values, _names())) if values else None


def forecast_chart(forecast: Any) -> str:
    """:func:`monthly_chart` of a ``forecast.Forecast``."""
    return monthly_chart(forecast.monthly)


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
