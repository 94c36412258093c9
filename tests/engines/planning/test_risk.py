"""Schedule risk: zero spread equals CPM, seeding, rounding, distributions, criticality."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from onderdak.engines.planning import Link, LinkType, PlanningInputError, Task, schedule, simulate
from onderdak.engines.planning.risk import sample_durations
from tests.engines.planning.test_properties import dags

TASKS = [
    Task("A", 5, 3, 5, 10),
    Task("B", 4, 2, 4, 6),
    Task("C", 2),
    Task("M", 0),
]
LINKS = [Link("A", "M"), Link("B", "C"), Link("C", "M", LinkType.FF, 0)]


@settings(max_examples=100, deadline=None)
@given(dags())
def test_zero_spread_equals_cpm(plan: tuple[list[Task], list[Link]]) -> None:
    tasks, links = plan
    flat = [Task(t.id, t.duration, t.duration, t.duration, t.duration) for t in tasks]
    cpm = schedule(tasks, links)
    last = tasks[-1].id
    for distribution in ("triangular", "pert"):
        risk = simulate(flat, links, runs=7, seed=1, distribution=distribution, milestones=[last])  # type: ignore[arg-type]
        assert (risk.finish.p50, risk.finish.p80, risk.finish.p90) == (cpm.finish,) * 3
        assert risk.finish.mean == cpm.finish
        (milestone,) = risk.milestones
        assert milestone.p50 == milestone.p90 == cpm[last].ef
        assert [risk.criticality[t.id] for t in tasks] == [float(c) for c in cpm.critical]


def test_same_seed_same_result_and_another_seed_differs() -> None:
    first = simulate(TASKS, LINKS, runs=500, seed=7, milestones=["M"], deadline=8)
    assert simulate(TASKS, LINKS, runs=500, seed=7, milestones=["M"], deadline=8) == first
    assert simulate(TASKS, LINKS, runs=500, seed=8, milestones=["M"], deadline=8) != first


def test_results_do_not_depend_on_the_block_size(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = simulate(TASKS, LINKS, runs=300, seed=3, milestones=["M"])
    monkeypatch.setattr("onderdak.engines.planning.risk.BLOCK_CELLS", 40)
    assert simulate(TASKS, LINKS, runs=300, seed=3, milestones=["M"]) == whole


def test_percentiles_probability_and_criticality() -> None:
    risk = simulate(TASKS, LINKS, runs=20_000, seed=2026, milestones=["M"], deadline=6)
    # finish = max(A, B + 2 - 0 ...): A ~ triangular(3, 5, 10); C finishes >= B's finish + 2
    assert 3 <= risk.finish.p50 <= risk.finish.p80 <= risk.finish.p90 <= 10
    assert risk.finish.target == 6
    assert risk.finish.probability is not None
    assert 0 < risk.finish.probability < 1
    assert risk.milestones[0].id == "M"
    assert risk.criticality["M"] == 1.0  # the last task is always critical
    assert risk.criticality["A"] + risk.criticality["B"] >= 1.0  # one of them drives
    # A ~ triangular(3, 5, 10) and B + C ~ triangular(2, 4, 6) + 2 have the same mean 6:
    # each drives in a good share of the runs (ties make both critical)
    assert 0.3 < risk.criticality["A"] < 0.8
    assert 0.3 < risk.criticality["B"] < 0.8


@settings(max_examples=60, deadline=None)
@given(dags(max_tasks=8))
def test_every_run_equals_cpm_on_its_sampled_durations(plan: tuple[list[Task], list[Link]]) -> None:
    """The vectorised passes against :func:`schedule` run by run, on the same draws."""
    tasks, links = plan
    tasks = [Task(t.id, t.duration, t.duration // 2, t.duration, 2 * t.duration + 1) for t in tasks]
    runs, seed, last = 25, 11, tasks[-1].id
    risk = simulate(tasks, links, runs=runs, seed=seed, distribution="pert", milestones=[last])
    durations = sample_durations(tasks, runs, np.random.default_rng(seed), "pert")
    finishes, milestone, critical = [], [], np.zeros(len(tasks))
    for run in range(runs):
        drawn = [Task(t.id, int(durations[i, run])) for i, t in enumerate(tasks)]
        result = schedule(drawn, links)
        finishes.append(result.finish)
        milestone.append(result[last].ef)
        critical += np.array(result.critical)
    assert risk.finish.mean == pytest.approx(np.mean(finishes))
    assert risk.finish.p90 == int(np.percentile(finishes, 90, method="inverted_cdf"))
    assert risk.milestones[0].p50 == int(np.percentile(milestone, 50, method="inverted_cdf"))
    assert [risk.criticality[t.id] for t in tasks] == pytest.approx((critical / runs).tolist())


def test_milestone_target_is_its_latest_finish() -> None:
    tasks = [Task("A", 5, 3, 5, 10), Task("M", 0, latest_finish=5)]
    risk = simulate(tasks, [Link("A", "M")], runs=4_000, seed=1, milestones=["M"])
    assert risk.milestones[0].target == 5
    assert risk.finish.target is None and risk.finish.probability is None
    probability = risk.milestones[0].probability
    assert probability is not None
    # P(round half up of triangular(3, 5, 10) <= 5) = P(X < 5.5) = 1 - 4.5**2 / 35 = 0.4214...
    assert probability == pytest.approx(1 - 4.5**2 / 35, abs=0.03)


def test_durations_are_rounded_half_up_within_the_estimate() -> None:
    rng = np.random.default_rng(0)
    draws = sample_durations([Task("A", 2, 0, 1, 2)], 50_000, rng, "triangular")[0]
    assert set(np.unique(draws).tolist()) == {0, 1, 2}
    # triangular(0, 1, 2): P(X < 0.5) = 0.125, P(X >= 1.5) = 0.125
    shares = np.bincount(draws, minlength=3) / draws.size
    assert shares == pytest.approx([0.125, 0.75, 0.125], abs=0.01)


def test_pert_is_narrower_than_triangular() -> None:
    rng = np.random.default_rng(0)
    task = Task("A", 20, 10, 20, 60)
    triangular = sample_durations([task], 20_000, rng, "triangular")[0]
    pert = sample_durations([task], 20_000, rng, "pert")[0]
    # PERT mean (a + 4m + b) / 6 = 25; triangular mean (a + m + b) / 3 = 30
    assert pert.mean() == pytest.approx(25, abs=0.3)
    assert triangular.mean() == pytest.approx(30, abs=0.3)
    assert pert.std() < triangular.std()


def test_tasks_without_estimate_keep_their_duration() -> None:
    durations = sample_durations(
        [Task("A", 4), Task("B", 3, 3, 3, 3)], 10, np.random.default_rng(0), "pert"
    )
    assert durations.tolist() == [[4] * 10, [3] * 10]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"runs": 0}, "invalid_runs"),
        ({"runs": 10, "distribution": "normal"}, "unknown_distribution"),
        ({"runs": 10, "milestones": ["X"]}, "unknown_milestone"),
        ({"runs": 10, "deadline": -1}, "negative_deadline"),
    ],
)
def test_errors(kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(PlanningInputError) as caught:
        simulate(TASKS, LINKS, seed=1, **kwargs)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_cycle_is_refused() -> None:
    with pytest.raises(PlanningInputError) as caught:
        simulate(TASKS, [*LINKS, Link("M", "A")], runs=5, seed=1)
    assert caught.value.params["cycle"] == ("A", "M", "A")


def test_empty_plan_and_a_lone_milestone() -> None:
    empty = simulate([], [], runs=5, seed=1)
    assert (empty.finish.p50, empty.finish.p90, empty.criticality) == (0, 0, {})
    lone = simulate([Task("A", 0)], [], runs=3, seed=1, milestones=["A"], deadline=0)
    assert lone.finish.probability == 1.0
    assert lone.milestones[0].p80 == 0
    assert lone.criticality == {"A": 1.0}
