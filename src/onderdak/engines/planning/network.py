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

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from onderdak.engines.planning.model import Link, LinkType, PlanningInputError, Task

#: Link type -> (delta uses d(p), delta uses d(s)): delta = lag + d(p)*a - d(s)*b.
LINK_TERMS: dict[LinkType, tuple[int, int]] = {
    LinkType.FS: (1, 0),
    LinkType.SS: (0, 0),
    LinkType.FF: (1, 1),
    LinkType.SF: (0, 1),
}


@dataclass(frozen=True, slots=True)
class Network:
    """A validated plan as arrays: per task its index in input order; per link (in input
    order) predecessor and successor index, lag and the two duration terms; the topological
    order of the task indices; incoming and outgoing link indices per task."""

    ids: tuple[str, ...]
    index: dict[str, int]
    pred: tuple[int, ...]
    succ: tuple[int, ...]
    lag: tuple[int, ...]
    uses_pred: tuple[int, ...]
    uses_succ: tuple[int, ...]
    order: tuple[int, ...]
    incoming: tuple[tuple[int, ...], ...]
    outgoing: tuple[tuple[int, ...], ...]


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
    tasks, unknown tasks or link types, a lag that is not whole, or a cycle."""
    index = validate_tasks(tasks)
    n = len(tasks)
    pred: list[int] = []
    succ: list[int] = []
    lags: list[int] = []
    uses_pred: list[int] = []
    uses_succ: list[int] = []
    incoming: list[list[int]] = [[] for _ in range(n)]
    outgoing: list[list[int]] = [[] for _ in range(n)]
    for number, link in enumerate(links):
        ends = []
        for name in ("predecessor", "successor"):
            task = getattr(link, name)
            position = index.get(task) if isinstance(task, str) else None
            if position is None:
                raise PlanningInputError(
                    f"unknown task {task!r}",
                    code="unknown_task",
                    kind="link",
                    id=str(number),
                    field=name,
                    params={"index": number, "task": task},
                )
            ends.append(position)
        try:
            terms = LINK_TERMS[LinkType(link.type)]
        except ValueError:
            raise PlanningInputError(
                f"unknown link type {link.type!r} (FS, SS, FF or SF)",
                code="unknown_link_type",
                kind="link",
                id=str(number),
                field="type",
                params={"index": number, "value": link.type},
            ) from None
        lags.append(_whole(link.lag, kind="link", id=str(number), field="lag"))
        p, s = ends
        pred.append(p)
        succ.append(s)
        uses_pred.append(terms[0])
        uses_succ.append(terms[1])
        incoming[s].append(number)
        outgoing[p].append(number)
    order = _topological_order(n, succ, outgoing)
    ids = tuple(task.id for task in tasks)
    if len(order) < n:
        cycle = find_cycle(ids, pred, incoming, set(range(n)) - set(order))
        raise PlanningInputError(
            " -> ".join(cycle),
            code="cycle",
            kind="cycle",
            params={"cycle": tuple(cycle)},
        )
    return Network(
        ids=ids,
        index=index,
        pred=tuple(pred),
        succ=tuple(succ),
        lag=tuple(lags),
        uses_pred=tuple(uses_pred),
        uses_succ=tuple(uses_succ),
        order=tuple(order),
        incoming=tuple(tuple(edges) for edges in incoming),
        outgoing=tuple(tuple(edges) for edges in outgoing),
    )


def _topological_order(n: int, succ: list[int], outgoing: list[list[int]]) -> list[int]:
    """Kahn's algorithm; the tasks on or behind a cycle are left out."""
    indegree = [0] * n
    for s in succ:
        indegree[s] += 1
    queue = deque(i for i in range(n) if indegree[i] == 0)
    order: list[int] = []
    append, popleft = order.append, queue.popleft
    while queue:
        i = popleft()
        append(i)
        for edge in outgoing[i]:
            s = succ[edge]
            indegree[s] -= 1
            if indegree[s] == 0:
                queue.append(s)
    return order


def find_cycle(
    ids: Sequence[str], pred: Sequence[int], incoming: Sequence[Sequence[int]], left: set[int]
) -> list[str]:
    """The ids of one cycle among the tasks Kahn's algorithm ``left`` (each has a predecessor
    among them), in link direction, starting at its member first in input order and ending
    with it again: ``["A", "B", "C", "A"]``."""
    start = min(left)
    seen: dict[int, int] = {}
    walk: list[int] = []
    node = start
    while node not in seen:
        seen[node] = len(walk)
        walk.append(node)
        node = next(pred[edge] for edge in incoming[node] if pred[edge] in left)
    cycle = walk[seen[node] :]  # backwards along the links
    cycle.reverse()
    first = cycle.index(min(cycle))
    cycle = cycle[first:] + cycle[:first]
    return [ids[i] for i in [*cycle, cycle[0]]]
