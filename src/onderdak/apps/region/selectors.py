"""Reads for regional cooperation, with its access rule.

A region's scenarios and agreements are visible to the users of its member municipalities and
of the regional bodies that coordinate it ("the coordinator role of the region and the parties
themselves"). They are changed by editors (or higher) of a member municipality and by
coordinators and administrators of a coordinating body. An agreement becomes binding only with
the approval of every party (:func:`agreement_consent`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from onderdak.apps.accounts.selectors import access_for, role_in, user_organisations
from onderdak.apps.geo import selectors as geo_selectors
from onderdak.apps.quotas import selectors as quota_selectors

from .models import (
    BINDING_STATUSES,
    Agreement,
    AgreementApproval,
    AgreementLine,
    AgreementStatus,
    Scenario,
    ScenarioResult,
)

if TYPE_CHECKING:
    from onderdak.apps.geo.models import Municipality, Region
    from onderdak.apps.quotas.models import QuotaRound

#: Roles of a regional body that work on its region (and record approvals for its members).
_COORDINATING_ROLES = frozenset({"coordinator", "administrator"})
_CACHE_ATTRIBUTE = "_onderdak_region_access"


@dataclass(frozen=True)
class RegionAccess:
    """What a user is in regional cooperation, computed once per request (cached on the user)."""

    superuser: bool
    municipalities: frozenset[int]
    write_municipalities: frozenset[int]
    coordinated_regions: frozenset[int]
    working_regions: frozenset[int]


def region_access(user: Any) -> RegionAccess:
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if isinstance(cached, RegionAccess):
        return cached
    access = access_for(user)
    municipalities: set[int] = set()
    writes: set[int] = set()
    coordinated: set[int] = set()
    working: set[int] = set()
    if access.member_of:
        for organisation in user_organisations(user):
            if organisation.municipality_id is not None:
                municipalities.add(organisation.municipality_id)
                if organisation.pk in access.writes:
                    writes.add(organisation.municipality_id)
            elif organisation.region_id is not None:
                coordinated.add(organisation.region_id)
                if role_in(user, organisation) in _COORDINATING_ROLES:
                    working.add(organisation.region_id)
    result = RegionAccess(
        superuser=access.superuser,
        municipalities=frozenset(municipalities),
        write_municipalities=frozenset(writes),
        coordinated_regions=frozenset(coordinated),
        working_regions=frozenset(working),
    )
    if getattr(user, "is_authenticated", False):
        setattr(user, _CACHE_ATTRIBUTE, result)
    return result


def visible_regions(*, user: Any) -> QuerySet[Region]:
    """Regions whose cooperation the user sees: containing their municipality, or coordinated."""
    regions = geo_selectors.region_list()
    access = region_access(user)
    if access.superuser:
        return regions
    return regions.filter(
        Q(memberships__municipality_id__in=access.municipalities)
        | Q(pk__in=access.coordinated_regions)
    ).distinct()


def working_regions(*, user: Any) -> QuerySet[Region]:
    """Regions offered on the regional pages: the user-defined ones and coordinated ones."""
    regions = visible_regions(user=user)
    coordinated = region_access(user).coordinated_regions
    return regions.filter(Q(region_type="user_defined") | Q(pk__in=coordinated))


def coordinates(user: Any, region: Region | None) -> bool:
    """Is ``user`` a coordinator or administrator of a body coordinating ``region``?"""
    access = region_access(user)
    return access.superuser or (region is not None and region.pk in access.working_regions)


def can_work_on(user: Any, region: Region) -> bool:
    access = region_access(user)
    if access.superuser or region.pk in access.working_regions:
        return True
    if not access.write_municipalities:
        return False
    return region.memberships.filter(municipality_id__in=access.write_municipalities).exists()


def region_members(*, region: Region) -> QuerySet[Municipality]:
    """The region's member municipalities (with ``population`` annotated), by name."""
    return (
        geo_selectors.municipality_list().filter(region_memberships__region=region).order_by("name")
    )


def scenario_list(*, user: Any) -> QuerySet[Scenario]:
    return Scenario.objects.filter(region__in=visible_regions(user=user)).select_related("region")


