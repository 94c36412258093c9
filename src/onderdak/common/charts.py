"""Charts: one Vega-Lite specification (built with Altair) rendered to SVG on the server.

The same specification serves the page (inline SVG: no JavaScript, nothing blocked by the
Content-Security-Policy) and reports (SVG/PNG through vl-convert). Every chart on a page is
accompanied by a table with the same numbers, for screen readers and for copying.
"""

from __future__ import annotations

import html
import re
from typing import Any

import altair as alt
import vl_convert as vlc

FONT = "Noto Sans, Arial, sans-serif"


def data(values: list[dict[str, Any]]) -> Any:
    """Inline data for a chart (Altair's ``Data`` is untyped)."""
    return alt.Data(values=values)  # type: ignore[no-untyped-call]


def to_svg(spec: dict[str, Any], *, title: str) -> str:
    """Render a Vega-Lite spec to an accessible SVG string (role=img with a title)."""
    svg = vlc.vegalite_to_svg(spec)
    label = html.escape(title)
    svg = re.sub(
        r"^<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', svg, count=1
    )
    return svg.replace(">", f"><title>{label}</title>", 1)


def to_png(spec: dict[str, Any], *, scale: float = 2.0) -> bytes:
    png: bytes = vlc.vegalite_to_png(spec, scale=scale)
    return png
