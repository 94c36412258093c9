"""The columns of a longlist import, described once (``common.imports.ImportSpec``): the Dutch
column names of the template, the English field names and common abbreviations that older files
use; errors name the column as the template does."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from onderdak.common.imports import ImportColumn, ImportSpec

_YES_NO = _("ja or nee.")
_DATE = _("Date (dd-mm-jjjj or jjjj-mm-dd).")

SITE_COLUMNS = ImportSpec(
    name="locaties",
    columns=(
        ImportColumn(
            "name",
            _("Name"),
            example="Sportpark Noord",
            required=True,
            help=_("Name of the site (required, unique)."),
        ),
        ImportColumn(
            "longitude",
            _("Longitude (WGS84)"),
            example=Decimal("4.96"),
            aliases=("lengtegraad", "lon", "lng"),
            help=_("Longitude in WGS84, for example 5,12 (or give x and y)."),
        ),
        ImportColumn(
            "latitude",
            _("Latitude (WGS84)"),
            example=Decimal("52.339"),
            aliases=("breedtegraad", "lat"),
            help=_("Latitude in WGS84, for example 52,09."),
        ),
        ImportColumn(
            "x", _("x (RD New)"), help=_("RD New x in metres (instead of longitude and latitude).")
        ),
        ImportColumn("y", _("y (RD New)"), help=_("RD New y in metres.")),
        ImportColumn(
            "address", _("Address"), example="Sportlaan 1", aliases=("adres",), help=_("Address.")
        ),
        ImportColumn(
            "bag_id", _("BAG identifier"), aliases=("bag", "bag id"), help=_("BAG identifier.")
        ),
        ImportColumn(
            "owner",
            _("Owner"),
            example="gemeente",
            aliases=("eigenaar",),
            help=_("gemeente, woningcorporatie, rijk, provincie or particulier."),
        ),
        ImportColumn(
            "plot_area_m2", _("Plot area (m²)"), example=12000, help=_("Plot area in m².")
        ),
        ImportColumn(
            "floor_area_m2", _("Gross floor area (m²)"), help=_("Gross floor area in m².")
        ),
        ImportColumn("current_use", _("Current use"), example="sportpark", help=_("Current use.")),
        ImportColumn("zoning", _("Zoning"), aliases=("bestemmingsplan",), help=_("Zoning.")),
        ImportColumn("available_from", _("Available from"), example=date(2026, 1, 1), help=_DATE),
        ImportColumn("available_until", _("Available until"), example=date(2040, 1, 1), help=_DATE),
        ImportColumn(
            "capacity_units",
            _("Capacity (units)"),
            example=60,
            aliases=("eenheden",),
            help=_("Number of units."),
        ),
        ImportColumn(
            "capacity_places",
            _("Capacity (places)"),
            example=200,
            aliases=("plaatsen",),
            help=_("Number of places."),
        ),
        ImportColumn(
            "target_groups",
            _("Target groups"),
            example="status_holder;displaced_ukrainian",
            help=_("Target group codes separated by ;"),
        ),
        ImportColumn(
            "cost_one_off",
            _("One-off cost (euro)"),
            example=20_000_000,
            aliases=("eenmalige kosten",),
            help=_("One-off cost in euro."),
        ),
        ImportColumn(
            "cost_yearly",
            _("Yearly cost (euro)"),
            aliases=("jaarlijkse kosten",),
            help=_("Yearly cost in euro."),
        ),
        ImportColumn(
            "neighbourhood",
            _("Neighbourhood"),
            example="Noord",
            aliases=("buurt",),
            help=_("Neighbourhood."),
        ),
        ImportColumn(
            "local_support",
            _("Local support (1-5)"),
            example=3,
            aliases=("draagvlak",),
            help=_("Local support, 1 to 5."),
        ),
        ImportColumn(
            "participation_notes",
            _("Participation and local support"),
            aliases=("participatie",),
            help=_("Participation and local support (text)."),
        ),
        ImportColumn("flood_risk", _("Flood risk zone"), example="nee", help=_YES_NO),
        ImportColumn("noise_contour", _("Noise contour"), example="nee", help=_YES_NO),
        ImportColumn("natura2000", _("Natura 2000"), example="nee", help=_YES_NO),
        ImportColumn("zoning_conflict", _("Zoning conflict"), example="nee", help=_YES_NO),
        ImportColumn("soil_contamination", _("Soil contamination"), example="nee", help=_YES_NO),
    ),
)

COLUMNS = SITE_COLUMNS.columns


def _loose(name: Any) -> str:
    # the same loose matching as common.imports (case, spaces, '_' and '-' do not matter)
    return re.sub(r"[\s_\-]+", " ", str(name or "").strip().lower())


def by_field(cells: Mapping[Any, Any]) -> dict[str, Any]:
    """GeoJSON properties keyed like a table row read by :data:`SITE_COLUMNS` (a Dutch or
    English column name, or the key, becomes the key)."""
    lookup = {name: column.key for column in COLUMNS for name in column.names()}
    return {
        lookup.get(_loose(key), str(key).strip().lower()): value for key, value in cells.items()
    }
