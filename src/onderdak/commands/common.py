"""What every engine command shares: one-line errors and the exit codes of the contract
(0 an answer, 1 the solver failed, 2 the input or the arguments are wrong)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn


class CommandError(Exception):
    """A user error: printed as one line on stderr, exit code 2."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (exit code 2), like every other error here."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def run(
    parser: argparse.ArgumentParser,
    argv: Sequence[str],
    action: Callable[[argparse.Namespace], int],
    *,
    input_errors: tuple[type[Exception], ...] = (),
    solver_errors: tuple[type[Exception], ...] = (),
) -> int:
    """Parse ``argv`` and run ``action``; every error becomes one line on stderr and its code:
    2 for usage errors, :class:`CommandError`, ``input_errors`` and unreadable files, 1 for
    ``solver_errors``."""
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
        return stop.code if isinstance(stop.code, int) else 2
    user_errors: tuple[type[Exception], ...] = (CommandError, *input_errors)
    try:
        return action(args)
    except user_errors as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return 2
    except solver_errors as error:
        print(f"error: solver: {error}", file=sys.stderr)
        return 1
