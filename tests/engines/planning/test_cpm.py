"""The critical path method: a published textbook network, all four link types with lags by
hand, deadlines, constraints, critical paths and the input errors."""

from __future__ import annotations

import pytest

from onderdak.engines.planning import (
    MAX_CRITICAL_PATHS,
    Link,
    LinkType,
    PlanningInputError,
    Task,
    schedule,
)

FS, SS, FF, SF = LinkType.FS, LinkType.SS, LinkType.FF, LinkType.SF


def rows(
    tasks: list[Task], links: list[Link], deadline: int | None = None
) -> dict[str, tuple[int, ...]]:
    result = schedule(tasks, links, deadline=deadline)
    return {
        r.id: (r.es, r.ef, r.ls, r.lf, r.total_float, r.free_float, int(r.critical)) for r in result
    }


def test_textbook_network() -> None:
    """ "Example 1" of the CPM handout at studylib.net/doc/8378728 (Table 1: A 6 h; B, C 2 h
    after A; D 3 h after B; F 2 h after C; E 4 h after D and F; G 1 h after E). Its Table 2
    publishes ES/EF/LS/LF/slack: the critical path A-B-D-E-G of 16 hours, C and F with slack
    1. The free floats (C 0, F 1) follow by hand: F starts right after C, E waits 1 h for F."""
    tasks = [Task("A", 6), Task("B", 2), Task("C", 2), Task("D", 3), Task("F", 2)]
    tasks += [Task("E", 4), Task("G", 1)]
    links = [Link("A", "B"), Link("A", "C"), Link("B", "D"), Link("C", "F")]
    links += [Link("D", "E"), Link("F", "E"), Link("E", "G")]
    result = schedule(tasks, links)
    assert result.finish == 16
    assert rows(tasks, links) == {
        "A": (0, 6, 0, 6, 0, 0, 1),
        "B": (6, 8, 6, 8, 0, 0, 1),
        "D": (8, 11, 8, 11, 0, 0, 1),
        "E": (11, 15, 11, 15, 0, 0, 1),
        "G": (15, 16, 15, 16, 0, 0, 1),
        "C": (6, 8, 7, 9, 1, 0, 0),
        "F": (8, 10, 9, 11, 1, 1, 0),
    }
    assert result.critical_paths == (("A", "B", "D", "E", "G"),)
    assert result.critical_count == 5


# A 5, B 3, C 4, D 2, E a milestone; by hand (see docs/engines/planning.md):
#   A->B FS+2: ES(B) >= 5 + 2 = 7          A->C SS+1: ES(C) >= 0 + 1 = 1
#   C->D FF+3: EF(D) >= 5 + 3 = 8, ES(D) 6 B->E SF-1: EF(E) >= 7 - 1 = 6
#   D->E FS+0: ES(E) >= EF(D) = 8          finish = EF(B) = 10
# backward from 10: E LF 10; D LF <= LS(E) = 10; B LS <= LF(E) + 1 = 11 and LF <= 10, so
# LS 7; C LF <= LF(D) - 3 = 7; A LF <= LS(B) - 2 = 5 and LS <= LS(C) - 1 = 2, so LS 0.
FOUR_TASKS = [Task("A", 5), Task("B", 3), Task("C", 4), Task("D", 2), Task("E", 0)]
FOUR_LINKS = [
    Link("A", "B", FS, 2),
    Link("A", "C", SS, 1),
    Link("C", "D", FF, 3),
    Link("B", "E", SF, -1),
    Link("D", "E", FS, 0),
]


def test_four_link_types_with_lags_by_hand() -> None:
    assert rows(FOUR_TASKS, FOUR_LINKS) == {
        "A": (0, 5, 0, 5, 0, 0, 1),
        "B": (7, 10, 7, 10, 0, 0, 1),
        "C": (1, 5, 3, 7, 2, 0, 0),
        "D": (6, 8, 8, 10, 2, 0, 0),
        "E": (8, 8, 10, 10, 2, 2, 0),
    }
    assert schedule(FOUR_TASKS, FOUR_LINKS).critical_paths == (("A", "B"),)


