"""Benchmark of the planning engine against networkx, in one run.

    .venv/bin/python benchmarks/bench_planning.py            # full run (about 30 seconds)
    .venv/bin/python benchmarks/bench_planning.py --quick    # smoke run (seconds)

Instances (NumPy generator, seed 2026):

* **Critical path method**: a random plan of 10,000 tasks and 30,000 links (quick: 1,000 /
  3,000). Tasks in a random order; durations 1-20 days (5 % milestones of 0 days); each link
  goes from a task to one 1-50 places later in that order (so the plan has long chains, as
  real plans do), of type FS 40 %, SS 20 %, FF 20 %, SF 20 %, lag -3..5 days (a quarter of
  the links with a lag). ``schedule`` (validation, topological order, both passes, floats,
  critical paths, the result object) against networkx: the same constraint graph (an edge
  p -> s of weight ``delta`` per link, ES(s) >= ES(p) + delta, parallel links merged to the
  largest delta), longest paths from a source with an edge of weight 0 to every task (early
  starts) and shortest paths to the finish on the reversed graph (late starts), both with
  ``single_source_bellman_ford_path_length`` (negated weights for the longest path). The
  reference time is the two path computations only (building the graphs not included). Early
  and late starts must be identical (exit 1 otherwise).
* **Schedule risk**: 10,000 runs over a plan of 1,000 tasks and 3,000 links (quick: 1,000
  runs over 300 tasks), all tasks with a three-point estimate (optimistic 60-100 % and
  pessimistic 100-250 % of the most likely), triangular and PERT, one milestone. No
  reference; the check is that a zero-spread copy of the plan gives exactly the CPM finish and
  critical tasks.

Times are the median of ``--repeat`` runs (``time.perf_counter``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import networkx as nx
import numpy as np
from timing import Row, fail, run, timed

from onderdak.engines.planning import Link, LinkType, Task, schedule, simulate

SEED = 2026
TYPES = (LinkType.FS, LinkType.SS, LinkType.FF, LinkType.SF)
SHARES = (0.4, 0.2, 0.2, 0.2)


def plan_instance(
    n: int, m: int, rng: np.random.Generator, *, estimates: bool = False
) -> tuple[list[Task], list[Link]]:
    order = rng.permutation(n)
    durations = np.where(rng.random(n) < 0.05, 0, rng.integers(1, 21, size=n))
    tasks = []
    for i in range(n):
        d = int(durations[i])
        if estimates:
            low = int(d * rng.uniform(0.6, 1.0))
            high = int(np.ceil(d * rng.uniform(1.0, 2.5)))
            tasks.append(Task(f"T{i}", d, low, d, high))
        else:
            tasks.append(Task(f"T{i}", d))
    first = rng.integers(0, n - 1, size=m)
    step = rng.integers(1, 51, size=m)
    second = np.minimum(first + step, n - 1)
    kinds = rng.choice(4, size=m, p=SHARES)
    lags = np.where(rng.random(m) < 0.25, rng.integers(-3, 6, size=m), 0)
    links = [
        Link(f"T{order[a]}", f"T{order[b]}", TYPES[k], int(lag))
        for a, b, k, lag in zip(
            first.tolist(), second.tolist(), kinds.tolist(), lags.tolist(), strict=True
        )
    ]
    return tasks, links


def _delta(link: Link, duration: dict[str, int]) -> int:
    p, s = duration[link.predecessor], duration[link.successor]
    return {
        LinkType.FS: p + link.lag,
        LinkType.SS: link.lag,
        LinkType.FF: p + link.lag - s,
        LinkType.SF: link.lag - s,
    }[link.type]


def reference_graphs(tasks: Sequence[Task], links: Sequence[Link]) -> tuple[nx.DiGraph, nx.DiGraph]:
    """The constraint graph with a source (negated weights, for longest paths) and its
    reverse without the source (for the late dates)."""
    duration = {task.id: task.duration for task in tasks}
    forward: nx.DiGraph = nx.DiGraph()
    forward.add_nodes_from(duration)
    for link in links:
        weight = -_delta(link, duration)
        u, v = link.predecessor, link.successor
        if not forward.has_edge(u, v) or forward[u][v]["weight"] > weight:
            forward.add_edge(u, v, weight=weight)
    backward = forward.reverse(copy=True)  # LS(p) <= LS(s) - delta: the same weight -delta
    forward.add_edges_from(("__start__", t.id, {"weight": 0}) for t in tasks)
    return forward, backward


def reference_dates(
    tasks: Sequence[Task], forward: nx.DiGraph, backward: nx.DiGraph
) -> tuple[dict[str, int], dict[str, int]]:
    """Early starts (longest paths from the source) and late starts (shortest paths from the
    finish on the reversed graph)."""
    distance = nx.single_source_bellman_ford_path_length(forward, "__start__")
    es = {t.id: -distance[t.id] for t in tasks}
    finish = max((es[t.id] + t.duration for t in tasks), default=0)
    graph = backward.copy()
    graph.add_edges_from(("__finish__", t.id, {"weight": finish - t.duration}) for t in tasks)
    late = nx.single_source_bellman_ford_path_length(graph, "__finish__")
    ls = {t.id: late[t.id] for t in tasks}
    return es, ls


def cpm_case(args: argparse.Namespace, rows: list[Row]) -> None:
    n, m = (1_000, 3_000) if args.quick else (10_000, 30_000)
    tasks, links = plan_instance(n, m, np.random.default_rng(SEED))
    result, engine_time = timed(lambda: schedule(tasks, links), max(args.repeat, 5))
    forward, backward = reference_graphs(tasks, links)
    (es, ls), reference_time = timed(lambda: reference_dates(tasks, forward, backward), 1)
    if list(result.es) != [es[t.id] for t in tasks]:
        fail("early starts differ from networkx")
    if list(result.ls) != [ls[t.id] for t in tasks]:
        fail("late starts differ from networkx")
    rows.append(
        Row(
            "CPM schedule",
            f"{n:,} tasks, {m:,} links (FS/SS/FF/SF, lags)",
            engine_time,
            reference_time,
            "networkx Bellman-Ford longest paths",
            f"identical ES and LS; finish {result.finish}, {result.critical_count:,} critical, "
            f"{len(result.critical_paths)} critical path(s)",
        )
    )


def risk_case(args: argparse.Namespace, rows: list[Row]) -> None:
    n, m, runs = (300, 900, 1_000) if args.quick else (1_000, 3_000, 10_000)
    tasks, links = plan_instance(n, m, np.random.default_rng(SEED + 1), estimates=True)
    plain = schedule(tasks, links)
    flat = [Task(t.id, t.duration, t.duration, t.duration, t.duration) for t in tasks]
    check = simulate(flat, links, runs=10, seed=SEED)
    if check.finish.p50 != plain.finish or [check.criticality[t.id] == 1.0 for t in tasks] != list(
        plain.critical
    ):
        fail("zero-spread simulation differs from CPM")
    milestone = tasks[int(np.argmax(plain.ef))].id
    for distribution in ("triangular", "pert"):
        risk, engine_time = timed(
            lambda d=distribution: simulate(  # type: ignore[misc]
                tasks,
                links,
                runs=runs,
                seed=SEED,
                distribution=d,
                deadline=plain.finish + plain.finish // 5,
                milestones=[milestone],
            ),
            args.repeat,
        )
        mostly = sum(value >= 0.5 for value in risk.criticality.values())
        rows.append(
            Row(
                f"Monte Carlo ({distribution})",
                f"{runs:,} runs x {n:,} tasks, {m:,} links",
                engine_time,
                None,
                "",
                f"CPM finish {plain.finish}; P50/P80/P90 {risk.finish.p50}/{risk.finish.p80}/"
                f"{risk.finish.p90}; P(finish <= {risk.finish.target}) "
                f"{risk.finish.probability:.3f}; {mostly} tasks critical in >= 50 % of runs",
            )
        )


def main() -> int:
    versions = f"NumPy {np.__version__}, networkx {nx.__version__}"
    return run(__doc__, "planning", versions, (cpm_case, risk_case))


if __name__ == "__main__":
    sys.exit(main())
