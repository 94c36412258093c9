"""Reads for flex homes and placement, with access rules and the purpose-logged reads of
household data (``audit.services.access_record``): every list, detail or export of households
goes through :func:`households_read`, which logs who read which households and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from onderdak.apps.accounts.selectors import scope
from onderdak.apps.audit.services import access_record, access_record_for

from .models import Complex, Contract, Household, Placement, Unit, UnitStatus

#: Purposes for which household data is read (shown in the access log).
PURPOSE_LIST = "overzicht wachtenden en bewoners (plaatsing)"
PURPOSE_DETAIL = "behandeling huishouden (plaatsing)"
PURPOSE_PROPOSAL = "plaatsingsvoorstel opstellen en beoordelen"
PURPOSE_EXPORT = "export huishoudens"
PURPOSE_API = "API: gegevens huishoudens"

#: Months before a permit's end at which a warning is shown.
PERMIT_WARNING_MONTHS = (3, 6, 12)


def complex_list(*, user: Any) -> QuerySet[Complex]:
    return scope(Complex.objects.select_related("organisation", "site"), user).annotate(
        unit_count=Count("units", distinct=True),
        vacant_count=Count("units", filter=Q(units__status=UnitStatus.VACANT), distinct=True),
        occupied_count=Count("units", filter=Q(units__status=UnitStatus.OCCUPIED), distinct=True),
    )


def complex_get(*, user: Any, pk: int) -> Complex:
    return complex_list(user=user).get(pk=pk)


def units_of(*, complex: Complex) -> QuerySet[Unit]:
    return complex.units.prefetch_related("placements__household").order_by("number")


@dataclass(frozen=True)
class Warning:
    level: str  # "red" | "amber"
    kind: str  # "permit" | "contract" | "subsidy"
    text: str


def warnings_for(complex: Complex, *, today: date) -> list[Warning]:
    """Permit ending within 3/6/12 months, contracts ending within 6 months, subsidy share at risk."""
    result: list[Warning] = []
    if complex.permit_end:
        days = (complex.permit_end - today).days
        if days < 0:
            result.append(
                Warning(
                    "red",
                    "permit",
                    _("Permit expired on %(date)s") % {"date": date_format(complex.permit_end)},
                )
            )
        else:
            for months in PERMIT_WARNING_MONTHS:
                if days <= months * 30.5:
                    result.append(
                        Warning(
                            "red" if months <= 3 else "amber",
                            "permit",
                            _("Permit ends within %(months)d months (%(date)s)")
                            % {"months": months, "date": date_format(complex.permit_end)},
                        )
                    )
                    break
    for contract in Contract.objects.filter(
        complex=complex, end__isnull=False, end__gte=today, end__lte=today + timedelta(days=183)
    ):
        assert contract.end is not None
        result.append(
            Warning(
                "amber",
                "contract",
                _("%(kind)s contract with %(party)s ends on %(date)s")
                % {
                    "kind": contract.get_kind_display(),
                    "party": contract.party,
                    "date": date_format(contract.end),
                },
            )
        )
    if (
        complex.subsidy_min_share
        and complex.subsidy_groups
        and (complex.subsidy_until is None or complex.subsidy_until >= today)
    ):
        units = complex.units.count()
        housed = (
            Placement.objects.filter(
                unit__complex=complex, end=None, household__target_group__in=complex.subsidy_groups
            )
            .values("unit")
            .distinct()
            .count()
        )
        if units and housed / units < complex.subsidy_min_share:
            result.append(
                Warning(
                    "red",
                    "subsidy",
                    _(
                        "Subsidy condition at risk: %(housed)d of %(units)d units for the target groups, at least %(share)d%% required"
                    )
                    % {
                        "housed": housed,
                        "units": units,
                        "share": round(complex.subsidy_min_share * 100),
                    },
                )
            )
    return result


def households_read(
    *, user: Any, purpose: str, action: str = "list", queryset: QuerySet[Household] | None = None
) -> list[Household]:
    """The households the user may see (optionally narrowed), read and logged with ``purpose``."""
    base = queryset if queryset is not None else Household.objects.all()
    households = list(scope(base.select_related("organisation"), user))
    access_record_for(actor=user, action=action, records=households, purpose=purpose)
    return households


def household_get(*, user: Any, pk: int, purpose: str = PURPOSE_DETAIL) -> Household:
    found = households_read(
        user=user, purpose=purpose, action="read", queryset=Household.objects.filter(pk=pk)
    )
    if not found:
        raise Household.DoesNotExist
    return found[0]


def placements_of(*, household: Household) -> QuerySet[Placement]:
    return household.placements.select_related("unit__complex")


def waiting_days(household: Household, *, today: date) -> int:
    return max(0, (today - household.waiting_since).days)


def proposal_list(*, user: Any) -> QuerySet[Any]:
    from .models import Proposal

    return scope(Proposal.objects.select_related("complex", "created_by"), user)


def proposal_get(*, user: Any, pk: int) -> Any:
    """The proposal with its lines; reading it reads household data, so it is logged."""
    proposal = proposal_list(user=user).get(pk=pk)
    ids = list(proposal.lines.values_list("household_id", flat=True))
    if ids:
        access_record(
            actor=user,
            action="read",
            object_type="housing.Household",
            ids=ids,
            purpose=PURPOSE_PROPOSAL,
            organisation_id=proposal.organisation_id,
        )
    return proposal


def households_of(
    *,
    user: Any,
    organisation_id: int,
    purpose: str,
    action: str = "list",
    pk: int | None = None,
    present: bool = False,
    keep: int | None = None,
) -> list[Household]:
    """The households of one organisation that the user may see, by code, read and logged
    with ``purpose`` (the read of another app, such as care). ``pk`` narrows to one;
    ``present`` leaves out the households that left, except ``keep``."""
    queryset = Household.objects.filter(organisation_id=organisation_id)
    if pk is not None:
        queryset = queryset.filter(pk=pk)
    if present:
        queryset = queryset.filter(~Q(status="left") | Q(pk=keep or 0))
    return households_read(
        user=user, purpose=purpose, action=action, queryset=queryset.order_by("code")
    )
