"""Writes for sites: sites and their stage, imports, amenities, criteria and weight sets.

Every write is validated, audited and atomic; an import with one bad row writes nothing and
names every problem by row (or feature) and field.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onderdak.apps.accounts.selectors import (
    require_change,
    require_create_in,
)
from onderdak.apps.audit.services import (
    audit_record,
    audited_delete,
    audited_update,
    require_editable,
    snapshot,
)
from onderdak.common.geometry import (
    NL_BOUNDS,
    clean_geometry,
    feature_rows,
    geometry_problem,
)
from onderdak.common.imports import ImportRejected, RowError, row_errors
from onderdak.common.projection import rd_to_wgs84
from onderdak.common.vocabulary import TargetGroup

from . import catalogue, columns
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

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation


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
        raise ValidationError(
            {"weights": _("Unknown criteria: %(keys)s") % {"keys": ", ".join(sorted(unknown))}}
        )
    if any(not math.isfinite(value) or value < 0 for value in weights.values()):
        raise ValidationError({"weights": _("Weights must be numbers of 0 or more.")})
    if not any(value > 0 for value in weights.values()):
        raise ValidationError({"weights": _("Give at least one criterion a weight above 0.")})
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
        action="update" if before else "create",
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
        reason=_("Created"),
        user=_user(actor),
    )
    audit_record(actor=actor, action="create", instance=site, after=snapshot(site))
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
        raise ValidationError({"stage": _("Unknown stage %(stage)s.") % {"stage": stage}})
    if stage == Stage.REJECTED and not reason.strip():
        raise ValidationError({"reason": _("Say why the site is rejected.")})
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
    audit_record(actor=actor, action="update", instance=site, before=before, after=snapshot(site))
    return site


# --- imports -------------------------------------------------------------------------------

_TRUE = {"1", "ja", "yes", "true", "waar", "j", "y", "x"}
_FALSE = {"0", "nee", "no", "false", "onwaar", "n", ""}
_INTEGER = ("plot_area_m2", "floor_area_m2", "capacity_units", "capacity_places", "local_support")
_MONEY = ("cost_one_off", "cost_yearly")
_DATES = ("available_from", "available_until")
_TEXT = ("address", "bag_id", "current_use", "zoning", "neighbourhood", "participation_notes")


def _cell(cells: Mapping[str, Any], column: str) -> str:
    value = cells.get(column)
    return "" if value is None else str(value).strip()


def _error(where: int | None, field: str | None, message: str) -> RowError:
    """A row error under the column's key (named by its label when the import is rejected)."""
    return RowError(where, field, message)


