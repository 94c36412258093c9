"""Coordinates between the Dutch national grid (RD New, EPSG:28992) and WGS 84 (EPSG:4326).

One place for both directions. pyproj is imported on first use, not at start-up (its import
costs about 170 ms, more than a page that never converts a coordinate should pay)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyproj import Transformer


@cache
def _transformer(source: str, target: str) -> Transformer:
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


def rd_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """RD x, y (metres) as longitude, latitude (degrees)."""
    lon, lat = _transformer("EPSG:28992", "EPSG:4326").transform(x, y)
    return float(lon), float(lat)


def wgs84_to_rd(longitude: float, latitude: float) -> tuple[float, float]:
    """Longitude, latitude (degrees) as RD x, y (metres)."""
    x, y = _transformer("EPSG:4326", "EPSG:28992").transform(longitude, latitude)
    return float(x), float(y)
