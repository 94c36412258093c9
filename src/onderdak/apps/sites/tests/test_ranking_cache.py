"""The SMAA result of the ranking page is cached per exact input (issue 11: 2,000 weight samples
ran again on every request). A hit is the same result; any changed input is a miss."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import reverse

import numpy as np
import pytest

from onderdak.apps.accounts.models import User
from onderdak.apps.sites import adapters, services
from onderdak.apps.sites.models import Criterion, Site, WeightSet
from onderdak.apps.sites.tests.test_sites import scored  # noqa: F401 - the fixture
from onderdak.engines import siting


@dataclass
class _Weight:
    criterion: Criterion
    weight: float
    low: float | None = None
    high: float | None = None


class _Weights:
    def __init__(self, weights: list[_Weight]) -> None:
        self._weights = weights

    def all(self) -> list[_Weight]:
        return self._weights


@dataclass
class _WeightSet:
    """What :func:`adapters.uncertainty` reads of a weight set (no database needed)."""

    weights: _Weights


CRITERIA = [
    Criterion(key="cost_per_place", label="Kosten", kind="weighted", direction="cost"),
    Criterion(key="local_support", label="Draagvlak", kind="weighted", direction="benefit"),
]
SITES = [Site(pk=pk, name=name) for pk, name in ((1, "Goed"), (2, "Matig"), (3, "Derde"))]
VALUES = np.array([[80_000.0, 5.0], [150_000.0, 1.0], [100_000.0, 3.0]])


def _matrix(values: np.ndarray[Any, Any] = VALUES) -> adapters.Matrix:
    return adapters.Matrix(sites=SITES, criteria=CRITERIA, values=values.copy())


def _bounds(low: float, high: float) -> Any:
    return _WeightSet(_Weights([_Weight(CRITERIA[0], 3, low, high), _Weight(CRITERIA[1], 2)]))


@pytest.fixture
def engine_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Every call that reaches the engine (the real SMAA still runs)."""
    calls: list[dict[str, Any]] = []
    real = siting.smaa

    def counting(*args: Any, **kwargs: Any) -> siting.SmaaResult:
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(siting, "smaa", counting)
    adapters.SMAA_RESULTS.clear()
    yield calls
    adapters.SMAA_RESULTS.clear()


def _run(matrix: adapters.Matrix, weight_set: Any = None, **options: Any) -> siting.SmaaResult:
    arguments: dict[str, Any] = {
        "method": "topsis",
        "normalization": "vector",
        "samples": 500,
        "seed": 2026,
    }
    arguments.update(options)
    return adapters.uncertainty(matrix, weight_set, **arguments)


def test_the_same_inputs_run_smaa_once_and_give_the_same_result(
    engine_calls: list[dict[str, Any]],
) -> None:
    first = _run(_matrix(), _bounds(2, 4))
    second = _run(_matrix(), _bounds(2, 4))  # a new matrix with the same numbers
    assert second is first and len(engine_calls) == 1
    direct = siting.smaa(
        VALUES,
        adapters.engine_criteria(_matrix()),
        samples=500,
        seed=2026,
        sites=["1", "2", "3"],
        method="topsis",
        normalization="vector",
        weight_bounds={"cost_per_place": (2 / 5, 4 / 5)},
    )
    np.testing.assert_array_equal(first.acceptability, direct.acceptability)
    assert adapters.SMAA_RESULTS.hits == 1 and adapters.SMAA_RESULTS.misses == 1


def test_a_changed_weight_range_misses(engine_calls: list[dict[str, Any]]) -> None:
    wide = _run(_matrix(), _bounds(2, 4))
    narrow = _run(_matrix(), _bounds(3, 4))
    assert len(engine_calls) == 2
    assert engine_calls[0]["weight_bounds"] != engine_calls[1]["weight_bounds"]
    assert wide.weight_mean[0] < narrow.weight_mean[0]  # the result of the narrower range


def test_a_changed_weight_of_the_set_misses(engine_calls: list[dict[str, Any]]) -> None:
    """The bounds are normalised by the set's total weight: another weight, other bounds."""
    _run(_matrix(), _bounds(2, 4))
    heavier = _WeightSet(_Weights([_Weight(CRITERIA[0], 3, 2, 4), _Weight(CRITERIA[1], 7)]))
    _run(_matrix(), heavier)
    assert len(engine_calls) == 2


@pytest.mark.parametrize(
    "change",
    [
        {"method": "wsm"},
        {"method": "promethee2"},
        {"normalization": "minmax"},
        {"seed": 2027},
        {"samples": 400},
    ],
)
def test_every_option_is_part_of_the_key(
    engine_calls: list[dict[str, Any]], change: dict[str, Any]
) -> None:
    _run(_matrix())
    _run(_matrix(), **change)
    _run(_matrix(), **change)
    assert len(engine_calls) == 2


def test_a_changed_value_in_the_matrix_misses(engine_calls: list[dict[str, Any]]) -> None:
    _run(_matrix())
    changed = VALUES.copy()
    changed[2, 1] = 4.0
    _run(_matrix(changed))
    assert len(engine_calls) == 2


def test_other_sites_miss(engine_calls: list[dict[str, Any]]) -> None:
    _run(_matrix())
    renamed = adapters.Matrix(
        sites=[Site(pk=pk, name=s.name) for pk, s in zip((1, 2, 4), SITES, strict=True)],
        criteria=CRITERIA,
        values=VALUES.copy(),
    )
    assert _run(renamed).sites == ("1", "2", "4")
    assert len(engine_calls) == 2


def test_the_cache_is_bounded(
    engine_calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(adapters.SMAA_RESULTS, "entries", 2)
    for seed in range(4):
        _run(_matrix(), seed=seed)
    assert len(adapters.SMAA_RESULTS) == 2
    _run(_matrix(), seed=0)  # the oldest was dropped
    assert len(engine_calls) == 5


@pytest.mark.django_db
def test_the_ranking_page_runs_smaa_once_per_input(
    scored: dict[str, Site],  # noqa: F811 - the fixture imported above
    users: dict[str, User],
    engine_calls: list[dict[str, Any]],
) -> None:
    client = Client()
    client.force_login(users["diemen-editor"])
    first = client.get(reverse("sites:ranking"))
    second = client.get(reverse("sites:ranking"))
    assert first.status_code == second.status_code == 200
    assert len(engine_calls) == 1
    # the same figures on the page (the chart and the shortlist probabilities)
    assert first.content.decode().count("<svg") == second.content.decode().count("<svg") >= 1
    client.get(reverse("sites:ranking"), {"method": "wsm"})
    assert len(engine_calls) == 2
    first_set = client.get(reverse("sites:ranking")).context["analysis"].weight_set
    other = WeightSet.objects.exclude(pk=first_set.pk).get(name__in=["College", "Bewoners"])
    client.get(reverse("sites:ranking"), {"set": str(other.pk)})  # other weights and ranges
    assert len(engine_calls) == 3
    # a site's changed value is another matrix: a miss
    services.site_update(actor=users["diemen-editor"], site=scored["third"], local_support=5)
    client.get(reverse("sites:ranking"))
    assert len(engine_calls) == 4
