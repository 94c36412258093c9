"""Charts: one Vega-Lite specification (built with Altair) rendered to SVG on the server.

The same specification serves the page (inline SVG: no JavaScript, nothing blocked by the
Content-Security-Policy) and reports (SVG/PNG through vl-convert). Every chart on a page is
accompanied by a table with the same numbers, for screen readers and for copying.

Rendering holds the Python interpreter (vl-convert runs Vega in an embedded JavaScript engine:
tens of milliseconds per chart, half a second or more for the first one in a process), so each
rendering is cached by a hash of its specification: in this process (a small LRU) and in Django's
cache (shared between the workers when the cache is). The same numbers give the same picture, so
the cache never needs invalidating; the key includes the vl-convert version. Building a chart
with Altair costs too (about 10 ms, and 20 ms more for the schema check), so pages ask
:func:`chart_svg` with a key of the chart's inputs before anything is built, and the schema
check runs only where ``CHART_VALIDATION`` is on (tests, development); see docs/benchmarks.md
"Load" (issue 11).
"""

from __future__ import annotations

import hashlib
import html
import importlib
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

import vl_convert as vlc

from onderdak.common.memo import Memo

if TYPE_CHECKING:
    import altair

    alt = altair
else:

    class _LazyModule(ModuleType):
        """A module imported on its first attribute access."""

        def __getattr__(self, name: str) -> Any:
            return getattr(importlib.import_module(self.__name__), name)

    #: Altair, imported when the first chart is built (0.7 s of imports, kept off the start:
    #: the chart builders import ``alt`` from here, and a rendered chart is usually cached).
    alt = _LazyModule("altair")

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
#: Renderings by the inputs of their chart builder (see :func:`chart_svg`), per process.
_BY_INPUTS: Memo[str | None] = Memo("chart inputs", entries=LOCAL_ENTRIES)


def data(values: list[dict[str, Any]]) -> Any:
    """Inline data for a chart (Altair's ``Data`` is untyped)."""
    return alt.Data(values=values)  # type: ignore[no-untyped-call]


def spec_of(chart: Any) -> dict[str, Any]:
    """The Vega-Lite specification of an Altair chart, as a dict.

    Altair checks a specification against the Vega-Lite JSON schema (about 20 ms per chart,
    before the rendering cache can be asked). That check runs where ``CHART_VALIDATION`` is on:
    in the tests and in development (``DEBUG``), so a broken chart fails there; production
    renders the tested builders' specifications without checking them again.
    """
    validate = bool(getattr(settings, "CHART_VALIDATION", True))
    spec: dict[str, Any] = chart.to_dict(validate=validate)
    return spec


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
    _BY_INPUTS.clear()


def render_svg(spec: dict[str, Any]) -> str:
    """The SVG of a Vega-Lite spec as vl-convert draws it (cached)."""
    return _cached(
        spec_key(spec, kind="svg"),
        lambda: str(vlc.vegalite_to_svg(spec, format_locale="nl-NL", time_format_locale="nl-NL")),
    )


def to_svg(spec: dict[str, Any], *, title: str) -> str:
    """Render a Vega-Lite spec to an accessible SVG string (role=img with a title)."""
    return _accessible(render_svg(spec), title)


def _accessible(svg: str, title: str) -> str:
    label = html.escape(title)
    svg = re.sub(
        r"^<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', svg, count=1
    )
    return svg.replace(">", f"><title>{label}</title>", 1)


def chart_svg(
    key: Hashable, build: Callable[[], dict[str, Any] | None], *, title: str
) -> str | None:
    """:func:`to_svg` of ``build()``, cached by ``key`` before anything is built.

    Building a chart with Altair costs about 10 ms even without the schema check; a page that
    draws the same chart again (the same numbers) skips that too. ``key`` must hold every input
    of ``build`` exactly (the numbers, the names shown, the options); the active language is
    added here, since the builders translate their labels. ``None`` when ``build`` has nothing
    to draw.
    """

    def render() -> str | None:
        spec = build()
        return None if spec is None else render_svg(spec)

    svg = _BY_INPUTS.get_or_compute((key, translation.get_language()), render)
    return None if svg is None else _accessible(svg, title)


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
    """Start vl-convert's JavaScript engine and import Altair now, so the first chart a user
    asks for is fast."""
    try:
        vlc.vegalite_to_svg(WARM_UP_SPEC)
        importlib.import_module("altair")
    except Exception:  # pragma: no cover - warming is an optimisation, never a failure
        logger.warning("Warming up the chart renderer failed", exc_info=True)


def warm_up_in_background() -> threading.Thread:
    """:func:`warm_up` in a daemon thread (a new server worker calls this)."""
    thread = threading.Thread(target=warm_up, name="chart-warm-up", daemon=True)
    thread.start()
    return thread
