"""Writes for quotas: rounds, their computation, official tables and realisations.

Every write is validated, audited and atomic: an import with one bad row writes nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from onderdak.apps.accounts.selectors import (
    require_change,
    require_create_in,
)
from onderdak.apps.audit.services import (
    audit_record,
    audited_create,
    audited_delete,
    audited_update,
    require_editable,
    snapshot,
)
from onderdak.apps.geo import selectors as geo_selectors
from onderdak.common.imports import (
    ImportColumn,
    ImportSpec,
    RowError,
    Table,
    parse_whole_number,
)

from . import adapters
from .models import Adjustment, MunicipalQuota, QuotaRound, Realisation

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation
    from onderdak.apps.geo.models import Municipality


class AuditAction:
    """The audit trail's actions (``audit.models.AuditAction`` values)."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


ROUND_FIELDS = (
    "target_group",
    "name",
    "period_start",
    "period_end",
    "unit",
    "national_total_initial",
    "national_total_final",
    "key",
    "method",
    "level",
    "population_date",
    "source_title",
    "source_date",
    "source_url",
    "notes",
)


def can_manage_rounds(user: Any) -> bool:
    """Rounds are national (shared) data: platform staff and superusers maintain them."""
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))


def _require_round_manager(actor: Any) -> None:
    if not can_manage_rounds(actor):
        raise PermissionDenied


@transaction.atomic
def quota_round_create(*, actor: Any, **fields: Any) -> QuotaRound:
    _require_round_manager(actor)
    require_editable(fields, ROUND_FIELDS)
    round = QuotaRound(
        **fields, created_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    audited_create(actor=actor, instance=round)
    return round


@transaction.atomic
def quota_round_update(*, actor: Any, round: QuotaRound, **changes: Any) -> QuotaRound:
    _require_round_manager(actor)
    audited_update(actor=actor, instance=round, changes=changes, allowed=ROUND_FIELDS)
    return round


@transaction.atomic
def quota_round_delete(*, actor: Any, round: QuotaRound) -> None:
    """Delete a round with its figures; refused (``ValidationError`` with code ``in_use``) while
    an agreement's lines use it: withdraw and delete the agreement first."""
    _require_round_manager(actor)
    try:
        with transaction.atomic():
            audited_delete(actor=actor, instance=round)
    except ProtectedError as error:
        users = sorted({str(getattr(o, "agreement", o)) for o in error.protected_objects})
        raise ValidationError(
            ngettext(
                "The round cannot be deleted: the agreement %(names)s uses it. "
                "Withdraw and delete it first.",
                "The round cannot be deleted: %(count)d agreements use it (%(names)s). "
                "Withdraw and delete those first.",
                len(users),
            )
            % {"count": len(users), "names": ", ".join(users[:5])},
            code="in_use",
        ) from None


@transaction.atomic
def quota_round_compute(*, actor: Any, round: QuotaRound) -> adapters.RoundComputation:
    """Run the quota engine for the round and store the figure per municipality (for a
    statutory round Huisvestingswet 2014 art. 29(1): weight = population, exact = vg x iG / iN).

    Official figures and backlogs already imported stay as they are. Raises
    ``QuotaInputError`` (with the field) when the round cannot be computed.
    """
    _require_round_manager(actor)
    result = adapters.compute_round(round)
    ids = adapters.municipality_ids()
    existing = {q.municipality_id: q for q in round.quotas.all()}
    to_create: list[MunicipalQuota] = []
    to_update: list[MunicipalQuota] = []
    for code, weight, exact in result.rows:
        municipality_id = ids[code]
        quota = existing.get(municipality_id) or MunicipalQuota(
            round=round, municipality_id=municipality_id
        )
        quota.weight = weight
        quota.exact = exact
        quota.computed = result.quotas[code]
        quota.computed_initial = (
            result.quotas_initial[code] if result.quotas_initial is not None else None
        )
        (to_update if quota.pk else to_create).append(quota)
    MunicipalQuota.objects.bulk_create(to_create, batch_size=500)
    MunicipalQuota.objects.bulk_update(
        to_update, ["weight", "exact", "computed", "computed_initial"], batch_size=500
    )
    before = snapshot(round)
    round.computed_at = timezone.now()
    fields = ["computed_at"]
    if result.statutory is not None:
        # art. 29(1) fixes the reference date: 1 January of the year before
        round.population_date = adapters.statutory_date(round)
        fields.append("population_date")
    round.save(update_fields=fields)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, instance=round, before=before, after=snapshot(round)
    )
    return result