def test_deadline_before_the_finish_gives_negative_float() -> None:
    result = rows(FOUR_TASKS, FOUR_LINKS, deadline=8)
    assert result == {
        "A": (0, 5, -2, 3, -2, -2, 1),
        "B": (7, 10, 5, 8, -2, -2, 1),
        "C": (1, 5, 1, 5, 0, 0, 1),
        "D": (6, 8, 6, 8, 0, 0, 1),
        "E": (8, 8, 8, 8, 0, 0, 1),
    }
    assert schedule(FOUR_TASKS, FOUR_LINKS, deadline=8).finish == 8


def test_deadline_after_the_finish_adds_float_to_every_task() -> None:
    result = schedule(FOUR_TASKS, FOUR_LINKS, deadline=13)
    assert result.total_float == (3, 3, 5, 5, 5)
    assert result.critical_count == 0
    assert result.critical_paths == ()
    assert result.early_finish == 10


def test_negative_lag_is_clamped_at_the_project_start() -> None:
    tasks = [Task("A", 2), Task("B", 3)]
    result = schedule(tasks, [Link("A", "B", SS, -5)])
    assert result["B"].es == 0
    # the backward pass has no lower bound: A may start 5 days "before" B
    assert (result["A"].ls, result["A"].lf) == (1, 3)
    assert result.finish == 3


def test_late_start_may_be_negative() -> None:
    tasks = [Task("A", 2), Task("B", 3)]
    result = schedule(tasks, [Link("A", "B", FS, 0)], deadline=3)
    assert (result["A"].ls, result["B"].ls) == (-2, 0)


def test_duplicate_links_both_hold() -> None:
    tasks = [Task("A", 2), Task("B", 3)]
    links = [Link("A", "B", FS, 1), Link("A", "B", SS, 4), Link("A", "B", FS, 1)]
    result = schedule(tasks, links)
    assert result["B"].es == 4
    assert result["A"].free_float == 0  # the SS link drives
    assert result.critical_paths == (("A", "B"),)


def test_constraints_start_no_earlier_than_and_finish_no_later_than() -> None:
    tasks = [Task("A", 2, earliest_start=3), Task("B", 3), Task("C", 1, latest_finish=4)]
    result = schedule(tasks, [Link("A", "B")])
    assert (result["A"].es, result["B"].es, result["C"].es) == (3, 5, 0)
    assert result.finish == 8
    assert (result["C"].ls, result["C"].lf, result["C"].total_float) == (3, 4, 3)
    missed = schedule([Task("A", 5, latest_finish=3)], [])
    assert (missed["A"].lf, missed["A"].total_float, missed["A"].critical) == (3, -2, True)


def test_empty_plan() -> None:
    result = schedule([], [])
    assert (result.finish, result.critical_count, len(result)) == (0, 0, 0)
    assert schedule([], [], deadline=5).finish == 5


def test_milestones_and_parallel_critical_paths() -> None:
    tasks = [Task("S", 0), Task("A", 3), Task("B", 3), Task("E", 0)]
    links = [Link("S", "A"), Link("S", "B"), Link("A", "E"), Link("B", "E")]
    result = schedule(tasks, links)
    assert result.critical_paths == (("S", "A", "E"), ("S", "B", "E"))
    assert not result.critical_paths_truncated


def test_critical_paths_are_capped() -> None:
    # a ladder of 8 diamonds has 2**8 critical paths
    tasks, links, last = [Task("N0", 0)], [], "N0"
    for k in range(1, 9):
        tasks += [Task(f"U{k}", 1), Task(f"L{k}", 1), Task(f"N{k}", 0)]
        links += [Link(last, f"U{k}"), Link(last, f"L{k}")]
        links += [Link(f"U{k}", f"N{k}"), Link(f"L{k}", f"N{k}")]
        last = f"N{k}"
    result = schedule(tasks, links)
    assert len(result.critical_paths) == MAX_CRITICAL_PATHS
    assert result.critical_paths_truncated
    assert result.critical_paths[0][:3] == ("N0", "U1", "N1")


