"""Benchmark of the planning engine against networkx, in one run.

    .venv/bin/python benchmarks/bench_planning.py            # full run (about a minute)
    .venv/bin/python benchmarks/bench_planning.py --quick    # smoke run (seconds)

Instances (NumPy generator, seed 2026):

* **Critical path method**: a random plan of 10,000 tasks and 30,000 links (quick: 1,000 /
  3,000). Tasks in a random order; durations 1-20 days (5 % milestones of 0 days); each link
  goes from a task to one 1-50 places later in that order (so the plan has long chains, as
  real plans do), of type FS 40 %, SS 20 %, FF 20 %, SF 20 %, lag -3..5 days (a quarter of
  the links with a lag). ``schedule`` (validation, topological order, both passes, floats,
  critical paths, the result object) against networkx: the same constraint graph (an edge
  p -> s of weight ``delta`` per link, ES(s) >= ES(p) + delta, parallel links merged to the
  largest delta), early starts as longest paths from the project start in networkx's
  topological order (the relaxation of ``nx.dag_longest_path``, keeping every node's
  distance) and late starts the same way back from the finish. The reference time is the two
  passes and the topological sort (building the graph not included; a second row adds the
  time to build the graph from the same Task and Link objects). A third reference is
  networkx's general method, ``single_source_bellman_ford_path_length`` with negated weights
  from a start node (and back from a finish node), one run.
  Early and late starts must be identical (exit 1 otherwise).
* **Schedule risk**: 10,000 runs over a plan of 1,000 tasks and 3,000 links (quick: 1,000
  runs over 300 tasks), all tasks with a three-point estimate (optimistic 60-100 % and
  pessimistic 100-250 % of the most likely), triangular and PERT, one milestone. No
  reference; the check is that a zero-spread copy of the plan gives exactly the CPM finish and
  critical tasks.
* **Directive readiness**: the same plan and runs, 20 delivery tasks of 10-40 places, the
  date 90 % of the CPM finish. Reference: every run scheduled on its own by ``schedule`` on
  the same drawn durations (``sample_durations`` with the same seed), for 200 runs (quick:
  50), against ``readiness`` over the same 200 runs; the probability and the places at 50,
  80 and 90 percent certainty must be identical (exit 1 otherwise). A third row is the full
  10,000 runs.

Times are the median of ``--repeat`` runs (``time.perf_counter``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import networkx as nx
import numpy as np
from timing import Row, fail, run, timed

from onderdak.engines.planning import (
    Delivery,
    Link,
    LinkType,
    Task,
    readiness,
    schedule,
    simulate,
)
from onderdak.engines.planning.readiness import CERTAINTIES, certain
from onderdak.engines.planning.risk import sample_durations

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


def reference_graph(tasks: Sequence[Task], links: Sequence[Link]) -> nx.DiGraph:
    """The constraint graph: an edge p -> s of weight delta per link (parallel links merged to
    the largest delta)."""
    duration = {task.id: task.duration for task in tasks}
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(duration)
    for link in links:
        weight = _delta(link, duration)
        u, v = link.predecessor, link.successor
        if not graph.has_edge(u, v) or graph[u][v]["weight"] < weight:
            graph.add_edge(u, v, weight=weight)
    return graph


def reference_dates(
    tasks: Sequence[Task], graph: nx.DiGraph
) -> tuple[dict[str, int], dict[str, int]]:
    """Early starts: longest paths from the project start, by networkx's DAG longest path
    method (``nx.topological_sort``, then each node's distance from its predecessors, as
    ``nx.dag_longest_path`` does, keeping every node's distance; 0 from the start node); late
    starts: the same in reverse from the finish (shortest paths)."""
    duration = {task.id: task.duration for task in tasks}
    order = list(nx.topological_sort(graph))
    es: dict[str, int] = {}
    for v in order:
        es[v] = max([0, *(es[u] + data["weight"] for u, data in graph.pred[v].items())])
    finish = max((es[v] + duration[v] for v in order), default=0)
    ls: dict[str, int] = {}
    for v in reversed(order):
        ls[v] = min(
            [finish - duration[v], *(ls[w] - data["weight"] for w, data in graph.succ[v].items())]
        )
    return es, ls


def bellman_ford_dates(
    tasks: Sequence[Task], graph: nx.DiGraph
) -> tuple[dict[str, int], dict[str, int]]:
    """The same dates by networkx's general shortest paths (negated weights for the longest
    paths), ``single_source_bellman_ford_path_length``, from a start node and a finish node."""
    forward = graph.copy()
    for _, _, data in forward.edges(data=True):
        data["weight"] = -data["weight"]
    forward.add_edges_from(("__start__", t.id, {"weight": 0}) for t in tasks)
    distance = nx.single_source_bellman_ford_path_length(forward, "__start__")
    es = {t.id: -distance[t.id] for t in tasks}
    finish = max((es[t.id] + t.duration for t in tasks), default=0)
    backward = graph.reverse(copy=True)
    for _, _, data in backward.edges(data=True):
        data["weight"] = -data["weight"]
    backward.add_edges_from(("__finish__", t.id, {"weight": finish - t.duration}) for t in tasks)
    late = nx.single_source_bellman_ford_path_length(backward, "__finish__")
    return es, {t.id: late[t.id] for t in tasks}


def cpm_case(args: argparse.Namespace, rows: list[Row]) -> None:
    n, m = (1_000, 3_000) if args.quick else (10_000, 30_000)
    tasks, links = plan_instance(n, m, np.random.default_rng(SEED))
    result, engine_time = timed(lambda: schedule(tasks, links), max(args.repeat, 5))
    graph, build_time = timed(lambda: reference_graph(tasks, links), 1)
    (es, ls), reference_time = timed(lambda: reference_dates(tasks, graph), max(args.repeat, 5))
    (bf_es, bf_ls), bellman_ford_time = timed(lambda: bellman_ford_dates(tasks, graph), 1)
    for name, early, late in (("DAG", es, ls), ("Bellman-Ford", bf_es, bf_ls)):
        if list(result.es) != [early[t.id] for t in tasks]:
            fail(f"early starts differ from networkx ({name})")
        if list(result.ls) != [late[t.id] for t in tasks]:
            fail(f"late starts differ from networkx ({name})")
    rows.append(
        Row(
            "CPM schedule",
            f"{n:,} tasks, {m:,} links (FS/SS/FF/SF, lags)",
            engine_time,
            reference_time,
            "networkx DAG longest paths",
            f"identical ES and LS; finish {result.finish}, {result.critical_count:,} critical, "
            f"{len(result.critical_paths)} critical path(s)",
        )
    )
    rows.append(
        Row(
            "CPM schedule",
            f"{n:,} tasks, {m:,} links (FS/SS/FF/SF, lags)",
            engine_time,
            build_time + reference_time,
            "networkx DAG longest paths, building the graph included",
            "from the same Task and Link objects",
        )
    )
    rows.append(
        Row(
            "CPM schedule",
            f"{n:,} tasks, {m:,} links (FS/SS/FF/SF, lags)",
            engine_time,
            bellman_ford_time,
            "networkx Bellman-Ford shortest paths, negated",
            "identical ES and LS (one run of the reference)",
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


def readiness_case(args: argparse.Namespace, rows: list[Row]) -> None:
    n, m, runs, checked = (300, 900, 1_000, 50) if args.quick else (1_000, 3_000, 10_000, 200)
    tasks, links = plan_instance(n, m, np.random.default_rng(SEED + 1), estimates=True)
    plain = schedule(tasks, links)
    picker = np.random.default_rng(SEED + 2)
    chosen = picker.choice(n, size=20, replace=False).tolist()
    deliveries = [Delivery(tasks[i].id, int(picker.integers(10, 41))) for i in chosen]
    by = plain.finish * 9 // 10
    values = {"required": 360, "by": by, "available": 30, "claimed": 10}

    def engine(count: int) -> object:
        return readiness(tasks, links, deliveries=deliveries, runs=count, seed=SEED, **values)

    def reference() -> tuple[float, dict[int, int]]:
        drawn = sample_durations(tasks, checked, np.random.default_rng(SEED), "triangular")
        per_run = []
        for r in range(checked):
            sampled = [Task(t.id, int(drawn[i, r])) for i, t in enumerate(tasks)]
            result = schedule(sampled, links)
            delivered = sum(d.places for d in deliveries if result[d.task].ef <= by)
            per_run.append(values["available"] - values["claimed"] + delivered)
        array = np.array(per_run, dtype=np.int64)
        probability = float(np.mean(array >= values["required"]))
        return probability, {p: certain(array, p) for p in CERTAINTIES}

    small, engine_time = timed(lambda: engine(checked), args.repeat)
    (probability, reached), reference_time = timed(reference, 1)
    if (small.probability, small.reached) != (probability, reached):  # type: ignore[attr-defined]
        fail("readiness differs from scheduling every run on its own")
    rows.append(
        Row(
            "Directive readiness",
            f"{checked:,} runs x {n:,} tasks, {m:,} links, 20 deliveries",
            engine_time,
            reference_time,
            "schedule() per run on the same draws",
            f"identical: P(>= 360 places) {probability:.3f}, "
            f"P50/P80/P90 places {reached[50]}/{reached[80]}/{reached[90]}",
        )
    )
    full, full_time = timed(lambda: engine(runs), args.repeat)
    rows.append(
        Row(
            "Directive readiness",
            f"{runs:,} runs x {n:,} tasks, {m:,} links, 20 deliveries",
            full_time,
            None,
            "",
            f"P(>= 360 places) {full.probability:.3f}; gap at P80 "  # type: ignore[attr-defined]
            f"{full.gap[80]}; {len(full.acceleration)} tasks drive a late delivery",  # type: ignore[attr-defined]
        )
    )


def main() -> int:
    versions = f"NumPy {np.__version__}, networkx {nx.__version__}"
    return run(__doc__, "planning", versions, (cpm_case, risk_case, readiness_case))


if __name__ == "__main__":
    sys.exit(main())
