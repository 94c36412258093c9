"""Reads for care and support, limited to what the user may see. Reads of personal data
(integration cases, and households when demand is derived) are logged with their purpose."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.db.models import Case, Prefetch, Q, QuerySet, When
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from onderdak.apps.accounts.selectors import (
    organisation_named,
    primary_organisation,
    scope,
    shared_with,
    user_organisations,
)
from onderdak.apps.audit.selectors import record_history
from onderdak.apps.audit.services import access_record_for
from onderdak.apps.housing.selectors import households_of
from onderdak.common.vocabulary import TargetGroup, target_group_label
from onderdak.engines.care import (
    Coverage,
    Deadline,
    DeadlineState,
    DemandLine,
    add_months,
    demand_over_time,
    first_of_next_month,
    integration_deadlines,
    rollup,
    worst_state,
)

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
    from onderdak.apps.audit.models import AuditEntry
    from onderdak.apps.housing.models import Household

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
    """Whether the user sees ``organisation`` only through what it shares (not a member)."""
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


def history_of(*, instance: Any) -> QuerySet[AuditEntry]:
    """The change history of a catalogue record, for every user who may read it (no personal
    data in these records; the caller has checked read access)."""
    return record_history(object_type=instance._meta.label, object_id=str(instance.pk))


def service_history(*, service: Service) -> QuerySet[AuditEntry]:
    """The history of a service and of its ownership cells, also of cells deleted since."""
    return record_history(
        object_type="care.Service",
        object_id=str(service.pk),
        related_type="care.Ownership",
        related_field="service",
    )


@dataclass(frozen=True)
class Change:
    """One field of a record changed, in words: the field's label and both values shown."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    timestamp: datetime
    actor: str
    action: str
    record: str
    changes: list[Change]


def _shown(field: models.Field[Any, Any] | None, value: Any) -> str:  # noqa: PLR0911
    """A stored (JSON) value as a person reads it: choices by their label, target groups by
    name, dates dd-mm-jjjj, yes/no, related records by name."""
    if value in (None, "", []):
        return "–"  # noqa: RUF001 - the dash of an empty value, as on the pages
    if isinstance(value, list):
        return ", ".join(
            target_group_label(str(v))
            if field is not None and field.name == "target_groups"
            else str(v)
            for v in value
        )
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        related = field.related_model
        if isinstance(related, type) and related._meta.app_label == "care":
            found = related._default_manager.filter(pk=value).first()
            return str(found) if found is not None else f"#{value}"
        return f"#{value}"
    if isinstance(field, models.DateField) and isinstance(value, str):
        day = parse_date(value[:10])
        return date_format(day, "d-m-Y") if day else value
    if isinstance(field, models.DecimalField):
        return str(value).replace(".", ",")
    return str(value)


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except Exception:
        return None
    return found if isinstance(found, models.Field) else None


def history_rows(entries: list[AuditEntry]) -> list[HistoryRow]:
    """Audit entries in words: Dutch action and field labels (the models' verbose names),
    values by their labels, never field names or codes."""
    rows = []
    for entry in entries:
        try:
            model: type[models.Model] | None = apps.get_model(entry.object_type)
        except (LookupError, ValueError):
            model = None
        before, after = entry.before or {}, entry.after or {}
        changes = []
        if before and after:
            for name, value in after.items():
                if name == "id" or name not in before or before[name] == value:
                    continue
                field_ = _field(model, name)
                label = str(field_.verbose_name) if field_ is not None else name
                changes.append(
                    Change(
                        label=label[:1].upper() + label[1:],
                        before=_shown(field_, before[name]),
                        after=_shown(field_, value),
                    )
                )
        kind = str(model._meta.verbose_name) if model is not None else entry.object_type
        action = entry.get_action_display()
        rows.append(
            HistoryRow(
                timestamp=entry.timestamp,
                actor=entry.actor_name,
                action=action,
                record=f"{kind[:1].upper()}{kind[1:]} {entry.object_repr}",
                changes=changes,
            )
        )
    return rows


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
    contracted = capacity_contracted(user=user, organisation=organisation)
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


def demand(*, user: Any, organisation: Organisation, today: date, months: int) -> DemandOverview:
    """Demand against capacity today and on the first of each of the next ``months`` months,
    for every active service with a demand basis (households read only when there is one)."""
    counted = [
        s
        for s in service_list(user=user, organisation=organisation, include_retired=False)
        if s.basis != DemandBasis.NONE
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
        organisation=organisation, dates=dates, households=len(households), rows=rows
    )


def month_starts(today: date, months: int) -> list[date]:
    """Today, then the first day of each of the next ``months`` months."""
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
    return cases


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
