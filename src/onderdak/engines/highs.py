"""The one way the engines make a HiGHS solver: silent from the first moment.

highspy prints its console banner from the first call made while ``output_flag`` is on, and
its constructor makes such a call (``enableCallbacks``); the command-line contracts write JSON
or CSV to stdout, so nothing may be printed. :func:`new_highs` returns a ``highspy.Highs``
whose ``enableCallbacks`` switches the output off first, with the given options set. highspy is
imported on first use, not when this module is imported, so commands that never solve stay
quick to start. Used by the exchange, placement and siting engines.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import highspy


@cache
def _quiet_class() -> type[Any]:
    import highspy

    class QuietHighs(highspy.Highs):
        """``highspy.Highs`` with console output off before anything can log."""

        def enableCallbacks(self) -> None:  # noqa: N802 - highspy's name
            self.setOptionValue("output_flag", False)
            super().enableCallbacks()  # type: ignore[no-untyped-call]

    return QuietHighs


def new_highs(**options: bool | int | float | str) -> highspy.Highs:
    """A silent HiGHS instance with ``options`` set (``mip_rel_gap=0.0``, ``presolve="off"``)."""
    highs: highspy.Highs = _quiet_class()()
    highs.setOptionValue("output_flag", False)
    for name, value in options.items():
        highs.setOptionValue(name, value)
    return highs
