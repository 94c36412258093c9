"""Chart rendering is cached by a hash of the specification (issue 11: charts were rendered
again on every request, holding the interpreter ~60-320 ms per page)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.cache import cache

import pytest

from onderdak.common import charts


def _spec(value: int) -> dict[str, Any]:
    return {
        "data": {"values": [{"x": "a", "y": value}, {"x": "b", "y": 2}]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "x", "type": "nominal"},
            "y": {"field": "y", "type": "quantitative"},
        },
    }


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Every call that reaches vl-convert, recorded (the real renderer still draws)."""
    calls: list[dict[str, Any]] = []
    real = charts.vlc.vegalite_to_svg

    def counting(spec: dict[str, Any], *args: Any, **kwargs: Any) -> str:
        calls.append(spec)
        return str(real(spec, *args, **kwargs))

    monkeypatch.setattr(charts.vlc, "vegalite_to_svg", counting)
    cache.clear()
    charts.clear_local_cache()
    yield calls
    cache.clear()
    charts.clear_local_cache()


def test_the_same_spec_is_rendered_once(renders: list[dict[str, Any]]) -> None:
    first = charts.to_svg(_spec(1), title="Eerste")
    second = charts.to_svg(_spec(1), title="Eerste")
    assert first == second and first.startswith('<svg role="img" aria-label="Eerste"')
    assert len(renders) == 1


def test_a_different_spec_is_rendered_again(renders: list[dict[str, Any]]) -> None:
    charts.to_svg(_spec(1), title="x")
    charts.to_svg(_spec(3), title="x")
    assert len(renders) == 2


def test_the_title_is_not_part_of_the_cached_picture(renders: list[dict[str, Any]]) -> None:
    dutch = charts.to_svg(_spec(1), title="Diensten per doelgroep")
    english = charts.to_svg(_spec(1), title="Services per target group")
    assert len(renders) == 1
    assert "<title>Diensten per doelgroep</title>" in dutch
    assert "<title>Services per target group</title>" in english


def test_another_process_finds_the_rendering_in_djangos_cache(
    renders: list[dict[str, Any]],
) -> None:
    charts.to_svg(_spec(1), title="x")
    charts.clear_local_cache()  # as in a second worker process sharing the cache
    charts.to_svg(_spec(1), title="x")
    assert len(renders) == 1


def test_key_order_does_not_change_the_key() -> None:
    spec = _spec(1)
    reordered = dict(reversed(list(spec.items())))
    assert charts.spec_key(spec, kind="svg") == charts.spec_key(reordered, kind="svg")
    assert charts.spec_key(spec, kind="svg") != charts.spec_key(spec, kind="png")


def test_the_local_cache_is_bounded(
    renders: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts, "LOCAL_ENTRIES", 2)
    for value in range(4):
        charts.to_svg(_spec(value), title="x")
    assert len(charts._local) == 2


def test_png_for_reports_is_cached_too(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[float] = []
    real = charts.vlc.vegalite_to_png

    def counting(spec: dict[str, Any], scale: float = 1.0, **kwargs: Any) -> bytes:
        calls.append(scale)
        return bytes(real(spec, scale=scale, **kwargs))

    monkeypatch.setattr(charts.vlc, "vegalite_to_png", counting)
    cache.clear()
    charts.clear_local_cache()
    first = charts.to_png(_spec(1))
    assert charts.to_png(_spec(1)) == first and first.startswith(b"\x89PNG")
    charts.to_png(_spec(1), scale=1.0)
    assert calls == [2.0, 1.0]


def test_warm_up_starts_the_renderer_in_a_thread(renders: list[dict[str, Any]]) -> None:
    thread = charts.warm_up_in_background()
    thread.join(timeout=30)
    assert not thread.is_alive() and renders == [charts.WARM_UP_SPEC]


def test_charts_speak_dutch() -> None:
    """Month names and thousands separators in the Dutch locale ("mrt", "1.000")."""
    cache.clear()
    charts.clear_local_cache()
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [{"d": "2024-03-01", "v": 1000}, {"d": "2024-04-01", "v": 2000}]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "d", "type": "ordinal", "timeUnit": "yearmonth"},
            "y": {"field": "v", "type": "quantitative"},
        },
    }
    svg = charts.render_svg(spec)
    assert "mrt" in svg
    assert "1.000" in svg
