"""``onderdak plan cpm``: the critical path method on two CSV files, without a database.

## Command line (stable contract; no database needed)
`onderdak plan cpm --tasks TASKS.csv --links LINKS.csv [--deadline N] [--out FILE.csv]`
- `TASKS.csv` columns `id,duration` (more columns allowed and ignored): integer duration in days,
  >= 0 (0 = milestone). `LINKS.csv` columns `predecessor,successor,type,lag`: `type` one of `FS`,
  `SS`, `FF`, `SF`; `lag` an integer, may be negative; an empty `LINKS.csv` (header only) is valid.
- Times are integer day offsets from the project start 0, finish = start + duration. Forward pass:
  the smallest early start >= 0 that satisfies every link (FS: ES(s) >= EF(p) + lag; SS: ES(s) >=
  ES(p) + lag; FF: EF(s) >= EF(p) + lag; SF: EF(s) >= ES(p) + lag). Project finish F = the largest
  EF, or `--deadline N` when given. Backward pass: the largest late finish <= F that satisfies every
  link with the successors' late dates (same four rules on LS/LF). Total float = LS - ES. Free float
  = the smallest slack of the task's outgoing links at the early dates (FS: ES(s) - EF(p) - lag;
  SS: ES(s) - ES(p) - lag; FF: EF(s) - EF(p) - lag; SF: EF(s) - ES(p) - lag), or F - EF for a task
  without successors, and never more than the total float.
- Output CSV `id,es,ef,ls,lf,total_float,free_float,critical` in the order of `TASKS.csv`, integers,
  `critical` is `1` when total float <= 0 else `0`. Last stdout line `finish=<F> critical=<count>`.
- Exit code 2 with file, row and column for unknown or duplicate ids, negative durations, unknown
  link types, non-integers; for a cycle exit 2 naming the ids of one cycle in order.

## Decisions (``docs/engines/planning.md``)
- Rows are counted as in the other engine commands: the header is row 1, blank rows are
  skipped but counted; values are stripped; column names are case-insensitive. An error reads
  ``error: TASKS.csv, row 3, column 'duration': not a whole number: '3.0'``.
- Integers are whole numbers with an optional sign after stripping (`` 3``, ``+3``, ``-2``);
  ``3.0``, ``3e0`` and an empty value are errors. ``type`` is exactly ``FS``, ``SS``, ``FF``
  or ``SF`` (upper case).
- A link naming an unknown task: row and column (``predecessor`` or ``successor``) of
  LINKS.csv. Duplicate links are allowed (both hold). A self-link is a cycle of one task.
- A cycle of links of any type is refused, also where negative lags would make it feasible:
  ``error: cycle: A -> B -> C -> A`` (starting at the cycle's task first in TASKS.csv).
- ``--deadline N`` is a whole number >= 0 (else a usage error, exit 2); smaller than the
  computed finish is allowed and gives negative floats. Late dates have no lower bound (a late
  start may be negative); early starts are never below 0.
- TASKS.csv with a header only: no rows, ``finish=0 critical=0`` (``finish=N`` with a
  deadline). Without ``--out`` the CSV goes to stdout before the last line; with ``--out`` to
  the file, and stdout holds only the last line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from onderdak.commands.common import (
    ROW_COLUMN_WORDING,
    WHOLE,
    CommandError,
    Parser,
    csv_rows,
    run,
    write_csv,
)
from onderdak.engines.planning import Link, LinkType, PlanningInputError, Task, schedule

OUTPUT_HEADER = ("id", "es", "ef", "ls", "lf", "total_float", "free_float", "critical")
TASK_COLUMNS = ("id", "duration")
LINK_COLUMNS = ("predecessor", "successor", "type", "lag")
LINK_TYPES = frozenset(item.value for item in LinkType)
_CSV_WORDING = ROW_COLUMN_WORDING


def main(argv: list[str]) -> int:
    """Run ``onderdak plan ...``; returns the exit code (0 answer, 2 input or usage)."""
    return run(_parser(), argv, _cpm, input_errors=(PlanningInputError,))


def deadline(text: str) -> int:
    """A whole number >= 0 (argparse type: an error is a usage error, exit 2)."""
    value = text.strip()
    if not WHOLE.fullmatch(value):
        raise argparse.ArgumentTypeError(f"not a whole number: '{text}'")
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {number}")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="onderdak plan",
        description="Programme planning without a database: the critical path method.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cpm = commands.add_parser(
        "cpm",
        help="early and late dates, floats and critical tasks of a plan (CSV)",
        description=(
            "The critical path method with FS, SS, FF and SF links and lags. Writes CSV "
            "id,es,ef,ls,lf,total_float,free_float,critical in the order of TASKS.csv, then "
            "'finish=<F> critical=<count>'. See docs/engines/planning.md."
        ),
    )
    cpm.add_argument(
        "--tasks", required=True, type=Path, metavar="TASKS.csv", help="columns id,duration"
    )
    cpm.add_argument(
        "--links",
        required=True,
        type=Path,
        metavar="LINKS.csv",
        help="columns predecessor,successor,type,lag",
    )
    cpm.add_argument(
        "--deadline",
        type=deadline,
        metavar="N",
        help="the project finish for the backward pass (default: the largest early finish)",
    )
    cpm.add_argument("--out", type=Path, metavar="FILE.csv", help="write the CSV here")
    return parser


def _cpm(args: argparse.Namespace) -> int:
    tasks, rows = _read_tasks(args.tasks)
    links = _read_links(args.links, rows)
    try:
        result = schedule(tasks, links, deadline=args.deadline)
    except PlanningInputError as error:
        if error.code == "cycle":
            raise CommandError(f"cycle: {error.message}") from None
        raise
    lines = [
        [
            row.id,
            str(row.es),
            str(row.ef),
            str(row.ls),
            str(row.lf),
            str(row.total_float),
            str(row.free_float),
            "1" if row.critical else "0",
        ]
        for row in result
    ]
    write_csv(args.out, OUTPUT_HEADER, lines)
    sys.stdout.write(f"finish={result.finish} critical={result.critical_count}\n")
    return 0


# --------------------------------------------------------------------------------------------
# Reading CSV
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    path: Path
    number: int
    values: dict[str, str]

    def where(self, column: str) -> str:
        return f"{self.path}, row {self.number}, column '{column}'"

    def text(self, column: str) -> str:
        value = self.values[column]
        if not value:
            raise CommandError(f"{self.where(column)}: value missing")
        return value

    def whole(self, column: str, *, negative: bool) -> int:
        value = self.text(column)
        if not WHOLE.fullmatch(value):
            raise CommandError(f"{self.where(column)}: not a whole number: '{value}'")
        number = int(value)
        if not negative and number < 0:
            raise CommandError(f"{self.where(column)}: must not be negative: {number}")
        return number


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[_Row]:
    for number, values in csv_rows(path, required, _CSV_WORDING):
        yield _Row(path, number, values)


def _read_tasks(path: Path) -> tuple[list[Task], dict[str, int]]:
    tasks: list[Task] = []
    seen: dict[str, int] = {}
    for row in _rows(path, TASK_COLUMNS):
        id = row.text("id")
        if id in seen:
            raise CommandError(f"{row.where('id')}: duplicate id '{id}' (also in row {seen[id]})")
        seen[id] = row.number
        tasks.append(Task(id, row.whole("duration", negative=False)))
    return tasks, seen


def _read_links(path: Path, tasks: dict[str, int]) -> list[Link]:
    links: list[Link] = []
    for row in _rows(path, LINK_COLUMNS):
        ends = []
        for column in ("predecessor", "successor"):
            id = row.text(column)
            if id not in tasks:
                raise CommandError(f"{row.where(column)}: unknown task '{id}'")
            ends.append(id)
        type_ = row.text("type")
        if type_ not in LINK_TYPES:
            raise CommandError(
                f"{row.where('type')}: unknown link type '{type_}' (use FS, SS, FF or SF)"
            )
        links.append(Link(ends[0], ends[1], LinkType(type_), row.whole("lag", negative=True)))
    return links
