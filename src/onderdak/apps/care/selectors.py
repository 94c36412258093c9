"""Reads for care and support, limited to what the user may see. Reads of personal data
(integration cases, and households when demand is derived) are logged with their purpose."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Prefetch, Q, QuerySet, When

from onderdak.apps.accounts.selectors import (
    access_for,
    organisation_named,
    primary_organisation,
    scope,
    shared_with,
    user_organisations,
)
from onderdak.apps.audit.selectors import HistoryEntry, history
from onderdak.apps.audit.selectors import history_of as audit_history_of
from onderdak.apps.audit.services import access_record_for
from onderdak.apps.housing.selectors import households_of
from onderdak.common.vocabulary import TargetGroup

from . import adapters
from .models import (
    Contract,
    CoverageStatus,
    DemandBasis,
    IntegrationCase,
    Ownership,
    Partner,
    Service,
)

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation
    from onderdak.apps.housing.models import Household
    from onderdak.engines.care import Coverage, Deadline, DeadlineState, DemandLine

PURPOSE_DEMAND = "vraag naar voorzieningen afleiden (zorg en ondersteuning)"
PURPOSE_CASES = "overzicht inburgeringsplichtigen en termijnen"
PURPOSE_CASE = "begeleiding inburgering"
PURPOSE_CASES_EXPORT = "export inburgeringsplichtigen"
PURPOSE_CASES_API = "API: gegevens inburgeringsplichtigen"


def organisations_for(user: Any) -> list[Organisation]:
    """The organisations whose care pages the user may open: those the user is a member of,
    then, for a member of a regional body (the region view), the organisations whose shared
    records the user reads through the region."""
    own = list(user_organisations(user).order_by("name"))
    if not any(o.kind == "regional_body" for o in own):
        return own
    return own + list(shared_with(user).order_by("name"))


def organisation_for(user: Any, requested: str | int | None) -> Organisation | None:
    """The organisation to show: the requested one when the user may open it, else the
    user's own (first) one; a regional body without a catalogue of its own opens on the first
    member that shares services with the region."""
    options = organisations_for(user)
    if requested:
        for organisation in options:
            if str(organisation.pk) == str(requested):
                return organisation
    primary = primary_organisation(user) if options else None
    if (
        primary is not None
        and primary.kind == "regional_body"
        and not service_list(user=user, organisation=primary).exists()
    ):
        sharing = service_list(user=user).exclude(organisation=primary)
        first = next((o for o in options if sharing.filter(organisation=o).exists()), None)
        return first or primary
    return primary


def is_region_view(user: Any, organisation: Organisation) -> bool:
    """Whether the user sees ``organisation`` only through what it shares (not a member;
    the platform's superusers and operator see everything)."""
    if access_for(user).superuser:
        return False
    return not user_organisations(user).filter(pk=organisation.pk).exists()


def organisation_by_key(key: str) -> Organisation | None:
    """An organisation by CBS code or id (for the operator's command)."""
    return organisation_named(key.strip())


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


def history_of(*, instance: Any, limit: int | None = None) -> list[HistoryEntry]:
    """The change history of a catalogue record in words (Dutch labels), for every user who
    may read it (no personal data in these records; the caller has checked read access)."""
    return audit_history_of(instance=instance, limit=limit)


def service_history(*, service: Service, limit: int | None = 50) -> list[HistoryEntry]:
    """The history of a service and of its ownership cells, also of cells deleted since."""
    return history(
        objects=[("care.Service", service.pk)],
        referring=[("care.Ownership", "service", service.pk)],
        limit=limit,
    )


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

    @property
    def counted(self) -> DemandLine | None:
        """Demand today, when the service derives demand at all."""
        return self.demand if self.service.basis != DemandBasis.NONE else None

    @property
    def demand_today(self) -> int | None:
        line = self.counted
        return line.demand if line is not None else None

    @property
    def capacity_today(self) -> int | None:
        line = self.counted
        return line.capacity if line is not None and self.capacity_contracted else None

    @property
    def shortage_today(self) -> int | None:
        line = self.counted
        return line.shortage if line is not None and self.capacity_contracted else None


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

    @property
    def structural_share(self) -> float | None:
        share = self.coverage.structural_share
        return None if share is None else float(share)

    @property
    def counts(self) -> dict[str, int]:
        return {str(key): count for key, count in self.coverage.counts.items()}


def _groups(services: list[Service]) -> list[tuple[str, str]]:
    used = {g for s in services for g in s.target_groups}
    return [(value, str(label)) for value, label in TargetGroup.choices if value in used]


def coverage(
    *, user: Any, organisation: Organisation, today: date, with_demand: bool = True
) -> CoverageOverview:
    """The coverage matrix (active services x entitled target groups) with the roll-up, owners,
    cost per year, gaps, and (``with_demand``) demand against capacity today."""
    from onderdak.engines.care import rollup

    services = list(
        service_list(user=user, organisation=organisation, include_retired=False).prefetch_related(
            Prefetch("ownerships", queryset=Ownership.objects.select_related("partner", "contract"))
        )
    )
    ownerships = [o for s in services for o in s.ownerships.all()]
    by_id = {s.pk: s for s in services}
    for ownership in ownerships:
        ownership.service = by_id[ownership.service_id]
    result = rollup(adapters.cells(ownerships))
    demand = {}
    contracted = capacity_contracted(user=user, organisation=organisation)
    # the region view reads only the shared households: no demand is derived from those
    with_demand = with_demand and not is_region_view(user, organisation)
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


def capacity_contracted(*, user: Any, organisation: Organisation) -> set[str]:
    """Codes of the services for which some contract the user may see records a capacity
    (any period)."""
    return set(
        _service_contracts(user=user, organisation=organisation)
        .filter(capacity__isnull=False)
        .values_list("service__code", flat=True)
    )


def _service_contracts(*, user: Any, organisation: Organisation) -> QuerySet[Contract]:
    """The contracts (that the user may see) for the organisation's services."""
    return Contract.objects.select_related("service").filter(
        service__organisation=organisation,
        partner__in=partner_list(user=user),
    )


def contracts_ending(
    *, user: Any, organisation: Organisation, today: date, months: int
) -> QuerySet[Contract]:
    """Contracts of the organisation that end between today and ``months`` months from now
    (or ended already while an ownership cell still refers to them)."""
    from onderdak.engines.care import add_months

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


def _households(*, user: Any, organisation: Organisation) -> list[Household]:
    return households_of(
        user=user, organisation_id=organisation.pk, purpose=PURPOSE_DEMAND, action="aggregate"
    )


def demand_lines(
    *,
    user: Any,
    organisation: Organisation,
    dates: list[date],
    services: list[Service] | None = None,
    today: date | None = None,
    households: list[Household] | None = None,
) -> list[DemandLine]:
    """Demand per service on each date, derived from the organisation's households (read and
    logged for this purpose, or ``households`` read so already), against the contracted
    capacity. ``today`` (default: the first date) decides who is waiting: waiting households
    count from the first of the next month."""
    from onderdak.engines.care import demand_over_time

    if services is None:
        services = list(service_list(user=user, organisation=organisation, include_retired=False))
    if households is None:
        households = _households(user=user, organisation=organisation)
    codes = {s.code for s in services}
    contracts = _service_contracts(user=user, organisation=organisation).filter(
        service__retired_on__isnull=True
    )
    return demand_over_time(
        adapters.household_profiles(households, today=today or dates[0]),
        adapters.service_rules(services),
        adapters.capacities(contracts, codes=codes),
        dates=dates,
    )


@dataclass(frozen=True)
class DemandCell:
    """Demand of one service on one date; capacity and shortage only when a contract
    records capacity for the service (else ``None``: no shortage is claimed)."""

    on: date
    demand: int
    capacity: int | None
    shortage: int | None
    by_target_group: dict[str, int]


@dataclass(frozen=True)
class DemandRow:
    service: Service
    cells: list[DemandCell]
    capacity_contracted: bool

    @property
    def today(self) -> DemandCell | None:
        return self.cells[0] if self.cells else None


@dataclass(frozen=True)
class DemandOverview:
    """The demand screen: per service that derives demand, demand (and capacity) on each
    date, and how many households it is derived from."""

    organisation: Organisation
    dates: list[date]
    households: int
    rows: list[DemandRow]
    #: Seen through what the organisation shares: demand is not derived (its households are
    #: not the user's to read).
    region_view: bool = False


def demand(*, user: Any, organisation: Organisation, today: date, months: int) -> DemandOverview:
    """Demand against capacity today and on the first of each of the next ``months`` months,
    for every active service with a demand basis (households read only when there is one)."""
    region_view = is_region_view(user, organisation)
    counted = [
        s
        for s in service_list(user=user, organisation=organisation, include_retired=False)
        if s.basis != DemandBasis.NONE and not region_view
    ]
    dates = month_starts(today, months)
    households = _households(user=user, organisation=organisation) if counted else []
    lines = (
        demand_lines(
            user=user,
            organisation=organisation,
            dates=dates,
            services=counted,
            households=households,
        )
        if counted
        else []
    )
    contracted = capacity_contracted(user=user, organisation=organisation)
    by_service: dict[str, list[DemandCell]] = {}
    for line in lines:
        known = line.service_code in contracted
        by_service.setdefault(line.service_code, []).append(
            DemandCell(
                on=line.on,
                demand=line.demand,
                capacity=line.capacity if known else None,
                shortage=line.shortage if known else None,
                by_target_group=dict(line.by_target_group),
            )
        )
    rows = [
        DemandRow(
            service=s, cells=by_service.get(s.code, []), capacity_contracted=s.code in contracted
        )
        for s in counted
    ]
    return DemandOverview(
        organisation=organisation,
        dates=dates,
        households=len(households),
        rows=rows,
        region_view=region_view,
    )


def month_starts(today: date, months: int) -> list[date]:
    """Today, then the first day of each of the next ``months`` months."""
    from onderdak.engines.care import first_of_next_month

    result = [today]
    day = today
    for _month in range(months):
        day = first_of_next_month(day)
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
    _hide_unseen_households(cases, user=user)
    return cases


def _hide_unseen_households(cases: list[IntegrationCase], *, user: Any) -> None:
    """Mark (``household_hidden``) the cases whose household the user may not see (a shared
    case of an unshared household): pages and the API show no code for them."""
    linked = [case.household for case in cases if case.household is not None]
    seen: set[int] = set()
    if linked:
        manager = type(linked[0])._default_manager
        seen = set(
            scope(manager.filter(pk__in=[h.pk for h in linked]), user).values_list("pk", flat=True)
        )
    for case in cases:
        case.household_hidden = case.household_id is not None and case.household_id not in seen  # type: ignore[attr-defined]


def household_code(case: IntegrationCase) -> str | None:
    """The code of the case's household as the reader may see it (``None``: none or hidden)."""
    if case.household is None or getattr(case, "household_hidden", False):
        return None
    return str(case.household.code)


PURPOSE_HOUSEHOLD_CHOICE = "huishouden koppelen aan inburgeringsdossier"


def household_choices(
    *, user: Any, organisation: Organisation, keep: int | None = None
) -> list[Household]:
    """The households a case may be linked to (codes in a form): those of the case's
    organisation that the user may see and that have not left, and ``keep`` (the case's
    current one, when the user may see it); the read is logged."""
    return households_of(
        user=user,
        organisation_id=organisation.pk,
        purpose=PURPOSE_HOUSEHOLD_CHOICE,
        present=True,
        keep=keep,
    )


def linkable_household(
    *, user: Any, organisation_id: int, pk: int, keep: int | None = None
) -> Household | None:
    """The household ``pk`` when a case of the organisation may be linked to it by the user
    (the rule of :func:`household_choices`), read and logged; else ``None``, the same for an
    id that does not exist and one the user may not see."""
    found = households_of(
        user=user,
        organisation_id=organisation_id,
        purpose=PURPOSE_HOUSEHOLD_CHOICE,
        action="read",
        pk=pk,
        present=True,
        keep=keep,
    )
    return found[0] if found else None


def provider_choices(*, user: Any, organisation: Organisation) -> QuerySet[Partner]:
    """Partners a record of the organisation may name: those of the organisation that the
    user may see (the region's coordinator: only the shared ones)."""
    return partner_list(user=user, organisation=organisation).order_by("name")


def contract_choices(*, user: Any, organisation: Organisation) -> QuerySet[Contract]:
    return contract_list(user=user, organisation=organisation).order_by("reference")


def service_choices(*, user: Any, organisation: Organisation) -> QuerySet[Service]:
    return service_list(user=user, organisation=organisation).order_by("name")


def integration_case_get(*, user: Any, pk: int, purpose: str = PURPOSE_CASE) -> IntegrationCase:
    found = integration_cases_read(
        user=user, purpose=purpose, action="read", queryset=IntegrationCase.objects.filter(pk=pk)
    )
    if not found:
        raise IntegrationCase.DoesNotExist
    return found[0]


def deadlines_of(case: IntegrationCase, *, today: date) -> list[Deadline]:
    from onderdak.engines.care import integration_deadlines

    norms = adapters.norms()
    return integration_deadlines(adapters.integration_dates(case), norms, today=today)


@dataclass(frozen=True)
class CaseRow:
    """A case with its deadlines today, the most urgent state and the start of its
    integration term (``None`` when the residence status brings no integration duty)."""

    case: IntegrationCase
    deadlines: list[Deadline]
    state: DeadlineState
    term_start: date | None = None

    def deadline(self, kind: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.kind == kind), None)

    @property
    def term_provisional(self) -> bool:
        """Whether the start is provisional: no first PIP and no recorded start yet."""
        return self.term_start is not None and not (self.case.pip_on or self.case.term_start)


