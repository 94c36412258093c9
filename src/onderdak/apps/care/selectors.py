"""Reads for care and support, limited to what the user may see. Reads of personal data
(integration cases, and households when demand is derived) are logged with their purpose."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, Prefetch, Q, QuerySet, When

from onderdak.apps.accounts.models import Organisation
from onderdak.apps.accounts.selectors import primary_organisation, scope, user_organisations
from onderdak.apps.audit.models import AuditEntry
from onderdak.apps.audit.services import access_record_for
from onderdak.apps.housing.models import Household
from onderdak.apps.housing.selectors import households_read
from onderdak.common.vocabulary import TargetGroup
from onderdak.engines.care import (
    Coverage,
    Deadline,
    DeadlineState,
    DemandLine,
    add_months,
    demand_over_time,
    integration_deadlines,
    rollup,
    worst_state,
)

from . import adapters
from .models import Contract, CoverageStatus, IntegrationCase, Ownership, Partner, Service

PURPOSE_DEMAND = "vraag naar voorzieningen afleiden (zorg en ondersteuning)"
PURPOSE_CASES = "overzicht inburgeringsplichtigen en termijnen"
PURPOSE_CASE = "begeleiding inburgering"
PURPOSE_CASES_EXPORT = "export inburgeringsplichtigen"
PURPOSE_CASES_API = "API: gegevens inburgeringsplichtigen"


def organisations_for(user: Any) -> list[Organisation]:
    """The organisations whose care catalogue the user may open (members of)."""
    return list(user_organisations(user).order_by("name"))


def organisation_for(user: Any, requested: str | int | None) -> Organisation | None:
    """The organisation to show: the requested one when the user is a member, else the first."""
    options = organisations_for(user)
    if requested:
        for organisation in options:
            if str(organisation.pk) == str(requested):
                return organisation
    return primary_organisation(user) if options else None


def organisation_by_code(code: str) -> Organisation | None:
    return Organisation.objects.filter(municipality__code=code).first()


def organisation_by_pk(pk: int) -> Organisation | None:
    return Organisation.objects.filter(pk=pk).first()


# --- catalogue and ownership ---------------------------------------------------------------


def service_list(
    *, user: Any, organisation: Organisation | None = None, include_retired: bool = True
) -> QuerySet[Service]:
    queryset = scope(Service.objects.select_related("organisation"), user)
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    if not include_retired:
        queryset = queryset.filter(retired_on__isnull=True)
    return queryset


def service_get(*, user: Any, pk: int) -> Service:
    return service_list(user=user).get(pk=pk)


def ownerships_of(*, service: Service) -> QuerySet[Ownership]:
    return service.ownerships.select_related("partner", "contract", "service")


def ownership_get(*, user: Any, pk: int) -> Ownership:
    return Ownership.objects.select_related("service__organisation", "partner", "contract").get(
        pk=pk, service__in=service_list(user=user)
    )


def ownership_list(*, user: Any, organisation: Organisation | None = None) -> QuerySet[Ownership]:
    return Ownership.objects.select_related("service", "partner", "contract").filter(
        service__in=service_list(user=user, organisation=organisation, include_retired=False)
    )


def history_of(*, instance: Any) -> QuerySet[AuditEntry]:
    """The change history of a catalogue record, for every user who may read it (no personal
    data in these records; the caller has checked read access)."""
    return AuditEntry.objects.filter(
        object_type=instance._meta.label, object_id=str(instance.pk)
    ).order_by("-timestamp", "-pk")


def service_history(*, service: Service) -> QuerySet[AuditEntry]:
    """The history of a service and of its ownership cells, also of cells deleted since."""
    cells = Q(object_type="care.Ownership") & (
        Q(before__service=service.pk) | Q(after__service=service.pk)
    )
    return AuditEntry.objects.filter(
        Q(object_type="care.Service", object_id=str(service.pk)) | cells
    ).order_by("-timestamp", "-pk")


def contracts_of_service(*, service: Service) -> QuerySet[Contract]:
    return service.contracts.select_related("partner")


# --- partners ------------------------------------------------------------------------------


def partner_list(*, user: Any, organisation: Organisation | None = None) -> QuerySet[Partner]:
    queryset = scope(Partner.objects.select_related("organisation"), user)
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset


def partner_get(*, user: Any, pk: int) -> Partner:
    return partner_list(user=user).prefetch_related("contacts", "contracts__service").get(pk=pk)


def contract_list(*, user: Any, organisation: Organisation | None = None) -> QuerySet[Contract]:
    return Contract.objects.select_related("partner", "service").filter(
        partner__in=partner_list(user=user, organisation=organisation)
    )


def contract_get(*, user: Any, pk: int) -> Contract:
    return contract_list(user=user).get(pk=pk)


# --- coverage ------------------------------------------------------------------------------


@dataclass
class ServiceRow:
    service: Service
    cells: dict[str, Ownership | None]
    status: str
    owners: list[str]
    aldermen: list[str]
    amount_per_year: Decimal
    demand: DemandLine | None = None
    #: Whether any contract records capacity for the service; without one, demand is shown
    #: but not compared (no shortage is claimed for, say, registration in the BRP).
    capacity_contracted: bool = False


@dataclass
class CoverageOverview:
    organisation: Organisation
    groups: list[tuple[str, str]]
    rows: list[ServiceRow]
    coverage: Coverage
    gaps: list[Ownership] = field(default_factory=list)
    shortages: int = 0

    @property
    def empty(self) -> bool:
        return not self.rows


def _groups(services: list[Service]) -> list[tuple[str, str]]:
    used = {g for s in services for g in s.target_groups}
    return [(value, str(label)) for value, label in TargetGroup.choices if value in used]


def coverage(
    *, user: Any, organisation: Organisation, today: date, with_demand: bool = True
) -> CoverageOverview:
    """The coverage matrix (active services x entitled target groups) with the roll-up, owners,
    cost per year, gaps, and (``with_demand``) demand against capacity today."""
    services = list(
        service_list(user=user, organisation=organisation, include_retired=False).prefetch_related(
            Prefetch("ownerships", queryset=Ownership.objects.select_related("partner", "contract"))
        )
    )
    ownerships = [o for s in services for o in s.ownerships.all()]
    for ownership in ownerships:
        ownership.service = next(s for s in services if s.pk == ownership.service_id)
    result = rollup(adapters.cells(ownerships))
    demand = {}
    contracted = capacity_contracted(organisation=organisation)
    if with_demand and services:
        demand = {
            line.service_code: line
            for line in demand_lines(
                user=user, organisation=organisation, dates=[today], services=services
            )
        }
    groups = _groups(services)
    rows: list[ServiceRow] = []
    for service in services:
        by_group = {o.target_group: o for o in service.ownerships.all()}
        owners = sorted({o.owner_label for o in by_group.values() if o.owner_label})
        aldermen = sorted({o.alderman for o in by_group.values() if o.alderman})
        amount = sum(
            (
                o.amount_per_year or Decimal(0)
                for o in by_group.values()
                if o.status != CoverageStatus.NOT_APPLICABLE
            ),
            Decimal(0),
        )
        rows.append(
            ServiceRow(
                service=service,
                cells={code: by_group.get(code) for code, _label in groups},
                status=str(result.by_service.get(service.code, CoverageStatus.MISSING)),
                owners=owners,
                aldermen=aldermen,
                amount_per_year=amount,
                demand=demand.get(service.code),
                capacity_contracted=service.code in contracted,
            )
        )
    gaps_by_key = {(o.service.code, o.target_group): o for o in ownerships}
    gaps = [gaps_by_key[(c.service_code, c.target_group)] for c in result.gaps]
    shortages = sum(1 for code, line in demand.items() if line.shortage > 0 and code in contracted)
    return CoverageOverview(
        organisation=organisation,
        groups=groups,
        rows=rows,
        coverage=result,
        gaps=gaps,
        shortages=shortages,
    )


def capacity_contracted(*, organisation: Organisation) -> set[str]:
    """Codes of the services for which some contract records a capacity (any period)."""
    return set(
        Contract.objects.filter(
            service__organisation=organisation, capacity__isnull=False
        ).values_list("service__code", flat=True)
    )


def contracts_ending(
    *, user: Any, organisation: Organisation, today: date, months: int
) -> QuerySet[Contract]:
    """Contracts of the organisation that end between today and ``months`` months from now
    (or ended already while an ownership cell still refers to them)."""
    until = add_months(today, months)
    return (
        contract_list(user=user, organisation=organisation)
        .filter(end__isnull=False, end__lte=until)
        .filter(Q(end__gte=today) | Q(ownerships__isnull=False))
        .distinct()
        .order_by("end", "reference")
    )


def gap_list(*, user: Any, organisation: Organisation) -> QuerySet[Ownership]:
    """Cells still temporary or missing, for the college: missing first, then by review date."""
    return (
        ownership_list(user=user, organisation=organisation)
        .filter(status__in=[CoverageStatus.MISSING, CoverageStatus.TEMPORARY])
        .order_by(
            Case(When(status=CoverageStatus.MISSING, then=0), default=1),
            "review_date",
            "service__name",
            "target_group",
        )
    )


# --- demand against capacity ---------------------------------------------------------------


def demand_lines(
    *,
    user: Any,
    organisation: Organisation,
    dates: list[date],
    services: list[Service] | None = None,
    today: date | None = None,
) -> list[DemandLine]:
    """Demand per service on each date, derived from the organisation's households (read and
    logged for this purpose), against the contracted capacity. ``today`` (default: the first
    date) decides who is waiting: waiting households count from the first of the next month."""
    if services is None:
        services = list(service_list(user=user, organisation=organisation, include_retired=False))
    households = households_read(
        user=user,
        purpose=PURPOSE_DEMAND,
        action="aggregate",
        queryset=Household.objects.filter(organisation=organisation),
    )
    codes = {s.code for s in services}
    contracts = Contract.objects.select_related("service").filter(
        service__organisation=organisation, service__retired_on__isnull=True
    )
    return demand_over_time(
        adapters.household_profiles(households, today=today or dates[0]),
        adapters.service_rules(services),
        adapters.capacities(contracts, codes=codes),
        dates=dates,
    )


def month_starts(today: date, months: int) -> list[date]:
    """Today, then the first day of each of the next ``months`` months."""
    result = [today]
    day = today
    for _ in range(months):
        day = adapters.first_of_next_month(day)
        result.append(day)
    return result


# --- civic integration ---------------------------------------------------------------------


def integration_cases_read(
    *,
    user: Any,
    purpose: str,
    action: str = "list",
    queryset: QuerySet[IntegrationCase] | None = None,
) -> list[IntegrationCase]:
    """The integration cases the user may see (optionally narrowed), read and logged."""
    base = queryset if queryset is not None else IntegrationCase.objects.all()
    cases = list(scope(base.select_related("organisation", "household", "provider"), user))
    access_record_for(actor=user, action=action, records=cases, purpose=purpose)
    return cases


PURPOSE_HOUSEHOLD_CHOICE = "huishouden koppelen aan inburgeringsdossier"


def household_choices(
    *, user: Any, organisation: Organisation, keep: int | None = None
) -> QuerySet[Household]:
    """The households a case may be linked to (codes in a form): those not gone, and ``keep``
    (the case's current one); the read is logged."""
    read = households_read(
        user=user,
        purpose=PURPOSE_HOUSEHOLD_CHOICE,
        queryset=Household.objects.filter(organisation=organisation).filter(
            ~Q(status="left") | Q(pk=keep or 0)
        ),
    )
    return Household.objects.filter(pk__in=[h.pk for h in read]).order_by("code")


def integration_case_get(*, user: Any, pk: int, purpose: str = PURPOSE_CASE) -> IntegrationCase:
    found = integration_cases_read(
        user=user, purpose=purpose, action="read", queryset=IntegrationCase.objects.filter(pk=pk)
    )
    if not found:
        raise IntegrationCase.DoesNotExist
    return found[0]


def deadlines_of(case: IntegrationCase, *, today: date) -> list[Deadline]:
    norms = adapters.norms()
    return integration_deadlines(adapters.integration_dates(case, norms), norms, today=today)


@dataclass(frozen=True)
class CaseRow:
    case: IntegrationCase
    deadlines: list[Deadline]
    state: DeadlineState

    def deadline(self, kind: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.kind == kind), None)


def caseload(cases: list[IntegrationCase], *, today: date) -> list[CaseRow]:
    rows = []
    for case in cases:
        deadlines = deadlines_of(case, today=today)
        rows.append(CaseRow(case=case, deadlines=deadlines, state=worst_state(deadlines)))
    return rows
