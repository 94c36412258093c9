"""Distances from sites to the nearest amenity, in metres in RD New (EPSG:28992).

Distance criteria (to a school, GP, supermarket, public transport stop) are measured in the
Dutch national grid RD New (Amersfoort / RD New, EPSG:28992), whose unit is the metre and whose
scale error stays within 1 in 10,000 over the Netherlands. Sites are points or polygons (the
distance from a polygon is 0 when the amenity lies inside it), given in WGS84 (EPSG:4326,
x = longitude, y = latitude) or already in RD New. WGS84 is transformed with pyproj (PROJ);
without the RDNAPTRANS grid files PROJ uses a Helmert approximation accurate to about a metre,
which is far below what a walking-distance criterion needs.

The nearest amenity per category comes from a shapely 2 STRtree (a packed R-tree,
Leutenegger et al. 1997) queried for all sites at once (``query_nearest``), so a category with
m amenities costs O(n log m) instead of O(n m).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from onderdak.engines.siting.model import DistanceTable, FloatArray, SitingInputError, readonly

if TYPE_CHECKING:  # pragma: no cover
    import pyproj

Crs: TypeAlias = Literal["EPSG:4326", "EPSG:28992"]
WGS84: Crs = "EPSG:4326"
RD_NEW: Crs = "EPSG:28992"
#: RD New's area of use (the Netherlands, onshore and offshore), metres.
RD_BOUNDS = (-7_000.0, 289_000.0, 300_000.0, 629_000.0)
GeometriesLike: TypeAlias = Sequence[Any] | npt.NDArray[Any]


def nearest_distances(
    sites: GeometriesLike,
    amenities: Mapping[str, GeometriesLike],
    *,
    site_ids: Sequence[str] | None = None,
    crs: Crs = WGS84,
    max_distance: float | None = None,
) -> DistanceTable:
    """Distance in metres from every site to the nearest amenity of every category.

    ``sites`` and each category of ``amenities`` are shapely geometries or an (n, 2) array of
    point coordinates, in ``crs`` (WGS84 as (longitude, latitude), or RD New). With
    ``max_distance`` (metres) amenities further away are not searched: the distance is ``inf``
    and the nearest index -1. Raises :class:`SitingInputError` for an empty or missing
    geometry, an empty category, an unknown CRS or a position outside the RD New area (for
    WGS84 usually latitude and longitude swapped).
    """
    import shapely  # imported here (with pyproj in to_rd) to keep the command line quick

    if crs not in (WGS84, RD_NEW):
        raise SitingInputError(f"must be {WGS84} or {RD_NEW}, not {crs!r}", field="crs")
    site_geoms = to_rd(sites, crs, what="site")
    ids = (
        tuple(str(i) for i in range(site_geoms.size))
        if site_ids is None
        else tuple(str(s) for s in site_ids)
    )
    if len(ids) != site_geoms.size:
        raise SitingInputError(f"{len(ids)} ids for {site_geoms.size} sites", field="site_ids")
    _check_area(site_geoms, ids, "site")
    if max_distance is not None and not max_distance > 0:
        raise SitingInputError(f"must be positive, not {max_distance!r}", field="max_distance")
    categories = tuple(str(c) for c in amenities)
    distances = np.full((site_geoms.size, len(categories)), np.inf)
    nearest = np.full((site_geoms.size, len(categories)), -1, dtype=np.int64)
    for k, category in enumerate(categories):
        targets = to_rd(amenities[category], crs, what=f"amenity '{category}'")
        if targets.size == 0:
            raise SitingInputError("no amenities given", field=f"category {category}")
        _check_area(targets, tuple(str(i) for i in range(targets.size)), f"amenity '{category}'")
        tree = shapely.STRtree(targets)
        pairs, found = tree.query_nearest(
            site_geoms, max_distance=max_distance, return_distance=True, all_matches=False
        )
        distances[pairs[0], k] = found
        nearest[pairs[0], k] = pairs[1]
    return DistanceTable(
        sites=ids,
        categories=categories,
        distances=readonly(distances),
        nearest=readonly(nearest),
    )


def distances_from(origin: Any, targets: GeometriesLike, *, crs: Crs = WGS84) -> FloatArray:
    """Distance in metres (RD New) from the shapely geometry ``origin`` to each of ``targets``:
    0 where they touch, overlap or one lies inside the other. Raises
    :class:`SitingInputError` as :func:`nearest_distances` does."""
    import shapely

    start = to_rd([origin], crs, what="site")
    _check_area(start, ("0",), "site")
    areas = to_rd(targets, crs, what="area")
    if areas.size == 0:
        return readonly(np.empty(0))
    _check_area(areas, tuple(str(i) for i in range(areas.size)), "area")
    return readonly(np.asarray(shapely.distance(start[0], areas), dtype=np.float64))


def to_rd(geometries: GeometriesLike, crs: Crs, *, what: str = "geometry") -> npt.NDArray[Any]:
    """Geometries (or (n, 2) point coordinates) in ``crs`` as a shapely array in RD New."""
    import shapely

    array = geometries if isinstance(geometries, np.ndarray) else np.asarray(geometries)
    if array.size == 0:
        return np.empty(0, dtype=object)
    if array.dtype != object:
        try:
            coordinates = np.asarray(array, dtype=np.float64)
        except (TypeError, ValueError):
            raise SitingInputError(
                "expected shapely geometries or (x, y) coordinate pairs", field=what
            ) from None
        if coordinates.ndim != 2 or coordinates.shape[1] != 2:
            raise SitingInputError(
                f"point coordinates must be an (n, 2) array, not {coordinates.shape}", field=what
            )
        if not np.all(np.isfinite(coordinates)):
            row = int(np.flatnonzero(~np.all(np.isfinite(coordinates), axis=1))[0])
            raise SitingInputError(f"coordinates of number {row} are not finite", field=what)
        geoms = shapely.points(coordinates)
    else:
        geoms = array.ravel()
        valid = np.array([isinstance(g, shapely.Geometry) for g in geoms.tolist()], dtype=np.bool_)
        if not valid.all():
            row = int(np.flatnonzero(~valid)[0])
            raise SitingInputError(f"number {row} is not a shapely geometry", field=what)
    if geoms.size and bool(shapely.is_empty(geoms).any()):
        row = int(np.flatnonzero(shapely.is_empty(geoms))[0])
        raise SitingInputError(f"number {row} is an empty geometry", field=what)
    if crs == RD_NEW or geoms.size == 0:
        result: npt.NDArray[Any] = geoms
        return result
    transformer = _to_rd_transformer()

    def project(points: FloatArray) -> FloatArray:
        x, y = transformer.transform(points[:, 0], points[:, 1])
        return np.column_stack((x, y))

    projected: npt.NDArray[Any] = shapely.transform(geoms, project)
    return projected


def to_wgs84(geometries: GeometriesLike) -> npt.NDArray[Any]:
    """Geometries (or (n, 2) point coordinates) in RD New as a shapely array in WGS84
    (x = longitude, y = latitude), e.g. to show computed results on a web map."""
    import shapely

    geoms = to_rd(geometries, RD_NEW, what="geometry")
    if geoms.size == 0:
        return geoms
    transformer = _transformer(RD_NEW, WGS84)

    def project(points: FloatArray) -> FloatArray:
        x, y = transformer.transform(points[:, 0], points[:, 1])
        return np.column_stack((x, y))

    projected: npt.NDArray[Any] = shapely.transform(geoms, project)
    return projected


def _to_rd_transformer() -> pyproj.Transformer:
    return _transformer(WGS84, RD_NEW)


@lru_cache(maxsize=2)
def _transformer(source: Crs, target: Crs) -> pyproj.Transformer:
    """Shared transformers (x = longitude in WGS84): building one takes about 50 ms, and
    since pyproj 3.1 a Transformer is safe to use from several threads."""
    import pyproj

    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def _check_area(geoms: npt.NDArray[Any], ids: Sequence[str], what: str) -> None:
    import shapely

    bounds = shapely.bounds(geoms)
    x0, y0, x1, y1 = RD_BOUNDS
    outside = ~(
        np.isfinite(bounds).all(axis=1)
        & (bounds[:, 0] >= x0)
        & (bounds[:, 2] <= x1)
        & (bounds[:, 1] >= y0)
        & (bounds[:, 3] <= y1)
    )
    if outside.any():
        row = int(np.flatnonzero(outside)[0])
        raise SitingInputError(
            "lies outside the RD New area (the Netherlands); WGS84 coordinates are "
            "(longitude, latitude), not (latitude, longitude)",
            site=ids[row] if what == "site" else None,
            field=what if what != "site" else "geometry",
        )
