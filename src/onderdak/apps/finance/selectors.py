"""Reads of the finance app: rates, the budget, ledger mappings and actuals.

Money is not shared through a region: every organisation's money is read by its own members
(any role) and by the platform's superusers, nothing else (``accounts.selectors``). Helpers C
and D (derived costs, forecast, letter) read through these selectors; keep the names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from onderdak.apps.accounts.selectors import access_for, finance_organisations, user_organisations
from onderdak.apps.audit.selectors import HistoryEntry, history_of
from onderdak.common.vocabulary import task_fields
from onderdak.data.finance import national_rates

from .models import (
    Actual,
    ActualImport,
    BudgetAmendment,
    BudgetLine,
    LedgerMapping,
    Rate,
    RateUnit,
)

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation
    from onderdak.engines.finance import FinanceInputError, RateTable

M = TypeVar("M", bound=Model)

#: The units that go into a :class:`RateTable` (the others are parameters, see :func:`rate_on`).
TABLE_UNITS = (RateUnit.PLACE_DAY, RateUnit.PERSON_MONTH)


# --- access --------------------------------------------------------------------------------


def finance_scope(queryset: QuerySet[M], user: Any, *, field: str = "organisation") -> QuerySet[M]:
    """``queryset`` limited to the money ``user`` may read: that of the organisations the user
    is a member of (never through a region); everything for superusers."""
    access = access_for(user)
    if access.superuser:
        return queryset
    return queryset.filter(**{f"{field}__in": access.member_of})


def may_read_finance(user: Any, organisation_id: int | None) -> bool:
    access = access_for(user)
    return organisation_id is not None and (access.superuser or organisation_id in access.member_of)


def organisations_for(user: Any) -> list[Organisation]:
    """The organisations whose finance pages the user may open (own memberships; superusers:
    every organisation)."""
    if access_for(user).superuser:
        return list(finance_organisations(user).order_by("name"))
    return list(user_organisations(user).order_by("name"))


def organisation_for(user: Any, requested: str | int | None) -> Organisation | None:
    """The requested organisation when the user may read its money, else the first one."""
    options = organisations_for(user)
    if requested:
        for organisation in options:
            if str(organisation.pk) == str(requested):
                return organisation
        return None
    municipal = [o for o in options if o.kind == "municipality"]
    preferred = municipal or options
    return preferred[0] if preferred else None


# --- rates ---------------------------------------------------------------------------------


def rate_list(*, user: Any, organisation_id: int | None = None) -> QuerySet[Rate]:
    queryset = finance_scope(Rate.objects.select_related("organisation"), user)
    if organisation_id is not None:
        queryset = queryset.filter(organisation_id=organisation_id)
    return queryset.order_by("scheme", "valid_from", "pk")


def rate_get(*, user: Any, pk: int) -> Rate:
    return rate_list(user=user).get(pk=pk)


@dataclass(frozen=True)
class RatePeriod:
    """One dated rate of a scheme with the period it applies (``until``: the last day, ``None``
    while no later rate exists)."""

    rate: Rate
    until: date | None


@dataclass(frozen=True)
class SchemeRates:
    scheme: str
    name: str
    unit: str
    periods: list[RatePeriod]


def rates_by_scheme(*, user: Any, organisation_id: int) -> list[SchemeRates]:
    """Per scheme its dated rates with their periods (the rates page and the API)."""
    grouped: dict[str, list[Rate]] = defaultdict(list)
    for rate in rate_list(user=user, organisation_id=organisation_id):
        grouped[rate.scheme].append(rate)
    result = []
    for scheme, rates in grouped.items():
        periods = [
            RatePeriod(
                rate,
                rates[index + 1].valid_from - timedelta(days=1) if index + 1 < len(rates) else None,
            )
            for index, rate in enumerate(rates)
        ]
        result.append(SchemeRates(scheme, rates[-1].name, rates[-1].unit, periods))
    return result


def rate_history(*, rate: Rate, limit: int | None = 50) -> list[HistoryEntry]:
    """The audit trail of one rate row (the dated rows of its scheme are the other half)."""
    return history_of(instance=rate, limit=limit)


@dataclass(frozen=True)
class _RateRow:
    scheme: str
    valid_from: date
    amount: Decimal
    unit: str


def _rate_rows(organisation_id: int) -> list[_RateRow]:
    """The organisation's rates; the national ones while it has adopted none."""
    own = [
        _RateRow(r.scheme, r.valid_from, r.amount, r.unit)
        for r in Rate.objects.filter(organisation_id=organisation_id).order_by(
            "scheme", "valid_from"
        )
    ]
    if own:
        return own
    return [_RateRow(r.scheme, r.valid_from, r.amount, r.unit) for r in national_rates()]


