"""Writes of the finance app: rates, the budget and its amendments, ledger mappings and the
import of actuals. Only controllers and administrators of the organisation (and superusers)
change money (``accounts.selectors.require_finance``); every change is audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onderdak.apps.accounts.selectors import require_finance
from onderdak.apps.audit.services import (
    Actor,
    audit_record,
    audited_create,
    audited_delete,
    audited_update,
)
from onderdak.common.imports import (
    ImportColumn,
    ImportRejected,
    ImportSpec,
    RowError,
    parse_decimal,
    read_date,
)
from onderdak.common.vocabulary import TargetGroup, task_fields
from onderdak.data.finance import national_rates

from .models import (
    Actual,
    ActualImport,
    BudgetAmendment,
    BudgetLine,
    LedgerMapping,
    Rate,
)

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation

RATE_FIELDS = ("scheme", "name", "valid_from", "amount", "unit", "source", "notes")
#: A change of one of these makes a national rate the organisation's own.
RATE_VALUE_FIELDS = frozenset({"scheme", "valid_from", "amount", "unit"})
BUDGET_LINE_FIELDS = (
    "year",
    "task_field",
    "track",
    "target_group",
    "direction",
    "description",
    "amount",
)
AMENDMENT_FIELDS = ("decided_on", "amount", "reference", "description")
MAPPING_FIELDS = ("account", "task_field", "track", "target_group", "direction", "description")


# --- rates ---------------------------------------------------------------------------------


@transaction.atomic
def adopt_national_rates(*, actor: Actor, organisation: Organisation) -> int:
    """Add the national rates (shipped with Onderdak) that the organisation lacks: a row is
    lacking when the organisation has no rate of that scheme from that date. Idempotent;
    returns the number of rows added."""
    require_finance(actor, organisation.pk)
    existing = set(
        Rate.objects.filter(organisation=organisation).values_list("scheme", "valid_from")
    )
    created = 0
    for national in national_rates():
        if (national.scheme, national.valid_from) in existing:
            continue
        audited_create(
            actor=actor,
            instance=Rate(
                organisation=organisation,
                scheme=national.scheme,
                name=national.name,
                valid_from=national.valid_from,
                amount=national.amount,
                unit=national.unit,
                source=national.source,
                notes=national.notes[:300],
                national=True,
            ),
        )
        created += 1
    return created


@transaction.atomic
def rate_create(*, actor: Actor, organisation: Organisation, **values: Any) -> Rate:
    require_finance(actor, organisation.pk)
    rate = Rate(organisation=organisation, national=False)
    for name, value in values.items():
        if name not in RATE_FIELDS:
            raise ValueError(f"not editable: {name}")
        setattr(rate, name, value)
    audited_create(actor=actor, instance=rate)
    return rate


@transaction.atomic
def rate_update(*, actor: Actor, rate: Rate, **changes: Any) -> Rate:
    """Change a rate; a national rate whose scheme, date, amount or unit changes becomes the
    organisation's own (``national=False``)."""
    require_finance(actor, rate.organisation_id)
    stored = Rate.objects.get(pk=rate.pk)
    if any(
        name in RATE_VALUE_FIELDS and getattr(stored, name) != value
        for name, value in changes.items()
    ):
        changes = {**changes, "national": False}
    audited_update(actor=actor, instance=rate, changes=changes, allowed=(*RATE_FIELDS, "national"))
    return rate


@transaction.atomic
def rate_delete(*, actor: Actor, rate: Rate) -> None:
    require_finance(actor, rate.organisation_id)
    audited_delete(actor=actor, instance=rate)


# --- budget --------------------------------------------------------------------------------


def _unique_line(line: BudgetLine) -> None:
    clash = (
        BudgetLine.objects.filter(
            organisation_id=line.organisation_id,
            year=line.year,
            task_field=line.task_field,
            track=line.track,
            target_group=line.target_group,
            direction=line.direction,
        )
        .exclude(pk=line.pk)
        .exists()
    )
    if clash:
        raise ValidationError(
            _(
                "There is already a budget line for this year, task field, track, target group "
                "and direction; change that line or add an amendment to it."
            )
        )