def term_start_of(case: IntegrationCase, deadlines: list[Deadline]) -> date | None:
    """The start of the case's integration term (the rule: ``engines.care.pipeline``)."""
    from onderdak.engines.care import integration_term_start

    pip = next((d for d in deadlines if d.kind == "pip"), None)
    if not case.residence_rule.integration_duty or pip is None:
        return None
    return integration_term_start(
        pip_on=case.pip_on,
        revisions=(case.pip_revised_on,) if case.pip_revised_on else (),
        given=case.term_start,
        pip_due=pip.due,
    )


def caseload(cases: list[IntegrationCase], *, today: date) -> list[CaseRow]:
    from onderdak.engines.care import worst_state

    rows = []
    for case in cases:
        deadlines = deadlines_of(case, today=today)
        rows.append(
            CaseRow(
                case=case,
                deadlines=deadlines,
                state=worst_state(deadlines),
                term_start=term_start_of(case, deadlines),
            )
        )
    return rows


# --- reads for finance (issue 13) ----------------------------------------------------------


def finance_contracts(*, user: Any, organisation_id: int) -> list[Contract]:
    """The contracts with an amount per year of one organisation's partners that ``user``
    reads (scoped through the partners; only the organisation's own, never another's shared
    partners: money is not shared), with partner and service. No personal data."""
    partners = scope(Partner.objects.all(), user).filter(organisation_id=organisation_id)
    return list(
        Contract.objects.select_related("partner", "service")
        .filter(partner__in=partners, amount_per_year__isnull=False)
        .order_by("partner__name", "reference", "pk")
    )


def finance_ownerships(*, user: Any, organisation_id: int) -> list[Ownership]:
    """The ownership cells with a budget per year of one organisation's active services that
    ``user`` reads (scoped through the services), with service and contract. No personal
    data."""
    services = scope(Service.objects.all(), user).filter(
        organisation_id=organisation_id, retired_on__isnull=True
    )
    return list(
        Ownership.objects.select_related("service", "contract")
        .filter(service__in=services, amount_per_year__isnull=False)
        .order_by("service__name", "target_group", "pk")
    )