def rate_table(*, organisation_id: int) -> RateTable:
    """The organisation's ``place_day`` and ``person_month`` rates as the engine's table.

    An organisation that has not adopted any rates gets the national rates shipped with
    Onderdak (``onderdak/data/finance/rates.csv``). The caller has checked access."""
    from onderdak.engines.finance import Rate as EngineRate
    from onderdak.engines.finance import RateTable, Unit

    return RateTable(
        EngineRate(row.scheme, row.valid_from, row.amount, Unit(row.unit))
        for row in _rate_rows(organisation_id)
        if row.unit in TABLE_UNITS
    )


def finance_error_message(error: FinanceInputError) -> str:
    """A finance engine error in the user's language (Dutch on the pages)."""
    params = dict(error.params)
    if error.code == "unknown_scheme":
        return _("There is no standard rate for the scheme '%(scheme)s'.") % {
            "scheme": params.get("scheme", "")
        }
    if error.code == "before_first_rate":
        first = params.get("first_valid_from")
        day = params.get("day")
        return _(
            "There is no standard rate for '%(scheme)s' on %(day)s: the first rate applies "
            "from %(first)s."
        ) % {
            "scheme": params.get("scheme", ""),
            "day": date_format(day, "SHORT_DATE_FORMAT") if isinstance(day, date) else day,
            "first": date_format(first, "SHORT_DATE_FORMAT") if isinstance(first, date) else first,
        }
    return _("The standard rates cannot be used: %(reason)s") % {"reason": str(error)}


def rate_on(organisation_id: int, scheme: str, day: date) -> Decimal:
    """The amount of ``scheme`` on ``day`` for the organisation, for any unit (parameters such
    as the SFT amount per home and its ceiling too): the row with the latest ``valid_from`` on
    or before ``day``. Before the first row, or for an unknown scheme: ``ValidationError`` in
    the user's language, never a silent zero."""
    rows = [row for row in _rate_rows(organisation_id) if row.scheme == scheme]
    if not rows:
        raise ValidationError(
            _("There is no standard rate for the scheme '%(scheme)s'.") % {"scheme": scheme},
            code="unknown_scheme",
        )
    applying = [row for row in rows if row.valid_from <= day]
    if not applying:
        first = min(row.valid_from for row in rows)
        raise ValidationError(
            _(
                "There is no standard rate for '%(scheme)s' on %(day)s: the first rate applies "
                "from %(first)s."
            )
            % {
                "scheme": scheme,
                "day": date_format(day, "SHORT_DATE_FORMAT"),
                "first": date_format(first, "SHORT_DATE_FORMAT"),
            },
            code="before_first_rate",
        )
    return max(applying, key=lambda row: row.valid_from).amount


# --- budget --------------------------------------------------------------------------------


def budget_lines(*, user: Any, organisation_id: int, year: int) -> QuerySet[BudgetLine]:
    """The budget lines of one organisation and year the user may read (with amendments)."""
    return (
        finance_scope(BudgetLine.objects.all(), user)
        .filter(organisation_id=organisation_id, year=year)
        .prefetch_related(Prefetch("amendments", BudgetAmendment.objects.order_by("decided_on")))
        .order_by("task_field", "track", "direction", "target_group", "description", "pk")
    )


def budget_line_get(*, user: Any, pk: int) -> BudgetLine:
    return finance_scope(BudgetLine.objects.select_related("organisation"), user).get(pk=pk)


@dataclass(frozen=True)
class BudgetRow:
    """One budget line on a day: the original amount, the amendments decided on or before it,
    and the current budget (original + amendments)."""

    line: BudgetLine
    original: Decimal
    amendments: Decimal
    current: Decimal


def current_amount(line: BudgetLine, on: date) -> Decimal:
    """Original + the amendments of ``line`` decided on or before ``on``."""
    changes = sum((a.amount for a in line.amendments.all() if a.decided_on <= on), start=Decimal(0))
    return line.amount + changes


def budget_rows(*, user: Any, organisation_id: int, year: int, on: date) -> list[BudgetRow]:
    rows = []
    for line in budget_lines(user=user, organisation_id=organisation_id, year=year):
        current = current_amount(line, on)
        rows.append(BudgetRow(line, line.amount, current - line.amount, current))
    return rows


@dataclass(frozen=True)
class BudgetGroup:
    """The rows of one task field and track, with their totals per direction."""

    task_field: str
    task_field_name: str
    track: str
    rows: list[BudgetRow]
    income: Decimal
    expenditure: Decimal