@transaction.atomic
def budget_line_create(*, actor: Actor, organisation: Organisation, **values: Any) -> BudgetLine:
    require_finance(actor, organisation.pk)
    line = BudgetLine(organisation=organisation)
    for name, value in values.items():
        if name not in BUDGET_LINE_FIELDS:
            raise ValueError(f"not editable: {name}")
        setattr(line, name, value)
    _unique_line(line)
    audited_create(actor=actor, instance=line)
    return line


@transaction.atomic
def budget_line_update(*, actor: Actor, line: BudgetLine, **changes: Any) -> BudgetLine:
    require_finance(actor, line.organisation_id)
    for name, value in changes.items():
        if name in BUDGET_LINE_FIELDS:
            setattr(line, name, value)
    _unique_line(line)
    audited_update(actor=actor, instance=line, changes=changes, allowed=BUDGET_LINE_FIELDS)
    return line


@transaction.atomic
def budget_line_delete(*, actor: Actor, line: BudgetLine) -> None:
    """Delete a line and its amendments (both kept in the audit entry)."""
    require_finance(actor, line.organisation_id)
    audited_delete(actor=actor, instance=line)


@transaction.atomic
def amendment_create(*, actor: Actor, line: BudgetLine, **values: Any) -> BudgetAmendment:
    require_finance(actor, line.organisation_id)
    amendment = BudgetAmendment(line=line)
    for name, value in values.items():
        if name not in AMENDMENT_FIELDS:
            raise ValueError(f"not editable: {name}")
        setattr(amendment, name, value)
    audited_create(actor=actor, instance=amendment)
    return amendment


@transaction.atomic
def amendment_update(
    *, actor: Actor, amendment: BudgetAmendment, **changes: Any
) -> BudgetAmendment:
    require_finance(actor, amendment.line.organisation_id)
    audited_update(actor=actor, instance=amendment, changes=changes, allowed=AMENDMENT_FIELDS)
    return amendment


@transaction.atomic
def amendment_delete(*, actor: Actor, amendment: BudgetAmendment) -> None:
    require_finance(actor, amendment.line.organisation_id)
    audited_delete(actor=actor, instance=amendment)


# --- ledger mapping ------------------------------------------------------------------------


def _unique_mapping(mapping: LedgerMapping) -> None:
    if (
        LedgerMapping.objects.filter(
            organisation_id=mapping.organisation_id, account=mapping.account
        )
        .exclude(pk=mapping.pk)
        .exists()
    ):
        raise ValidationError({"account": _("This ledger account already has a mapping.")})


@transaction.atomic
def mapping_create(*, actor: Actor, organisation: Organisation, **values: Any) -> LedgerMapping:
    require_finance(actor, organisation.pk)
    mapping = LedgerMapping(organisation=organisation)
    for name, value in values.items():
        if name not in MAPPING_FIELDS:
            raise ValueError(f"not editable: {name}")
        setattr(mapping, name, value)
    _unique_mapping(mapping)
    audited_create(actor=actor, instance=mapping)
    return mapping


@transaction.atomic
def mapping_update(*, actor: Actor, mapping: LedgerMapping, **changes: Any) -> LedgerMapping:
    """Change a mapping; actuals imported before keep the placement they got (re-import the
    period to place them anew)."""
    require_finance(actor, mapping.organisation_id)
    if "account" in changes:
        mapping.account = changes["account"]
    _unique_mapping(mapping)
    audited_update(actor=actor, instance=mapping, changes=changes, allowed=MAPPING_FIELDS)
    return mapping


@transaction.atomic
def mapping_delete(*, actor: Actor, mapping: LedgerMapping) -> None:
    require_finance(actor, mapping.organisation_id)
    audited_delete(actor=actor, instance=mapping)


# --- actuals import ------------------------------------------------------------------------

