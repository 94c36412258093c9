"""Reads for flex homes and placement, with access rules and the purpose-logged reads of
household data (``audit.services.access_record``): every list, detail or export of households
goes through :func:`households_read`, which logs who read which households and why."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Min,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onderdak.apps.accounts.selectors import access_for, scope
from onderdak.apps.audit.services import access_record, access_record_for
from onderdak.common.vocabulary import TargetGroup, target_group_label

from . import explanations
from .models import Complex, Contract, Household, HouseholdStatus, Placement, Unit, UnitStatus

if TYPE_CHECKING:
    from onderdak.engines.placement import CoaNorms, CoaTerm, RelocationCost, SubsidyShare

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


def occupied_units_on(*, complexes: list[Complex], on: date) -> tuple[int, int]:
    """(units, units with a placement current on ``on``) of ``complexes`` (already scoped by the
    caller): two counting queries, no household data read."""
    ids = [item.pk for item in complexes]
    units = Unit.objects.filter(complex_id__in=ids).count()
    occupied = (
        Placement.objects.filter(unit__complex_id__in=ids, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gt=on))
        .values("unit_id")
        .distinct()
        .count()
    )
    return units, occupied


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
    from onderdak.engines.placement import relocation_cost

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
    kind: str  # "permit" | "contract" | "subsidy" | "coa"
    text: str


def warnings_for(complex: Complex, *, today: date) -> list[Warning]:
    """Permit ending within 3/6/12 months, contracts ending within 6 months. The subsidy share
    is not a warning of one complex: it is checked on the municipality's total
    (:func:`subsidy_totals`, SFT BWBR0048657 art. 2)."""
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
    return result


def subsidised(complex: Complex, *, today: date) -> bool:
    """Whether the complex is under a subsidy condition on ``today`` (a minimum share for
    target groups, such as the SFT's 30%, not yet ended)."""
    return bool(
        complex.subsidy_min_share
        and complex.subsidy_groups
        and (complex.subsidy_until is None or complex.subsidy_until >= today)
    )


@dataclass(frozen=True)
class ComplexSubsidy:
    """One subsidised complex: ``housed`` of its ``units`` house its subsidy's target groups."""

    complex: Complex
    units: int
    housed: int

    @property
    def share(self) -> float:
        return self.housed / self.units if self.units else 0.0

    @property
    def below(self) -> bool:
        """Below the complex's own minimum: allowed while the municipality's total holds."""
        return self.housed < (self.complex.subsidy_min_share or 0.0) * self.units - 1e-9


@dataclass(frozen=True)
class SubsidyTotal:
    """A municipality's subsidised complexes and their total against the condition (SFT,
    BWBR0048657 art. 2: the 30% may be met elsewhere in the municipality, so the condition is
    checked on the total, not per complex)."""

    organisation: Any
    complexes: tuple[ComplexSubsidy, ...]
    share: SubsidyShare

    @property
    def required_units(self) -> int:
        """Units that must house the target groups (the requirement rounded up)."""
        return math.ceil(self.share.required - 1e-9)

    @property
    def warning(self) -> Warning | None:
        if self.share.met:
            return None
        return Warning(
            "red",
            "subsidy",
            _(
                "Subsidy condition at risk for %(municipality)s: %(housed)d of %(units)d units "
                "in its subsidised complexes house the target groups, at least %(required)d "
                "(%(share)d%%) required"
            )
            % {
                "municipality": self.organisation.name,
                "housed": self.share.housed,
                "units": self.share.units,
                "required": self.required_units,
                "share": round(self.share.required_share * 100),
            },
        )


def subsidy_totals(
    *, user: Any, today: date, organisation_id: int | None = None
) -> list[SubsidyTotal]:
    """Per municipality (organisation), its subsidised complexes that ``user`` may read and
    their total share of units housing the subsidy's target groups (current placements),
    checked by :func:`onderdak.engines.placement.subsidy_share`. ``organisation_id`` narrows to
    one municipality. A regional coordinator's total counts the complexes shared with it."""
    from onderdak.engines.placement import SubsidisedComplex, subsidy_share

    queryset = scope(Complex.objects.select_related("organisation"), user).annotate(
        unit_total=Count("units", distinct=True)
    )
    if organisation_id is not None:
        queryset = queryset.filter(organisation_id=organisation_id)
    complexes = [
        c for c in queryset.order_by("organisation__name", "name") if subsidised(c, today=today)
    ]
    occupied: dict[int, set[tuple[int, str]]] = {}
    for complex_id, unit_id, group in (
        Placement.objects.filter(unit__complex__in=[c.pk for c in complexes], end=None)
        .values_list("unit__complex_id", "unit_id", "household__target_group")
        .distinct()
    ):
        occupied.setdefault(complex_id, set()).add((unit_id, group))
    by_organisation: dict[int, list[ComplexSubsidy]] = {}
    for c in complexes:
        housed = len(
            {unit for unit, group in occupied.get(c.pk, set()) if group in c.subsidy_groups}
        )
        by_organisation.setdefault(c.organisation_id, []).append(
            ComplexSubsidy(c, c.unit_total, housed)
        )
    return [
        SubsidyTotal(
            organisation=rows[0].complex.organisation,
            complexes=tuple(rows),
            share=subsidy_share(
                SubsidisedComplex(
                    str(row.complex.pk),
                    units=row.units,
                    housed=row.housed,
                    min_share=float(row.complex.subsidy_min_share or 0.0),
                )
                for row in rows
            ),
        )
        for rows in by_organisation.values()
    ]


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
        persons_total=F("adults") + F("minors_0_3") + F("minors_4_11") + F("minors_12_17"),
        first_placed=Min("placements__start"),
        coa_linked=Case(
            When(target_group=TargetGroup.STATUS_HOLDER, then=F("waiting_since")),
            default=None,
            output_field=DateField(),
        ),
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


@functools.cache
def coa_norms() -> CoaNorms:
    """COA's norms per linked status holder (coa.nl: 10 weeks to find a home, 2 to move; a
    warning from 14 days before the first date). A function, not a constant: the placement
    engine is imported on first use (it loads NumPy, HiGHS and OR-Tools; issue 11, restart
    to healthy)."""
    from onderdak.engines.placement import CoaNorms

    return CoaNorms()


#: The household list's COA filter: the households past a norm (waiting overdue or placed
#: late) and those whose date to find a home falls within the warning window.
COA_OVERDUE = "overdue"
COA_DUE_SOON = "due_soon"


def coa_term_of(household: Household, *, today: date, placed_on: date | None) -> CoaTerm | None:
    """A status holder's dates and state under COA's norms, ``placed_on`` the start of the
    household's first placement (its move-in); ``None`` for other target groups (COA links
    only status holders) and for a household that left without a placement.

    The link date is the household's ``waiting_since`` (the day COA linked it to the
    municipality, DOMAIN.md section 3; the care engine reads it the same way)."""
    from onderdak.engines.placement import coa_term

    if household.target_group != TargetGroup.STATUS_HOLDER:
        return None
    if placed_on is None and household.status == HouseholdStatus.LEFT:
        return None
    return coa_term(household.waiting_since, today=today, placed_on=placed_on, norms=coa_norms())


def first_placements(household_ids: list[int]) -> dict[int, date]:
    """household id -> the start of its first placement (households never placed are absent)."""
    return dict(
        Placement.objects.filter(household_id__in=household_ids)
        .values("household_id")
        .annotate(first=Min("start"))
        .values_list("household_id", "first")
    )


def coa_terms(households: list[Household], *, today: date) -> dict[int, CoaTerm]:
    """household id -> its COA term, for the status holders among ``households`` (one query
    for the placements; a household annotated with ``first_placed`` by
    :func:`household_queryset` needs none)."""
    missing = [h.pk for h in households if not hasattr(h, "first_placed")]
    firsts = first_placements(missing) if missing else {}
    result: dict[int, CoaTerm] = {}
    for h in households:
        placed_on = getattr(h, "first_placed", None) if h.pk not in missing else firsts.get(h.pk)
        term = coa_term_of(h, today=today, placed_on=placed_on)
        if term is not None:
            result[h.pk] = term
    return result


def _days(count: int) -> str:
    return ngettext("%(days)d day", "%(days)d days", count) % {"days": count}


def coa_date(day: date) -> str:
    """A date as dd-mm-jjjj."""
    return day.strftime("%d-%m-%Y")


def coa_text(term: CoaTerm) -> str:
    """The household's COA term in the user's language, with its dates as dd-mm-jjjj."""
    from onderdak.engines.placement import CoaState, CoaStep

    home, moved = coa_date(term.home_by), coa_date(term.moved_by)
    if term.state is CoaState.ON_TIME:
        assert term.placed_on is not None
        return _("Housed on time: moved in on %(placed)s (norm %(date)s)") % {
            "placed": coa_date(term.placed_on),
            "date": moved,
        }
    if term.state is CoaState.LATE:
        assert term.placed_on is not None
        return _("Housed late: moved in on %(placed)s, %(days)s after %(date)s") % {
            "placed": coa_date(term.placed_on),
            "days": _days(term.days),
            "date": moved,
        }
    if term.state is CoaState.OVERDUE and term.step is CoaStep.MOVE:
        return _("COA term exceeded: not moved in by %(date)s (%(days)s late)") % {
            "date": moved,
            "days": _days(term.days),
        }
    if term.state is CoaState.OVERDUE:
        return _("COA term exceeded: no home found by %(date)s (%(days)s late)") % {
            "date": home,
            "days": _days(term.days),
        }
    if term.state is CoaState.DUE_SOON:
        return _("Find a home by %(date)s: %(days)s left") % {
            "date": home,
            "days": _days(term.days),
        }
    return _("Find a home by %(date)s, moved in by %(moved)s") % {"date": home, "moved": moved}


def coa_level(term: CoaTerm) -> str:
    """The warning's colour: red past a norm, amber when due soon, "" otherwise."""
    from onderdak.engines.placement import CoaState

    if term.state in (CoaState.OVERDUE, CoaState.LATE):
        return "red"
    return "amber" if term.state is CoaState.DUE_SOON else ""


def coa_filter(queryset: QuerySet[Household], which: str, *, today: date) -> QuerySet[Household]:
    """Narrow an annotated :func:`household_queryset` to the status holders past a COA norm
    (``COA_OVERDUE``: waiting after the date to find a home, or placed after the moving date)
    or due soon (``COA_DUE_SOON``); any other value leaves it as it is. The same rule as
    :func:`onderdak.engines.placement.coa_term` (a test checks both agree)."""
    if which not in (COA_OVERDUE, COA_DUE_SOON):
        return queryset
    holders = queryset.filter(target_group=TargetGroup.STATUS_HOLDER)
    waiting = Q(first_placed__isnull=True) & ~Q(status=HouseholdStatus.LEFT)
    # home_by = waiting_since + home_days; overdue when home_by < today
    latest_in_time = today - timedelta(days=coa_norms().home_days)
    if which == COA_DUE_SOON:
        return holders.filter(
            waiting,
            waiting_since__gte=latest_in_time,
            waiting_since__lte=latest_in_time + timedelta(days=coa_norms().warning_days),
        )
    moved_by = ExpressionWrapper(
        F("waiting_since") + timedelta(days=coa_norms().moved_days), output_field=DateField()
    )
    return holders.alias(coa_moved_by=moved_by).filter(
        (waiting & Q(waiting_since__lt=latest_in_time))
        | Q(first_placed__isnull=False, first_placed__gt=F("coa_moved_by"))
    )


def coa_counts(*, user: Any, today: date) -> dict[str, int]:
    """How many of the status holders ``user`` may read are past a COA norm, and due soon
    (counts only: no household is read)."""
    base = household_queryset(user=user, status="all")
    return {
        COA_OVERDUE: coa_filter(base, COA_OVERDUE, today=today).count(),
        COA_DUE_SOON: coa_filter(base, COA_DUE_SOON, today=today).count(),
    }


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


# --- reads for finance (issue 13) ----------------------------------------------------------

#: Purpose of the aggregate read of placements by the finance app.
PURPOSE_FINANCE = "kosten en opbrengsten afleiden uit de bewoning (financiën)"


def finance_complexes(*, user: Any, organisation_id: int) -> list[Complex]:
    """The complexes of one organisation that ``user`` reads as a member (money is not shared:
    another organisation's shared complexes are left out), with their units, the units' status
    history and the contracts prefetched. No personal data."""
    access = access_for(user)
    if not (access.superuser or organisation_id in access.member_of):
        return []
    return list(
        Complex.objects.filter(organisation_id=organisation_id)
        .prefetch_related("units__status_changes", "contracts")
        .order_by("name")
    )


@dataclass(frozen=True)
class UnitPresence:
    """One placement as an aggregate: ``persons`` of ``target_group`` lived in unit ``unit_id``
    from ``start`` up to but not including ``end``, the move-out day (``None``: still there).
    No household."""

    unit_id: int
    start: date
    end: date | None
    target_group: str
    persons: int


def unit_presences(
    *, user: Any, organisation_id: int, start: date, until: date
) -> list[UnitPresence]:
    """The placements in the organisation's units overlapping ``start`` up to (not including)
    ``until``, as counts per unit (target group and number of persons, never the household).
    Reading them touches household data, so the read is logged with its purpose
    (:data:`PURPOSE_FINANCE`), one entry per organisation, naming the households counted."""
    access = access_for(user)
    if not (access.superuser or organisation_id in access.member_of):
        return []
    complexes = Complex.objects.filter(organisation_id=organisation_id)
    rows = list(
        Placement.objects.filter(unit__complex__in=complexes, start__lt=until)
        .filter(Q(end__isnull=True) | Q(end__gt=start))
        .values_list(
            "household_id",
            "household__organisation_id",
            "unit_id",
            "start",
            "end",
            "household__target_group",
            "household__adults",
            "household__minors_0_3",
            "household__minors_4_11",
            "household__minors_12_17",
        )
        .order_by("unit_id", "start", "pk")
    )
    by_organisation: dict[int, set[int]] = {}
    for row in rows:
        by_organisation.setdefault(row[1], set()).add(row[0])
    for household_organisation, ids in by_organisation.items():
        access_record(
            actor=user,
            action="list",
            object_type="housing.Household",
            ids=sorted(ids),
            purpose=PURPOSE_FINANCE,
            organisation_id=household_organisation,
        )
    return [
        UnitPresence(
            unit_id=unit_id,
            start=placed,
            end=ended,
            target_group=group,
            persons=adults + m03 + m411 + m1217,
        )
        for _hh, _org, unit_id, placed, ended, group, adults, m03, m411, m1217 in rows
    ]


# --- reads for the programme's directive readiness (issue 14) ------------------------------


@dataclass(frozen=True)
class EndingPermit:
    """A complex whose permit ends before the readiness date, with the persons of the target
    group who live there (``places``: they need a place elsewhere)."""

    complex: str
    permit_end: date
    places: int


@dataclass(frozen=True)
class PlacesOutlook:
    """The places of an organisation's flex homes for one target group, as counts.

    ``free``: the places (maximum occupants) of the vacant units that take the group, in
    complexes whose permit lasts until ``by`` (a unit in a complex whose permit ends before
    ``by`` is not counted). ``lost``: the persons of the group living (on ``on``) in units
    of complexes whose permit ends from ``on`` up to (not including) ``by``: they need a
    place elsewhere (``lost_units``: their units; ``ending`` per complex). ``waiting``: the
    persons of the group's households waiting for a place, who claim free places first.
    Counting persons reads household data (members of the organisation only), so the read
    is logged with its purpose (:data:`PURPOSE_READINESS`), one entry per organisation of
    the households counted."""

    free: int
    free_units: int
    lost: int
    lost_units: int
    ending: tuple[EndingPermit, ...]
    waiting: int = 0
    waiting_households: int = 0


#: Purpose of the counts of households in a directive readiness check.
PURPOSE_READINESS = (
    "wachtenden en te verhuizen bewoners tellen voor een gereedheidstoets aanwijzing (programma)"
)


def places_outlook(
    *, user: Any, organisation_id: int, target_group: str, on: date, by: date
) -> PlacesOutlook:
    complexes = {
        item.pk: item for item in complex_list(user=user).filter(organisation_id=organisation_id)
    }
    current = Placement.objects.filter(unit__complex_id__in=complexes, start__lte=on).filter(
        Q(end__isnull=True) | Q(end__gt=on)
    )
    occupied = set(current.values_list("unit_id", flat=True))
    free = free_units = 0
    units = Unit.objects.filter(complex_id__in=complexes).values_list(
        "pk", "complex_id", "status", "max_occupants", "target_groups"
    )
    for pk, complex_id, status, places, groups in units.order_by("pk"):
        permit_end = complexes[complex_id].permit_end
        expires = permit_end is not None and permit_end < by
        fits = not groups or target_group in groups
        if fits and pk not in occupied and status == UnitStatus.VACANT and not expires:
            free += places
            free_units += 1
    access = access_for(user)
    if not (access.superuser or organisation_id in access.member_of):  # members only
        return PlacesOutlook(free, free_units, 0, 0, ())
    persons = ("adults", "minors_0_3", "minors_4_11", "minors_12_17")
    waiting_rows = list(
        Household.objects.filter(
            organisation_id=organisation_id,
            status=HouseholdStatus.WAITING,
            target_group=target_group,
        )
        .values_list("pk", "organisation_id", *persons)
        .order_by("pk")
    )
    expiring = [
        pk
        for pk, item in complexes.items()
        if item.permit_end is not None and on <= item.permit_end < by
    ]
    moving_rows = list(
        current.filter(unit__complex_id__in=expiring, household__target_group=target_group)
        .values_list(
            "household_id",
            "household__organisation_id",
            *(f"household__{field}" for field in persons),
            "unit_id",
            "unit__complex_id",
        )
        .order_by("pk")
    )
    by_organisation: dict[int, set[int]] = {}
    for row in [*waiting_rows, *moving_rows]:
        by_organisation.setdefault(row[1], set()).add(row[0])
    for household_organisation, ids in sorted(by_organisation.items()):
        access_record(
            actor=user,
            action="list",
            object_type="housing.Household",
            ids=sorted(ids),
            purpose=PURPOSE_READINESS,
            organisation_id=household_organisation,
        )
    ending: dict[int, int] = {}
    for row in moving_rows:
        ending[row[7]] = ending.get(row[7], 0) + sum(row[2:6])
    return PlacesOutlook(
        free=free,
        free_units=free_units,
        lost=sum(ending.values()),
        lost_units=len({row[6] for row in moving_rows}),
        ending=tuple(
            sorted(
                (
                    EndingPermit(
                        complex=complexes[pk].name,
                        permit_end=complexes[pk].permit_end,  # type: ignore[arg-type]
                        places=places,
                    )
                    for pk, places in ending.items()
                ),
                key=lambda item: (item.permit_end, item.complex),
            )
        ),
        waiting=sum(sum(row[2:6]) for row in waiting_rows),
        waiting_households=len(waiting_rows),
    )