#: The official table's columns (Dutch names in the template; the English keys and the older
#: spellings are accepted too). A municipality by code or name; the figure and/or the factor.
OFFICIAL_COLUMNS = ImportSpec(
    name="taakstelling",
    columns=(
        ImportColumn(
            "code",
            gettext_lazy("CBS code"),
            example="GM0384",
            aliases=("gemeentecode", "gm_code", "cbs_code"),
            help=gettext_lazy("GM0384 or 0384; or give the municipality's name."),
        ),
        ImportColumn(
            "name",
            gettext_lazy("Municipality"),
            example="Diemen",
            aliases=("naam", "gemeentenaam"),
            help=gettext_lazy("When there is no code."),
        ),
        ImportColumn(
            "quota",
            gettext_lazy("Quota"),
            example=175,
            aliases=("aantal", "number", "plaatsen", "places"),
            help=gettext_lazy("The official figure (a whole number)."),
        ),
        ImportColumn(
            "carry_over",
            gettext_lazy("Backlog at the start"),
            example=0,
            aliases=("achterstand", "opening_carry"),
            help=gettext_lazy("Backlog (positive) or surplus (negative); may stay empty."),
        ),
        ImportColumn(
            "factor",
            gettext_lazy("Correction factor"),
            example="",
            aliases=("correctiefactor", "correctie"),
            help=gettext_lazy("Only for a round with a corrected key; may stay empty."),
        ),
    ),
)


@dataclass(frozen=True)
class OfficialRow:
    """One validated row: the official figure, the opening backlog and the key factor (each optional)."""

    official: int | None
    opening_carry: int | None
    factor: float | None


#: The largest figure or backlog a row may hold (what the database stores in a whole-number
#: column; larger numbers are an error of the row, not of the server).
MAXIMUM_NUMBER = 2_147_483_647


def _bounded(number: int | None, *, row: int, field: str, errors: list[RowError]) -> int | None:
    if number is not None and abs(number) > MAXIMUM_NUMBER:
        errors.append(
            RowError(
                row,
                field,
                _("too large: at most %(maximum)s")
                % {"maximum": f"{MAXIMUM_NUMBER:,}".replace(",", ".")},
            )
        )
        return None
    return number


def _first(header: list[str], key: str) -> str | None:
    return key if key in header else None


def _parse_factor(text: str, *, row: int, field: str, errors: list[RowError]) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        errors.append(RowError(row, field, _("not a number: '%(value)s'") % {"value": text}))
        return None
    if not math.isfinite(value) or value < 0 or value > 1e6:
        errors.append(
            RowError(
                row, field, _("must be a number of 0 or more, not '%(value)s'") % {"value": text}
            )
        )
        return None
    return value


def _parse_official_table(table: Table) -> dict[int, OfficialRow]:
    """municipality id -> validated row; raises ImportRejected with all problems at once."""
    code_column = _first(table.header, "code")
    name_column = _first(table.header, "name")
    number_column = _first(table.header, "quota")
    carry_column = _first(table.header, "carry_over")
    factor_column = _first(table.header, "factor")
    errors: list[RowError] = []
    if code_column is None and name_column is None:
        errors.append(
            RowError(
                1, "code", _("the column with the CBS code or the municipality's name is missing")
            )
        )
    if number_column is None and factor_column is None:
        errors.append(
            RowError(
                1, "quota", _("the column with the figure or the correction factor is missing")
            )
        )
    if not table.rows:
        errors.append(RowError(None, None, _("the file has no rows")))
    if errors:
        raise OFFICIAL_COLUMNS.rejected(errors)
    by_code = {
        m.code: m
        for m in geo_selectors.municipality_list().select_related(None).only("pk", "code", "name")
    }
    by_name = {m.name.lower(): m for m in by_code.values()}
    seen: dict[int, int] = {}
    values: dict[int, OfficialRow] = {}
    for row, cells in table.rows:
        municipality = _match_municipality(
            row, cells, code_column, name_column, by_code, by_name, errors
        )
        if municipality is None:
            continue
        if municipality.pk in seen:
            column = code_column or name_column
            errors.append(
                RowError(
                    row,
                    column,
                    _("%(name)s is also on row %(row)d")
                    % {"name": municipality.name, "row": seen[municipality.pk]},
                )
            )
            continue
        seen[municipality.pk] = row
        count = len(errors)
        number = carry = factor = None
        if number_column is not None:
            number = _bounded(
                parse_whole_number(
                    cells.get(number_column, ""), row=row, field=number_column, errors=errors
                ),
                row=row,
                field=number_column,
                errors=errors,
            )
        if carry_column and cells.get(carry_column, "") != "":
            carry = _bounded(
                parse_whole_number(
                    cells[carry_column],
                    row=row,
                    field=carry_column,
                    errors=errors,
                    minimum=-MAXIMUM_NUMBER,
                ),
                row=row,
                field=carry_column,
                errors=errors,
            )
        if factor_column is not None:
            factor = _parse_factor(
                cells.get(factor_column, ""), row=row, field=factor_column, errors=errors
            )
        if len(errors) == count:
            values[municipality.pk] = OfficialRow(number, carry, factor)
    if errors:
        raise OFFICIAL_COLUMNS.rejected(errors)
    return values