ACTUALS_IMPORT = ImportSpec(
    name="realisatie",
    columns=(
        ImportColumn(
            "booking_date",
            gettext_lazy("Booking date"),
            example="15-01-2025",
            required=True,
            aliases=("boekdatum", "date", "datum"),
            help=gettext_lazy("dd-mm-yyyy or yyyy-mm-dd; within the chosen period"),
        ),
        ImportColumn(
            "account",
            gettext_lazy("Ledger account"),
            example="4711",
            required=True,
            aliases=("grootboekrekening", "grootboek", "ledger"),
            help=gettext_lazy("Must have a mapping to a task field, track and direction"),
        ),
        ImportColumn(
            "task_field",
            gettext_lazy("Task field"),
            example="6.1",
            aliases=("taakveld",),
            help=gettext_lazy("Optional; when given it must agree with the account's mapping"),
        ),
        ImportColumn(
            "amount",
            gettext_lazy("Amount"),
            example="1234,56",
            required=True,
            aliases=("bedrag",),
            help=gettext_lazy(
                "Euros, at most 2 decimals, decimal comma or point; a negative amount is a "
                "correction"
            ),
        ),
        ImportColumn(
            "description",
            gettext_lazy("Description"),
            example="Leefgeld januari",
            aliases=("omschrijving",),
        ),
        ImportColumn(
            "cost_centre",
            gettext_lazy("Cost centre"),
            example="KP120",
            aliases=("kostenplaats",),
        ),
    ),
)

MAPPING_IMPORT = ImportSpec(
    name="grootboek",
    columns=(
        ImportColumn(
            "account",
            gettext_lazy("Ledger account"),
            example="4711",
            required=True,
            aliases=("grootboekrekening",),
        ),
        ImportColumn(
            "task_field",
            gettext_lazy("Task field"),
            example="6.1",
            required=True,
            aliases=("taakveld",),
        ),
        ImportColumn(
            "track",
            gettext_lazy("Track"),
            example="overall",
            aliases=("spoor",),
            help=gettext_lazy("overall, care, flex_homes or temporary_housing (empty: overall)"),
        ),
        ImportColumn(
            "target_group",
            gettext_lazy("Target group"),
            example="displaced_ukrainian",
            aliases=("doelgroep",),
        ),
        ImportColumn(
            "direction",
            gettext_lazy("Income or expenditure"),
            example="expenditure",
            required=True,
            aliases=("richting", "direction"),
            help=gettext_lazy("income or expenditure (baten/lasten accepted)"),
        ),
        ImportColumn(
            "description",
            gettext_lazy("Description"),
            example="Leefgeld Oekraïners",
            aliases=("omschrijving",),
        ),
    ),
)

#: The tracks of the programme (the choices of ``programme.Track``, read from our own model).
TRACKS = tuple(value for value, _label in LedgerMapping._meta.get_field("track").choices or ())
DEFAULT_TRACK = LedgerMapping._meta.get_field("track").default

_DIRECTION_WORDS = {
    "income": "income",
    "baten": "income",
    "inkomsten": "income",
    "expenditure": "expenditure",
    "lasten": "expenditure",
    "uitgaven": "expenditure",
}


@dataclass(frozen=True)
class ReplacedImport:
    imported_at: datetime
    rows: int

    def __str__(self) -> str:
        return _("replaces %(count)s rows of the import of %(date)s") % {
            "count": self.rows,
            "date": date_format(self.imported_at, "SHORT_DATE_FORMAT"),
        }


@dataclass(frozen=True)
class ActualsImportResult:
    batch: ActualImport
    rows: int
    replaced: list[ReplacedImport] = field(default_factory=list)

    @property
    def replaced_rows(self) -> int:
        return sum(r.rows for r in self.replaced)


def _check_period(organisation: Organisation, start: date, end: date) -> list[ActualImport]:
    """The earlier imports of exactly this period (to replace); an overlapping import of
    another period refuses the file."""
    if end < start:
        raise ImportRejected([RowError(None, None, _("The period ends before it starts."))])
    overlapping = list(
        ActualImport.objects.filter(
            organisation=organisation, period_start__lte=end, period_end__gte=start
        )
    )
    other = [i for i in overlapping if (i.period_start, i.period_end) != (start, end)]
    if other:
        clash = other[0]
        raise ImportRejected(
            [
                RowError(
                    None,
                    None,
                    _(
                        "The period overlaps the import of %(start)s to %(end)s, which covers "
                        "another period. Import exactly that period again to replace it, or "
                        "choose a period that does not overlap."
                    )
                    % {
                        "start": date_format(clash.period_start, "SHORT_DATE_FORMAT"),
                        "end": date_format(clash.period_end, "SHORT_DATE_FORMAT"),
                    },
                )
            ]
        )
    return overlapping


