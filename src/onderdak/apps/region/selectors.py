"""Reads for regional cooperation, with its access rule.

A region's scenarios and agreements are visible to the users of its member municipalities and
of the regional bodies that coordinate it ("the coordinator role of the region and the parties
themselves"). They are changed by editors (or higher) of a member municipality and by
coordinators and administrators of a coordinating body.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Q, QuerySet

from onderdak.apps.accounts.models import WRITE_ROLES, Membership, Role
from onderdak.apps.accounts.selectors import access_for
from onderdak.apps.geo.models import Municipality, Region, RegionMembership

from .models import Agreement, AgreementLine, Scenario, ScenarioResult


def _member_municipalities(user: Any, roles: frozenset[str] | None = None) -> set[int]:
    memberships = Membership.objects.filter(user_id=cast(int, getattr(user, "pk", 0) or 0)).exclude(
        organisation__municipality=None
    )
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return set(memberships.values_list("organisation__municipality_id", flat=True))


def _coordinated_regions(user: Any, roles: frozenset[str] | None = None) -> set[int]:
    memberships = Membership.objects.filter(user_id=cast(int, getattr(user, "pk", 0) or 0)).exclude(
        organisation__region=None
    )
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return set(memberships.values_list("organisation__region_id", flat=True))


def visible_regions(*, user: Any) -> QuerySet[Region]:
    """Regions whose cooperation the user sees: containing their municipality, or coordinated."""
    if access_for(user).superuser:
        return Region.objects.all()
    municipalities = _member_municipalities(user)
    region_ids = set(
        RegionMembership.objects.filter(municipality_id__in=municipalities).values_list(
            "region_id", flat=True
        )
    )
    return Region.objects.filter(pk__in=region_ids | _coordinated_regions(user))


def working_regions(*, user: Any) -> QuerySet[Region]:
    """Regions offered on the regional pages: the user-defined ones and coordinated ones."""
    regions = visible_regions(user=user)
    coordinated = _coordinated_regions(user)
    return regions.filter(Q(region_type="user_defined") | Q(pk__in=coordinated))


def can_work_on(user: Any, region: Region) -> bool:
    if access_for(user).superuser:
        return True
    if region.pk in _coordinated_regions(user, frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})):
        return True
    editors = _member_municipalities(user, WRITE_ROLES)
    return RegionMembership.objects.filter(region=region, municipality_id__in=editors).exists()


def scenario_list(*, user: Any) -> QuerySet[Scenario]:
    return Scenario.objects.filter(region__in=visible_regions(user=user)).select_related("region")


def scenario_get(*, user: Any, pk: int) -> Scenario:
    return scenario_list(user=user).prefetch_related("groups", "members__municipality").get(pk=pk)


def result_get(*, user: Any, pk: int) -> ScenarioResult:
    return ScenarioResult.objects.select_related("scenario__region").get(
        pk=pk, scenario__region__in=visible_regions(user=user)
    )


def agreement_list(*, user: Any) -> QuerySet[Agreement]:
    """Agreements in visible regions, and those where the user's municipality is a party."""
    if access_for(user).superuser:
        return Agreement.objects.select_related("region")
    municipalities = _member_municipalities(user)
    party = Q(lines__from_municipality__in=municipalities) | Q(
        lines__to_municipality__in=municipalities
    )
    return (
        Agreement.objects.filter(party | Q(region__in=visible_regions(user=user)))
        .select_related("region")
        .distinct()
    )


def agreement_get(*, user: Any, pk: int) -> Agreement:
    return (
        agreement_list(user=user)
        .prefetch_related("lines__round", "lines__from_municipality", "lines__to_municipality")
        .get(pk=pk)
    )


def can_change_agreement(user: Any, agreement: Agreement) -> bool:
    if access_for(user).superuser:
        return True
    if agreement.region is not None and can_work_on(user, agreement.region):
        return True
    editors = _member_municipalities(user, WRITE_ROLES)
    return agreement.lines.filter(
        Q(from_municipality__in=editors) | Q(to_municipality__in=editors)
    ).exists()


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
