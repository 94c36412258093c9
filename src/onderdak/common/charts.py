"""Charts: one Vega-Lite specification (built with Altair) rendered to SVG on the server.

The same specification serves the page (inline SVG: no JavaScript, nothing blocked by the
Content-Security-Policy) and reports (SVG/PNG through vl-convert). Every chart on a page is
accompanied by a table with the same numbers, for screen readers and for copying.

Rendering holds the Python interpreter (vl-convert runs Vega in an embedded JavaScript engine:
tens of milliseconds per chart, half a second or more for the first one in a process), so each
rendering is cached by a hash of its specification: in this process (a small LRU) and in Django's
cache (shared between the workers when the cache is). The same numbers give the same picture, so
the cache never needs invalidating; the key includes the vl-convert version.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

import altair as alt
import vl_convert as vlc

FONT = "Noto Sans, Arial, sans-serif"
#: Renderings kept in each process (an SVG is 5-40 kB).
LOCAL_ENTRIES = 256
#: Seconds a rendering stays in Django's cache.
CACHE_SECONDS = 24 * 3600

logger = logging.getLogger(__name__)
T = TypeVar("T", str, bytes)

_local: OrderedDict[str, str | bytes] = OrderedDict()
_lock = threading.Lock()
_VERSION = getattr(vlc, "__version__", "") or "vl-convert"


def data(values: list[dict[str, Any]]) -> Any:
    """Inline data for a chart (Altair's ``Data`` is untyped)."""
    return alt.Data(values=values)  # type: ignore[no-untyped-call]


def spec_key(spec: dict[str, Any], *, kind: str) -> str:
    """The cache key of one rendering: the output kind and a hash of the specification."""
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"), default=str)
    digest = hashlib.sha256(f"{_VERSION}\0{kind}\0{canonical}".encode()).hexdigest()
    return f"onderdak:chart:{kind}:{digest}"


def _cached(key: str, render: Callable[[], T]) -> T:
    with _lock:
        if key in _local:
            _local.move_to_end(key)
            return _local[key]  # type: ignore[return-value]
    value: T | None = cache.get(key)
    if value is None:
        value = render()
        cache.set(key, value, CACHE_SECONDS)
    with _lock:
        _local[key] = value
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
    return value


def clear_local_cache() -> None:
    """Forget this process's renderings (tests; Django's cache is cleared with ``cache.clear``)."""
    with _lock:
        _local.clear()


def render_svg(spec: dict[str, Any]) -> str:
    """The SVG of a Vega-Lite spec as vl-convert draws it (cached)."""
    return _cached(
        spec_key(spec, kind="svg"),
        lambda: str(vlc.vegalite_to_svg(spec, format_locale="nl-NL", time_format_locale="nl-NL")),
    )


def to_svg(spec: dict[str, Any], *, title: str) -> str:
    """Render a Vega-Lite spec to an accessible SVG string (role=img with a title)."""
    svg = render_svg(spec)
    label = html.escape(title)
    svg = re.sub(
        r"^<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', svg, count=1
    )
    return svg.replace(">", f"><title>{label}</title>", 1)


def to_png(spec: dict[str, Any], *, scale: float = 2.0) -> bytes:
    """A PNG of a Vega-Lite spec for reports (cached)."""

    def render() -> bytes:
        png: bytes = vlc.vegalite_to_png(
            spec, scale=scale, format_locale="nl-NL", time_format_locale="nl-NL"
        )
        return png

    return _cached(spec_key({"scale": scale, "spec": spec}, kind="png"), render)


WARM_UP_SPEC: dict[str, Any] = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "data": {"values": [{"x": 1}]},
    "mark": "point",
    "encoding": {"x": {"field": "x", "type": "quantitative"}},
}


def warm_up() -> None:
    """Start vl-convert's JavaScript engine now, so the first chart a user asks for is fast."""
    try:
        vlc.vegalite_to_svg(WARM_UP_SPEC)
    except Exception:  # pragma: no cover - warming is an optimisation, never a failure
        logger.warning("Warming up the chart renderer failed", exc_info=True)


def warm_up_in_background() -> threading.Thread:
    """:func:`warm_up` in a daemon thread (a new server worker calls this)."""
    thread = threading.Thread(target=warm_up, name="chart-warm-up", daemon=True)
    thread.start()
    return thread
