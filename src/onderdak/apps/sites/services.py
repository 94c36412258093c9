"""Writes for sites: sites and their stage, imports, amenities, criteria and weight sets.

Every write is validated, audited and atomic; an import with one bad row writes nothing and
names every problem by row (or feature) and field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pyproj import Transformer

from onderdak.apps.accounts.models import Organisation
from onderdak.apps.accounts.selectors import (
    require_change,
    require_create_in,
)
from onderdak.apps.audit.models import AuditAction
from onderdak.apps.audit.services import (
    audit_record,
    audited_delete,
    audited_update,
    require_editable,
    snapshot,
)
from onderdak.common.imports import ImportRejected, RowError, read_table, row_errors
from onderdak.common.vocabulary import TargetGroup

from . import catalogue
from .models import (
    Amenity,
    AmenityKind,
    Criterion,
    Owner,
    Site,
    Stage,
    StageChange,
    Weight,
    WeightSet,
)

_RD_TO_WGS84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


# --- criteria and weight sets -------------------------------------------------------------


@transaction.atomic
def criteria_ensure(*, organisation: Organisation) -> list[Criterion]:
    """The organisation's criteria, creating the standard catalogue the first time."""
    existing = {c.key: c for c in Criterion.objects.filter(organisation=organisation)}
    for order, spec in enumerate(catalogue.ALL):
        if spec.key not in existing:
            existing[spec.key] = Criterion.objects.create(
                organisation=organisation,
                key=spec.key,
                label=str(spec.label),
                kind=spec.kind,
                direction=spec.direction,
                threshold=spec.threshold,
                order=order,
            )
    return sorted(existing.values(), key=lambda c: (c.kind, c.order))


@transaction.atomic
def criterion_update(*, actor: Any, criterion: Criterion, **changes: Any) -> Criterion:
    require_change(actor, criterion)
    audited_update(
        actor=actor,
        instance=criterion,
        changes=changes,
        allowed=("label", "direction", "threshold", "active"),
    )
    return criterion


@transaction.atomic
def weight_set_save(
    *,
    actor: Any,
    organisation: Organisation,
    name: str,
    weights: Mapping[str, float],
    ranges: Mapping[str, tuple[float | None, float | None]] | None = None,
    description: str = "",
    weight_set: WeightSet | None = None,
) -> WeightSet:
    """Create or replace a named weight set: criterion key -> weight (optional low/high range)."""
    require_create_in(actor, organisation)
    criteria = {
        c.key: c for c in criteria_ensure(organisation=organisation) if c.kind == "weighted"
    }
    unknown = set(weights) - set(criteria)
    if unknown:
        raise ValidationError({"weights": f"Onbekende criteria: {', '.join(sorted(unknown))}"})
    if any(value < 0 for value in weights.values()):
        raise ValidationError({"weights": "Gewichten mogen niet negatief zijn."})
    if not any(value > 0 for value in weights.values()):
        raise ValidationError(
            {"weights": "Geef ten minste één criterium een gewicht groter dan 0."}
        )
    before = snapshot(weight_set) if weight_set else None
    if weight_set is None:
        weight_set = WeightSet(organisation=organisation, name=name, description=description)
    else:
        weight_set.name, weight_set.description = name, description
    weight_set.full_clean()
    weight_set.save()
    weight_set.weights.all().delete()
    for key, value in weights.items():
        low, high = (ranges or {}).get(key, (None, None))
        weight = Weight(
            weight_set=weight_set, criterion=criteria[key], weight=value, low=low, high=high
        )
        weight.full_clean()
        weight.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        instance=weight_set,
        before=before,
        after={**snapshot(weight_set), "weights": dict(weights)},
    )
    return weight_set


# --- sites ---------------------------------------------------------------------------------

SITE_FIELDS = (
    "name",
    "geometry",
    "address",
    "bag_id",
    "owner",
    "plot_area_m2",
    "floor_area_m2",
    "current_use",
    "zoning",
    "available_from",
    "available_until",
    "capacity_units",
    "capacity_places",
    "target_groups",
    "cost_one_off",
    "cost_yearly",
    "neighbourhood",
    "local_support",
    "participation_notes",
    "flood_risk",
    "noise_contour",
    "natura2000",
    "zoning_conflict",
    "soil_contamination",
    "shared",
)


