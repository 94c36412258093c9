"""Writes for care and support: adopting and editing the service catalogue, ownership, partners,
contracts and integration cases. Every write checks permission, validates, is audited and atomic
(the audit trail is also the catalogue's edit history, shown on each service's page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onderdak.apps.accounts.models import Organisation
from onderdak.apps.accounts.selectors import (
    require_change,
    require_create_in,
)
from onderdak.apps.audit.services import (
    audited_create,
    audited_delete,
    audited_update,
    require_editable,
)
from onderdak.common.imports import ImportRejected, RowError, read_table, row_errors

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
    Service,
)

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
    "broad_intake_on",
    "pip_on",
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
            % {"partner": partner.name, "services": names}
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
    from onderdak.apps.audit.services import audit_record, snapshot

    audit_record(
        actor=actor, action="update", instance=partner, after={"contact": snapshot(contact)}
    )
    return contact


@transaction.atomic
def contact_delete(*, actor: Any, contact: Contact) -> None:
    require_change(actor, contact.partner)
    from onderdak.apps.audit.services import audit_record, snapshot

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


@transaction.atomic
def integration_case_create(
    *, actor: Any, organisation: Organisation, code: str, **fields: Any
) -> IntegrationCase:
    require_create_in(actor, organisation)
    require_editable(fields, CASE_FIELDS)
    case = IntegrationCase(organisation=organisation, code=code, **fields)
    if IntegrationCase.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError({"code": _("This code is already in use.")})
    audited_create(actor=actor, instance=case)
    return case


@transaction.atomic
def integration_case_update(
    *, actor: Any, case: IntegrationCase, **changes: Any
) -> IntegrationCase:
    require_change(actor, case)
    audited_update(actor=actor, instance=case, changes=changes, allowed=CASE_FIELDS)
    return case


@transaction.atomic
def integration_case_delete(*, actor: Any, case: IntegrationCase) -> None:
    require_change(actor, case)
    audited_delete(actor=actor, instance=case)


#: Columns of the integration import (CSV or Excel); ``code`` and ``linked_on`` are required.
IMPORT_COLUMNS = ("code", *(field for field in CASE_FIELDS if field != "shared"))
_DATE_COLUMNS = (
    "linked_on",
    "broad_intake_on",
    "pip_on",
    "term_start",
    "relief_start",
    "completed_on",
)


def _parse_date(text: str) -> date:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - only the date is used
        except ValueError:
            continue
    raise ValueError("geen geldige datum (gebruik jjjj-mm-dd of dd-mm-jjjj)")


def _lookup(
    cells: dict[str, str], column: str, known: dict[str, Any], number: int, errors: list[RowError]
) -> Any:
    text = (cells.get(column) or "").strip()
    if not text:
        return None
    found = known.get(text.lower())
    if found is None:
        errors.append(RowError(number, column, f"onbekend: '{text}'"))
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
                errors.append(RowError(number, column, "ontbreekt"))
            continue
        try:
            row[column] = _parse_date(text)
        except ValueError as error:
            errors.append(RowError(number, column, str(error)))
    for column in ("household", "provider"):
        value = _lookup(cells, column, known[column], number, errors)
        if value is not None:
            row[column] = value
    for column, choices in (("route", IntegrationRoute), ("status", IntegrationStatus)):
        value = (cells.get(column) or "").strip()
        if value and value not in choices.values:
            allowed = ", ".join(choices.values)
            errors.append(RowError(number, column, f"'{value}' is niet een van: {allowed}"))
        elif value:
            row[column] = value
    modules = [m.strip() for m in (cells.get("modules") or "").replace(";", ",").split(",")]
    modules = [m for m in modules if m]
    bad = [m for m in modules if m not in IntegrationModule.values]
    if bad:
        allowed = ", ".join(IntegrationModule.values)
        errors.append(
            RowError(number, "modules", f"onbekend: {', '.join(bad)} (toegestaan: {allowed})")
        )
    elif modules:
        row["modules"] = modules
    extension = (cells.get("term_extension_months") or "").strip()
    if extension and not extension.isdigit():
        errors.append(RowError(number, "term_extension_months", "geen geheel getal >= 0"))
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
    from onderdak.apps.housing.models import Household

    require_create_in(actor, organisation)
    table = read_table(content, filename)
    missing = [c for c in ("code", "linked_on") if c not in table.header]
    if missing:
        raise ImportRejected([RowError(None, c, "kolom ontbreekt") for c in missing])
    known: dict[str, dict[str, Any]] = {
        "household": {
            h.code.lower(): h for h in Household.objects.filter(organisation=organisation)
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
            errors.append(RowError(number, "code", "ontbreekt"))
            continue
        if code in seen:
            errors.append(RowError(number, "code", f"'{code}' staat ook op rij {seen[code]}"))
            continue
        seen[code] = number
        count = len(errors)
        row = _parse_case_row(number, cells, known, errors)
        if len(errors) == count:  # parsed: check the model's rules on an unsaved copy
            case = IntegrationCase(organisation=organisation, code=code)
            if code in existing:
                case = IntegrationCase.objects.get(pk=existing[code].pk)
            for name, value in row.items():
                setattr(case, name, value)
            try:
                case.full_clean(validate_unique=False)
            except ValidationError as error:
                errors.extend(row_errors(number, error))
        parsed.append((number, code, row))
    if not parsed and not errors:
        errors.append(RowError(None, None, "het bestand bevat geen regels"))
    if errors:
        raise ImportRejected(errors)
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
            raise ImportRejected(row_errors(number, error)) from None
    return created, updated


# --- demo ----------------------------------------------------------------------------------

DEMO_LABEL = "(demo, verzonnen)"

#: Template services left missing in the demo (the two gaps the college must decide on).
DEMO_MISSING = ("interpreters", "transport")
#: The demo's planning assumption of how the adults required to integrate split over the
#: routes (made up; a municipality uses its own caseload figures).
DEMO_ROUTE_SHARES = {
    "integration_route_b1": Decimal("0.55"),
    "integration_route_education": Decimal("0.15"),
    "integration_route_z": Decimal("0.30"),
}
#: Services still arranged temporarily (crisis organisation) in the demo.
DEMO_TEMPORARY = (
    "living_allowance_ukrainians",
    "social_guidance",
    "mental_health_psychosocial",
    "language_courses_ukrainians",
)


@transaction.atomic
def demo_seed(*, actor: Any, organisation: Organisation) -> int:
    """Diemen adopts the template, with made-up partners, contracts and amounts (labelled demo):
    most services structural, some temporary, two missing; a small integration caseload with one
    overdue broad intake. Returns the number of services adopted (0 when already seeded)."""
    if Service.objects.filter(organisation=organisation).exists():
        return 0
    from onderdak.apps.housing.models import Household

    today = timezone.localdate()
    adoption = catalogue_adopt(actor=actor, organisation=organisation)
    partners = {
        key: partner_create(
            actor=actor, organisation=organisation, name=name, kind=kind, notes=DEMO_LABEL
        )
        for key, name, kind in (
            ("coa", "COA", "coa"),
            ("ggd", "GGD Amsterdam-Amstelland", "ggd"),
            ("school", "Basisschool De Kikker (nieuwkomersgroep) (demo)", "school"),
            ("isk", "ISK Amstelland (demo)", "school"),
            ("language", "Taalhuis Amstel (demo)", "language_provider"),
            ("vwn", "VluchtelingenWerk Amstelland", "refugee_council"),
            ("uwv", "UWV", "uwv"),
            ("duo", "Duo+ (sociaal domein)", "shared_services"),
            ("team", "Team Inburgering gemeente Diemen", "internal_team"),
            ("gp", "Huisartsenpraktijk Diemen-Noord (demo)", "health_provider"),
            ("youth", "Jeugdteam Diemen (demo)", "youth_care_provider"),
            ("legal", "Juridisch Loket", "legal_aid"),
            ("childcare", "Kinderopvang De Sterretjes (demo)", "other"),
        )
    }
    contact_create(
        actor=actor,
        partner=partners["vwn"],
        name="Coördinator maatschappelijke begeleiding",
        role="functie, geen naam (demo)",
        email="begeleiding@example.org",
    )
    services = {s.code: s for s in Service.objects.filter(organisation=organisation)}
    # planning assumptions of Diemen (made up for the demo): the split over the three routes
    for code, share in DEMO_ROUTE_SHARES.items():
        if code in services:
            service_update(actor=actor, service=services[code], share=share)
    capacities = {
        "primary_education": ("school", 20, 48_000),
        "secondary_newcomer_education": ("isk", 12, 96_000),
        "child_care": ("childcare", 6, 30_000),
        "integration_broad_intake": ("team", 40, 24_000),
        "integration_route_b1": ("language", 15, 150_000),
        "integration_route_education": ("language", 4, 40_000),
        "integration_route_z": ("language", 4, 60_000),
        "social_guidance": ("vwn", 30, 45_000),
        "mental_health_psychosocial": ("ggd", 10, 25_000),
        "gp_registration": ("gp", 120, 0),
    }
    contracts: dict[str, Contract] = {}
    start = date(today.year, 1, 1)
    for code, (partner_key, capacity, amount) in capacities.items():
        if code not in services:
            continue
        contracts[code] = contract_create(
            actor=actor,
            partner=partners[partner_key],
            service=services[code],
            reference=f"{services[code].name[:60]} {today.year} (demo)",
            start=start,
            # the guidance contract runs out soon: the coverage page warns about it
            end=today + timedelta(days=60)
            if code == "social_guidance"
            else date(today.year + 1, 12, 31),
            amount_per_year=Decimal(amount),
            capacity=capacity,
            capacity_unit=services[code].capacity_unit,
            notes=DEMO_LABEL,
        )
    owner_of = {
        "education": ("school", "Onderwijs en jeugd"),
        "health": ("ggd", "Zorg en welzijn"),
        "income": ("duo", "Werk en inkomen"),
        "integration": ("team", "Werk en inkomen"),
        "work": ("uwv", "Werk en inkomen"),
        "social": ("vwn", "Zorg en welzijn"),
        "legal": ("legal", "Zorg en welzijn"),
        "registration": ("team", "Publiekszaken"),
        "youth": ("youth", "Onderwijs en jeugd"),
        "practical": ("team", "Zorg en welzijn"),
    }
    review = date(today.year + 1, 3, 31)
    for service in services.values():
        partner_key, portfolio = owner_of.get(service.category, ("team", "Zorg en welzijn"))
        if service.code in ("secondary_newcomer_education",):
            partner_key = "isk"
        contract = contracts.get(service.code)
        for ownership in service.ownerships.all():
            if service.code in DEMO_MISSING:
                changes: dict[str, Any] = {
                    "status": CoverageStatus.MISSING,
                    "review_date": review,
                    "evidence": f"Nog niet belegd; voorstel aan het college in het eerste kwartaal {DEMO_LABEL}",
                }
            else:
                temporary = service.code in DEMO_TEMPORARY
                share = (
                    Decimal(contract.amount_per_year or 0) / max(1, len(service.target_groups))
                    if contract
                    else Decimal(5000)
                )
                changes = {
                    "status": CoverageStatus.TEMPORARY if temporary else CoverageStatus.STRUCTURAL,
                    "partner": partners["duo" if temporary else partner_key],
                    "team": "Projectteam opvang (crisisorganisatie)" if temporary else "",
                    "alderman": f"Wethouder {portfolio} (demo)",
                    "consulted": "Beleidsadviseur sociaal domein",
                    "informed": "College; raad via de kwartaalbrief",
                    "contract": contract,
                    "amount_per_year": share.quantize(Decimal("1")),
                    "review_date": review if temporary else date(today.year + 2, 1, 1),
                    "evidence": (
                        f"Nog in de crisisorganisatie; overdracht naar de lijn gepland {DEMO_LABEL}"
                        if temporary
                        else f"Begroting {today.year + 1}, taakveld {service.task_field or '-'} {DEMO_LABEL}"
                    ),
                }
            ownership_update(actor=actor, ownership=ownership, **changes)
    households = list(
        Household.objects.filter(organisation=organisation, target_group="status_holder").order_by(
            "code"
        )[:6]
    )
    for number, household in enumerate(households, start=1):
        linked = today - timedelta(days=100 if number == 1 else 30 * number + 20)
        fields: dict[str, Any] = {
            "household": household,
            "linked_on": linked,
            "relief_start": linked + timedelta(days=14),
        }
        if number == 1:
            fields["status"] = IntegrationStatus.INTAKE  # the overdue broad intake
        else:
            intake = linked + timedelta(weeks=4)
            fields.update(
                broad_intake_on=intake,
                pip_on=intake + timedelta(weeks=6) if number > 2 else None,
                status=IntegrationStatus.ROUTE if number > 2 else IntegrationStatus.PLAN,
                route=IntegrationRoute.B1
                if number % 2
                else IntegrationRoute.Z_ROUTE
                if number == 4
                else IntegrationRoute.EDUCATION,
                provider=partners["language"] if number > 2 else None,
                modules=["knm", "pvt", "map"] if number > 2 else [],
            )
        integration_case_create(
            actor=actor, organisation=organisation, code=f"INB-{number:03d}", **fields
        )
    return adoption.created
