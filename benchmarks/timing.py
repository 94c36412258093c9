"""What every benchmark script shares: output, timing, the time format and the result table.

Imported by the ``bench_*.py`` scripts, which run as scripts (``python benchmarks/bench_x.py``)
and so find this module next to them.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def fail(message: str) -> None:
    """Report a difference between engine and reference and stop with exit code 1."""
    out(f"FAILED: {message}")
    sys.exit(1)


def timed(function: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    """(last result, median wall time in seconds) of ``repeat`` calls (``time.perf_counter``)."""
    times, result = [], None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def format_seconds(seconds: float) -> str:
    """``-`` for 0, else microseconds, milliseconds or seconds, whichever reads best."""
    if seconds == 0:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


@dataclass
class Row:
    """One line of the result table: engine time against a reference measured in the same run."""

    case: str
    size: str
    engine: float
    reference: float | None
    reference_name: str
    note: str


def print_table(rows: list[Row]) -> None:
    """The Markdown table that goes into ``docs/benchmarks.md``."""
    out("| case | size | engine | reference | ratio | note |")
    out("|---|---|---|---|---|---|")
    for row in rows:
        reference = (
            "-"
            if row.reference is None
            else f"{format_seconds(row.reference)} ({row.reference_name})"
        )
        ratio = "-" if row.reference is None else f"{row.reference / row.engine:.1f}x"
        out(
            f"| {row.case} | {row.size} | {format_seconds(row.engine)} | {reference} | {ratio} "
            f"| {row.note} |"
        )


Case = Callable[[argparse.Namespace, list[Row]], None]


def run(doc: str | None, name: str, versions: str, cases: Sequence[Case]) -> int:
    """The common ``main``: ``--quick`` and ``--repeat``, a header with the versions measured,
    every case in order (each appends its rows and stops the run on a difference), the table."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per engine timing")
    args = parser.parse_args()
    out(
        f"{name} benchmark{' (quick)' if args.quick else ''}: Python "
        f"{platform.python_version()}, {versions}, {platform.machine()}"
    )
    rows: list[Row] = []
    for case in cases:
        case(args, rows)
    out()
    print_table(rows)
    return 0
