"""Pages of the derived costs and the year-end forecast (``/financien/kosten/``,
``/financien/prognose/``): thin views over ``derivation`` and ``forecast``; every reader of
the organisation sees them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy

from onderdak.common.tables import Column, export_response, requested_export
from onderdak.common.vocabulary import target_group_label

from . import charts, derivation, selectors
from .derivation import CATEGORIES, EXPENDITURE, INCOME, track_label
from .forecast import default_as_of, light_label, year_end_forecast
from .models import BudgetLine, Direction

PAGE_SIZE = 100


def direction_label(code: str) -> str:
    return str(dict(Direction.choices).get(code, code))


def _organisation(request: HttpRequest) -> Any:
    """The organisation asked for (``?organisatie=``) whose money the user reads; else 404.
    Without the parameter: the user's own (first) organisation."""
    requested = request.GET.get("organisatie", "")
    organisation = selectors.organisation_for(request.user, requested or None)
    if organisation is None:
        if requested:
            raise Http404
        raise PermissionDenied
    return organisation


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("jaar", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


COST_COLUMNS = (
    Column("category", gettext_lazy("Category"), lambda x: x.category_label),
    Column("task_field", gettext_lazy("Task field"), lambda x: x.task_field),
    Column("track", gettext_lazy("Track"), lambda x: track_label(x.track)),
    Column(
        "target_group",
        gettext_lazy("Target group"),
        lambda x: target_group_label(x.target_group) if x.target_group else "",
    ),
    Column(
        "direction", gettext_lazy("Income or expenditure"), lambda x: direction_label(x.direction)
    ),
    Column("month", gettext_lazy("Month"), lambda x: x.month or ""),
    Column("description", gettext_lazy("Description"), lambda x: x.description),
    Column("quantity", gettext_lazy("Quantity"), lambda x: x.quantity, numeric=True),
    Column("persons", gettext_lazy("Person-days placed"), lambda x: x.persons, numeric=True),
    Column("amount", gettext_lazy("Amount (euro)"), lambda x: x.amount, numeric=True),
    Column("counted", gettext_lazy("Counted"), lambda x: x.counted),
    Column("source", gettext_lazy("Source"), lambda x: x.source_label),
)


@login_required
def costs(request: HttpRequest) -> HttpResponse:
    from onderdak.engines.finance import FinanceInputError

    organisation = _organisation(request)
    year = _year(request)
    error = ""
    try:
        lines = derivation.derived_lines(
            user=request.user, organisation_id=organisation.pk, year=year
        )
    except FinanceInputError as exc:
        lines, error = [], derivation.error_message(exc)
    category = request.GET.get("categorie", "")
    track = request.GET.get("spoor", "")
    shown = [
        x
        for x in lines
        if (category not in CATEGORIES or x.category == category)
        and (not track or x.track == track)
    ]
    fmt = requested_export(request)
    if fmt:
        return export_response(f"kosten-{year}", COST_COLUMNS, shown, fmt)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    groups: list[dict[str, Any]] = []
    for line in page.object_list:
        key = (line.category, line.task_field)
        if not groups or groups[-1]["key"] != key:
            groups.append(
                {
                    "key": key,
                    "label": line.category_label,
                    "task_field": line.task_field,
                    "lines": [],
                    "total": Decimal("0.00"),
                }
            )
        groups[-1]["lines"].append(line)
        groups[-1]["total"] += line.amount
    income = derivation.counted_total(shown, INCOME)
    expenditure = derivation.counted_total(shown, EXPENDITURE)
    return render(
        request,
        "finance/costs.html",
        {
            "organisation": organisation,
            "organisations": selectors.organisations_for(request.user),
            "year": year,
            "error": error,
            "groups": groups,
            "page": page,
            "count": len(shown),
            "income": income,
            "expenditure": expenditure,
            "balance": income - expenditure,
            "categories": [(code, str(label)) for code, label in CATEGORIES.items()],
            "tracks": list(BudgetLine._meta.get_field("track").choices or []),
            "category": category,
            "tab": "costs",
            "track": track,
        },
    )


FORECAST_COLUMNS = (
    Column("task_field", gettext_lazy("Task field"), lambda x: x.task_field),
    Column("track", gettext_lazy("Track"), lambda x: track_label(x.track)),
    Column(
        "target_group",
        gettext_lazy("Target group"),
        lambda x: target_group_label(x.target_group) if x.target_group else "",
    ),
    Column(
        "direction", gettext_lazy("Income or expenditure"), lambda x: direction_label(x.direction)
    ),
    Column("description", gettext_lazy("Description"), lambda x: x.description),
    Column("original", gettext_lazy("Original budget"), lambda x: x.original, numeric=True),
    Column("current", gettext_lazy("Current budget"), lambda x: x.current, numeric=True),
    Column("actual", gettext_lazy("Actuals to date"), lambda x: x.actual_to_date, numeric=True),
    Column("coming", gettext_lazy("Still to come"), lambda x: x.still_to_come, numeric=True),
    Column("forecast", gettext_lazy("Forecast"), lambda x: x.forecast, numeric=True),
    Column("variance", gettext_lazy("Variance"), lambda x: x.variance, numeric=True),
    Column("light", gettext_lazy("Traffic light"), lambda x: light_label(str(x.light))),
)


def _as_of(request: HttpRequest, organisation_id: int, year: int) -> date:
    """The day asked (``peildatum``), else :func:`forecast.default_as_of` (the last day the
    year's actuals cover). A date that cannot be read is the default too."""
    asked = request.GET.get("peildatum", "") or ""
    try:
        chosen = parse_date(asked) if asked else None
    except ValueError:  # a well-formed but impossible date, 2025-02-30
        chosen = None
    if chosen is not None:
        return min(chosen, date(year, 12, 31))
    return default_as_of(
        user=request.user, organisation_id=organisation_id, year=year, today=timezone.localdate()
    )


@login_required
def forecast(request: HttpRequest) -> HttpResponse:
    from onderdak.engines.finance import FinanceInputError

    organisation = _organisation(request)
    year = _year(request)
    as_of = _as_of(request, organisation.pk, year)
    error = ""
    result = None
    try:
        result = year_end_forecast(
            user=request.user, organisation_id=organisation.pk, year=year, as_of=as_of
        )
    except FinanceInputError as exc:
        error = derivation.error_message(exc)
    fmt = requested_export(request)
    if fmt:
        return export_response(
            f"prognose-{year}", FORECAST_COLUMNS, result.lines if result else [], fmt
        )
    rows = [
        {
            "line": x,
            "track": track_label(x.track),
            "target_group": target_group_label(x.target_group) if x.target_group else "",
            "direction": direction_label(x.direction),
            "light": light_label(str(x.light)),
        }
        for x in (result.lines if result else [])
    ]
    return render(
        request,
        "finance/forecast.html",
        {
            "organisation": organisation,
            "organisations": selectors.organisations_for(request.user),
            "year": year,
            "as_of": as_of,
            "error": error,
            "result": result,
            "tab": "forecast",
            "rows": rows,
            "chart": charts.forecast_chart(result) if result and result.lines else "",
        },
    )
