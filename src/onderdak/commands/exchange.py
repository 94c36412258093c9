"""``onderdak exchange``: optimise a regional exchange of quotas, without a database.

    onderdak exchange solve --input FILE [--out FILE]

Reads a scenario (JSON: mode, groups with points, municipalities with population, obligation,
capacity, cost per place and optional caps, optional fairness bounds; a group may be
``within_province``, so that every municipality's ``province`` total holds for it: asylum
places under the Spreidingswet), runs
:func:`onderdak.engines.exchange.optimise` and writes the result as JSON (indent 2) with
exactly the keys ``status, reason, total_cost, baseline_cost, provided, prices, compensation,
transfers``, to ``--out FILE`` or standard output. ``--input -`` reads standard input.

Exit codes: 0 for an answer (also ``infeasible``), 2 for malformed input or a usage error (one
line on stderr naming the field, e.g. ``error: municipalities[0].capacity.asylum_seeker: must
be a whole number >= 0, not -3``), 1 when the solver fails. Never a traceback. The full
contract is in ``docs/engines/exchange.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import NoReturn

from onderdak.commands.common import CommandError, Parser, decode_text, require_file, run
from onderdak.engines.exchange import (
    ExchangeInputError,
    ExchangeSolverError,
    optimise,
    result_to_mapping,
    scenario_from_mapping,
)


def main(argv: list[str]) -> int:
    """Run ``onderdak exchange ...``; returns the exit code (0 answer, 1 solver, 2 input)."""
    return run(
        _parser(),
        argv,
        lambda args: _solve(args.input, args.out),
        input_errors=(ExchangeInputError,),
        solver_errors=(ExchangeSolverError,),
    )


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="onderdak exchange",
        description="Optimise a regional exchange of quotas (swap or compensation).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    solve = commands.add_parser(
        "solve",
        help="the cheapest exchange for a scenario file",
        description=(
            "Read a scenario (JSON), find the cheapest exchange of places that keeps every "
            "group's regional total, and write the result as JSON with the keys status, "
            "reason, total_cost, baseline_cost, provided, prices, compensation, transfers. "
            "See docs/engines/exchange.md."
        ),
    )
    solve.add_argument(
        "--input", required=True, metavar="FILE", help="scenario JSON ('-' = standard input)"
    )
    solve.add_argument("--out", type=Path, metavar="FILE", help="write here, not stdout")
    return parser


def _solve(source: str, out: Path | None) -> int:
    data = _read(source)
    scenario = scenario_from_mapping(data)
    result = optimise(scenario)
    text = json.dumps(result_to_mapping(result), indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
    return 0


class _DuplicateKeyError(ValueError):
    pass


def _object_without_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def _read(source: str) -> object:
    label = "standard input" if source == "-" else source
    if source == "-":
        raw = sys.stdin.buffer.read()
    else:
        path = Path(source)
        require_file(path, source)
        raw = path.read_bytes()
    text = decode_text(raw, label)
    try:
        return json.loads(
            text, object_pairs_hook=_object_without_duplicates, parse_constant=_no_constant
        )
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{label}: invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except _DuplicateKeyError as error:
        raise CommandError(
            f"{label}: invalid JSON: duplicate key {json.dumps(str(error))}"
        ) from None
    except ValueError as error:
        raise CommandError(f"{label}: invalid JSON: {error}") from None