def _actual_rows(
    table_rows: list[tuple[int, dict[str, str]]],
    mappings: dict[str, LedgerMapping],
    start: date,
    end: date,
) -> tuple[list[Actual], list[RowError]]:
    errors: list[RowError] = []
    actuals: list[Actual] = []
    known = task_fields()
    for number, cells in table_rows:
        before = len(errors)
        day = read_date(cells.get("booking_date", ""))
        if day is None:
            errors.append(
                RowError(
                    number,
                    "booking_date",
                    _("not a date: '%(value)s'") % {"value": cells.get("booking_date", "")},
                )
            )
        elif not start <= day <= end:
            errors.append(
                RowError(
                    number,
                    "booking_date",
                    _("%(day)s lies outside the period %(start)s to %(end)s")
                    % {
                        "day": date_format(day, "SHORT_DATE_FORMAT"),
                        "start": date_format(start, "SHORT_DATE_FORMAT"),
                        "end": date_format(end, "SHORT_DATE_FORMAT"),
                    },
                )
            )
        account = cells.get("account", "").strip()
        mapping = mappings.get(account)
        if not account:
            errors.append(RowError(number, "account", _("the ledger account is empty")))
        elif mapping is None:
            errors.append(
                RowError(
                    number,
                    "account",
                    _("the ledger account '%(account)s' has no mapping; add it first")
                    % {"account": account[:40]},
                )
            )
        task_field = cells.get("task_field", "").strip()
        if task_field and task_field not in known:
            errors.append(
                RowError(
                    number,
                    "task_field",
                    _("unknown task field '%(value)s'") % {"value": task_field[:20]},
                )
            )
        elif task_field and mapping is not None and task_field != mapping.task_field:
            errors.append(
                RowError(
                    number,
                    "task_field",
                    _(
                        "the task field %(value)s differs from the mapping of ledger account "
                        "%(account)s (%(mapped)s); correct the file or the mapping"
                    )
                    % {"value": task_field, "account": account, "mapped": mapping.task_field},
                )
            )
        amount = parse_decimal(
            cells.get("amount", ""),
            row=number,
            field="amount",
            errors=errors,
            minimum=Decimal("-999999999999"),
            maximum=Decimal("999999999999"),
        )
        if amount is not None and amount != amount.quantize(Decimal("0.01")):
            errors.append(RowError(number, "amount", _("at most 2 decimals")))
        description = cells.get("description", "").strip()
        cost_centre = cells.get("cost_centre", "").strip()
        if len(description) > 300:
            errors.append(RowError(number, "description", _("at most 300 characters")))
        if len(cost_centre) > 40:
            errors.append(RowError(number, "cost_centre", _("at most 40 characters")))
        if len(errors) > before or mapping is None or day is None or amount is None:
            continue
        actuals.append(
            Actual(
                booking_date=day,
                account=account,
                task_field=mapping.task_field,
                track=mapping.track,
                target_group=mapping.target_group,
                direction=mapping.direction,
                amount=amount.quantize(Decimal("0.01")),
                description=description,
                cost_centre=cost_centre,
            )
        )
    return actuals, errors


