"""Reads for flex homes and placement, with access rules and the purpose-logged reads of
household data (``audit.services.access_record``): every list, detail or export of households
goes through :func:`households_read`, which logs who read which households and why."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from onderdak.apps.accounts.selectors import scope
from onderdak.apps.audit.services import access_record, access_record_for
from onderdak.common.vocabulary import TargetGroup, target_group_label
from onderdak.engines.placement import RelocationCost, relocation_cost

from . import explanations
from .models import Complex, Contract, Household, HouseholdStatus, Placement, Unit, UnitStatus

#: Purposes for which household data is read (shown in the access log).
PURPOSE_LIST = "overzicht wachtenden en bewoners (plaatsing)"
PURPOSE_DETAIL = "behandeling huishouden (plaatsing)"
PURPOSE_PROPOSAL = "plaatsingsvoorstel opstellen en beoordelen"
PURPOSE_EXPORT = "export huishoudens"
PURPOSE_API = "API: gegevens huishoudens"
PURPOSE_UNITS = "bewoning wooneenheden complex (plaatsing)"

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
    """The complex's units (database order; :func:`unit_grid` sorts them naturally)."""
    return complex.units.prefetch_related("placements__household").order_by("number")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key for unit numbers: digits as numbers, so 2 comes before 10 and 10a after 10."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.findall(r"\d+|\D+", text)
    )


@dataclass(frozen=True)
class UnitCell:
    """One unit of a complex's grid with the current households the reader may see."""

    unit: Unit
    households: tuple[Household, ...]
    #: Current households the reader may not see (another organisation's, not shared).
    hidden: int


def unit_grid(*, user: Any, complex: Complex) -> list[UnitCell]:
    """The units in natural number order with their current households. Household codes and
    sizes are personal data: only households the user may read are shown, and showing them is
    logged with its purpose (one entry per organisation)."""
    units = sorted(units_of(complex=complex), key=lambda u: natural_key(u.number))
    current = {u.pk: [p.household for p in u.placements.all() if p.end is None] for u in units}
    ids = [h.pk for households in current.values() for h in households]
    visible = (
        {
            h.pk
            for h in households_read(
                user=user,
                purpose=PURPOSE_UNITS,
                action="list",
                queryset=Household.objects.filter(pk__in=ids),
            )
        }
        if ids
        else set()
    )
    return [
        UnitCell(
            unit=u,
            households=tuple(h for h in current[u.pk] if h.pk in visible),
            hidden=sum(1 for h in current[u.pk] if h.pk not in visible),
        )
        for u in units
    ]


def next_unit_number(*, complex: Complex) -> int:
    """The number after the highest whole unit number of the complex (1 when it has none)."""
    numbers = [int(n) for n in complex.units.values_list("number", flat=True) if n.isdigit()]
    return max(numbers, default=0) + 1


def relocation_estimate(units: int, *, cost_per_unit: Decimal) -> RelocationCost:
    """What moving ``units`` flex homes costs, with the shares of the settings
    (``ONDERDAK_HOUSING_RELOCATION_SHARE``, ``ONDERDAK_HOUSING_SITE_PREPARATION_SHARE``)."""
    return relocation_cost(
        units,
        cost_per_unit=cost_per_unit,
        relocation_share=Decimal(str(settings.HOUSING_RELOCATION_SHARE)),
        site_preparation_share=Decimal(str(settings.HOUSING_SITE_PREPARATION_SHARE)),
    )


def spans_organisations(queryset: QuerySet[Any]) -> bool:
    """Whether a (scoped) list holds records of more than one organisation (a regional
    coordinator's view, or shared records of partners): lists then show whose each row is."""
    return queryset.order_by().values("organisation").distinct()[:2].count() > 1


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


def household_queryset(
    *, user: Any, status: str = "", target_group: str = "", query: str = ""
) -> QuerySet[Household]:
    """The households the user may read, scoped before anything is counted or paged, narrowed
    by status, target group and a search (every word in the code, the target group's or the
    status's name). Not yet read: log the rows actually shown with :func:`households_shown`."""
    base = scope(Household.objects.select_related("organisation"), user).annotate(
        persons_total=F("adults") + F("minors_0_3") + F("minors_4_11") + F("minors_12_17")
    )
    if status in HouseholdStatus.values:
        base = base.filter(status=status)
    if target_group in TargetGroup.values:
        base = base.filter(target_group=target_group)
    for word in query.split()[:10]:
        folded = word.casefold()
        groups = [v for v, label in TargetGroup.choices if folded in str(label).casefold()]
        statuses = [v for v, label in HouseholdStatus.choices if folded in str(label).casefold()]
        base = base.filter(
            Q(code__icontains=word) | Q(target_group__in=groups) | Q(status__in=statuses)
        )
    return base