def scenario_get(*, user: Any, pk: int) -> Scenario:
    return (
        scenario_list(user=user)
        .prefetch_related("groups__round", "members__municipality")
        .get(pk=pk)
    )


def result_get(*, user: Any, pk: int) -> ScenarioResult:
    return ScenarioResult.objects.select_related("scenario__region").get(
        pk=pk, scenario__region__in=visible_regions(user=user)
    )


def agreement_list(*, user: Any) -> QuerySet[Agreement]:
    """Agreements in visible regions, and those where the user's municipality is a party."""
    access = region_access(user)
    if access.superuser:
        return Agreement.objects.select_related("region")
    municipalities = access.municipalities
    party = Q(lines__from_municipality__in=municipalities) | Q(
        lines__to_municipality__in=municipalities
    )
    visible = Agreement.objects.filter(party | Q(region__in=visible_regions(user=user)))
    return Agreement.objects.filter(pk__in=visible.values("pk")).select_related("region")


def agreement_get(*, user: Any, pk: int) -> Agreement:
    return (
        agreement_list(user=user)
        .prefetch_related(
            "lines__round",
            "lines__from_municipality",
            "lines__to_municipality",
            "approvals__municipality",
        )
        .get(pk=pk)
    )


def can_change_agreement(user: Any, agreement: Agreement) -> bool:
    access = region_access(user)
    if access.superuser:
        return True
    if agreement.region is not None and can_work_on(user, agreement.region):
        return True
    editors = access.write_municipalities
    return bool(editors) and any(
        line.from_municipality_id in editors or line.to_municipality_id in editors
        for line in agreement.lines.all()
    )


def agreement_parties(agreement: Agreement) -> list[Municipality]:
    """The municipalities on either side of the agreement's lines, by name."""
    parties: dict[int, Municipality] = {}
    for line in agreement.lines.all():
        parties.setdefault(line.from_municipality_id, line.from_municipality)
        parties.setdefault(line.to_municipality_id, line.to_municipality)
    return sorted(parties.values(), key=lambda m: m.name)


def approvable_parties(user: Any, agreement: Agreement) -> list[Municipality]:
    """The parties for which ``user`` may record approval: their own municipality (editor or
    administrator of it), or every party when they coordinate the agreement's region."""
    parties = agreement_parties(agreement)
    if coordinates(user, agreement.region):
        return parties
    editors = region_access(user).write_municipalities
    return [m for m in parties if m.pk in editors]


@dataclass(frozen=True)
class ObligationChange:
    """One party's obligation in one round before and after a status change."""

    round: QuotaRound
    before: int | None
    after: int | None

    @property
    def difference(self) -> int:
        if self.before is None or self.after is None:
            return 0
        return self.after - self.before


@dataclass(frozen=True)
class PartyConsent:
    """A party of an agreement: whether it approved, and what a status change does to it."""

    municipality: Municipality
    approval: AgreementApproval | None
    changes: tuple[ObligationChange, ...]


@dataclass(frozen=True)
class Consent:
    agreement: Agreement
    status: str
    parties: tuple[PartyConsent, ...]

    @property
    def missing(self) -> list[Municipality]:
        """Parties that have not approved yet."""
        return [p.municipality for p in self.parties if p.approval is None]

    @property
    def binding_after(self) -> bool:
        return self.status in BINDING_STATUSES

    @property
    def changes_obligations(self) -> bool:
        return any(c.difference for p in self.parties for c in p.changes)


def agreement_consent(*, agreement: Agreement, status: str | None = None) -> Consent:
    """Each party's approval and the effect of moving ``agreement`` to ``status`` (default: its
    current status, no effect) on the party's obligations, per round: before -> after."""
    status = status or agreement.status
    lines = list(agreement.lines.all())
    parties = agreement_parties(agreement)
    approvals = {a.municipality_id: a for a in agreement.approvals.all()}
    rounds: dict[int, QuotaRound] = {line.round_id: line.round for line in lines}
    now = quota_selectors.obligations(round_ids=rounds, municipality_ids=[m.pk for m in parties])
    delta: dict[tuple[int, int], int] = defaultdict(int)
    for line in lines:
        delta[(line.round_id, line.from_municipality_id)] -= line.places
        delta[(line.round_id, line.to_municipality_id)] += line.places
    sign = int(status in BINDING_STATUSES) - int(agreement.binding)
    result = []
    for municipality in parties:
        changes = []
        for round_id, round in sorted(rounds.items(), key=lambda item: item[1].name):
            change = delta.get((round_id, municipality.pk), 0)
            if not change:
                continue
            before = now[(round_id, municipality.pk)]
            after = None if before is None else before + sign * change
            changes.append(ObligationChange(round, before, after))
        result.append(PartyConsent(municipality, approvals.get(municipality.pk), tuple(changes)))
    return Consent(agreement, status, tuple(result))


