"""Schedule risk analysis: Monte Carlo simulation of the critical path method over three-point
estimates (Van Slyke 1963, "Monte Carlo methods and the PERT problem"; Vose 2008, "Risk
Analysis", ch. 15; the criticality index of Dodin and Elmaghraby 1985).

Each run draws every task's duration from its estimate (optimistic a, most likely m,
pessimistic b) as a real number, from the triangular distribution (a, m, b) or the PERT beta
distribution (alpha = 1 + 4 (m - a) / (b - a), beta = 1 + 4 (b - m) / (b - a), scaled to
[a, b]), and rounds it half up to whole days (``floor(x + 0.5)``; the result stays within
[a, b]). Tasks without an estimate, and estimates with a = b, keep their duration. Every run
is then scheduled with the same rules as :func:`onderdak.engines.planning.schedule` (the
forward pass gives the finishes; the backward pass starts from that run's own finish, so the
criticality index is "critical in this run" and does not depend on the deadline).

All runs go through each topological step at once (NumPy arrays of shape tasks x runs, in
blocks of runs to bound memory); the draws are made task by task in input order from
``numpy.random.default_rng(seed)``, so the same seed gives the same result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

from onderdak.engines.planning.cpm import check_deadline
from onderdak.engines.planning.model import (
    FinishRisk,
    Link,
    PlanningInputError,
    RiskResult,
    Task,
)
from onderdak.engines.planning.network import Network, build

Distribution = Literal["triangular", "pert"]
DISTRIBUTIONS = ("triangular", "pert")
#: Cells (tasks x runs) per block of runs.
BLOCK_CELLS = 4_000_000

IntArray = npt.NDArray[np.int64]


def simulate(
    tasks: Sequence[Task],
    links: Sequence[Link],
    *,
    runs: int,
    seed: int,
    distribution: Distribution = "triangular",
    deadline: int | None = None,
    milestones: Sequence[str] = (),
) -> RiskResult:
    """The distribution of the project finish and of each milestone's finish over ``runs``
    simulated schedules, and every task's criticality index.

    ``milestones`` are the ids of the tasks (any task, not only those of duration 0) whose
    finish (EF) distribution is reported, in that order. ``deadline`` is the target of the
    project finish; a milestone's target is its ``latest_finish`` constraint, else the
    deadline (no target: ``probability`` None).
    """
    check_simulation(runs, distribution)
    deadline = check_deadline(deadline)
    network = build(tasks, links)
    for milestone in milestones:
        if milestone not in network.index:
            raise PlanningInputError(
                f"unknown task {milestone!r}",
                code="unknown_milestone",
                kind="simulation",
                field="milestones",
                params={"task": milestone},
            )
    rng = np.random.default_rng(seed)
    durations = sample_durations(tasks, runs, rng, distribution)
    n = len(tasks)
    watched = [network.index[m] for m in milestones]
    finishes = np.zeros(runs, dtype=np.int64)
    milestone_finishes = np.zeros((len(watched), runs), dtype=np.int64)
    critical_runs = np.zeros(n, dtype=np.int64)
    block = max(1, BLOCK_CELLS // max(n, 1))
    passes = Passes(network, tasks)
    for first in range(0, runs, block):
        d = durations[:, first : first + block].astype(np.int64)
        es, ef = passes.forward(d)
        finish = ef.max(axis=0) if n else np.zeros(d.shape[1], dtype=np.int64)
        ls = passes.backward(d, finish)
        critical_runs += (ls - es <= 0).sum(axis=1)
        finishes[first : first + block] = finish
        if watched:
            milestone_finishes[:, first : first + block] = ef[watched]
    project = _finish_risk(None, finishes, deadline)
    risks = tuple(
        _finish_risk(
            milestones[k],
            milestone_finishes[k],
            tasks[i].latest_finish if tasks[i].latest_finish is not None else deadline,
        )
        for k, i in enumerate(watched)
    )
    return RiskResult(
        runs=runs,
        seed=seed,
        distribution=distribution,
        finish=project,
        milestones=risks,
        criticality={
            id: float(count) / runs
            for id, count in zip(network.ids, critical_runs.tolist(), strict=True)
        },
    )


def check_simulation(runs: object, distribution: object) -> None:
    """Raise :class:`PlanningInputError` ``invalid_runs`` or ``unknown_distribution``."""
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise PlanningInputError(
            f"must be a whole number >= 1, not {runs!r}",
            code="invalid_runs",
            kind="simulation",
            field="runs",
            params={"value": runs},
        )
    if distribution not in DISTRIBUTIONS:
        raise PlanningInputError(
            f"unknown distribution {distribution!r} (triangular or pert)",
            code="unknown_distribution",
            kind="simulation",
            field="distribution",
            params={"value": distribution},
        )


def sample_durations(
    tasks: Sequence[Task], runs: int, rng: np.random.Generator, distribution: str
) -> npt.NDArray[np.int32]:
    """Durations tasks x runs: drawn per task with an estimate of nonzero spread (in input
    order), rounded half up; the duration elsewhere."""
    durations = np.empty((len(tasks), runs), dtype=np.int32)
    for i, task in enumerate(tasks):
        low, mode, high = task.optimistic, task.most_likely, task.pessimistic
        if low is None or mode is None or high is None or low == high:
            durations[i] = task.duration if low is None or mode is None else mode
            continue
        if distribution == "triangular":
            draws = rng.triangular(low, mode, high, size=runs)
        else:
            spread = high - low
            alpha = 1 + 4 * (mode - low) / spread
            beta = 1 + 4 * (high - mode) / spread
            draws = low + spread * rng.beta(alpha, beta, size=runs)
        durations[i] = np.clip(np.floor(draws + 0.5), low, high)
    return durations


class Passes:
    """The forward and backward pass over a block of runs, one row per task."""

    def __init__(self, network: Network, tasks: Sequence[Task]) -> None:
        n = len(tasks)
        self.order = network.order
        # forward: per successor the start-bound (FS from EF, SS from ES) and finish-bound
        # (FF from EF, SF from ES) links as (predecessor, lag, from_finish)
        self.starts: list[list[tuple[int, int, bool]]] = [[] for _ in range(n)]
        self.finishes: list[list[tuple[int, int, bool]]] = [[] for _ in range(n)]
        # backward: per predecessor its late-finish bounds (FS: LS(s) - lag, FF: LF(s) - lag)
        # and late-start bounds (SS: LS(s) - lag, SF: LF(s) - lag) as (successor, lag, to_finish)
        self.late_finishes: list[list[tuple[int, int, bool]]] = [[] for _ in range(n)]
        self.late_starts: list[list[tuple[int, int, bool]]] = [[] for _ in range(n)]
        for p, s, lag, a, b in zip(
            network.pred.tolist(),
            network.succ.tolist(),
            network.lag.tolist(),
            network.uses_pred.tolist(),
            network.uses_succ.tolist(),
            strict=True,
        ):
            (self.finishes if b else self.starts)[s].append((p, lag, bool(a)))
            (self.late_finishes if a else self.late_starts)[p].append((s, lag, bool(b)))
        self.floor = [max(0, task.earliest_start or 0) for task in tasks]
        self.ceiling = [task.latest_finish for task in tasks]

    def forward(self, d: IntArray) -> tuple[IntArray, IntArray]:
        es = np.empty_like(d)
        ef = np.empty_like(d)
        for i in self.order:
            best = np.full(d.shape[1], self.floor[i], dtype=np.int64)
            for p, lag, from_finish in self.starts[i]:
                np.maximum(best, (ef[p] if from_finish else es[p]) + lag, out=best)
            if self.finishes[i]:
                bound = np.full(d.shape[1], np.iinfo(np.int64).min // 4, dtype=np.int64)
                for p, lag, from_finish in self.finishes[i]:
                    np.maximum(bound, (ef[p] if from_finish else es[p]) + lag, out=bound)
                np.maximum(best, bound - d[i], out=best)
            es[i] = best
            ef[i] = best + d[i]
        return es, ef

    def backward(self, d: IntArray, finish: IntArray) -> IntArray:
        """The late starts when every task must finish by ``finish`` (one per run) and by its
        own latest finish constraint. ``finish`` is not changed."""
        return self._backward(d, lambda i: finish, self.ceiling)

    def backward_from(self, d: IntArray, bound: IntArray) -> IntArray:
        """The late starts when task ``i`` must finish by ``bound[i]`` (one value per run;
        ``bound`` is not changed) and its successors' late dates allow."""
        return self._backward(d, bound.__getitem__, [None] * len(self.ceiling))

    def _backward(
        self,
        d: IntArray,
        bound: Callable[[int], IntArray],
        ceiling: Sequence[int | None],
    ) -> IntArray:
        """The backward pass; task ``i`` finishes by ``bound(i)`` (one value per run, only
        read) and by ``ceiling[i]`` when set. Each row is worked out in place in ``lf[i]``,
        so no tasks x runs bound is allocated."""
        ls = np.empty_like(d)
        lf = np.empty_like(d)
        for i in reversed(self.order):
            best = lf[i]
            cap = ceiling[i]
            if cap is None:
                best[...] = bound(i)
            else:
                np.minimum(bound(i), cap, out=best)
            for s, lag, to_finish in self.late_finishes[i]:
                np.minimum(best, (lf[s] if to_finish else ls[s]) - lag, out=best)
            if self.late_starts[i]:
                start = np.full(d.shape[1], np.iinfo(np.int64).max // 4, dtype=np.int64)
                for s, lag, to_finish in self.late_starts[i]:
                    np.minimum(start, (lf[s] if to_finish else ls[s]) - lag, out=start)
                np.minimum(best, start + d[i], out=best)
            np.subtract(best, d[i], out=ls[i])
        return ls


def _finish_risk(id: str | None, finishes: IntArray, target: int | None) -> FinishRisk:
    p50, p80, p90 = (
        int(value)
        for value in np.percentile(finishes, [50, 80, 90], method="inverted_cdf").tolist()
    )
    probability = None if target is None else float(np.mean(finishes <= target))
    values, occurrences = np.unique(finishes, return_counts=True)
    return FinishRisk(
        id=id,
        p50=p50,
        p80=p80,
        p90=p90,
        mean=float(finishes.mean()),
        target=target,
        probability=probability,
        counts=tuple(zip(values.tolist(), occurrences.tolist(), strict=True)),
    )
