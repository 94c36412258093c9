"""Hypothesis properties of the critical path method on random plans, with networkx as an
independent reference for acyclicity and longest paths."""

from __future__ import annotations

import dataclasses
import itertools

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.engines.planning import Link, LinkType, PlanningInputError, Schedule, Task, schedule

TYPES = list(LinkType)


@st.composite
def dags(draw: st.DrawFn, max_tasks: int = 12) -> tuple[list[Task], list[Link]]:
    """A random acyclic plan: links only from earlier to later in a random order."""
    n = draw(st.integers(1, max_tasks))
    tasks = [Task(f"T{i}", draw(st.integers(0, 10))) for i in range(n)]
    order = draw(st.permutations(range(n)))
    links = []
    for _ in range(draw(st.integers(0, 3 * n))):
        a, b = sorted(
            draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
            if n > 1
            else [0, 0]
        )
        if a == b:
            continue
        links.append(
            Link(
                f"T{order[a]}",
                f"T{order[b]}",
                draw(st.sampled_from(TYPES)),
                draw(st.integers(-4, 6)),
            )
        )
    return tasks, links


def holds(link: Link, start: dict[str, int], finish: dict[str, int]) -> bool:
    p, s, lag = link.predecessor, link.successor, link.lag
    return {
        LinkType.FS: start[s] >= finish[p] + lag,
        LinkType.SS: start[s] >= start[p] + lag,
        LinkType.FF: finish[s] >= finish[p] + lag,
        LinkType.SF: finish[s] >= start[p] + lag,
    }[link.type]


def dates(result: Schedule) -> tuple[dict[str, int], ...]:
    return tuple(
        dict(zip(result.ids, values, strict=True))
        for values in (result.es, result.ef, result.ls, result.lf)
    )


@settings(max_examples=300, deadline=None)
@given(dags(), st.one_of(st.none(), st.integers(0, 60)))
def test_every_link_holds_at_early_and_late_dates(
    plan: tuple[list[Task], list[Link]], deadline: int | None
) -> None:
    tasks, links = plan
    result = schedule(tasks, links, deadline=deadline)
    es, ef, ls, lf = dates(result)
    assert all(holds(link, es, ef) for link in links)
    assert all(holds(link, ls, lf) for link in links)
    assert all(value >= 0 for value in es.values())
    assert all(value <= result.finish for value in lf.values())
    for row in result:
        assert row.total_float == row.ls - row.es
        assert row.free_float <= row.total_float
        assert row.critical == (row.total_float <= 0)
    if deadline is None:
        assert result.finish == max(ef.values())
        assert all(row.total_float >= 0 and row.free_float >= 0 for row in result)


@settings(max_examples=300, deadline=None)
@given(dags())
def test_early_starts_are_the_smallest_and_late_starts_the_largest(
    plan: tuple[list[Task], list[Link]],
) -> None:
    """Moving any task one day earlier (when ES > 0) breaks a link, as does moving any task one
    day later than its late start (or past the finish): the dates are the extreme ones."""
    tasks, links = plan
    result = schedule(tasks, links)
    es, ef, ls, lf = dates(result)
    for task in tasks:
        if es[task.id] > 0:
            start, finish = dict(es), dict(ef)
            start[task.id] -= 1
            finish[task.id] -= 1
            assert not all(holds(link, start, finish) for link in links)
        start, finish = dict(ls), dict(lf)
        start[task.id] += 1
        finish[task.id] += 1
        assert finish[task.id] > result.finish or not all(
            holds(link, start, finish) for link in links
        )


@settings(max_examples=300, deadline=None)
@given(dags(), st.data())
def test_adding_slack_to_a_non_critical_task_never_moves_the_finish(
    plan: tuple[list[Task], list[Link]], data: st.DataObject
) -> None:
    tasks, links = plan
    result = schedule(tasks, links)
    loose = [i for i, row in enumerate(result) if row.total_float > 0]
    if not loose:
        return
    i = data.draw(st.sampled_from(loose))
    extra = data.draw(st.integers(1, result.total_float[i]))
    longer = list(tasks)
    longer[i] = dataclasses.replace(tasks[i], duration=tasks[i].duration + extra)
    assert schedule(longer, links).finish == result.finish


@settings(max_examples=200, deadline=None)
@given(dags())
def test_dates_equal_networkx_longest_paths(plan: tuple[list[Task], list[Link]]) -> None:
    tasks, links = plan
    duration = {task.id: task.duration for task in tasks}
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(["start", *duration])
    graph.add_edges_from(("start", t.id, {"weight": 0}) for t in tasks)
    for link in links:
        p, s = duration[link.predecessor], duration[link.successor]
        delta = (
            link.lag
            + p * (link.type in {LinkType.FS, LinkType.FF})
            - s * (link.type in {LinkType.FF, LinkType.SF})
        )
        graph.add_edge(link.predecessor, link.successor, weight=-delta)
    distance = nx.single_source_bellman_ford_path_length(graph, "start")
    assert schedule(tasks, links).es == tuple(-distance[t.id] for t in tasks)


@st.composite
def any_graphs(draw: st.DrawFn) -> tuple[list[Task], list[Link]]:
    n = draw(st.integers(1, 8))
    tasks = [Task(f"T{i}", draw(st.integers(0, 5))) for i in range(n)]
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=12))
    links = [
        Link(f"T{a}", f"T{b}", draw(st.sampled_from(TYPES)), draw(st.integers(-3, 3)))
        for a, b in pairs
    ]
    return tasks, links


@settings(max_examples=400, deadline=None)
@given(any_graphs())
def test_a_cycle_is_refused_naming_a_real_cycle(plan: tuple[list[Task], list[Link]]) -> None:
    tasks, links = plan
    graph = nx.DiGraph()
    graph.add_nodes_from(t.id for t in tasks)
    graph.add_edges_from((link.predecessor, link.successor) for link in links)
    edges = set(graph.edges)
    if nx.is_directed_acyclic_graph(graph):
        schedule(tasks, links)
        return
    with pytest.raises(PlanningInputError) as caught:
        schedule(tasks, links)
    assert caught.value.code == "cycle"
    cycle = caught.value.params["cycle"]
    assert isinstance(cycle, tuple)
    assert cycle[0] == cycle[-1]
    assert len(set(cycle[:-1])) == len(cycle) - 1
    assert all((a, b) in edges for a, b in itertools.pairwise(cycle))