@dataclass
class NetPosition:
    """A municipality's net position over binding agreements: per (round, group) and in total."""

    municipality: Municipality
    by_round: dict[Any, int] = field(default_factory=dict)
    euros: Decimal = Decimal(0)

    @property
    def places(self) -> int:
        return sum(self.by_round.values())


def netting(*, region: Region, binding_only: bool = True) -> list[NetPosition]:
    """Net places taken over (+) or handed off (-) per round, and euros received (+) or paid (-),
    per member municipality, over the region's (binding) agreements."""
    lines = AgreementLine.objects.filter(agreement__region=region).select_related(
        "round", "from_municipality", "to_municipality"
    )
    if binding_only:
        lines = lines.filter(agreement__status__in=["agreed", "approved"])
    positions: dict[int, NetPosition] = {}
    by_round: dict[int, dict[Any, int]] = defaultdict(lambda: defaultdict(int))
    for line in lines:
        for municipality, sign in ((line.from_municipality, -1), (line.to_municipality, 1)):
            position = positions.setdefault(municipality.pk, NetPosition(municipality))
            by_round[municipality.pk][line.round] += sign * line.places
            position.euros += sign * line.compensation
    for pk, position in positions.items():
        position.by_round = dict(by_round[pk])
    return sorted(positions.values(), key=lambda p: p.municipality.name)


class InputNote:
    """Why a scenario's inputs cannot give a meaningful exchange (codes; the pages say them)."""

    #: nobody's capacity exceeds its obligation: no municipality can take over places
    NO_SPARE_CAPACITY = "no_spare_capacity"
    #: every cost per place is 0: every allocation costs the same (nothing to save)
    NO_COSTS = "no_costs"
    #: per target group every municipality has the same cost per place (nothing to save)
    EQUAL_COSTS = "equal_costs"


def input_notes(data: dict[str, Any]) -> list[str]:
    """Codes of :class:`InputNote` for a scenario in the exchange contract's input form (a
    scenario's :func:`adapters.scenario_as_input`, or a result's stored ``input``)."""
    municipalities = data.get("municipalities") or []
    groups = list(data.get("groups") or {})
    if not municipalities or not groups:
        return []
    notes = []
    if all(m["capacity"][g] <= m["obligation"][g] for m in municipalities for g in groups):
        notes.append(InputNote.NO_SPARE_CAPACITY)
    costs = [[Decimal(str(m["cost_per_place"][g])) for m in municipalities] for g in groups]
    if all(cost == 0 for row in costs for cost in row):
        notes.append(InputNote.NO_COSTS)
    elif all(len(set(row)) == 1 for row in costs):
        notes.append(InputNote.EQUAL_COSTS)
    return notes


# --- reads for finance (issue 13) ----------------------------------------------------------


def finance_agreement_lines(*, user: Any, municipality_id: int) -> list[AgreementLine]:
    """The lines of approved agreements the user may read in which ``municipality_id`` hands
    places off (and pays the compensation) or takes them over (and receives it), with a
    compensation above zero; agreement, round and both municipalities loaded. No personal
    data."""
    return list(
        AgreementLine.objects.filter(
            agreement__in=agreement_list(user=user).values("pk"),
            agreement__status=AgreementStatus.APPROVED,
            compensation__gt=0,
        )
        .filter(Q(from_municipality_id=municipality_id) | Q(to_municipality_id=municipality_id))
        .select_related("agreement", "round", "from_municipality", "to_municipality")
        .order_by("agreement__approved_on", "agreement_id", "pk")
    )
