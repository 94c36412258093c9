"""Writes for care and support: adopting and editing the service catalogue, ownership, partners,
contracts and integration cases. Every write checks permission, validates, is audited and atomic
(the audit trail is also the catalogue's edit history, shown on each service's page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from onderdak.apps.accounts.selectors import (
    require_change,
    require_create_in,
    scope,
)
from onderdak.apps.audit.services import (
    audit_record,
    audited_create,
    audited_delete,
    audited_update,
    require_editable,
    snapshot,
)
from onderdak.apps.housing.selectors import households_of
from onderdak.common.imports import ImportColumn, ImportSpec, RowError, read_date, row_errors

from . import selectors
from .catalogue import template
from .models import (
    Contact,
    Contract,
    CoverageStatus,
    IntegrationCase,
    IntegrationModule,
    IntegrationRoute,
    IntegrationStatus,
    Ownership,
    Partner,
    ResidenceStatus,
    Service,
)

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation

SERVICE_FIELDS = (
    "category",
    "name",
    "description",
    "target_groups",
    "rule",
    "basis",
    "share",
    "capacity_unit",
    "task_field",
    "shared",
)
OWNERSHIP_FIELDS = (
    "status",
    "partner",
    "team",
    "alderman",
    "consulted",
    "informed",
    "contract",
    "task_field",
    "amount_per_year",
    "evidence",
    "review_date",
)
PARTNER_FIELDS = ("name", "kind", "notes", "shared")
CONTRACT_FIELDS = (
    "reference",
    "service",
    "start",
    "end",
    "amount_per_year",
    "capacity",
    "capacity_unit",
    "notes",
)
#: In the order of the form and of the import's columns.
CASE_FIELDS = (
    "household",
    "linked_on",
    "residence_status",
    "duo_notified_on",
    "brp_registered_on",
    "broad_intake_on",
    "pip_on",
    "pip_revised_on",
    "term_start",
    "term_extension_months",
    "route",
    "provider",
    "modules",
    "relief_start",
    "status",
    "completed_on",
    "shared",
)


# --- the catalogue -------------------------------------------------------------------------


@dataclass(frozen=True)
class Adoption:
    created: int
    already: int
    cells: int


def _ownership_cells(*, actor: Any, service: Service) -> int:
    """One ownership cell (status missing) per entitled target group that has none yet."""
    existing = set(service.ownerships.values_list("target_group", flat=True))
    created = 0
    for group in service.target_groups:
        if group not in existing:
            audited_create(
                actor=actor,
                instance=Ownership(
                    service=service,
                    target_group=group,
                    status=CoverageStatus.MISSING,
                    task_field=service.task_field,
                ),
            )
            created += 1
    return created


@transaction.atomic
def catalogue_adopt(*, actor: Any, organisation: Organisation) -> Adoption:
    """Adopt the national template: every template service the organisation does not have yet
    (retired ones count as had), each with an ownership cell per entitled group, status missing.
    Running it again after a template update adds only the new services."""
    require_create_in(actor, organisation)
    have = set(
        Service.objects.filter(organisation=organisation).values_list("template_code", flat=True)
    ) | set(Service.objects.filter(organisation=organisation).values_list("code", flat=True))
    created = already = cells = 0
    for entry in template().services:
        if entry.code in have:
            already += 1
            continue
        service = Service(
            organisation=organisation,
            code=entry.code,
            template_code=entry.code,
            category=entry.category,
            name=entry.name,
            description=entry.description,
            target_groups=list(entry.target_groups),
            rule=entry.rule,
            basis=entry.basis,
            capacity_unit=entry.capacity_unit,
            task_field=entry.task_field,
            share=entry.share,
        )
        audited_create(actor=actor, instance=service)
        cells += _ownership_cells(actor=actor, service=service)
        created += 1
    return Adoption(created=created, already=already, cells=cells)


@transaction.atomic
def service_create(*, actor: Any, organisation: Organisation, code: str, **fields: Any) -> Service:
    """Add an own service (not from the template) with its ownership cells."""
    require_create_in(actor, organisation)
    require_editable(fields, SERVICE_FIELDS)
    if Service.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError({"code": _("This code is already in the catalogue.")})
    service = Service(organisation=organisation, code=code, **fields)
    audited_create(actor=actor, instance=service)
    _ownership_cells(actor=actor, service=service)
    return service


@transaction.atomic
def service_update(*, actor: Any, service: Service, **changes: Any) -> Service:
    """Change a service. Target groups added get a (missing) ownership cell; cells of groups
    removed are deleted (their last state stays in the audit trail)."""
    require_change(actor, service)
    audited_update(actor=actor, instance=service, changes=changes, allowed=SERVICE_FIELDS)
    if "target_groups" in changes:
        for ownership in service.ownerships.exclude(target_group__in=service.target_groups):
            audited_delete(actor=actor, instance=ownership)
        _ownership_cells(actor=actor, service=service)
    return service


@transaction.atomic
def service_retire(*, actor: Any, service: Service, on: date, reason: str) -> Service:
    require_change(actor, service)
    if not reason.strip():
        raise ValidationError({"retired_reason": _("Give a reason.")})
    audited_update(
        actor=actor,
        instance=service,
        changes={"retired_on": on, "retired_reason": reason.strip()},
        allowed=("retired_on", "retired_reason"),
    )
    return service


@transaction.atomic
def service_reinstate(*, actor: Any, service: Service) -> Service:
    require_change(actor, service)
    audited_update(
        actor=actor,
        instance=service,
        changes={"retired_on": None, "retired_reason": ""},
        allowed=("retired_on", "retired_reason"),
    )
    return service


@transaction.atomic
def ownership_update(*, actor: Any, ownership: Ownership, **changes: Any) -> Ownership:
    require_change(actor, ownership)
    audited_update(actor=actor, instance=ownership, changes=changes, allowed=OWNERSHIP_FIELDS)
    return ownership


# --- partners, contacts, contracts ---------------------------------------------------------


@transaction.atomic
def partner_create(*, actor: Any, organisation: Organisation, **fields: Any) -> Partner:
    require_create_in(actor, organisation)
    require_editable(fields, PARTNER_FIELDS)
    partner = Partner(organisation=organisation, **fields)
    audited_create(actor=actor, instance=partner)
    return partner


@transaction.atomic
def partner_update(*, actor: Any, partner: Partner, **changes: Any) -> Partner:
    require_change(actor, partner)
    audited_update(actor=actor, instance=partner, changes=changes, allowed=PARTNER_FIELDS)
    return partner


@transaction.atomic
def partner_delete(*, actor: Any, partner: Partner) -> None:
    """Delete a partner with its contacts and contracts (each audited). Refused while it is
    the only owner of a structural or temporary cell: that cell would lose its owner."""
    require_change(actor, partner)
    owned = (
        partner.ownerships.filter(status__in=[CoverageStatus.STRUCTURAL, CoverageStatus.TEMPORARY])
        .filter(team="")
        .select_related("service")
    )
    if owned:
        names = ", ".join(sorted({o.service.name for o in owned})[:5])
        raise ValidationError(
            _(
                "%(partner)s is still the owner of: %(services)s. Give those cells another owner first."
            )
            % {"partner": partner.name, "services": names},
            code="still_owner",
        )
    for contract in partner.contracts.all():
        audited_delete(actor=actor, instance=contract)
    for contact in partner.contacts.all():
        contact_delete(actor=actor, contact=contact)
    audited_delete(actor=actor, instance=partner)


@transaction.atomic
def contact_create(
    *, actor: Any, partner: Partner, name: str, role: str = "", email: str = "", phone: str = ""
) -> Contact:
    require_change(actor, partner)
    contact = Contact(partner=partner, name=name, role=role, email=email, phone=phone)
    contact.full_clean()
    contact.save()
    audit_record(
        actor=actor, action="update", instance=partner, after={"contact": snapshot(contact)}
    )
    return contact


@transaction.atomic
def contact_delete(*, actor: Any, contact: Contact) -> None:
    require_change(actor, contact.partner)
    audit_record(
        actor=actor,
        action="update",
        instance=contact.partner,
        before={"contact": snapshot(contact)},
    )
    contact.delete()


@transaction.atomic
def contract_create(*, actor: Any, partner: Partner, **fields: Any) -> Contract:
    require_change(actor, partner)
    require_editable(fields, CONTRACT_FIELDS)
    contract = Contract(partner=partner, **fields)
    audited_create(actor=actor, instance=contract)
    return contract


@transaction.atomic
def contract_update(*, actor: Any, contract: Contract, **changes: Any) -> Contract:
    require_change(actor, contract.partner)
    audited_update(actor=actor, instance=contract, changes=changes, allowed=CONTRACT_FIELDS)
    return contract


@transaction.atomic
def contract_delete(*, actor: Any, contract: Contract) -> None:
    require_change(actor, contract.partner)
    audited_delete(actor=actor, instance=contract)


# --- civic integration ---------------------------------------------------------------------


def _linked_household(
    *, actor: Any, organisation_id: int, value: Any, keep: int | None = None
) -> Any:
    """The household a case is linked to, by the one rule for forms, the API and imports:
    one of the case's organisation that the actor may see (and that has not left, unless it
    is the case's current one). An id is read through ``housing.selectors`` (logged); a
    household the actor may not see answers exactly like one that does not exist."""
    if value is None or value == "":
        return None
    unknown = ValidationError({"household": _("Unknown household.")}, code="unknown")
    if isinstance(value, int) and not isinstance(value, bool):
        found = selectors.linkable_household(
            user=actor, organisation_id=organisation_id, pk=value, keep=keep
        )
        if found is None:
            raise unknown
        return found
    # a household record read (and logged) by the caller: check that the actor may see it
    manager = type(value)._default_manager
    if value.organisation_id != organisation_id or not (
        scope(manager.filter(pk=value.pk), actor).exists()
    ):
        raise unknown
    return value


@transaction.atomic
def integration_case_create(
    *, actor: Any, organisation: Organisation, code: str, **fields: Any
) -> IntegrationCase:
    require_create_in(actor, organisation)
    require_editable(fields, CASE_FIELDS)
    if "household" in fields:
        fields["household"] = _linked_household(
            actor=actor, organisation_id=organisation.pk, value=fields["household"]
        )
    case = IntegrationCase(organisation=organisation, code=code, **fields)
    if IntegrationCase.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError({"code": _("This code is already in use.")})
    audited_create(actor=actor, instance=case)
    return case


@transaction.atomic
def integration_case_update(
    *, actor: Any, case: IntegrationCase, correct_first_pip: bool = False, **changes: Any
) -> IntegrationCase:
    """Change a case. The date of the first PIP, once recorded, is kept: the integration term
    runs from it and a revised or newly set PIP does not move it (art. 11(3) Wet inburgering
    2021), so a revision goes into ``pip_revised_on``. Only ``correct_first_pip`` (a mistyped
    date) lets ``pip_on`` change; the audit trail keeps the old value."""
    require_change(actor, case)
    require_editable(changes, CASE_FIELDS)
    if (
        "pip_on" in changes
        and case.pip_on is not None
        and changes["pip_on"] != case.pip_on
        and not correct_first_pip
    ):
        raise ValidationError(
            {
                "pip_on": _(
                    "The date of the first personal plan stays: the integration term runs from "
                    "it. Record a revised or newly set plan under 'PIP last revised or set "
                    "again on', or tick the correction of a mistyped date."
                )
            }
        )
    if "household" in changes:
        current = case.household_id
        new = changes["household"]
        if (getattr(new, "pk", new) or None) != current:
            changes["household"] = _linked_household(
                actor=actor, organisation_id=case.organisation_id, value=new, keep=current
            )
        else:
            changes["household"] = case.household
    audited_update(actor=actor, instance=case, changes=changes, allowed=CASE_FIELDS)
    return case


@transaction.atomic
def integration_case_delete(*, actor: Any, case: IntegrationCase) -> None:
    require_change(actor, case)
    audited_delete(actor=actor, instance=case)


PURPOSE_IMPORT = "inburgeringsdossiers importeren (huishoudens koppelen)"

#: Columns of the integration import (CSV or Excel); ``code`` and ``linked_on`` are required.
IMPORT_COLUMNS = ("code", *(field for field in CASE_FIELDS if field != "shared"))
_EXAMPLES: dict[str, Any] = {
    "code": "INB-001",
    "household": "HH-0001",
    "linked_on": date(2026, 1, 5),
    "residence_status": ResidenceStatus.ASYLUM_PERMIT.value,
    "broad_intake_on": date(2026, 2, 2),
    "route": IntegrationRoute.B1.value,
    "status": IntegrationStatus.PLAN.value,
    "modules": "knm, pvt",
    "term_extension_months": 0,
}
_HELP: dict[str, Any] = {
    "household": _lazy("the household's code"),
    "provider": _lazy("the partner's name"),
    "residence_status": ", ".join(ResidenceStatus.values),
    "route": ", ".join(IntegrationRoute.values),
    "status": ", ".join(IntegrationStatus.values),
    "modules": ", ".join(IntegrationModule.values),
}
#: The import's columns by their Dutch names (the model's labels), with a template to download.
CASE_IMPORT = ImportSpec(
    name="inburgering",
    columns=tuple(
        ImportColumn(
            key,
            capfirst(getattr(IntegrationCase._meta.get_field(key), "verbose_name", key)),
            example=_EXAMPLES.get(key, ""),
            required=key in ("code", "linked_on"),
            help=_HELP.get(key, ""),
        )
        for key in IMPORT_COLUMNS
    ),
)
_DATE_COLUMNS = (
    "linked_on",
    "duo_notified_on",
    "brp_registered_on",
    "broad_intake_on",
    "pip_on",
    "pip_revised_on",
    "term_start",
    "relief_start",
    "completed_on",
)


def _parse_date(text: str) -> date:
    day = read_date(text)
    if day is None:
        raise ValueError(_("not a valid date (use dd-mm-yyyy or yyyy-mm-dd)"))
    return day


def _lookup(
    cells: dict[str, str], column: str, known: dict[str, Any], number: int, errors: list[RowError]
) -> Any:
    text = (cells.get(column) or "").strip()
    if not text:
        return None
    found = known.get(text.lower())
    if found is None:
        errors.append(RowError(number, column, _("unknown: '%(value)s'") % {"value": text}))
    return found


def _parse_case_row(
    number: int, cells: dict[str, str], known: dict[str, dict[str, Any]], errors: list[RowError]
) -> dict[str, Any]:
    """One import row as field values; problems go to ``errors`` with row and column."""
    row: dict[str, Any] = {}
    for column in _DATE_COLUMNS:
        text = (cells.get(column) or "").strip()
        if not text:
            if column == "linked_on":
                errors.append(RowError(number, column, _("missing")))
            continue
        try:
            row[column] = _parse_date(text)
        except ValueError as error:
            errors.append(RowError(number, column, str(error)))
    for column in ("household", "provider"):
        value = _lookup(cells, column, known[column], number, errors)
        if value is not None:
            row[column] = value
    for column, choices in (
        ("residence_status", ResidenceStatus),
        ("route", IntegrationRoute),
        ("status", IntegrationStatus),
    ):
        value = (cells.get(column) or "").strip()
        if value and value not in choices.values:
            allowed = ", ".join(choices.values)
            errors.append(
                RowError(
                    number,
                    column,
                    _("'%(value)s' is not one of: %(allowed)s")
                    % {"value": value, "allowed": allowed},
                )
            )
        elif value:
            row[column] = value
    modules = [m.strip() for m in (cells.get("modules") or "").replace(";", ",").split(",")]
    modules = [m for m in modules if m]
    bad = [m for m in modules if m not in IntegrationModule.values]
    if bad:
        allowed = ", ".join(IntegrationModule.values)
        errors.append(
            RowError(
                number,
                "modules",
                _("unknown: %(values)s (allowed: %(allowed)s)")
                % {"values": ", ".join(bad), "allowed": allowed},
            )
        )
    elif modules:
        row["modules"] = modules
    extension = (cells.get("term_extension_months") or "").strip()
    if extension and not extension.isdigit():
        errors.append(RowError(number, "term_extension_months", _("not a whole number >= 0")))
    elif extension:
        row["term_extension_months"] = int(extension)
    return row


@transaction.atomic
def integration_import(
    *, actor: Any, organisation: Organisation, content: bytes, filename: str
) -> tuple[int, int]:
    """Import integration cases: new codes are created, known codes updated. Every row is
    parsed and validated (also against the model's rules) first; any problem raises
    :class:`ImportRejected` listing every row and column, and nothing is written.
    Returns (created, updated)."""
    require_create_in(actor, organisation)
    table = CASE_IMPORT.read(content, filename)  # refuses missing required columns
    known: dict[str, dict[str, Any]] = {
        "household": {
            h.code.lower(): h
            for h in households_of(
                user=actor, organisation_id=organisation.pk, purpose=PURPOSE_IMPORT
            )
        },
        "provider": {p.name.lower(): p for p in Partner.objects.filter(organisation=organisation)},
    }
    existing = {c.code: c for c in IntegrationCase.objects.filter(organisation=organisation)}
    errors: list[RowError] = []
    parsed: list[tuple[int, str, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        code = (cells.get("code") or "").strip()
        if not code:
            errors.append(RowError(number, "code", _("missing")))
            continue
        if code in seen:
            errors.append(
                RowError(
                    number,
                    "code",
                    _("'%(code)s' is also on row %(row)d") % {"code": code, "row": seen[code]},
                )
            )
            continue
        seen[code] = number
        count = len(errors)
        row = _parse_case_row(number, cells, known, errors)
        if len(errors) == count:  # parsed: check the model's rules on an unsaved copy
            case = IntegrationCase(organisation=organisation, code=code)
            if code in existing:
                case = IntegrationCase.objects.get(pk=existing[code].pk)
                if case.pip_on is not None and row.get("pip_on", case.pip_on) != case.pip_on:
                    errors.append(
                        RowError(
                            number,
                            "pip_on",
                            _(
                                "the date of the first personal plan stays (%(date)s); put a "
                                "revision in the column of the revised plan"
                            )
                            % {"date": case.pip_on.strftime("%d-%m-%Y")},
                        )
                    )
            for name, value in row.items():
                setattr(case, name, value)
            try:
                case.full_clean(validate_unique=False)
            except ValidationError as error:
                errors.extend(row_errors(number, error))
        parsed.append((number, code, row))
    if not parsed and not errors:
        errors.append(RowError(None, None, _("the file has no rows")))
    if errors:
        raise CASE_IMPORT.rejected(errors)
    created = updated = 0
    for number, code, row in parsed:
        try:
            if code in existing:
                integration_case_update(actor=actor, case=existing[code], **row)
                updated += 1
            else:
                integration_case_create(actor=actor, organisation=organisation, code=code, **row)
                created += 1
        except ValidationError as error:
            raise CASE_IMPORT.rejected(row_errors(number, error)) from None
    return created, updated