def _match_municipality(
    row: int,
    cells: dict[str, str],
    code_column: str | None,
    name_column: str | None,
    by_code: dict[str, Municipality],
    by_name: dict[str, Municipality],
    errors: list[RowError],
) -> Municipality | None:
    if code_column and cells.get(code_column):
        raw = cells[code_column].upper()
        found = by_code.get(raw if raw.startswith("GM") else f"GM{raw.zfill(4)}")
        if found is None:
            errors.append(
                RowError(
                    row,
                    code_column,
                    _("unknown CBS code '%(value)s'") % {"value": cells[code_column]},
                )
            )
        return found
    if name_column and cells.get(name_column):
        found = by_name.get(cells[name_column].lower())
        if found is None:
            errors.append(
                RowError(
                    row,
                    name_column,
                    _("unknown municipality '%(value)s'") % {"value": cells[name_column]},
                )
            )
        return found
    errors.append(RowError(row, code_column or name_column, _("the municipality is missing")))
    return None


@transaction.atomic
def quota_round_import_official(
    *, actor: Any, round: QuotaRound, content: bytes, filename: str, source: str = ""
) -> int:
    """Import an official table (code or name + number, optional backlog) for a round.

    Every row is validated first; any problem raises :class:`ImportRejected` with all problems
    (row, column, message) and nothing is written. Returns the number of rows imported.
    """
    _require_round_manager(actor)
    values = _parse_official_table(OFFICIAL_COLUMNS.read(content, filename))
    existing = {q.municipality_id: q for q in round.quotas.all()}
    before = {
        str(pk): {"official": q.official, "opening_carry": q.opening_carry, "factor": q.factor}
        for pk, q in existing.items()
        if pk in values
    }
    to_create: list[MunicipalQuota] = []
    to_update: list[MunicipalQuota] = []
    for municipality_id, row in values.items():
        quota = existing.get(municipality_id) or MunicipalQuota(
            round=round, municipality_id=municipality_id
        )
        if row.official is not None:
            quota.official = row.official
            quota.official_source = source[:300]
        if row.opening_carry is not None:
            quota.opening_carry = row.opening_carry
        if row.factor is not None:
            quota.factor = row.factor
        (to_update if quota.pk else to_create).append(quota)
    MunicipalQuota.objects.bulk_create(to_create, batch_size=500)
    MunicipalQuota.objects.bulk_update(
        to_update, ["official", "official_source", "opening_carry", "factor"], batch_size=500
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=round,
        before={"imported": before},
        after={
            "imported": {
                str(pk): {
                    "official": r.official,
                    "opening_carry": r.opening_carry,
                    "factor": r.factor,
                }
                for pk, r in values.items()
            },
            "source": source,
        },
    )
    return len(values)


REALISATION_FIELDS = ("target_group", "date", "amount", "unit", "reference", "note", "shared")


@transaction.atomic
def realisation_create(
    *,
    actor: Any,
    organisation: Organisation,
    target_group: str,
    date: date,
    amount: int,
    unit: str = "persons",
    reference: str = "",
    note: str = "",
    shared: bool = False,
) -> Realisation:
    """Record persons housed or places realised. Later apps (placement, exchange) call this too."""
    require_create_in(actor, organisation)
    realisation = Realisation(
        organisation=organisation,
        target_group=target_group,
        date=date,
        amount=amount,
        unit=unit,
        reference=reference,
        note=note,
        shared=shared,
    )
    audited_create(actor=actor, instance=realisation)
    return realisation


@transaction.atomic
def realisation_update(*, actor: Any, realisation: Realisation, **changes: Any) -> Realisation:
    require_change(actor, realisation)
    audited_update(actor=actor, instance=realisation, changes=changes, allowed=REALISATION_FIELDS)
    return realisation


@transaction.atomic
def realisation_delete(*, actor: Any, realisation: Realisation) -> None:
    require_change(actor, realisation)
    audited_delete(actor=actor, instance=realisation)


@dataclass(frozen=True)
class AdjustmentLine:
    round_id: int
    municipality_id: int
    places: int


@transaction.atomic
def adjustments_replace(
    *, actor: Any, source: str, label: str, url: str, lines: list[AdjustmentLine]
) -> int:
    """Make the adjustments of ``source`` (an agreement) exactly ``lines``; empty removes them.

    Called by the regional app when an agreement is agreed, changed or withdrawn. Lines for the
    same round and municipality are summed; zero sums are dropped. Returns the number stored.
    """
    before = list(
        Adjustment.objects.filter(source=source).values("round_id", "municipality_id", "places")
    )
    Adjustment.objects.filter(source=source).delete()
    summed: dict[tuple[int, int], int] = {}
    for line in lines:
        key = (line.round_id, line.municipality_id)
        summed[key] = summed.get(key, 0) + line.places
    created = Adjustment.objects.bulk_create(
        Adjustment(
            round_id=r, municipality_id=m, places=p, source=source, label=label[:300], url=url[:300]
        )
        for (r, m), p in summed.items()
        if p != 0
    )
    after = [
        {"round_id": a.round_id, "municipality_id": a.municipality_id, "places": a.places}
        for a in created
    ]
    round_ids = {int(str(entry["round_id"])) for entry in [*before, *after]}
    for round in QuotaRound.objects.filter(pk__in=round_ids):
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=round,
            before={
                "adjustments": [e for e in before if e["round_id"] == round.pk],
                "source": source,
            },
            after={
                "adjustments": [e for e in after if e["round_id"] == round.pk],
                "source": source,
            },
        )
    return len(created)
