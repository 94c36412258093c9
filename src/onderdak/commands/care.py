"""``onderdak care integration-term``: the civic integration term, without a database.

    onderdak care integration-term --pip-dated YYYY-MM-DD [--pip-revised YYYY-MM-DD ...]
                                   [--extension-months N]

Prints exactly one line ``start=<YYYY-MM-DD> last_day=<YYYY-MM-DD>`` (art. 11 Wet inburgering
2021, BWBR0044770): ``start`` is the day after the date of the first PIP (``--pip-dated``);
``last_day`` the same calendar date three years plus N months (``--extension-months``,
default 0) after the start, minus one day, where a date that does not exist in the target
month becomes that month's last day before the day is subtracted.

``--pip-revised`` may be given any number of times, one date each: a revised or newly set PIP
never moves the start (art. 11(3)), also when it is dated before the first PIP; its dates are
checked and otherwise ignored.

Exit codes: 0 for the answer, 2 for a malformed date (not ``YYYY-MM-DD`` or not a calendar
date, such as 2024-02-30), a negative or malformed N, a result outside years 1-9999 or a usage
error, with one line on stderr. The other ``onderdak care`` sub-commands (``care coverage``)
need the database and are Django management commands (``onderdak.cli``).
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date

from onderdak.commands.common import Parser, run
from onderdak.engines.care import CareInputError, integration_term_last_day, integration_term_start

#: The sub-commands of ``onderdak care`` that this module answers without a database.
SUBCOMMANDS = frozenset({"integration-term"})

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE = re.compile(r"[+-]?\d+")


def iso_date(text: str) -> date:
    """``YYYY-MM-DD`` as a calendar date (argparse type: a ValueError is a usage error)."""
    if not _ISO_DATE.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date of the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a calendar date") from None


def months(text: str) -> int:
    """A whole number >= 0 (argparse type)."""
    if not _WHOLE.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, not {value}")
    return value


def main(argv: list[str]) -> int:
    """Run ``onderdak care integration-term ...``; returns the exit code (0 answer, 2 input)."""
    return run(_parser(), argv, _term, input_errors=(CareInputError,))


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="onderdak care",
        description=(
            "Civic integration without a database. 'onderdak care coverage' (from the "
            "database) is a management command."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    term = commands.add_parser(
        "integration-term",
        help="start and last day of the integration term (art. 11 Wet inburgering 2021)",
        description=(
            "Print 'start=<YYYY-MM-DD> last_day=<YYYY-MM-DD>': the term starts the day after "
            "the date of the first PIP and its last day is the same calendar date three years "
            "(plus the extension) later, minus one day. Revised PIPs never move the start. "
            "See docs/engines/care.md."
        ),
    )
    term.add_argument(
        "--pip-dated",
        required=True,
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the date of the first personal plan (PIP)",
    )
    term.add_argument(
        "--pip-revised",
        action="append",
        default=[],
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the date of a revised or newly set PIP (repeatable; never moves the start)",
    )
    term.add_argument(
        "--extension-months",
        type=months,
        default=0,
        metavar="N",
        help="months of extension granted by DUO (default 0)",
    )
    return parser


def _term(args: argparse.Namespace) -> int:
    start = integration_term_start(pip_on=args.pip_dated, revisions=args.pip_revised)
    assert start is not None  # a first PIP is given
    last_day = integration_term_last_day(start, extension_months=args.extension_months)
    sys.stdout.write(f"start={start.isoformat()} last_day={last_day.isoformat()}\n")
    return 0
