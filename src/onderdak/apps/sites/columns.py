"""The columns of a longlist import: Dutch names (the template), and the English field names and
common abbreviations that older files use. Errors name the column as the template does."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onderdak.common.exports import csv_row
from onderdak.common.imports import RowError


@dataclass(frozen=True)
class ImportColumn:
    field: str  # the site field, or longitude/latitude/x/y for the place
    header: str  # the Dutch column name of the template
    description: Promise
    example: str = ""
    aliases: tuple[str, ...] = ()


COLUMNS = (
    ImportColumn("name", "naam", _("Name of the site (required, unique)."), "Sportpark Noord"),
    ImportColumn(
        "longitude",
        "lengtegraad",
        _("Longitude in WGS84, for example 5,12 (or give x and y)."),
        "4,96",
        ("longitude", "lon", "lng"),
    ),
    ImportColumn(
        "latitude",
        "breedtegraad",
        _("Latitude in WGS84, for example 52,09."),
        "52,339",
        ("latitude", "lat"),
    ),
    ImportColumn("x", "x", _("RD New x in metres (instead of longitude and latitude).")),
    ImportColumn("y", "y", _("RD New y in metres.")),
    ImportColumn("address", "adres", _("Address."), "Sportlaan 1", ("address",)),
    ImportColumn("bag_id", "bag_id", _("BAG identifier."), "", ("bag", "bag-id")),
    ImportColumn(
        "owner",
        "eigenaar",
        _("gemeente, woningcorporatie, rijk, provincie or particulier."),
        "gemeente",
        ("owner",),
    ),
    ImportColumn(
        "plot_area_m2",
        "perceeloppervlak_m2",
        _("Plot area in m²."),
        "12000",
        ("plot_area_m2", "perceel_m2"),
    ),
    ImportColumn(
        "floor_area_m2", "vloeroppervlak_m2", _("Gross floor area in m²."), "", ("floor_area_m2",)
    ),
    ImportColumn("current_use", "huidig_gebruik", _("Current use."), "sportpark", ("current_use",)),
    ImportColumn("zoning", "bestemming", _("Zoning."), "", ("zoning",)),
    ImportColumn(
        "available_from",
        "beschikbaar_vanaf",
        _("Date (dd-mm-jjjj or jjjj-mm-dd)."),
        "01-01-2026",
        ("available_from",),
    ),
    ImportColumn(
        "available_until",
        "beschikbaar_tot",
        _("Date (dd-mm-jjjj or jjjj-mm-dd)."),
        "01-01-2040",
        ("available_until",),
    ),
    ImportColumn(
        "capacity_units",
        "capaciteit_eenheden",
        _("Number of units."),
        "60",
        ("capacity_units", "eenheden"),
    ),
    ImportColumn(
        "capacity_places",
        "capaciteit_plaatsen",
        _("Number of places."),
        "200",
        ("capacity_places", "plaatsen"),
    ),
    ImportColumn(
        "target_groups",
        "doelgroepen",
        _("Target group codes separated by ;"),
        "status_holder;displaced_ukrainian",
        ("target_groups",),
    ),
    ImportColumn(
        "cost_one_off",
        "eenmalige_kosten",
        _("One-off cost in euro."),
        "20000000",
        ("cost_one_off",),
    ),
    ImportColumn(
        "cost_yearly", "jaarlijkse_kosten", _("Yearly cost in euro."), "", ("cost_yearly",)
    ),
    ImportColumn("neighbourhood", "wijk", _("Neighbourhood."), "Noord", ("neighbourhood",)),
    ImportColumn(
        "local_support", "draagvlak", _("Local support, 1 to 5."), "3", ("local_support",)
    ),
    ImportColumn(
        "participation_notes",
        "participatie",
        _("Participation and local support (text)."),
        "",
        ("participation_notes",),
    ),
    ImportColumn(
        "flood_risk", "overstromingsrisico", _("ja or nee."), "nee", ("flood_risk", "overstroming")
    ),
    ImportColumn("noise_contour", "geluidscontour", _("ja or nee."), "nee", ("noise_contour",)),
    ImportColumn("natura2000", "natura2000", _("ja or nee."), "nee", ("natura_2000",)),
    ImportColumn(
        "zoning_conflict",
        "strijdig_met_bestemming",
        _("ja or nee."),
        "nee",
        ("zoning_conflict",),
    ),
    ImportColumn(
        "soil_contamination",
        "bodemverontreiniging",
        _("ja or nee."),
        "nee",
        ("soil_contamination",),
    ),
)

#: Column field -> the Dutch column name (how errors name the column).
HEADERS = {column.field: column.header for column in COLUMNS}
#: Every accepted column name (lower case) -> the field.
_NAMES = {
    name.lower(): column.field
    for column in COLUMNS
    for name in (column.header, column.field, *column.aliases)
}


def by_field(cells: Mapping[Any, Any]) -> dict[str, Any]:
    """One row's cells keyed by field, whatever column names (Dutch, English) the file uses."""
    return {
        _NAMES.get(str(key).strip().lower(), str(key).strip().lower()): value
        for key, value in cells.items()
    }


def as_in_file(errors: list[RowError], start: int, cells: Mapping[Any, Any]) -> None:
    """Name the columns of ``errors[start:]`` as the file does (a file with English column names
    hears about ``plot_area_m2``, one made from the template about ``perceeloppervlak_m2``)."""
    in_file = {HEADERS.get(field, field): str(key).strip() for key, field in _fields(cells)}
    for index in range(start, len(errors)):
        error = errors[index]
        if error.field in in_file:
            errors[index] = replace(error, field=in_file[error.field])


def _fields(cells: Mapping[Any, Any]) -> list[tuple[Any, str]]:
    return [(key, _NAMES.get(str(key).strip().lower(), str(key).strip().lower())) for key in cells]


def template_csv() -> bytes:
    """The longlist template: the Dutch header and one example row (Dutch CSV, ';')."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(csv_row(column.header for column in COLUMNS))
    writer.writerow(csv_row(column.example for column in COLUMNS))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
