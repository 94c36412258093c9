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


# --- issue 11: cached before the chart is built; validation only where it is switched on --------


def _bar_chart(values: list[int]) -> dict[str, Any]:
    rows = [{"x": str(i), "y": v} for i, v in enumerate(values)]
    chart = charts.alt.Chart(charts.data(rows)).mark_bar().encode(x="x:N", y="y:Q")
    return charts.spec_of(chart)


def test_a_second_identical_chart_is_neither_built_nor_rendered_again(
    renders: list[dict[str, Any]],
) -> None:
    built: list[list[int]] = []

    def build(values: list[int]) -> dict[str, Any]:
        built.append(values)
        return _bar_chart(values)

    first = charts.chart_svg(("bars", 1, 2), lambda: build([1, 2]), title="Staven")
    second = charts.chart_svg(("bars", 1, 2), lambda: build([1, 2]), title="Staven")
    assert first == second and first is not None and first.startswith('<svg role="img"')
    assert built == [[1, 2]] and len(renders) == 1
    charts.chart_svg(("bars", 1, 3), lambda: build([1, 3]), title="Staven")
    assert built == [[1, 2], [1, 3]] and len(renders) == 2


def test_the_chart_cache_by_inputs_keeps_the_title_out_and_the_language_in(
    renders: list[dict[str, Any]],
) -> None:
    from django.utils import translation

    built: list[str] = []

    def build() -> dict[str, Any]:
        built.append(translation.get_language())
        return _bar_chart([4])

    with translation.override("nl"):
        dutch = charts.chart_svg(("bars", 4), build, title="Staven")
        charts.chart_svg(("bars", 4), build, title="Andere titel")
    with translation.override("en"):
        english = charts.chart_svg(("bars", 4), build, title="Bars")
    assert built == ["nl", "en"]  # the builders translate their labels: one build per language
    assert dutch is not None and "<title>Staven</title>" in dutch
    assert english is not None and "<title>Bars</title>" in english


def test_nothing_to_draw_is_none_and_cached_too(renders: list[dict[str, Any]]) -> None:
    built: list[None] = []

    def build() -> None:
        built.append(None)

    assert charts.chart_svg(("empty",), build, title="x") is None
    assert charts.chart_svg(("empty",), build, title="x") is None
    assert len(built) == 1 and renders == []


def test_clear_local_cache_forgets_the_charts_by_inputs(renders: list[dict[str, Any]]) -> None:
    charts.chart_svg(("bars", 5), lambda: _bar_chart([5]), title="x")
    charts.clear_local_cache()
    cache.clear()
    charts.chart_svg(("bars", 5), lambda: _bar_chart([5]), title="x")
    assert len(renders) == 2


def test_specifications_are_validated_in_the_tests(settings: Any) -> None:
    """A broken chart fails in the tests (CHART_VALIDATION is on in onderdak.conf.test)."""
    assert settings.CHART_VALIDATION is True
    broken = charts.alt.Chart(charts.data([{"x": 1}]), mark="bars")  # no such mark
    with pytest.raises(Exception, match="bars"):
        charts.spec_of(broken)


def test_production_skips_the_schema_check(settings: Any) -> None:
    """Production (CHART_VALIDATION = DEBUG, off) renders without the ~20 ms schema check."""
    settings.CHART_VALIDATION = False
    broken = charts.alt.Chart(charts.data([{"x": 1}]), mark="bars")
    assert charts.spec_of(broken)["mark"] == {"type": "bars"}


def test_altair_is_not_imported_when_the_application_starts() -> None:
    """Altair (0.7 s of imports) is imported by the first chart, not by the master process
    that loads every view before the workers are forked (issue 11: restart to healthy)."""
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "from onderdak.wsgi import application; "
        "print('altair' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip().splitlines()[-1] == "False"
