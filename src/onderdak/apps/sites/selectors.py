"""Reads for sites, limited to what the user may see (accounts.selectors.scope)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from onderdak.apps.accounts.models import Organisation
from onderdak.apps.accounts.selectors import scope

from .models import Amenity, Criterion, Site, StageChange, WeightSet


def site_list(*, user: Any) -> QuerySet[Site]:
    return scope(Site.objects.select_related("organisation"), user)


def site_get(*, user: Any, pk: int) -> Site:
    return site_list(user=user).get(pk=pk)


def stage_history(*, site: Site) -> QuerySet[StageChange]:
    return site.stage_changes.select_related("user")


def amenity_list(*, user: Any, organisation: Organisation) -> QuerySet[Amenity]:
    return scope(Amenity.objects.filter(organisation=organisation), user)


def criteria_of(*, organisation: Organisation) -> QuerySet[Criterion]:
    return Criterion.objects.filter(organisation=organisation)


def weight_sets(*, user: Any, organisation: Organisation) -> QuerySet[WeightSet]:
    return scope(WeightSet.objects.filter(organisation=organisation), user).prefetch_related(
        "weights__criterion"
    )


def stage_counts(*, sites: QuerySet[Site]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for stage in sites.values_list("stage", flat=True):
        counts[stage] = counts.get(stage, 0) + 1
    return counts
