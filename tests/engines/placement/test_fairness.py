"""The fairness report on a small hand-worked case."""

from __future__ import annotations

from onderdak.engines.placement import (
    GroupOutcome,
    Household,
    Placement,
    fairness_report,
    size_band,
)

HOUSEHOLDS = (
    Household("A", "status_holder", adults=1, waiting_days=100),
    Household("B", "status_holder", adults=2, minors=2, waiting_days=300),
    Household("C", "displaced_ukrainian", adults=1, minors=1, waiting_days=200),
    Household("D", "displaced_ukrainian", adults=3, minors=2, waiting_days=50),
)
OPTIMAL = (Placement("A", "U1", 3.0), Placement("C", "U2", 4.5), Placement("D", "U3", 2.0))
GREEDY = (Placement("B", "U3", 5.0), Placement("C", "U2", 4.0))


def test_size_bands() -> None:
    assert [size_band(p) for p in (1, 2, 3, 4, 5, 9)] == ["1", "2", "3-4", "3-4", "5+", "5+"]


def test_hand_worked_report() -> None:
    report = fairness_report(HOUSEHOLDS, OPTIMAL, GREEDY)
    optimal = report.optimal
    assert (optimal.objective, optimal.placed) == (9.5, 3)
    # placed A, C, D: scores 3 + 4.5 + 2 = 9.5 over 3; waiting (100 + 200 + 50) / 3; B waits 300
    assert optimal.overall == GroupOutcome("all", 4, 3, 0.75, 9.5 / 3, 350 / 3, 300.0)
    assert optimal.by_target_group == (
        GroupOutcome("status_holder", 2, 1, 0.5, 3.0, 100.0, 300.0),
        GroupOutcome("displaced_ukrainian", 2, 2, 1.0, 3.25, 125.0, None),
    )
    assert optimal.by_size == (
        GroupOutcome("1", 1, 1, 1.0, 3.0, 100.0, None),
        GroupOutcome("2", 1, 1, 1.0, 4.5, 200.0, None),
        GroupOutcome("3-4", 1, 0, 0.0, None, None, 300.0),
        GroupOutcome("5+", 1, 1, 1.0, 2.0, 50.0, None),
    )
    greedy = report.greedy
    assert (greedy.objective, greedy.placed) == (9.0, 2)
    # greedy houses the longest waiting (B 300, C 200): average waiting of the placed 250
    assert greedy.overall == GroupOutcome("all", 4, 2, 0.5, 4.5, 250.0, 75.0)
    assert greedy.by_target_group[0] == GroupOutcome("status_holder", 2, 1, 0.5, 5.0, 300.0, 100.0)
    assert report.objective_ratio == 9.0 / 9.5
    assert report.greedy_meets_constraints


def test_no_placements_has_no_ratio() -> None:
    report = fairness_report(HOUSEHOLDS, (), ())
    assert report.objective_ratio is None
    assert report.optimal.overall == GroupOutcome("all", 4, 0, 0.0, None, None, 162.5)