@transaction.atomic
def site_create(*, actor: Any, organisation: Organisation, **fields: Any) -> Site:
    require_create_in(actor, organisation)
    require_editable(fields, SITE_FIELDS)
    site = Site(organisation=organisation, **fields)
    site.full_clean()
    site.save()
    StageChange.objects.create(
        site=site,
        to_stage=site.stage,
        date=timezone.localdate(),
        reason="Aangemaakt",
        user=_user(actor),
    )
    audit_record(actor=actor, action=AuditAction.CREATE, instance=site, after=snapshot(site))
    return site


@transaction.atomic
def site_update(*, actor: Any, site: Site, **changes: Any) -> Site:
    require_change(actor, site)
    audited_update(actor=actor, instance=site, changes=changes, allowed=SITE_FIELDS)
    return site


@transaction.atomic
def site_delete(*, actor: Any, site: Site) -> None:
    require_change(actor, site)
    audited_delete(actor=actor, instance=site)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def site_set_stage(
    *, actor: Any, site: Site, stage: str, reason: str = "", on: date | None = None
) -> Site:
    """Move a site to another stage; rejecting needs a reason. Recorded in the stage history."""
    require_change(actor, site)
    if stage not in Stage.values:
        raise ValidationError({"stage": f"Onbekende fase {stage}."})
    if stage == Stage.REJECTED and not reason.strip():
        raise ValidationError({"reason": "Geef de reden waarom de locatie afvalt."})
    if stage == site.stage:
        return site
    before = snapshot(site)
    StageChange.objects.create(
        site=site,
        from_stage=site.stage,
        to_stage=stage,
        date=on or timezone.localdate(),
        reason=reason,
        user=_user(actor),
    )
    site.stage = stage
    site.save(update_fields=["stage"])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, instance=site, before=before, after=snapshot(site)
    )
    return site


# --- imports -------------------------------------------------------------------------------

_TRUE = {"1", "ja", "yes", "true", "waar", "j", "y", "x"}
_FALSE = {"0", "nee", "no", "false", "onwaar", "n", ""}
_INTEGER = ("plot_area_m2", "floor_area_m2", "capacity_units", "capacity_places", "local_support")
_MONEY = ("cost_one_off", "cost_yearly")
_DATES = ("available_from", "available_until")
_TEXT = ("address", "bag_id", "current_use", "zoning", "neighbourhood", "participation_notes")
_ALIASES = {
    "naam": "name",
    "lon": "longitude",
    "lng": "longitude",
    "lat": "latitude",
    "adres": "address",
    "eigenaar": "owner",
}


def _cell(cells: Mapping[str, Any], column: str) -> str:
    value = cells.get(column)
    return "" if value is None else str(value).strip()


