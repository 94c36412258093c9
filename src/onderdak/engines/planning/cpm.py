"""The critical path method (Kelley and Walker 1959; PMBOK Guide 7th ed., "critical path
method"), with the four link types and lags of precedence diagramming.

Forward pass in topological order: the early start of a task is the smallest ES >= 0 (and >=
its "start no earlier than" constraint) that satisfies every incoming link (FS: ES(s) >= EF(p)
+ lag; SS: ES(s) >= ES(p) + lag; FF: EF(s) >= EF(p) + lag; SF: EF(s) >= ES(p) + lag). The
project finish F is the largest early finish, or the deadline when one is given. Backward pass
in reverse order: the late finish is the largest LF <= F (and <= its "finish no later than"
constraint) that satisfies every outgoing link with the successors' late dates; there is no
lower bound, so a late start may be negative when the deadline or a constraint cannot be met.
Total float = LS - ES (negative: by how much the deadline is missed); free float = the
smallest slack of the task's outgoing links at the early dates (F - EF without successors),
never more than the total float; critical = total float <= 0.

The passes are tight loops over precomputed lists (one relaxation per link), which measured
faster than NumPy per topological level for plans of 10,000 tasks (``docs/benchmarks.md``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from onderdak.engines.planning.model import (
    MAX_CRITICAL_PATHS,
    Link,
    PlanningInputError,
    Schedule,
    Task,
)
from onderdak.engines.planning.network import Network, build


def check_deadline(deadline: object) -> int | None:
    """``deadline`` as a whole number >= 0 (None stays None); else
    :class:`PlanningInputError` ``negative_deadline`` or ``not_integer``."""
    if deadline is None:
        return None
    if isinstance(deadline, bool) or not isinstance(deadline, int):
        raise PlanningInputError(
            f"must be a whole number, not {deadline!r}",
            code="not_integer",
            kind="plan",
            field="deadline",
            params={"value": deadline},
        )
    if deadline < 0:
        raise PlanningInputError(
            f"must not be negative, not {deadline}",
            code="negative_deadline",
            kind="plan",
            field="deadline",
            params={"value": deadline},
        )
    return deadline


def schedule(
    tasks: Sequence[Task], links: Sequence[Link], *, deadline: int | None = None
) -> Schedule:
    """Early and late dates, floats, critical tasks and critical paths of a plan.

    ``deadline`` (a day offset >= 0) replaces the project's own finish as the finish of the
    backward pass; when it is earlier, floats are negative. Raises
    :class:`PlanningInputError` for invalid input or a cycle (``code`` ``cycle``, the cycle's
    ids in ``params["cycle"]``).
    """
    deadline = check_deadline(deadline)
    network = build(tasks, links)
    return _schedule(network, network.durations, tasks, deadline)


def _schedule(
    network: Network, durations: list[int], tasks: Sequence[Task], deadline: int | None
) -> Schedule:
    n = len(durations)
    duration_array = np.array(durations, dtype=np.int64).reshape(n)
    delta = network.delta
    es = network.early_starts
    ef = [start + duration for start, duration in zip(es, durations, strict=True)]
    early_finish = max(ef, default=0)
    finish = early_finish if deadline is None else deadline

    ls = [finish - duration for duration in durations]
    for i, task in enumerate(tasks):
        if task.latest_finish is not None and task.latest_finish < finish:
            ls[i] = task.latest_finish - durations[i]
    # backward: the links by their successor, last in topological order first, so a late
    # start is final before it is pulled along its incoming links
    rank = np.empty(n, dtype=np.int64)
    rank[np.array(network.order, dtype=np.int64).reshape(n)] = np.arange(n, dtype=np.int64)
    backwards = np.argsort(rank[network.succ], kind="stable")[::-1]
    for p, s, d in zip(
        network.pred[backwards].tolist(),
        network.succ[backwards].tolist(),
        delta[backwards].tolist(),
        strict=True,
    ):
        if ls[s] - d < ls[p]:  # noqa: PLR1730  (min() costs a call per link)
            ls[p] = ls[s] - d

    es_array = np.array(es, dtype=np.int64).reshape(n)
    ls_array = np.array(ls, dtype=np.int64).reshape(n)
    ef_array = es_array + duration_array
    total = ls_array - es_array
    # free float: the smallest slack of the outgoing links at the early dates, F - EF without
    free = finish - ef_array
    slack = es_array[network.succ] - es_array[network.pred] - delta
    has_links = np.bincount(network.pred, minlength=n) > 0
    free[has_links] = np.iinfo(np.int64).max
    np.minimum.at(free, network.pred, slack)
    np.minimum(free, total, out=free)
    critical = total <= 0
    paths, truncated = _critical_paths(network, slack, critical)
    critical_list = critical.tolist()
    return Schedule(
        ids=network.ids,
        es=tuple(es),
        ef=tuple(ef),
        ls=tuple(ls),
        lf=tuple((ls_array + duration_array).tolist()),
        total_float=tuple(total.tolist()),
        free_float=tuple(free.tolist()),
        critical=tuple(critical_list),
        finish=finish,
        early_finish=early_finish,
        critical_paths=paths,
        critical_paths_truncated=truncated,
    )


def _critical_paths(
    network: Network, slack: npt.NDArray[np.int64], critical: npt.NDArray[np.bool_]
) -> tuple[tuple[tuple[str, ...], ...], bool]:
    """Chains of critical tasks along driving links (slack 0 at the early dates), depth first
    in input order, at most :data:`MAX_CRITICAL_PATHS`."""
    driving_links = np.flatnonzero((slack == 0) & critical[network.pred] & critical[network.succ])
    driving: dict[int, list[int]] = {}
    driven: set[int] = set()
    for p, s in zip(
        network.pred[driving_links].tolist(), network.succ[driving_links].tolist(), strict=True
    ):
        after = driving.setdefault(p, [])
        if s not in after:
            after.append(s)
        driven.add(s)
    paths: list[tuple[str, ...]] = []
    ids = network.ids
    for first in np.flatnonzero(critical).tolist():
        if first in driven:
            continue
        # depth first with one shared path: (task, index of its next successor to visit)
        path = [first]
        stack = [0]
        while path:
            node = path[-1]
            after = driving.get(node, [])
            if not after:
                if len(paths) == MAX_CRITICAL_PATHS:
                    return tuple(paths), True
                paths.append(tuple(ids[i] for i in path))
            k = stack[-1]
            if k < len(after):
                stack[-1] = k + 1
                path.append(after[k])
                stack.append(0)
            else:
                path.pop()
                stack.pop()
    return tuple(paths), False