def _numbers(cells: Mapping[str, Any], where: int, errors: list[RowError]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for column in _INTEGER:
        text = _cell(cells, column)
        if text:
            try:
                number = float(text.replace(",", "."))
                if number < 0 or not number.is_integer():
                    raise ValueError
                fields[column] = int(number)
            except (ValueError, OverflowError):
                errors.append(
                    _error(
                        where,
                        column,
                        _("not a whole number of 0 or more: '%(value)s'") % {"value": text},
                    )
                )
    for column in _MONEY:
        text = _cell(cells, column)
        if text:
            try:
                amount = Decimal(text.replace(",", "."))
                if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
                    raise InvalidOperation
                fields[column] = amount.quantize(Decimal("0.01"))
            except InvalidOperation:
                errors.append(
                    _error(
                        where,
                        column,
                        _("not an amount of 0 or more: '%(value)s'") % {"value": text},
                    )
                )
    if fields.get("local_support") is not None and not 1 <= fields["local_support"] <= 5:
        errors.append(_error(where, "local_support", _("must be 1 to 5")))
    return fields


def _date(text: str) -> date:
    """jjjj-mm-dd (ISO) or dd-mm-jjjj (how Dutch Excel writes dates)."""
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        day, month, year = (int(part) for part in text.replace("/", "-").split("-"))
        return date(year, month, day)


def _dates_and_flags(
    cells: Mapping[str, Any], where: int, errors: list[RowError]
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for column in _DATES:
        text = _cell(cells, column)
        if text:
            try:
                fields[column] = _date(text)
            except ValueError:
                errors.append(
                    _error(
                        where,
                        column,
                        _("not a date (dd-mm-jjjj or jjjj-mm-dd): '%(value)s'") % {"value": text},
                    )
                )
    for column in catalogue.FLAGS:
        text = _cell(cells, column).lower()
        if text in _TRUE:
            fields[column] = True
        elif text in _FALSE:
            fields[column] = False
        else:
            errors.append(
                _error(where, column, _("use ja or nee, not '%(value)s'") % {"value": text})
            )
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
    cells = columns.by_field(values)
    count = len(errors)
    name = _cell(cells, "name")
    if not name:
        errors.append(_error(where, "name", _("the name is missing")))
    fields: dict[str, Any] = {"name": name[:150]}
    fields |= _numbers(cells, where, errors)
    fields |= _dates_and_flags(cells, where, errors)
    for column in _TEXT:
        if _cell(cells, column):
            fields[column] = _cell(cells, column)
    owner = (_cell(cells, "owner") or "municipality").lower()
    if owner not in _OWNERS:
        errors.append(_error(where, "owner", _("unknown owner '%(value)s'") % {"value": owner}))
    else:
        fields["owner"] = _OWNERS[owner]
    groups = [g.strip() for g in _cell(cells, "target_groups").split(";") if g.strip()]
    wrong = [g for g in groups if g not in TargetGroup.values]
    if wrong:
        errors.append(
            _error(
                where,
                "target_groups",
                _("unknown target group(s): %(groups)s") % {"groups": ", ".join(wrong)},
            )
        )
    fields["target_groups"] = groups
    return fields if len(errors) == count else None


def _number(text: str) -> float:
    number = float(text.replace(",", "."))
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _point(cells: Mapping[str, Any], where: int, errors: list[RowError]) -> dict[str, Any] | None:
    """The place of a table row: longitude/latitude (WGS84) or x/y (RD New), each checked and
    reported under its own column."""
    keys = columns.by_field(cells)
    given = {k for k in ("longitude", "latitude", "x", "y") if _cell(keys, k)}
    if {"longitude", "latitude"} & given or not {"x", "y"} & given:
        pair = ("longitude", "latitude")
    else:
        pair = ("x", "y")
    if not given:
        errors.append(
            _error(
                where,
                "longitude",
                _("the place is missing: give longitude and latitude (WGS84), or x and y (RD New)"),
            )
        )
        return None
    values: list[float] = []
    for column in pair:
        text = _cell(keys, column)
        if not text:
            errors.append(_error(where, column, _("missing")))
            continue
        try:
            values.append(_number(text))
        except ValueError:
            errors.append(_error(where, column, _("not a number: '%(value)s'") % {"value": text}))
    if len(values) < 2:
        return None
    if pair == ("x", "y"):
        lon, lat = rd_to_wgs84(values[0], values[1])
    else:
        lon, lat = values
    west, south, east, north = NL_BOUNDS
    inside = True
    if not west <= lon <= east:
        errors.append(
            _error(where, pair[0], _("outside the Netherlands: %(value)s") % {"value": values[0]})
        )
        inside = False
    if not south <= lat <= north:
        errors.append(
            _error(where, pair[1], _("outside the Netherlands: %(value)s") % {"value": values[1]})
        )
        inside = False
    if not inside:
        return None
    return {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}


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
        for number, properties, geometry in feature_rows(content):
            fields = _parse_row(properties, number, errors)
            problem = geometry_problem(geometry)
            if problem is not None:
                errors.append(RowError(number, "geometry", problem))
                continue
            if fields is not None:
                parsed.append((number, {**fields, "geometry": clean_geometry(geometry)}))
    else:
        table = columns.SITE_COLUMNS.read(content, filename)
        for number, cells in table.rows:
            fields = _parse_row(cells, number, errors)
            point = _point(cells, number, errors)
            if fields is not None and point is not None:
                parsed.append((number, {**fields, "geometry": point}))
    seen: dict[str, int] = {}
    for number, fields in parsed:
        if fields["name"] in seen:
            errors.append(
                _error(
                    number,
                    "name",
                    _("'%(name)s' is also on row %(row)d")
                    % {"name": fields["name"], "row": seen[fields["name"]]},
                )
            )
        seen[fields["name"]] = number
    if not parsed and not errors:
        errors.append(RowError(None, None, _("the file holds no sites")))
    if errors:
        raise columns.SITE_COLUMNS.rejected(errors)
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
            raise columns.SITE_COLUMNS.rejected(row_errors(number, error)) from None
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
    for number, properties, geometry in feature_rows(content):
        kind = _amenity_kind(properties)
        if kind is None:
            errors.append(
                RowError(number, "kind", _("unknown kind of amenity (use kind or the OSM tags)"))
            )
            continue
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            errors.append(RowError(number, "geometry", _("not a Point")))
            continue
        problem = geometry_problem(geometry)
        if problem is not None:
            errors.append(RowError(number, "geometry", problem))
            continue
        lon, lat = (float(v) for v in geometry["coordinates"][:2])
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
        errors.append(RowError(None, None, _("the file holds no amenities")))
    if errors:
        raise ImportRejected(errors)
    if replace:
        Amenity.objects.filter(organisation=organisation).delete()
    Amenity.objects.bulk_create(amenities)
    audit_record(
        actor=actor,
        action="update",
        instance=organisation,
        after={"amenities_imported": len(amenities), "replaced": replace},
    )
    return len(amenities)