def households_shown(
    *, user: Any, households: list[Household], purpose: str, action: str = "list"
) -> list[Household]:
    """Log that ``households`` (already scoped by :func:`household_queryset`) are shown."""
    access_record_for(actor=user, action=action, records=households, purpose=purpose)
    return households


def household_get(*, user: Any, pk: int, purpose: str = PURPOSE_DETAIL) -> Household:
    found = households_read(
        user=user, purpose=purpose, action="read", queryset=Household.objects.filter(pk=pk)
    )
    if not found:
        raise Household.DoesNotExist
    return found[0]


def placement_get(*, user: Any, pk: int) -> Placement | None:
    """A placement whose household the user may read (the read is logged), else ``None``."""
    placement = Placement.objects.select_related("household", "unit__complex").filter(pk=pk).first()
    if placement is None:
        return None
    try:
        placement.household = household_get(user=user, pk=placement.household_id)
    except Household.DoesNotExist:
        return None
    return placement


def placements_of(*, household: Household) -> QuerySet[Placement]:
    return household.placements.select_related("unit__complex")


def waiting_days(household: Household, *, today: date) -> int:
    return max(0, (today - household.waiting_since).days)


def proposal_list(*, user: Any) -> QuerySet[Any]:
    from .models import Proposal

    return scope(Proposal.objects.select_related("complex", "created_by"), user)


@dataclass(frozen=True)
class ProposalLineRow:
    """One proposed placement with its explanation in the user's language."""

    line: Any
    #: (part name, value) of the score, in the engine's order.
    parts: list[tuple[str, float]]
    #: {"unit": name, "score": total} of the best alternatives.
    alternatives: list[dict[str, Any]]
    #: Why the other units cannot be used ("9 wooneenheden niet bedoeld voor ...").
    infeasible: list[str]


@dataclass(frozen=True)
class ProposalScreen:
    """The read model of a proposal's page: lines, the households not placed with the reason,
    and the fairness report with target groups by name, all translated from the engine's codes
    (``explanations``)."""

    proposal: Any
    lines: list[ProposalLineRow]
    #: (household code, reason) of the households not placed.
    unplaced: list[tuple[str, str]]
    fairness: dict[str, Any]


def proposal_screen(*, user: Any, pk: int) -> ProposalScreen:
    """A proposal for its page (read and logged by :func:`proposal_get`)."""
    proposal = proposal_get(user=user, pk=pk)
    rows = [
        ProposalLineRow(
            line=line,
            parts=[
                (explanations.part_label(key), value)
                for key, value in (line.explanation.get("parts") or {}).items()
            ],
            alternatives=list(line.explanation.get("alternatives") or []),
            infeasible=explanations.infeasible_texts(line.explanation.get("infeasible") or []),
        )
        for line in proposal.lines.select_related("household", "unit__complex")
    ]
    fairness = dict(proposal.fairness or {})
    if fairness.get("groups"):
        fairness["groups"] = [
            {**row, "group": target_group_label(str(row.get("group", "")))}
            for row in fairness["groups"]
        ]
    return ProposalScreen(
        proposal=proposal,
        lines=rows,
        unplaced=[
            (str(item.get("code", "")), explanations.unplaced_text(item))
            for item in proposal.unplaced or []
        ],
        fairness=fairness,
    )


def proposals_read(*, user: Any, limit: int = 20) -> list[Any]:
    """The newest proposals with their lines; reading them reads household data, logged once
    for the whole list (one entry per organisation), not once per proposal."""
    from .models import ProposalLine

    proposals = list(
        proposal_list(user=user).prefetch_related(
            Prefetch(
                "lines",
                queryset=ProposalLine.objects.select_related("household", "unit"),
            )
        )[:limit]
    )
    by_organisation: dict[int, list[int]] = {}
    for proposal in proposals:
        by_organisation.setdefault(proposal.organisation_id, []).extend(
            line.household_id for line in proposal.lines.all()
        )
    for organisation_id, ids in by_organisation.items():
        if ids:
            access_record(
                actor=user,
                action="api",
                object_type="housing.Household",
                ids=sorted(set(ids)),
                purpose=PURPOSE_PROPOSAL,
                organisation_id=organisation_id,
            )
    return proposals


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


def placement_complexes(*, user: Any, placement_ids: list[int]) -> dict[int, int]:
    """placement id -> the id of its unit's complex, for the placements whose complex ``user``
    may read (quota realisations link to the place, never to the household)."""
    return dict(
        Placement.objects.filter(
            pk__in=placement_ids,
            unit__complex__in=scope(Complex.objects.all(), user).values("pk"),
        ).values_list("pk", "unit__complex_id")
    )


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
