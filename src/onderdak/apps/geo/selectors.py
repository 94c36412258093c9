"""Reads of reference data. Reference data is public: every signed-in user may read it."""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery, Sum

from .models import Municipality, PopulationCount, Region, RegionMembership, RegionType

LATEST_REFERENCE_DATE = date(2024, 1, 1)


def reference_dates() -> list[date]:
    return list(
        PopulationCount.objects.order_by()
        .values_list("reference_date", flat=True)
        .distinct()
        .order_by("reference_date")
    )


def municipality_list(*, reference_date: date = LATEST_REFERENCE_DATE) -> QuerySet[Municipality]:
    """Municipalities with their province and ``population`` on ``reference_date`` annotated."""
    population = PopulationCount.objects.filter(
        municipality=OuterRef("pk"), reference_date=reference_date
    ).values("population")[:1]
    return (
        Municipality.objects.select_related("province")
        .defer("boundary")
        .annotate(population=Subquery(population))
    )


def municipality_get(*, code: str) -> Municipality:
    return Municipality.objects.select_related("province").get(code=code)


def region_list() -> QuerySet[Region]:
    return Region.objects.prefetch_related("memberships__municipality")


def region_get(*, code: str) -> Region:
    return Region.objects.prefetch_related("memberships__municipality").get(code=code)


def population_list() -> QuerySet[PopulationCount]:
    return PopulationCount.objects.select_related("municipality")


def national_population(*, reference_date: date) -> int:
    total = PopulationCount.objects.filter(reference_date=reference_date).aggregate(
        total=Sum("population")
    )
    return int(total["total"] or 0)


def partner_municipalities(*, municipality_ids: set[int]) -> set[int]:
    """Municipalities that share a user-defined region (such as Duo+) with any of
    ``municipality_ids`` (those included): the partners whose shared records a member reads."""
    regions = RegionMembership.objects.filter(
        municipality_id__in=municipality_ids, region__region_type=RegionType.USER_DEFINED
    ).values("region_id")
    return set(
        RegionMembership.objects.filter(region_id__in=regions).values_list(
            "municipality_id", flat=True
        )
    )


def region_municipalities(*, region_id: int) -> set[int]:
    """Ids of the member municipalities of a region."""
    return set(
        RegionMembership.objects.filter(region_id=region_id).values_list(
            "municipality_id", flat=True
        )
    )
