"""Iv3 (Informatie voor derden): the quarterly amounts per task field for the delivery to CBS.

What CBS asks of a municipality (CBS, "Gemeenten en gemeenschappelijke regelingen", Iv3
models; Iv3-informatievoorschrift): once a year a budget overview (begrotingsoverzicht) and,
per quarter and year, a distribution matrix (verdelingsmatrix: per BBV task field and economic
category the lasten and baten realised from 1 January up to the end of the quarter) and a
balance-sheet overview (balansstandenoverzicht).

Layout followed here: the quarterly verdelingsmatrix reduced to its task-field totals, per BBV
task field the expenditure (lasten) and income (baten) as "realisatie t/m kwartaal" (actuals
booked from 1 January up to and including the quarter's last day), next to the "begroting"
(the current budget on that day, the figure of the begrotingsoverzicht after amendments) and
the year-end forecast.

Simplified, honestly: the real matrix splits every task field by economic category
(categorieën 1.1 to 7.5), the balance sheet is not produced, and Onderdak knows only the lines
of the reception programme, so these figures are the programme's part of the municipality's
Iv3 delivery (for the financial administration to merge), not the whole delivery and not the
CBS file format (an SDMX/XBRL upload through the CBS portal).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy

from onderdak.common.tables import Column, export_response, requested_export

from .derivation import EXPENDITURE, INCOME, error_message
from .forecast import year_end_forecast
from .letter import quarter_end

ZERO = Decimal("0.00")

__all__ = ["Iv3Report", "Iv3Row", "export", "iv3_report", "requested_export"]


@dataclass(frozen=True)
class Iv3Row:
    task_field: str
    budget_expenditure: Decimal
    budget_income: Decimal
    actual_expenditure: Decimal
    actual_income: Decimal
    forecast_expenditure: Decimal
    forecast_income: Decimal


@dataclass(frozen=True)
class Iv3Report:
    year: int
    quarter: int
    rows: list[Iv3Row]
    total: Iv3Row | None
    error: str


FIELDS = (
    "budget_expenditure",
    "budget_income",
    "actual_expenditure",
    "actual_income",
    "forecast_expenditure",
    "forecast_income",
)


def _sort_key(task_field: str) -> tuple[int, ...]:
    return tuple(int(part) for part in task_field.split(".") if part.isdigit())


def iv3_report(*, user: Any, organisation_id: int, year: int, quarter: int) -> Iv3Report:
    from onderdak.engines.finance import FinanceInputError

    try:
        forecast = year_end_forecast(
            user=user, organisation_id=organisation_id, year=year, as_of=quarter_end(year, quarter)
        )
    except FinanceInputError as exc:
        return Iv3Report(year, quarter, [], None, error_message(exc))
    sums: dict[str, dict[str, Decimal]] = {}
    for line in forecast.lines:
        row = sums.setdefault(line.task_field, dict.fromkeys(FIELDS, ZERO))
        suffix = "expenditure" if line.direction == EXPENDITURE else "income"
        assert line.direction in (EXPENDITURE, INCOME)
        row[f"budget_{suffix}"] += line.current
        row[f"actual_{suffix}"] += line.actual_to_date
        row[f"forecast_{suffix}"] += line.forecast
    rows = [Iv3Row(field, **sums[field]) for field in sorted(sums, key=_sort_key)]
    total = (
        Iv3Row("", **{name: sum((getattr(r, name) for r in rows), ZERO) for name in FIELDS})
        if rows
        else None
    )
    return Iv3Report(year, quarter, rows, total, "")


COLUMNS = (
    Column("taakveld", gettext_lazy("Task field"), lambda r: r.task_field),
    Column(
        "begroting_lasten",
        gettext_lazy("Budget expenditure (lasten)"),
        lambda r: r.budget_expenditure,
        numeric=True,
    ),
    Column(
        "begroting_baten",
        gettext_lazy("Budget income (baten)"),
        lambda r: r.budget_income,
        numeric=True,
    ),
    Column(
        "realisatie_lasten",
        gettext_lazy("Actual expenditure to the end of the quarter"),
        lambda r: r.actual_expenditure,
        numeric=True,
    ),
    Column(
        "realisatie_baten",
        gettext_lazy("Actual income to the end of the quarter"),
        lambda r: r.actual_income,
        numeric=True,
    ),
    Column(
        "prognose_lasten",
        gettext_lazy("Forecast expenditure"),
        lambda r: r.forecast_expenditure,
        numeric=True,
    ),
    Column(
        "prognose_baten",
        gettext_lazy("Forecast income"),
        lambda r: r.forecast_income,
        numeric=True,
    ),
)


def export(report: Iv3Report, fmt: str) -> HttpResponse:
    return export_response(f"iv3-{report.year}-q{report.quarter}", COLUMNS, report.rows, fmt)
