"""Validation and the constraint graph shared by the critical path method and the simulation.

Every link is one edge ``p -> s`` of a constraint on start times, ``ES(s) >= ES(p) + delta``
with ``delta`` from the link type, the lag and the two durations (d):

* FS: ``delta = d(p) + lag``;   * SS: ``delta = lag``;
* FF: ``delta = d(p) + lag - d(s)``;   * SF: ``delta = lag - d(s)``.

A plan is accepted when this graph has no cycle (any link type makes an edge; a self-link is a
cycle of one task), even where negative lags would make a cycle feasible in a general
temporal network. The topological order is Kahn's algorithm, ties broken by input order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

import numpy as np
import numpy.typing as npt

from onderdak.engines.planning.model import Link, LinkType, PlanningInputError, Task

#: Link type -> (delta uses d(p), delta uses d(s)): delta = lag + d(p)*a - d(s)*b.
LINK_TERMS: dict[LinkType, tuple[int, int]] = {
    LinkType.FS: (1, 0),
    LinkType.SS: (0, 0),
    LinkType.FF: (1, 1),
    LinkType.SF: (0, 1),
}

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Network:
    """A validated plan as arrays. Per task (input order): ``ids``, ``durations`` and the
    ``early_starts`` of the forward pass at these durations; per link (input order): ``pred``
    and ``succ`` (task positions), ``lag``, the two duration terms ``uses_pred``/``uses_succ``
    (delta = lag + d(p) * uses_pred - d(s) * uses_succ) and ``delta`` at the durations;
    ``order`` a topological order of the task positions."""

    ids: tuple[str, ...]
    index: dict[str, int]
    durations: list[int]
    pred: IntArray
    succ: IntArray
    lag: IntArray
    uses_pred: IntArray
    uses_succ: IntArray
    delta: IntArray
    order: list[int]
    early_starts: list[int]

    def deltas(self, durations: IntArray) -> IntArray:
        """Per link: ES(s) >= ES(p) + delta, for the given durations."""
        result: IntArray = (
            self.lag + durations[self.pred] * self.uses_pred - durations[self.succ] * self.uses_succ
        )
        return result


def _whole(value: object, *, kind: str, id: str | None, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlanningInputError(
            f"must be a whole number, not {value!r}",
            code="not_integer",
            kind=kind,
            id=id,
            field=field,
            params={"value": value},
        )
    return value


def validate_tasks(tasks: Sequence[Task]) -> dict[str, int]:
    """Task id -> position; :class:`PlanningInputError` for an empty or duplicate id, a
    duration that is not a whole number >= 0, a malformed estimate or constraint."""
    index: dict[str, int] = {}
    for position, task in enumerate(tasks):
        id = task.id
        if not isinstance(id, str) or not id:
            raise PlanningInputError(
                "the id is empty",
                code="empty_id",
                kind="task",
                field="id",
                params={"index": position},
            )
        if id in index:
            raise PlanningInputError(
                "appears twice",
                code="duplicate_task",
                kind="task",
                id=id,
                field="id",
                params={"task": id},
            )
        index[id] = position
        duration = _whole(task.duration, kind="task", id=id, field="duration")
        if duration < 0:
            raise PlanningInputError(
                f"must not be negative, not {duration}",
                code="negative_duration",
                kind="task",
                id=id,
                field="duration",
                params={"task": id, "value": duration},
            )
        for name in ("earliest_start", "latest_finish"):
            value = getattr(task, name)
            if value is not None:
                _whole(value, kind="task", id=id, field=name)
        _validate_estimate(task)
    return index


def _validate_estimate(task: Task) -> None:
    values = (task.optimistic, task.most_likely, task.pessimistic)
    if all(value is None for value in values):
        return
    names = ("optimistic", "most_likely", "pessimistic")
    for name, value in zip(names, values, strict=True):
        if value is None:
            raise PlanningInputError(
                "a three-point estimate needs optimistic, most likely and pessimistic",
                code="invalid_estimate",
                kind="task",
                id=task.id,
                field=name,
                params={"task": task.id},
            )
        _whole(value, kind="task", id=task.id, field=name)
    low, mode, high = (int(value) for value in values if value is not None)
    if not 0 <= low <= mode <= high:
        raise PlanningInputError(
            f"needs 0 <= optimistic <= most likely <= pessimistic, not {low} / {mode} / {high}",
            code="invalid_estimate",
            kind="task",
            id=task.id,
            field="optimistic" if low < 0 or low > mode else "pessimistic",
            params={"task": task.id},
        )


def build(tasks: Sequence[Task], links: Sequence[Link]) -> Network:
    """The validated constraint graph of a plan; :class:`PlanningInputError` for invalid
    tasks, unknown tasks or link types, a lag that is not whole, or a cycle.

    The checks run on whole lists first; only when one fails is the input walked record by
    record to name the offending one."""
    n = len(tasks)
    ids = list(map(_ID, tasks))
    durations = list(map(_DURATION, tasks))
    if n and set(map(type, ids)) != {str}:
        validate_tasks(tasks)  # raises
    index = dict(zip(ids, range(n), strict=True))
    if (
        len(index) != n
        or "" in index
        or (n and set(map(type, durations)) != {int})
        or (n and min(durations) < 0)
    ):
        validate_tasks(tasks)  # raises
    # tasks with an estimate or a constraint (few): checked one by one
    special = [i for i, extra in enumerate(map(_EXTRAS, tasks)) if extra != _NO_EXTRAS]
    for i in special:
        _validate_extras(tasks[i])
    try:
        pred = list(map(index.__getitem__, map(_PREDECESSOR, links)))
        succ = list(map(index.__getitem__, map(_SUCCESSOR, links)))
        codes = list(map(_TYPE_CODE.__getitem__, map(_TYPE, links)))
        lags = list(map(_LAG, links))
        if links and set(map(type, lags)) != {int}:
            raise TypeError
    except (KeyError, TypeError):
        _validate_links(index, links)  # raises
        raise
    m = len(links)
    pred_array = np.array(pred, dtype=np.int64).reshape(m)
    succ_array = np.array(succ, dtype=np.int64).reshape(m)
    code_array = np.array(codes, dtype=np.int64).reshape(m)
    lag_array = np.array(lags, dtype=np.int64).reshape(m)
    uses_pred, uses_succ = _USES_PRED[code_array], _USES_SUCC[code_array]
    duration_array = np.array(durations, dtype=np.int64).reshape(n)
    delta = (
        lag_array + duration_array[pred_array] * uses_pred - duration_array[succ_array] * uses_succ
    )
    early_starts = [0] * n
    for i in special:
        floor = tasks[i].earliest_start
        if floor is not None and floor > 0:
            early_starts[i] = floor
    order = _forward(n, pred_array, succ_array, delta, early_starts)
    if len(order) < n:
        left = set(range(n)) - set(order)
        cycle = find_cycle(ids, pred, succ, left)
        raise PlanningInputError(
            " -> ".join(cycle),
            code="cycle",
            kind="cycle",
            params={"cycle": tuple(cycle)},
        )
    return Network(
        ids=tuple(ids),
        index=index,
        durations=durations,
        pred=pred_array,
        succ=succ_array,
        lag=lag_array,
        uses_pred=uses_pred,
        uses_succ=uses_succ,
        delta=delta,
        order=order,
        early_starts=early_starts,
    )


_ID = attrgetter("id")
_DURATION = attrgetter("duration")
_EXTRAS = attrgetter("optimistic", "most_likely", "pessimistic", "earliest_start", "latest_finish")
_NO_EXTRAS = (None, None, None, None, None)
_TYPES = (LinkType.FS, LinkType.SS, LinkType.FF, LinkType.SF)
_TYPE_CODE = {link_type: code for code, link_type in enumerate(_TYPES)}
_USES_PRED = np.array([LINK_TERMS[t][0] for t in _TYPES], dtype=np.int64)
_USES_SUCC = np.array([LINK_TERMS[t][1] for t in _TYPES], dtype=np.int64)
_PREDECESSOR = attrgetter("predecessor")
_SUCCESSOR = attrgetter("successor")
_TYPE = attrgetter("type")
_LAG = attrgetter("lag")


def _forward(
    n: int, pred: IntArray, succ: IntArray, delta: IntArray, early_starts: list[int]
) -> list[int]:
    """Kahn's algorithm (first in, first out, ties in input order) with the forward pass of
    the critical path method on the way: when a task leaves the queue its early start is
    final and is pushed along its outgoing links (ES(s) = max(ES(s), ES(p) + delta)).
    ``early_starts`` (the floors on entry) is updated in place; the tasks on or behind a cycle
    are left out of the order."""
    by_pred = np.argsort(pred, kind="stable")
    bounds = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(pred, minlength=n), out=bounds[1:])
    starts = bounds.tolist()
    following = succ[by_pred].tolist()
    steps = delta[by_pred].tolist()
    indegree = np.bincount(succ, minlength=n).tolist()
    es = early_starts
    order = [i for i in range(n) if not indegree[i]]
    append = order.append
    for i in order:  # the list grows while it is read: a queue
        start = es[i]
        for k in range(starts[i], starts[i + 1]):
            s = following[k]
            value = start + steps[k]
            if value > es[s]:  # noqa: PLR1730  (max() costs a call per link)
                es[s] = value
            indegree[s] -= 1
            if not indegree[s]:
                append(s)
    return order


def _validate_extras(task: Task) -> None:
    for name in ("earliest_start", "latest_finish"):
        value = getattr(task, name)
        if value is not None:
            _whole(value, kind="task", id=task.id, field=name)
    _validate_estimate(task)


def _validate_links(index: dict[str, int], links: Sequence[Link]) -> None:
    """Raise the error of the first malformed link."""
    for number, link in enumerate(links):
        for name in ("predecessor", "successor"):
            task = getattr(link, name)
            if not isinstance(task, str) or task not in index:
                raise PlanningInputError(
                    f"unknown task {task!r}",
                    code="unknown_task",
                    kind="link",
                    id=str(number),
                    field=name,
                    params={"index": number, "task": task},
                )
        try:
            LINK_TERMS[link.type]
        except (KeyError, TypeError):
            raise PlanningInputError(
                f"unknown link type {link.type!r} (FS, SS, FF or SF)",
                code="unknown_link_type",
                kind="link",
                id=str(number),
                field="type",
                params={"index": number, "value": link.type},
            ) from None
        _whole(link.lag, kind="link", id=str(number), field="lag")


def find_cycle(
    ids: Sequence[str], pred: Sequence[int], succ: Sequence[int], left: set[int]
) -> list[str]:
    """The ids of one cycle among the tasks Kahn's algorithm ``left`` (each has a predecessor
    among them), in link direction, starting at its member first in input order and ending
    with it again: ``["A", "B", "C", "A"]``."""
    incoming: dict[int, list[int]] = {}
    for p, s in zip(pred, succ, strict=True):
        if p in left and s in left:
            incoming.setdefault(s, []).append(p)
    start = min(left)
    seen: dict[int, int] = {}
    walk: list[int] = []
    node = start
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        node = incoming[node][0]
    cycle = walk[seen[node] :]  # backwards along the links
    cycle.reverse()
    first = cycle.index(min(cycle))
    cycle = cycle[first:] + cycle[:first]
    return [ids[i] for i in [*cycle, cycle[0]]]
