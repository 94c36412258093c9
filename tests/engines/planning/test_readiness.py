"""Directive readiness: places by a day from the pipeline, certainty, gap, what to accelerate."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.engines.planning import (
    Delivery,
    Link,
    LinkType,
    PlanningInputError,
    Task,
    readiness,
    simulate,
)
from onderdak.engines.planning.readiness import certain

# A (5 days) delivers 20 places at milestone D1; B (10 days) then C (2) deliver 30 at D2.
TASKS = [Task("A", 5), Task("D1", 0), Task("B", 10), Task("C", 2), Task("D2", 0)]
LINKS = [Link("A", "D1"), Link("B", "C"), Link("C", "D2")]
DELIVERIES = [Delivery("D1", 20), Delivery("D2", 30)]


def check(by: int = 7, **changes: object) -> object:
    values: dict[str, object] = {
        "required": 50,
        "by": by,
        "available": 10,
        "claimed": 5,
        "deliveries": DELIVERIES,
        "runs": 50,
        "seed": 1,
    }
    values.update(changes)
    return readiness(TASKS, LINKS, **values)  # type: ignore[arg-type]


def test_without_spread_only_the_deliveries_on_time_count() -> None:
    result = check(7)
    # 10 free - 5 claimed + 20 from D1 (finishes at 5); D2 finishes at 12, after 7
    assert result.expected == 25  # type: ignore[attr-defined]
    assert result.reached == {50: 25, 80: 25, 90: 25}  # type: ignore[attr-defined]
    assert result.gap == {50: 25, 80: 25, 90: 25}  # type: ignore[attr-defined]
    assert result.probability == 0  # type: ignore[attr-defined]
    d1, d2 = result.deliveries  # type: ignore[attr-defined]
    assert (d1.probability, d1.p50, d1.p90) == (1.0, 5, 5)
    assert (d2.probability, d2.p50, d2.p90) == (0.0, 12, 12)
    # B and C drive the late delivery D2; A drives D1, which is on time; D2 is a milestone
    assert result.acceleration == (("B", 1.0), ("C", 1.0))  # type: ignore[attr-defined]


def test_all_on_time_meets_the_requirement_and_accelerates_nothing() -> None:
    result = check(12)
    assert result.reached == {50: 55, 80: 55, 90: 55}  # type: ignore[attr-defined]
    assert result.gap == {50: 0, 80: 0, 90: 0}  # type: ignore[attr-defined]
    assert result.probability == 1.0  # type: ignore[attr-defined]
    assert result.acceleration == ()  # type: ignore[attr-defined]


def test_driving_path_follows_start_and_finish_links() -> None:
    # E starts 2 days after B starts (SS +2) and must finish with C (FF 0): E (1 day) is
    # driven by B, not driving; F (8 days) finishes-to-finish into D2 with lag 5 and drives it
    tasks = [*TASKS, Task("F", 8)]
    links = [*LINKS, Link("F", "D2", LinkType.FF, 5)]
    result = readiness(
        tasks,
        links,
        required=1,
        by=0,
        available=0,
        claimed=0,
        deliveries=[Delivery("D2", 30)],
        runs=10,
        seed=1,
    )
    # D2: max(C's finish 12, F's finish 8 + 5 = 13) = 13, driven by F alone
    assert result.deliveries[0].p50 == 13
    assert result.acceleration == (("F", 1.0),)


def test_uses_the_runs_of_the_schedule_risk_analysis() -> None:
    tasks = [Task("A", 5, 2, 5, 12), Task("D1", 0), Task("B", 4, 1, 4, 9), Task("D2", 0)]
    links = [Link("A", "D1"), Link("B", "D2"), Link("A", "B", LinkType.SS, 1)]
    risk = simulate(tasks, links, runs=2000, seed=11, milestones=["D1", "D2"], deadline=8)
    result = readiness(
        tasks,
        links,
        required=40,
        by=8,
        available=0,
        claimed=0,
        deliveries=[Delivery("D1", 20), Delivery("D2", 20)],
        runs=2000,
        seed=11,
    )
    for outlook, milestone in zip(result.deliveries, risk.milestones, strict=True):
        assert (outlook.p50, outlook.p80, outlook.p90) == (
            milestone.p50,
            milestone.p80,
            milestone.p90,
        )
        assert outlook.probability == milestone.probability
    assert 0 < result.probability < 1
    assert result.reached[50] >= result.reached[80] >= result.reached[90]
    # every run where a delivery is late has a driving task (A or B)
    assert result.acceleration
    assert {task for task, _ in result.acceleration} <= {"A", "B"}


def test_does_not_depend_on_the_block_size(monkeypatch: pytest.MonkeyPatch) -> None:
    tasks = [Task("A", 5, 2, 5, 12), Task("D1", 0), Task("B", 4, 1, 4, 9), Task("D2", 0)]
    links = [Link("A", "D1"), Link("B", "D2")]
    values: dict[str, object] = {
        "required": 30,
        "by": 6,
        "available": 3,
        "claimed": 1,
        "deliveries": [Delivery("D1", 20), Delivery("D2", 20)],
        "runs": 300,
        "seed": 5,
    }
    whole = readiness(tasks, links, **values)  # type: ignore[arg-type]
    # the package's name ``readiness`` is the function; patch the module itself
    monkeypatch.setattr(sys.modules["onderdak.engines.planning.readiness"], "BLOCK_CELLS", 8)
    assert readiness(tasks, links, **values) == whole  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-50, 50), min_size=1, max_size=40), st.sampled_from([50, 80, 90]))
def test_certain_is_the_largest_value_reached_often_enough(values: list[int], percent: int) -> None:
    import numpy as np

    array = np.array(values, dtype=np.int64)
    value = certain(array, percent)
    assert (array >= value).sum() * 100 >= percent * len(values)
    higher = [v for v in values if v > value]
    if higher:
        assert (array >= min(higher)).sum() * 100 < percent * len(values)


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"deliveries": [Delivery("X", 3)]}, "unknown_delivery", "deliveries"),
        ({"deliveries": [Delivery("D1", -3)]}, "invalid_places", "deliveries"),
        ({"available": -1}, "invalid_places", "available"),
        ({"claimed": 1.5}, "invalid_places", "claimed"),
        ({"required": 0}, "invalid_places", "required"),
        ({"runs": 0}, "invalid_runs", "runs"),
        ({"distribution": "normal"}, "unknown_distribution", "distribution"),
        ({"by": -1}, "negative_deadline", "deadline"),
    ],
)
def test_impossible_input_is_refused_with_a_code(
    changes: dict[str, object], code: str, field: str
) -> None:
    with pytest.raises(PlanningInputError) as caught:
        check(**changes)
    assert (caught.value.code, caught.value.field) == (code, field)