def _numbers(cells: Mapping[str, Any], where: int, errors: list[RowError]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for column in _INTEGER:
        text = _cell(cells, column)
        if text:
            try:
                number = int(float(text.replace(",", ".")))
                if number < 0:
                    raise ValueError
                fields[column] = number
            except ValueError:
                errors.append(RowError(where, column, f"geen geheel getal van 0 of meer: '{text}'"))
    for column in _MONEY:
        text = _cell(cells, column)
        if text:
            try:
                amount = Decimal(text.replace(",", "."))
                if amount < 0 or not amount.is_finite():
                    raise InvalidOperation
                fields[column] = amount.quantize(Decimal("0.01"))
            except InvalidOperation:
                errors.append(RowError(where, column, f"geen bedrag van 0 of meer: '{text}'"))
    if fields.get("local_support") is not None and not 1 <= fields["local_support"] <= 5:
        errors.append(RowError(where, "local_support", "moet 1 tot en met 5 zijn"))
    return fields


def _dates_and_flags(
    cells: Mapping[str, Any], where: int, errors: list[RowError]
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for column in _DATES:
        text = _cell(cells, column)
        if text:
            try:
                fields[column] = date.fromisoformat(text[:10])
            except ValueError:
                errors.append(RowError(where, column, f"geen datum (JJJJ-MM-DD): '{text}'"))
    for column in catalogue.FLAGS:
        text = _cell(cells, column).lower()
        if text in _TRUE:
            fields[column] = True
        elif text in _FALSE:
            fields[column] = False
        else:
            errors.append(RowError(where, column, f"gebruik ja of nee, niet '{text}'"))
    return fields


_OWNERS = {value: value for value in Owner.values} | {
    "gemeente": "municipality",
    "woningcorporatie": "housing_corporation",
    "corporatie": "housing_corporation",
    "particulier": "private",
    "rijk": "other_government",
    "provincie": "other_government",
}


def _parse_row(
    values: Mapping[str, Any], where: int, errors: list[RowError]
) -> dict[str, Any] | None:
    """Site fields from one imported row (CSV/Excel cells or GeoJSON properties)."""
    cells = {
        _ALIASES.get(str(k).strip().lower(), str(k).strip().lower()): v for k, v in values.items()
    }
    count = len(errors)
    name = _cell(cells, "name")
    if not name:
        errors.append(RowError(where, "name", "naam ontbreekt"))
    fields: dict[str, Any] = {"name": name[:150]}
    fields |= _numbers(cells, where, errors)
    fields |= _dates_and_flags(cells, where, errors)
    for column in _TEXT:
        if _cell(cells, column):
            fields[column] = _cell(cells, column)
    owner = (_cell(cells, "owner") or "municipality").lower()
    if owner not in _OWNERS:
        errors.append(RowError(where, "owner", f"onbekende eigenaar '{owner}'"))
    else:
        fields["owner"] = _OWNERS[owner]
    groups = [g.strip() for g in _cell(cells, "target_groups").split(";") if g.strip()]
    wrong = [g for g in groups if g not in TargetGroup.values]
    if wrong:
        errors.append(
            RowError(where, "target_groups", f"onbekende doelgroep(en): {', '.join(wrong)}")
        )
    fields["target_groups"] = groups
    return fields if len(errors) == count else None


def _point(cells: Mapping[str, Any], where: int, errors: list[RowError]) -> dict[str, Any] | None:
    keys = {
        _ALIASES.get(str(k).strip().lower(), str(k).strip().lower()): v for k, v in cells.items()
    }
    try:
        if keys.get("longitude") not in (None, "") and keys.get("latitude") not in (None, ""):
            lon, lat = (
                float(str(keys["longitude"]).replace(",", ".")),
                float(str(keys["latitude"]).replace(",", ".")),
            )
        elif keys.get("x") not in (None, "") and keys.get("y") not in (None, ""):
            lon, lat = _RD_TO_WGS84.transform(
                float(str(keys["x"]).replace(",", ".")), float(str(keys["y"]).replace(",", "."))
            )
        else:
            errors.append(
                RowError(
                    where, "longitude", "locatie ontbreekt: longitude en latitude, of x en y (RD)"
                )
            )
            return None
    except ValueError:
        errors.append(RowError(where, "longitude", "coördinaten zijn geen getallen"))
        return None
    if not (3.0 <= lon <= 7.5 and 50.5 <= lat <= 53.8):
        errors.append(RowError(where, "longitude", f"ligt niet in Nederland: {lon:.5f}, {lat:.5f}"))
        return None
    return {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}


def _features(content: bytes) -> list[tuple[int, dict[str, Any], dict[str, Any] | None]]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ImportRejected([RowError(None, None, "geen geldige GeoJSON")]) from None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ImportRejected([RowError(None, None, "verwacht een GeoJSON FeatureCollection")])
    result = []
    for number, feature in enumerate(data["features"], start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        result.append(
            (
                number,
                properties if isinstance(properties, dict) else {},
                geometry if isinstance(geometry, dict) else None,
            )
        )
    return result


@transaction.atomic
def sites_import(
    *, actor: Any, organisation: Organisation, content: bytes, filename: str
) -> tuple[int, int]:
    """Import a longlist (CSV, Excel or GeoJSON): new names are created, known names updated.

    Returns (created, updated). Any problem: :class:`ImportRejected`, nothing written.
    """
    require_create_in(actor, organisation)
    errors: list[RowError] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    if filename.lower().endswith((".geojson", ".json")):
        for number, properties, geometry in _features(content):
            fields = _parse_row(properties, number, errors)
            if geometry is None or geometry.get("type") not in {"Point", "Polygon", "MultiPolygon"}:
                errors.append(RowError(number, "geometry", "geen Point of Polygon"))
                continue
            if fields is not None:
                parsed.append((number, {**fields, "geometry": geometry}))
    else:
        table = read_table(content, filename)
        for number, cells in table.rows:
            fields = _parse_row(cells, number, errors)
            point = _point(cells, number, errors)
            if fields is not None and point is not None:
                parsed.append((number, {**fields, "geometry": point}))
    seen: dict[str, int] = {}
    for number, fields in parsed:
        if fields["name"] in seen:
            errors.append(
                RowError(
                    number, "name", f"'{fields['name']}' staat ook op rij {seen[fields['name']]}"
                )
            )
        seen[fields["name"]] = number
    if not parsed and not errors:
        errors.append(RowError(None, None, "het bestand bevat geen locaties"))
    if errors:
        raise ImportRejected(errors)
    existing = {s.name: s for s in Site.objects.filter(organisation=organisation)}
    created = updated = 0
    for number, fields in parsed:
        try:
            if fields["name"] in existing:
                site_update(actor=actor, site=existing[fields["name"]], **fields)
                updated += 1
            else:
                site_create(actor=actor, organisation=organisation, **fields)
                created += 1
        except ValidationError as error:
            raise ImportRejected(row_errors(number, error)) from None
    return created, updated


_OSM_KINDS = {
    "school": AmenityKind.PRIMARY_SCHOOL,
    "primary_school": AmenityKind.PRIMARY_SCHOOL,
    "basisschool": AmenityKind.PRIMARY_SCHOOL,
    "doctors": AmenityKind.GP,
    "gp": AmenityKind.GP,
    "huisarts": AmenityKind.GP,
    "supermarket": AmenityKind.SUPERMARKET,
    "supermarkt": AmenityKind.SUPERMARKET,
    "bus_stop": AmenityKind.PUBLIC_TRANSPORT,
    "station": AmenityKind.PUBLIC_TRANSPORT,
    "tram_stop": AmenityKind.PUBLIC_TRANSPORT,
    "platform": AmenityKind.PUBLIC_TRANSPORT,
    "public_transport": AmenityKind.PUBLIC_TRANSPORT,
    "halte": AmenityKind.PUBLIC_TRANSPORT,
}


def _amenity_kind(properties: Mapping[str, Any]) -> str | None:
    for key in ("kind", "amenity", "shop", "highway", "railway", "public_transport", "soort"):
        value = str(properties.get(key) or "").strip().lower()
        if value in _OSM_KINDS:
            return _OSM_KINDS[value]
    return None


@transaction.atomic
def amenities_import(
    *, actor: Any, organisation: Organisation, content: bytes, replace: bool = True
) -> int:
    """Import amenity points from GeoJSON (as exported from OpenStreetMap or BAG).

    The kind comes from ``kind`` or the OSM tags amenity/shop/highway/railway/public_transport;
    features of other kinds are reported, not skipped silently. ``replace`` removes the
    organisation's earlier amenities in the same transaction.
    """
    require_create_in(actor, organisation)
    errors: list[RowError] = []
    amenities: list[Amenity] = []
    for number, properties, geometry in _features(content):
        kind = _amenity_kind(properties)
        if kind is None:
            errors.append(
                RowError(number, "kind", "onbekend soort voorziening (gebruik kind of OSM-tags)")
            )
            continue
        if geometry is None or geometry.get("type") != "Point":
            errors.append(RowError(number, "geometry", "geen Point"))
            continue
        try:
            lon, lat = (float(v) for v in geometry["coordinates"][:2])
        except (TypeError, ValueError, KeyError):
            errors.append(RowError(number, "geometry", "ongeldige coördinaten"))
            continue
        amenities.append(
            Amenity(
                organisation=organisation,
                kind=kind,
                name=str(properties.get("name") or "")[:150],
                longitude=lon,
                latitude=lat,
            )
        )
    if not amenities and not errors:
        errors.append(RowError(None, None, "het bestand bevat geen voorzieningen"))
    if errors:
        raise ImportRejected(errors)
    if replace:
        Amenity.objects.filter(organisation=organisation).delete()
    Amenity.objects.bulk_create(amenities)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=organisation,
        after={"amenities_imported": len(amenities), "replaced": replace},
    )
    return len(amenities)


# --- demo ------------------------------------------------------------------------------------

DEMO_LABEL = "(demo, verzonnen)"
_DEMO_USES = (
    "sportpark",
    "braakliggend bedrijfsterrein",
    "parkeerterrein",
    "voormalig schoolgebouw",
    "kantoorpand",
    "groenstrook",
    "volkstuinen",
    "evenemententerrein",
    "bedrijfshal",
    "weiland",
)


@transaction.atomic
def demo_seed(
    *, actor: Any, organisation: Organisation, boundary: Mapping[str, Any], seed: int = 384
) -> int:
    """Made-up longlist (28 sites) and amenities inside the municipality's real boundary, and
    two weight sets. Everything is labelled as demo data. Idempotent: skipped when present."""
    import numpy as np
    from shapely.geometry import Point, shape

    if Site.objects.filter(organisation=organisation, name__endswith=DEMO_LABEL).exists():
        return 0
    area = shape(boundary)
    rng = np.random.default_rng(seed)
    min_x, min_y, max_x, max_y = area.bounds

    def points(count: int) -> list[tuple[float, float]]:
        found: list[tuple[float, float]] = []
        while len(found) < count:
            x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
            if area.contains(Point(x, y)):
                found.append((round(float(x), 6), round(float(y), 6)))
        return found

    neighbourhoods = ("Centrum", "Noord", "Zuid", "Oost", "West")
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for index, (x, y) in enumerate(points(28)):
        use = _DEMO_USES[index % len(_DEMO_USES)]
        places = int(rng.integers(4, 30)) * 10
        start = date(2026, int(rng.integers(1, 13)), 1)
        site_create(
            actor=actor,
            organisation=organisation,
            name=f"Locatie {letters[index % 26]}{index // 26 or ''} - {use} {DEMO_LABEL}",
            geometry={"type": "Point", "coordinates": [x, y]},
            owner=(
                "municipality",
                "municipality",
                "housing_corporation",
                "private",
                "other_government",
            )[index % 5],
            plot_area_m2=int(rng.integers(4, 60)) * 250,
            current_use=use,
            available_from=start,
            available_until=date(start.year + int(rng.integers(4, 16)), start.month, 1),
            capacity_places=places,
            capacity_units=places // 3,
            target_groups=["status_holder", "displaced_ukrainian"]
            if index % 2
            else ["asylum_seeker"],
            cost_one_off=Decimal(int(places * rng.integers(40, 140)) * 1000),
            cost_yearly=Decimal(int(places * rng.integers(2, 9)) * 1000),
            neighbourhood=neighbourhoods[index % len(neighbourhoods)],
            local_support=int(rng.integers(1, 6)),
            flood_risk=bool(index in (3, 17)),
            noise_contour=bool(index in (8,)),
            natura2000=bool(index in (21,)),
            zoning_conflict=bool(index in (12,)),
            soil_contamination=bool(index in (25,)),
        )
    kinds = (("primary_school", 6), ("gp", 4), ("supermarket", 5), ("public_transport", 10))
    amenities = [
        Amenity(
            organisation=organisation,
            kind=kind,
            name=f"{kind} {number + 1} {DEMO_LABEL}",
            longitude=x,
            latitude=y,
        )
        for kind, count in kinds
        for number, (x, y) in enumerate(points(count))
    ]
    Amenity.objects.bulk_create(amenities)
    criteria_ensure(organisation=organisation)
    weight_set_save(
        actor=actor,
        organisation=organisation,
        name="College",
        description=f"Nadruk op kosten, beschikbaarheid en voorzieningen {DEMO_LABEL}",
        weights={
            "dist_primary_school": 2,
            "dist_gp": 1,
            "dist_supermarket": 1,
            "dist_public_transport": 2,
            "size": 1,
            "years_available": 3,
            "cost_per_place": 3,
            "municipal_ownership": 2,
            "concentration": 2,
            "local_support": 1,
        },
        ranges={"cost_per_place": (2, 4), "years_available": (2, 4), "local_support": (0.5, 2)},
    )
    weight_set_save(
        actor=actor,
        organisation=organisation,
        name="Bewoners",
        description=f"Nadruk op spreiding en draagvlak {DEMO_LABEL}",
        weights={
            "dist_primary_school": 2,
            "dist_gp": 2,
            "dist_supermarket": 2,
            "dist_public_transport": 1,
            "size": 1,
            "years_available": 1,
            "cost_per_place": 1,
            "municipal_ownership": 1,
            "concentration": 4,
            "local_support": 4,
        },
    )
    return 28
