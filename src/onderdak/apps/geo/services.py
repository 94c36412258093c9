"""Writes for reference data. ``reference_load`` is the only way reference data enters the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from onderdak.data.reference import ReferenceData

from .models import Municipality, PopulationCount, Province, Region, RegionMembership

POPULATION_SOURCE = "CBS Kerncijfers wijken en buurten (1 januari), indeling 2024"


@dataclass
class LoadReport:
    """What ``reference_load`` changed, per kind of record: created / updated / deleted."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, kind: str, action: str, number: int = 1) -> None:
        self.counts.setdefault(kind, {"created": 0, "updated": 0, "deleted": 0})[action] += number

    @property
    def changed(self) -> bool:
        return any(n for actions in self.counts.values() for n in actions.values())


Progress = Callable[[str], None]


def _noop(_: str) -> None:
    return None


@transaction.atomic
def reference_load(*, data: ReferenceData, progress: Progress = _noop) -> LoadReport:
    """Store validated reference data; a second run with the same data changes nothing.

    Records are matched by their CBS code; only differing fields are updated. Memberships and
    population counts that are no longer in the data are removed. All in one transaction.
    """
    report = LoadReport()
    for kind in (
        "provinces",
        "municipalities",
        "population counts",
        "regions",
        "region memberships",
    ):
        report.counts[kind] = {"created": 0, "updated": 0, "deleted": 0}
    progress(f"Provincies: {len(data.provinces)}")
    provinces = _load_provinces(data, report)
    progress(f"Gemeenten: {len(data.municipalities)} (met grenzen)")
    municipalities = _load_municipalities(data, provinces, report)
    progress("Inwonertallen per peildatum")
    _load_populations(data, municipalities, report)
    progress(f"Regio's: {len(data.regions)}")
    _load_regions(data, municipalities, report)
    return report


def _load_provinces(data: ReferenceData, report: LoadReport) -> dict[str, Province]:
    provinces = {p.code: p for p in Province.objects.all()}
    for record in data.provinces:
        existing = provinces.get(record.code)
        if existing is None:
            provinces[record.code] = Province.objects.create(code=record.code, name=record.name)
            report.add("provinces", "created")
        elif existing.name != record.name:
            existing.name = record.name
            existing.save(update_fields=["name"])
            report.add("provinces", "updated")
    return provinces


def _load_municipalities(
    data: ReferenceData, provinces: dict[str, Province], report: LoadReport
) -> dict[str, Municipality]:
    municipalities = {m.code: m for m in Municipality.objects.all()}
    to_create: list[Municipality] = []
    to_update: list[Municipality] = []
    for record in data.municipalities:
        province = provinces[record.province_code]
        boundary = data.boundaries.get(record.code)
        existing = municipalities.get(record.code)
        if existing is None:
            to_create.append(
                Municipality(
                    code=record.code, name=record.name, province=province, boundary=boundary
                )
            )
        elif (existing.name, existing.province_id, existing.boundary) != (
            record.name,
            province.pk,
            boundary,
        ):
            existing.name, existing.province, existing.boundary = record.name, province, boundary
            to_update.append(existing)
    Municipality.objects.bulk_create(to_create, batch_size=100)
    Municipality.objects.bulk_update(to_update, ["name", "province", "boundary"], batch_size=100)
    report.add("municipalities", "created", len(to_create))
    report.add("municipalities", "updated", len(to_update))
    return {m.code: m for m in Municipality.objects.defer("boundary")}


def _load_populations(
    data: ReferenceData, municipalities: dict[str, Municipality], report: LoadReport
) -> None:
    counts = {(c.municipality_id, c.reference_date): c for c in PopulationCount.objects.all()}
    wanted: set[tuple[int, date]] = set()
    new_counts: list[PopulationCount] = []
    changed_counts: list[PopulationCount] = []
    for record in data.municipalities:
        municipality = municipalities[record.code]
        for reference_date, population in record.population.items():
            key = (municipality.pk, reference_date)
            wanted.add(key)
            count = counts.get(key)
            if count is None:
                new_counts.append(
                    PopulationCount(
                        municipality=municipality,
                        reference_date=reference_date,
                        population=population,
                        source=POPULATION_SOURCE,
                    )
                )
            elif (count.population, count.source) != (population, POPULATION_SOURCE):
                count.population, count.source = population, POPULATION_SOURCE
                changed_counts.append(count)
    PopulationCount.objects.bulk_create(new_counts, batch_size=500)
    PopulationCount.objects.bulk_update(changed_counts, ["population", "source"], batch_size=500)
    stale = [c.pk for key, c in counts.items() if key not in wanted]
    PopulationCount.objects.filter(pk__in=stale).delete()
    report.add("population counts", "created", len(new_counts))
    report.add("population counts", "updated", len(changed_counts))
    report.add("population counts", "deleted", len(stale))


def _load_regions(
    data: ReferenceData, municipalities: dict[str, Municipality], report: LoadReport
) -> None:
    regions = {r.code: r for r in Region.objects.all()}
    memberships = {(m.region_id, m.municipality_id): m for m in RegionMembership.objects.all()}
    wanted: set[tuple[int, int]] = set()
    new_memberships: list[RegionMembership] = []
    managed: set[int] = set()
    for record in data.regions:
        region = regions.get(record.code)
        values = {"name": record.name, "region_type": record.region_type, "source": record.source}
        if region is None:
            region = Region.objects.create(code=record.code, **values)
            report.add("regions", "created")
        elif any(getattr(region, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(region, name, value)
            region.save(update_fields=list(values))
            report.add("regions", "updated")
        managed.add(region.pk)
        for member in record.members:
            key = (region.pk, municipalities[member.municipality_code].pk)
            wanted.add(key)
            membership = memberships.get(key)
            if membership is None:
                new_memberships.append(
                    RegionMembership(
                        region_id=key[0], municipality_id=key[1], inferred=member.inferred
                    )
                )
            elif membership.inferred != member.inferred:
                membership.inferred = member.inferred
                membership.save(update_fields=["inferred"])
                report.add("region memberships", "updated")
    RegionMembership.objects.bulk_create(new_memberships, batch_size=500)
    report.add("region memberships", "created", len(new_memberships))
    # Only memberships of regions that the reference data defines are managed here.
    stale = [m.pk for key, m in memberships.items() if key not in wanted and key[0] in managed]
    RegionMembership.objects.filter(pk__in=stale).delete()
    report.add("region memberships", "deleted", len(stale))
