"""What every benchmark script shares: output, timing, the time format and the result table.

Imported by the ``bench_*.py`` scripts, which run as scripts (``python benchmarks/bench_x.py``)
and so find this module next to them.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
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