def budget_groups(rows: list[BudgetRow]) -> list[BudgetGroup]:
    names = task_fields()
    grouped: dict[tuple[str, str], list[BudgetRow]] = defaultdict(list)
    for row in rows:
        grouped[(row.line.task_field, row.line.track)].append(row)
    return [
        BudgetGroup(
            task_field,
            names.get(task_field, ""),
            track,
            items,
            sum((r.current for r in items if r.line.direction == "income"), start=Decimal(0)),
            sum((r.current for r in items if r.line.direction == "expenditure"), start=Decimal(0)),
        )
        for (task_field, track), items in grouped.items()
    ]


def amendments_between(
    *, user: Any, organisation_id: int, start: date, end: date
) -> QuerySet[BudgetAmendment]:
    """Amendments decided from ``start`` up to and including ``end``."""
    return (
        finance_scope(
            BudgetAmendment.objects.select_related("line"), user, field="line__organisation"
        )
        .filter(line__organisation_id=organisation_id, decided_on__gte=start, decided_on__lte=end)
        .order_by("decided_on", "pk")
    )


def amendment_list(*, user: Any, organisation_id: int | None = None) -> QuerySet[BudgetAmendment]:
    queryset = finance_scope(
        BudgetAmendment.objects.select_related("line"), user, field="line__organisation"
    )
    if organisation_id is not None:
        queryset = queryset.filter(line__organisation_id=organisation_id)
    return queryset.order_by("decided_on", "pk")


def amendment_get(*, user: Any, pk: int) -> BudgetAmendment:
    return amendment_list(user=user).select_related("line__organisation").get(pk=pk)


# --- ledger mapping and actuals ------------------------------------------------------------


def mapping_list(*, user: Any, organisation_id: int | None = None) -> QuerySet[LedgerMapping]:
    queryset = finance_scope(LedgerMapping.objects.all(), user)
    if organisation_id is not None:
        queryset = queryset.filter(organisation_id=organisation_id)
    return queryset.order_by("account", "pk")


def mapping_get(*, user: Any, pk: int) -> LedgerMapping:
    return mapping_list(user=user).select_related("organisation").get(pk=pk)


def actual_imports(*, user: Any, organisation_id: int | None = None) -> QuerySet[ActualImport]:
    queryset = finance_scope(ActualImport.objects.select_related("imported_by"), user)
    if organisation_id is not None:
        queryset = queryset.filter(organisation_id=organisation_id)
    return queryset.order_by("-period_start", "-imported_at", "-pk")


def actual_list(*, user: Any, organisation_id: int | None = None) -> QuerySet[Actual]:
    queryset = finance_scope(
        Actual.objects.select_related("batch"), user, field="batch__organisation"
    )
    if organisation_id is not None:
        queryset = queryset.filter(batch__organisation_id=organisation_id)
    return queryset.order_by("booking_date", "pk")


def _actuals_of_year(user: Any, organisation_id: int, year: int, until: date) -> QuerySet[Actual]:
    return actual_list(user=user, organisation_id=organisation_id).filter(
        Q(booking_date__year=year) & Q(booking_date__lte=until)
    )


LineKey = tuple[str, str, str, str]


def actual_totals(
    *, user: Any, organisation_id: int, year: int, until: date
) -> dict[LineKey, Decimal]:
    """The actuals of ``year`` booked up to and including ``until``, summed per (task field,
    track, target group, direction). Income and expenditure are both positive; a negative
    booking is a correction."""
    totals: dict[LineKey, Decimal] = {}
    for row in (
        _actuals_of_year(user, organisation_id, year, until)
        .values("task_field", "track", "target_group", "direction")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        key = (row["task_field"], row["track"], row["target_group"], row["direction"])
        totals[key] = totals.get(key, Decimal(0)) + Decimal(row["total"])
    return totals


def actuals_by_month(
    *, user: Any, organisation_id: int, year: int, until: date
) -> dict[LineKey, dict[int, Decimal]]:
    """Like :func:`actual_totals`, per calendar month (1-12) of the booking date."""
    result: dict[LineKey, dict[int, Decimal]] = defaultdict(dict)
    for row in (
        _actuals_of_year(user, organisation_id, year, until)
        .annotate(month=TruncMonth("booking_date"))
        .values("task_field", "track", "target_group", "direction", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        key = (row["task_field"], row["track"], row["target_group"], row["direction"])
        month = row["month"].month
        result[key][month] = result[key].get(month, Decimal(0)) + Decimal(row["total"])
    return dict(result)
