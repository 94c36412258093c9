"""Directive readiness: "N additional places for a target group by day D" -- can the
pipeline deliver them, and how sure is that?

The places expected by D in one simulated run are

    available - claimed + sum of the places of every delivery whose task finishes by D

where ``available`` are the places free now (and still usable at D), ``claimed`` the places
that do not count towards the requirement (people already waiting for a place take free
places first; a permit that ends before D: its occupants need a place too) and a
delivery is a task of the plan (a complex delivered with N places) that finishes by D in
that run (early finish EF <= ``by``). The runs are those of
:func:`onderdak.engines.planning.simulate`, with the same draws for the same seed and the
same scheduling rules. The result gives the probability that the required number is
reached, the places reached with 50, 80 and 90 percent certainty (the largest number that
at least that share of runs reaches), the gap (the places still missing at those
certainties), per delivery its chance of being on time and its P50/P80/P90 finish, and per
task its *acceleration index*: the share of runs in which the task drives a delivery that
is late in that run (zero float against that delivery's own early finish). Those are the
tasks to accelerate: shortening one that is never on such a driving path gains nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from onderdak.engines.planning.cpm import check_deadline
from onderdak.engines.planning.model import Link, PlanningInputError, Task
from onderdak.engines.planning.network import build
from onderdak.engines.planning.risk import (
    BLOCK_CELLS,
    Distribution,
    IntArray,
    Passes,
    check_simulation,
    sample_durations,
)

#: Certainties (percent) at which the places reached and the gap are reported.
CERTAINTIES = (50, 80, 90)
#: A bound no real date offset reaches ("no constraint").
UNBOUNDED = 1 << 40


@dataclass(frozen=True, slots=True)
class Delivery:
    """``places`` that come available when task ``task`` finishes."""

    task: str
    places: int


@dataclass(frozen=True, slots=True)
class DeliveryOutlook:
    """One delivery: the share of runs in which it finishes by D (``probability``) and its
    finish percentiles (day offsets, as :class:`onderdak.engines.planning.FinishRisk`)."""

    task: str
    places: int
    probability: float
    p50: int
    p80: int
    p90: int


@dataclass(frozen=True, slots=True)
class ReadinessResult:
    """The outcome of :func:`readiness`.

    ``reached`` maps each certainty of :data:`CERTAINTIES` to the places reached with it and
    ``gap`` to the places then still missing (0 when the requirement is met). ``expected``
    is the mean over the runs and ``probability`` the share of runs reaching ``required``.
    ``acceleration`` lists (task, index) for every task with an index above 0, highest
    first (ties in input order).
    """

    required: int
    available: int
    claimed: int
    by: int
    runs: int
    seed: int
    distribution: str
    expected: float
    probability: float
    reached: dict[int, int]
    gap: dict[int, int]
    deliveries: tuple[DeliveryOutlook, ...]
    acceleration: tuple[tuple[str, float], ...]


def _count(value: object, field: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise PlanningInputError(
            f"must be a whole number >= {minimum}, not {value!r}",
            code="invalid_places",
            kind="readiness",
            field=field,
            params={"value": value},
        )
    return value


def certain(values: IntArray, percent: int) -> int:
    """The largest value that at least ``percent`` percent of ``values`` reach (>=)."""
    ordered = np.sort(values)
    k = min(len(ordered) - 1, (len(ordered) * (100 - percent)) // 100)
    return int(ordered[k])


def readiness(
    tasks: Sequence[Task],
    links: Sequence[Link],
    *,
    required: int,
    by: int,
    available: int,
    claimed: int,
    deliveries: Sequence[Delivery],
    runs: int,
    seed: int,
    distribution: Distribution = "triangular",
) -> ReadinessResult:
    """Whether ``required`` places are there by day offset ``by`` (see the module docstring).

    Raises :class:`PlanningInputError` for an invalid plan (as :func:`simulate`), a
    delivery of an unknown task (``unknown_delivery``) or a count that is not a whole
    number >= 0 (``invalid_places``; ``required`` >= 1)."""
    check_simulation(runs, distribution)
    _count(required, "required", minimum=1)
    _count(available, "available")
    _count(claimed, "claimed")
    by_offset = check_deadline(by)
    assert by_offset is not None
    network = build(tasks, links)
    for delivery in deliveries:
        if delivery.task not in network.index:
            raise PlanningInputError(
                f"unknown task {delivery.task!r}",
                code="unknown_delivery",
                kind="readiness",
                field="deliveries",
                params={"task": delivery.task},
            )
        _count(delivery.places, "deliveries")
    rng = np.random.default_rng(seed)
    durations = sample_durations(tasks, runs, rng, distribution)
    n = len(tasks)
    rows = [network.index[d.task] for d in deliveries]
    places = np.array([d.places for d in deliveries], dtype=np.int64).reshape(-1, 1)
    finishes = np.zeros((len(rows), runs), dtype=np.int64)
    driving = np.zeros(n, dtype=np.int64)
    passes = Passes(network, tasks)
    block = max(1, BLOCK_CELLS // max(n, 1))
    for first in range(0, runs, block):
        d = durations[:, first : first + block].astype(np.int64)
        es, ef = passes.forward(d)
        delivered = ef[rows]
        finishes[:, first : first + block] = delivered
        late = delivered > by_offset
        if late.any():
            bound = np.full(d.shape, UNBOUNDED, dtype=np.int64)
            for k, i in enumerate(rows):
                np.minimum(bound[i], np.where(late[k], delivered[k], UNBOUNDED), out=bound[i])
            ls = passes.backward_from(d, bound)
            driving += (ls - es <= 0).sum(axis=1)
    on_time = finishes <= by_offset
    per_run = available - claimed + (places * on_time).sum(axis=0)
    reached = {p: certain(per_run, p) for p in CERTAINTIES}
    outlooks = tuple(
        DeliveryOutlook(
            task=delivery.task,
            places=delivery.places,
            probability=float(on_time[k].mean()),
            p50=_percentile(finishes[k], 50),
            p80=_percentile(finishes[k], 80),
            p90=_percentile(finishes[k], 90),
        )
        for k, delivery in enumerate(deliveries)
    )
    # a milestone (duration 0 in every run) cannot be shortened
    indices = [
        (network.ids[i], float(count) / runs)
        for i, count in enumerate(driving.tolist())
        if count and (tasks[i].duration > 0 or (tasks[i].pessimistic or 0) > 0)
    ]
    ranked = sorted(indices, key=lambda item: -item[1])
    return ReadinessResult(
        required=required,
        available=available,
        claimed=claimed,
        by=by_offset,
        runs=runs,
        seed=seed,
        distribution=distribution,
        expected=float(per_run.mean()),
        probability=float(np.mean(per_run >= required)),
        reached=reached,
        gap={p: max(0, required - value) for p, value in reached.items()},
        deliveries=outlooks,
        acceleration=tuple(ranked),
    )


def _percentile(values: IntArray, percent: int) -> int:
    return int(np.percentile(values, percent, method="inverted_cdf"))