@transaction.atomic
def actuals_import(
    *,
    actor: Actor,
    organisation: Organisation,
    content: bytes,
    filename: str,
    period_start: date,
    period_end: date,
) -> ActualsImportResult:
    """Import the bookings of one period (from and until, inclusive) from the financial
    administration. Every row is checked first (booking date within the period, a mapped
    ledger account, a task field that agrees with the mapping, an amount with at most 2
    decimals); one problem and nothing is written. An earlier import of exactly this period is
    replaced; an import of an overlapping other period refuses the file."""
    require_finance(actor, organisation.pk)
    earlier = _check_period(organisation, period_start, period_end)
    table = ACTUALS_IMPORT.read(content, filename)
    mappings = {m.account: m for m in LedgerMapping.objects.filter(organisation=organisation)}
    actuals, errors = _actual_rows(table.rows, mappings, period_start, period_end)
    if errors:
        raise ACTUALS_IMPORT.rejected(errors)
    if not table.rows:
        raise ImportRejected([RowError(None, None, _("The file has no rows."))])
    replaced = []
    for old in earlier:
        replaced.append(ReplacedImport(old.imported_at, old.actuals.count()))
        audited_delete(actor=actor, instance=old)
    batch = ActualImport(
        organisation=organisation,
        period_start=period_start,
        period_end=period_end,
        filename=filename[:255],
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,  # type: ignore[misc]
        rows=len(actuals),
        replaced_rows=sum(r.rows for r in replaced),
    )
    batch.full_clean()
    batch.save()
    for actual in actuals:
        actual.batch = batch
    Actual.objects.bulk_create(actuals)
    audit_record(
        actor=actor,
        action="create",
        instance=batch,
        after={
            "period_start": period_start.isoformat(),
            "period_end": period_end.isoformat(),
            "filename": batch.filename,
            "rows": batch.rows,
            "replaced_rows": batch.replaced_rows,
        },
    )
    return ActualsImportResult(batch, len(actuals), replaced)


@transaction.atomic
def actual_import_delete(*, actor: Actor, batch: ActualImport) -> None:
    require_finance(actor, batch.organisation_id)
    audited_delete(actor=actor, instance=batch)


@transaction.atomic
def mapping_import(
    *, actor: Actor, organisation: Organisation, content: bytes, filename: str
) -> tuple[int, int]:
    """Add or update ledger account mappings from a file (all-or-nothing). Returns (created,
    updated)."""
    require_finance(actor, organisation.pk)
    table = MAPPING_IMPORT.read(content, filename)
    known = task_fields()
    errors: list[RowError] = []
    parsed: list[dict[str, str]] = []
    seen: set[str] = set()
    for number, cells in table.rows:
        account = cells.get("account", "").strip()
        values = {
            "account": account,
            "task_field": cells.get("task_field", "").strip(),
            "track": cells.get("track", "").strip() or DEFAULT_TRACK,
            "target_group": cells.get("target_group", "").strip(),
            "direction": _DIRECTION_WORDS.get(cells.get("direction", "").strip().lower(), ""),
            "description": cells.get("description", "").strip(),
        }
        if not account or len(account) > 40:
            errors.append(RowError(number, "account", _("1 to 40 characters")))
        elif account in seen:
            errors.append(RowError(number, "account", _("this account occurs twice in the file")))
        seen.add(account)
        if values["task_field"] not in known:
            errors.append(
                RowError(
                    number,
                    "task_field",
                    _("unknown task field '%(value)s'") % {"value": values["task_field"][:20]},
                )
            )
        if values["track"] not in TRACKS:
            errors.append(RowError(number, "track", _("unknown track")))
        if values["target_group"] and values["target_group"] not in TargetGroup.values:
            errors.append(RowError(number, "target_group", _("unknown target group")))
        if not values["direction"]:
            errors.append(RowError(number, "direction", _("use income or expenditure")))
        if len(values["description"]) > 200:
            errors.append(RowError(number, "description", _("at most 200 characters")))
        parsed.append(values)
    if errors:
        raise MAPPING_IMPORT.rejected(errors)
    existing = {m.account: m for m in LedgerMapping.objects.filter(organisation=organisation)}
    created = updated = 0
    for values in parsed:
        current = existing.get(values["account"])
        if current is None:
            audited_create(actor=actor, instance=LedgerMapping(organisation=organisation, **values))
            created += 1
        else:
            audited_update(actor=actor, instance=current, changes=values, allowed=MAPPING_FIELDS)
            updated += 1
    return created, updated