def test_inputs_are_not_mutated() -> None:
    tasks, links = list(FOUR_TASKS), list(FOUR_LINKS)
    schedule(tasks, links)
    assert tasks == FOUR_TASKS
    assert links == FOUR_LINKS


def error(tasks: list[Task], links: list[Link], deadline: object = None) -> PlanningInputError:
    with pytest.raises(PlanningInputError) as caught:
        schedule(tasks, links, deadline=deadline)  # type: ignore[arg-type]
    return caught.value


def test_cycle_is_named_in_order() -> None:
    tasks = [Task("A", 1), Task("B", 1), Task("C", 1), Task("D", 1)]
    links = [Link("A", "B"), Link("C", "D"), Link("D", "B", SS, -3), Link("B", "C")]
    caught = error(tasks, links)
    assert caught.code == "cycle"
    assert caught.params["cycle"] == ("B", "C", "D", "B")
    assert str(caught) == "cycle: B -> C -> D -> B"


def test_self_link_is_a_cycle() -> None:
    caught = error([Task("A", 1)], [Link("A", "A", SS, -1)])
    assert caught.params["cycle"] == ("A", "A")


@pytest.mark.parametrize(
    ("tasks", "links", "code", "field"),
    [
        ([Task("A", 1), Task("A", 2)], [], "duplicate_task", "id"),
        ([Task("", 1)], [], "empty_id", "id"),
        ([Task("A", -1)], [], "negative_duration", "duration"),
        ([Task("A", 1.5)], [], "not_integer", "duration"),  # type: ignore[arg-type]
        ([Task("A", True)], [], "not_integer", "duration"),
        ([Task("A", 1, 1, None, 3)], [], "invalid_estimate", "most_likely"),
        ([Task("A", 1, 3, 2, 4)], [], "invalid_estimate", "optimistic"),
        ([Task("A", 1, 1, 2, 1)], [], "invalid_estimate", "pessimistic"),
        ([Task("A", 1, earliest_start=1.0)], [], "not_integer", "earliest_start"),  # type: ignore[arg-type]
        ([Task("A", 1)], [Link("A", "X")], "unknown_task", "successor"),
        ([Task("A", 1)], [Link("X", "A")], "unknown_task", "predecessor"),
        ([Task("A", 1), Task("B", 1)], [Link("A", "B", "XX")], "unknown_link_type", "type"),  # type: ignore[arg-type]
        ([Task("A", 1), Task("B", 1)], [Link("A", "B", FS, 0.5)], "not_integer", "lag"),  # type: ignore[arg-type]
    ],
)
def test_input_errors(tasks: list[Task], links: list[Link], code: str, field: str) -> None:
    caught = error(tasks, links)
    assert (caught.code, caught.field) == (code, field)


def test_unknown_task_names_the_link() -> None:
    caught = error([Task("A", 1)], [Link("A", "Z")])
    assert caught.params == {"index": 0, "task": "Z"}
    assert caught.kind == "link"


def test_link_type_given_as_text_is_accepted() -> None:
    tasks = [Task("A", 2), Task("B", 1)]
    assert schedule(tasks, [Link("A", "B", "FF", 0)]).es == (0, 1)  # type: ignore[arg-type]


@pytest.mark.parametrize(("deadline", "code"), [(-1, "negative_deadline"), (2.0, "not_integer")])
def test_deadline_errors(deadline: object, code: str) -> None:
    assert error([Task("A", 1)], [], deadline).code == code


def test_schedule_rows_by_id_and_in_order() -> None:
    result = schedule(FOUR_TASKS, FOUR_LINKS)
    assert [row.id for row in result] == ["A", "B", "C", "D", "E"]
    assert result["C"] == next(row for row in result if row.id == "C")
    assert len(result) == 5
    with pytest.raises(KeyError):
        result["X"]
