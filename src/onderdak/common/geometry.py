"""The one check of a place (a site, a neighbourhood): a GeoJSON Point, Polygon or MultiPolygon in
WGS84 inside the Netherlands, with finite numbers, the nesting its type needs and a valid shape
(shapely).

Used on every way in (the form, the import, the model's ``clean`` and so the admin) and, through
:func:`usable_shape`, by every page that draws or measures a stored geometry: a geometry stored
before this check existed, or written around it, never turns a page into a 500.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from onderdak.common.imports import ImportRejected, RowError

if TYPE_CHECKING:  # shapely (and NumPy with it) is imported on first use, not at start-up
    from shapely.geometry.base import BaseGeometry

#: The Netherlands in WGS84 (longitude west, latitude south, longitude east, latitude north),
#: generous enough for the Wadden islands and Zuid-Limburg; the form and the import use it too.
NL_BOUNDS = (3.0, 50.5, 7.5, 53.8)
#: How deep ``coordinates`` nests per type (a Point is one list of numbers).
DEPTH = {"Point": 1, "Polygon": 3, "MultiPolygon": 4}
#: More vertices than any plot outline needs; keeps a pasted country border out.
MAX_VERTICES = 20_000
#: A GeoJSON text nests at most this deep (a Feature with a MultiPolygon needs 6).
MAX_JSON_DEPTH = 12


def load_json(text: str | bytes) -> Any:
    """Parse GeoJSON text: ``NaN``/``Infinity`` refused and nesting limited before parsing, so
    neither reaches the database nor raises ``RecursionError``. Raises ``ValueError``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    if _nesting(text) > MAX_JSON_DEPTH:
        raise ValueError("nested too deeply")

    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not a number in JSON")

    return json.loads(text, parse_constant=refuse)


def _nesting(text: str) -> int:
    """The deepest bracket nesting of a JSON text (brackets inside strings are skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _positions(coordinates: Any, depth: int) -> list[tuple[Any, ...]] | None:
    """The positions in ``coordinates`` nested exactly ``depth`` deep, else ``None``."""
    if not isinstance(coordinates, list | tuple):
        return None
    if depth == 1:
        return [tuple(coordinates)] if len(coordinates) in (2, 3) else None
    found: list[tuple[Any, ...]] = []
    for part in coordinates:
        inner = _positions(part, depth - 1)
        if inner is None:
            return None
        found += inner
        if len(found) > MAX_VERTICES:
            return None
    return found


def geometry_problem(value: Any) -> str | None:  # noqa: PLR0911 - one answer per check
    """What is wrong with ``value`` as a place (a translated sentence), or ``None``."""
    if not isinstance(value, dict) or value.get("type") not in DEPTH:
        return _("Give a GeoJSON Point, Polygon or MultiPolygon.")
    kind = value["type"]
    positions = _positions(value.get("coordinates"), DEPTH[kind])
    if not positions:
        return _(
            "The coordinates of the %(type)s are missing or not nested as GeoJSON requires."
        ) % {"type": kind}
    for position in positions:
        if not all(
            isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n)
            for n in position
        ):
            return _("Every coordinate must be a finite number (longitude, latitude).")
    west, south, east, north = NL_BOUNDS
    if not all(west <= p[0] <= east and south <= p[1] <= north for p in positions):
        return _(
            "The place lies outside the Netherlands: longitude %(west)s to %(east)s, "
            "latitude %(south)s to %(north)s (WGS84; longitude first)."
        ) % {"west": "3,0", "east": "7,5", "south": "50,5", "north": "53,8"}
    try:
        from shapely.geometry import shape

        geometry = shape(value)
    except (ValueError, TypeError, AttributeError, IndexError):
        return _("The outline is not a valid polygon (a ring needs at least four positions).")
    if geometry.is_empty or not geometry.is_valid:
        return _("The outline is not a valid polygon (for example, it crosses itself).")
    return None


def validate_geometry(value: Any, *, field: str = "geometry") -> None:
    """Raise ``ValidationError({field: ...})`` unless :func:`geometry_problem` finds nothing."""
    problem = geometry_problem(value)
    if problem is not None:
        raise ValidationError({field: problem})


def clean_geometry(value: dict[str, Any]) -> dict[str, Any]:
    """Only what GeoJSON needs (type and coordinates), for a checked geometry."""
    return {"type": value["type"], "coordinates": value["coordinates"]}


def usable_shape(value: Any) -> BaseGeometry | None:
    """The shapely geometry of a stored place, or ``None`` when it is unusable (for reads)."""
    if geometry_problem(value) is not None:
        return None
    from shapely.geometry import shape

    return shape(value)


def is_usable(value: Any) -> bool:
    return usable_shape(value) is not None


def feature_rows(content: bytes) -> list[tuple[int, dict[str, Any], Any]]:
    """The features of an uploaded GeoJSON FeatureCollection as (number from 1, properties,
    geometry unchecked); anything else is an :class:`ImportRejected` with a Dutch message."""
    try:
        data = load_json(content)
    except (UnicodeDecodeError, ValueError):
        raise ImportRejected(
            [RowError(None, None, _("not valid GeoJSON (numbers only, nested at most 12 deep)"))]
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ImportRejected([RowError(None, None, _("expected a GeoJSON FeatureCollection"))])
    result = []
    for number, feature in enumerate(data["features"], start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        result.append((number, properties if isinstance(properties, dict) else {}, geometry))
    return result
