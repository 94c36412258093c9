"""``onderdak placement``: place households in free units, without a database.

    onderdak placement solve --households H.csv --units U.csv [--weights W.yaml]
        [--out P.csv] [--explain E.json]
    onderdak placement optimise --pairs PAIRS.csv --households H.csv --units U.csv
        [--out P.csv]

``solve`` scores every (household, unit) combination (hard constraints, weighted score) and
places the households; ``optimise`` runs the optimisation layer alone on given pairs. Both
maximise the total score (pairs with a score <= 0 are never placed; among equal totals the
most households) and write CSV ``household,unit,score``, one row per placed household in the
order of ``H.csv``, scores in Python's shortest round-trip form, followed by the line
``objective=<total> placed=<n>`` (total = math.fsum of the printed scores). Without ``--out``
both go to stdout (CSV first, the objective line last); with ``--out`` the CSV goes to the
file and stdout has only the objective line. Households left out are listed on stderr
(``unplaced: <id>: <reason>``) and, for ``solve``, in the ``--explain`` JSON.

Exit codes: 0 for an answer, 2 for malformed input or a usage error (one line on stderr naming
file, row and column: ``error: H.csv, row 3, column 'adults': not a whole number: 'two'``),
1 when a solver fails. Never a traceback. The full contract is in
``docs/engines/placement.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from onderdak.commands.common import (
    DECIMAL,
    ROW_COLUMN_WORDING,
    WHOLE,
    CommandError,
    Parser,
    csv_rows,
    decode_text,
    format_float,
    require_file,
    run,
    write_csv,
)
from onderdak.engines.placement import (
    Assignment,
    Household,
    HouseholdSize,
    Pair,
    Placement,
    PlacementInputError,
    PlacementSolverError,
    Unit,
    UnitCapacity,
    Weights,
    explanation_to_mapping,
    optimise,
    place,
    weights_from_mapping,
)

OUTPUT_HEADER = ("household", "unit", "score")
#: Largest magnitude of a score in PAIRS.csv (the engine's limit).
MAX_SCORE = 1e15
HOUSEHOLD_COLUMNS = (
    "id",
    "target_group",
    "adults",
    "minors",
    "needs_accessible",
    "needs_ground_floor",
    "waiting_days",
    "urgency",
    "tie_x",
    "tie_y",
    "reunification_persons",
)
UNIT_COLUMNS = (
    "id",
    "complex",
    "max_occupants",
    "rooms",
    "area_m2",
    "accessible",
    "floor",
    "x",
    "y",
    "target_groups",
)
PAIR_COLUMNS = ("household", "unit", "score")
SIZE_COLUMNS = ("id", "persons")
CAPACITY_COLUMNS = ("id", "capacity", "max_households")
TRUE = frozenset({"1", "true", "yes", "ja"})
FALSE = frozenset({"0", "false", "no", "nee", ""})
#: The words of this command's CSV errors (``docs/engines/placement.md``).
_CSV_WORDING = ROW_COLUMN_WORDING


def main(argv: list[str]) -> int:
    """Run ``onderdak placement ...``; returns the exit code (0 answer, 1 solver, 2 input)."""
    return run(
        _parser(),
        argv,
        _run,
        input_errors=(PlacementInputError,),
        solver_errors=(PlacementSolverError,),
    )


def _run(args: argparse.Namespace) -> int:
    if args.command == "solve":
        placements, objective, unplaced = _solve(args)
    else:
        placements, objective, unplaced = _optimise(args)
    _write_result(placements, objective, args.out)
    for household, reason in unplaced:
        print(f"unplaced: {household}: {reason}", file=sys.stderr)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="onderdak placement",
        description="Place households in free units (scoring and optimal assignment).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    solve = commands.add_parser(
        "solve",
        help="score households x units and place them optimally",
        description=(
            "Score every (household, unit) combination (target group, size, accessibility, "
            "ground floor; priority, fit, distance, preference) and choose the placements of "
            "maximum total score; each unit takes one household. Writes CSV "
            "household,unit,score, then 'objective=<total> placed=<n>'. "
            "See docs/engines/placement.md."
        ),
    )
    solve.add_argument("--households", required=True, type=Path, metavar="H.csv")
    solve.add_argument("--units", required=True, type=Path, metavar="U.csv")
    solve.add_argument(
        "--weights", type=Path, metavar="W.yaml", help="scoring weights (flat 'name: number')"
    )
    solve.add_argument("--out", type=Path, metavar="P.csv", help="write the CSV here")
    solve.add_argument(
        "--explain", type=Path, metavar="E.json", help="write the explanation (JSON) here"
    )
    optimise_ = commands.add_parser(
        "optimise",
        help="the optimisation layer alone, on given pairs and scores",
        description=(
            "Choose the listed pairs of maximum total score: each household at most once, per "
            "unit at most max_households households with together at most capacity persons. "
            "Writes CSV household,unit,score, then 'objective=<total> placed=<n>'."
        ),
    )
    optimise_.add_argument("--pairs", required=True, type=Path, metavar="PAIRS.csv")
    optimise_.add_argument("--households", required=True, type=Path, metavar="H.csv")
    optimise_.add_argument("--units", required=True, type=Path, metavar="U.csv")
    optimise_.add_argument("--out", type=Path, metavar="P.csv", help="write the CSV here")
    return parser


# --------------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------------

Unplaced = list[tuple[str, str]]


def _solve(args: argparse.Namespace) -> tuple[Sequence[Placement], float, Unplaced]:
    households, household_rows = _read_households(args.households)
    units, unit_rows = _read_units(args.units)
    weights = _read_weights(args.weights) if args.weights is not None else Weights()
    try:
        result = place(households, units, weights=weights)
    except PlacementInputError as error:
        raise _located(
            error, {"household": (args.households, household_rows), "unit": (args.units, unit_rows)}
        ) from None
    if args.explain is not None:
        text = json.dumps(explanation_to_mapping(result, weights), indent=2) + "\n"
        args.explain.write_text(text, encoding="utf-8")
    unplaced = [
        (line.household, line.message.removeprefix("Not placed: ").rstrip("."))
        for line in result.unplaced
    ]
    return result.placements, result.objective, unplaced


def _optimise(args: argparse.Namespace) -> tuple[Sequence[Placement], float, Unplaced]:
    households, household_rows = _read_sizes(args.households)
    units, unit_rows = _read_capacities(args.units)
    pairs = _read_pairs(args.pairs, household_rows, unit_rows, args.households, args.units)
    try:
        assignment: Assignment = optimise(households, units, pairs)
    except PlacementInputError as error:
        raise _located(
            error, {"household": (args.households, household_rows), "unit": (args.units, unit_rows)}
        ) from None
    unplaced = [(line.household, line.message) for line in assignment.unplaced]
    return assignment.placements, assignment.objective, unplaced


def _located(
    error: PlacementInputError, files: dict[str, tuple[Path, dict[str, int]]]
) -> CommandError:
    """An engine error as ``file, row, column`` where the record came from a file."""
    if error.kind in files and error.id is not None:
        path, rows = files[error.kind]
        if error.id in rows:
            column = f", column '{error.field}'" if error.field else ""
            return CommandError(f"{path}, row {rows[error.id]}{column}: {error.message}")
    return CommandError(str(error))


def _write_result(placements: Sequence[Placement], objective: float, out: Path | None) -> None:
    rows = [[p.household, p.unit, format_float(p.score)] for p in placements]
    write_csv(out, OUTPUT_HEADER, rows)
    sys.stdout.write(f"objective={format_float(objective)} placed={len(placements)}\n")


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

    def __getitem__(self, column: str) -> str:
        return self.values[column]


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[_Row]:
    """The data rows (the header is row 1; blank rows are skipped but counted)."""
    for number, values in csv_rows(path, required, _CSV_WORDING):
        yield _Row(path, number, values)


def _id(row: _Row, column: str, seen: dict[str, int]) -> str:
    value = row[column]
    if not value:
        raise CommandError(f"{row.where(column)}: value missing")
    if value in seen:
        raise CommandError(
            f"{row.where(column)}: duplicate id '{value}' (also in row {seen[value]})"
        )
    seen[value] = row.number
    return value


def _text(row: _Row, column: str) -> str:
    value = row[column]
    if not value:
        raise CommandError(f"{row.where(column)}: value missing")
    return value


def _whole(row: _Row, column: str, *, minimum: int | None = 0, empty: int | None = None) -> int:
    value = row[column]
    if not value:
        if empty is not None:
            return empty
        raise CommandError(f"{row.where(column)}: value missing")
    if not WHOLE.fullmatch(value):
        raise CommandError(f"{row.where(column)}: not a whole number: '{value}'")
    number = int(value)
    if minimum is not None and number < minimum:
        raise CommandError(f"{row.where(column)}: must not be negative: {number}")
    return number


def _number(
    row: _Row, column: str, *, minimum: float | None = 0.0, empty: float | None = None
) -> float:
    value = row[column]
    if not value:
        if empty is not None:
            return empty
        raise CommandError(f"{row.where(column)}: value missing")
    if not DECIMAL.fullmatch(value):
        raise CommandError(f"{row.where(column)}: not a number: '{value}'")
    number = float(value)
    if not math.isfinite(number):
        raise CommandError(f"{row.where(column)}: number out of range: '{value}'")
    if minimum is not None and number < minimum:
        raise CommandError(f"{row.where(column)}: must not be negative: {value}")
    return number


def _flag(row: _Row, column: str) -> bool:
    value = row[column].casefold()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise CommandError(
        f"{row.where(column)}: not a yes/no value: '{row[column]}' (use 1/0, true/false, "
        "yes/no or ja/nee)"
    )


def _point(row: _Row, columns: tuple[str, str]) -> tuple[float | None, float | None]:
    x_text, y_text = row[columns[0]], row[columns[1]]
    if not x_text and not y_text:
        return None, None
    if not x_text or not y_text:
        missing = columns[0] if not x_text else columns[1]
        raise CommandError(
            f"{row.where(missing)}: value missing ({columns[0]} and {columns[1]} are given "
            "together or both left empty)"
        )
    return _number(row, columns[0], minimum=None), _number(row, columns[1], minimum=None)


def _read_households(path: Path) -> tuple[list[Household], dict[str, int]]:
    households: list[Household] = []
    seen: dict[str, int] = {}
    for row in _rows(path, HOUSEHOLD_COLUMNS):
        id = _id(row, "id", seen)
        adults = _whole(row, "adults")
        minors = _whole(row, "minors")
        if adults + minors == 0:
            raise CommandError(
                f"{row.where('adults')}: the household has no persons (adults + minors is 0)"
            )
        tie_x, tie_y = _point(row, ("tie_x", "tie_y"))
        households.append(
            Household(
                id=id,
                target_group=_text(row, "target_group"),
                adults=adults,
                minors=minors,
                needs_accessible=_flag(row, "needs_accessible"),
                needs_ground_floor=_flag(row, "needs_ground_floor"),
                waiting_days=_whole(row, "waiting_days"),
                urgency=_number(row, "urgency", empty=0.0),
                tie_x=tie_x,
                tie_y=tie_y,
                reunification_persons=_whole(row, "reunification_persons", empty=0),
            )
        )
    return households, seen


def _read_units(path: Path) -> tuple[list[Unit], dict[str, int]]:
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for row in _rows(path, UNIT_COLUMNS):
        id = _id(row, "id", seen)
        x, y = _point(row, ("x", "y"))
        groups = tuple(g.strip() for g in row["target_groups"].split(";") if g.strip())
        units.append(
            Unit(
                id=id,
                complex=row["complex"],
                max_occupants=_whole(row, "max_occupants"),
                rooms=_whole(row, "rooms"),
                area_m2=_number(row, "area_m2"),
                accessible=_flag(row, "accessible"),
                floor=_whole(row, "floor", minimum=None),
                x=x,
                y=y,
                target_groups=groups,
                max_households=1,
            )
        )
    return units, seen


def _read_sizes(path: Path) -> tuple[list[HouseholdSize], dict[str, int]]:
    households: list[HouseholdSize] = []
    seen: dict[str, int] = {}
    for row in _rows(path, SIZE_COLUMNS):
        id = _id(row, "id", seen)
        households.append(HouseholdSize(id, _whole(row, "persons")))
    return households, seen


def _read_capacities(path: Path) -> tuple[list[UnitCapacity], dict[str, int]]:
    units: list[UnitCapacity] = []
    seen: dict[str, int] = {}
    for row in _rows(path, CAPACITY_COLUMNS):
        id = _id(row, "id", seen)
        units.append(UnitCapacity(id, _whole(row, "capacity"), _whole(row, "max_households")))
    return units, seen


def _read_pairs(
    path: Path,
    households: dict[str, int],
    units: dict[str, int],
    households_path: Path,
    units_path: Path,
) -> list[Pair]:
    pairs: list[Pair] = []
    seen: dict[tuple[str, str], int] = {}
    for row in _rows(path, PAIR_COLUMNS):
        household = _text(row, "household")
        if household not in households:
            raise CommandError(
                f"{row.where('household')}: unknown household '{household}' (not in "
                f"{households_path})"
            )
        unit = _text(row, "unit")
        if unit not in units:
            raise CommandError(f"{row.where('unit')}: unknown unit '{unit}' (not in {units_path})")
        if (household, unit) in seen:
            raise CommandError(
                f"{row.where('unit')}: duplicate pair {household},{unit} (also in row "
                f"{seen[household, unit]})"
            )
        seen[household, unit] = row.number
        score = _number(row, "score", minimum=None)
        if abs(score) > MAX_SCORE:
            raise CommandError(
                f"{row.where('score')}: must be at most {MAX_SCORE:g} in size, not {row['score']}"
            )
        pairs.append(Pair(household, unit, score))
    return pairs


# --------------------------------------------------------------------------------------------
# Reading the weights
# --------------------------------------------------------------------------------------------


def _read_weights(path: Path) -> Weights:
    """W.yaml: a flat mapping ``name: number`` (PyYAML when installed, else a line parser
    that accepts exactly that form)."""
    require_file(path)
    text = decode_text(path.read_bytes(), path)
    data, lines = _parse_yaml(path, text)
    try:
        return weights_from_mapping(data)
    except PlacementInputError as error:
        if error.field is None:
            raise CommandError(f"{path}: {error.message}") from None
        line = lines.get(error.field)
        where = f"{path}, line {line}" if line is not None else str(path)
        raise CommandError(f"{where}, key '{error.field}': {error.message}") from None


def _parse_yaml(path: Path, text: str) -> tuple[dict[str, object], dict[str, int]]:
    """(mapping, line of each key)."""
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML ships with the project's dependencies
        return _parse_flat(path, text)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}" if mark is not None else str(path)
        problem = getattr(error, "problem", None) or str(error)
        raise CommandError(f"{where}: invalid YAML: {problem}") from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise CommandError(f"{path}: must be a mapping of weight names to numbers")
    lines: dict[str, int] = {}
    for key_node, _ in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + 1
        if key in lines:
            raise CommandError(
                f"{path}, line {line}, key '{key}': duplicate key (also on line {lines[key]})"
            )
        lines[key] = line
    return {str(k): v for k, v in data.items()}, lines


def _parse_flat(path: Path, text: str) -> tuple[dict[str, object], dict[str, int]]:
    """The fallback parser: ``name: number`` lines, ``#`` comments, blank lines."""
    data: dict[str, object] = {}
    lines: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        key, colon, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not colon or not key:
            raise CommandError(f"{path}, line {number}: expected 'name: number'")
        if key in lines:
            raise CommandError(
                f"{path}, line {number}, key '{key}': duplicate key (also on line {lines[key]})"
            )
        lines[key] = number
        lowered = value.casefold()
        if lowered in {"true", "false"}:
            data[key] = lowered == "true"
        elif WHOLE.fullmatch(value):
            data[key] = int(value)
        elif DECIMAL.fullmatch(value):
            data[key] = float(value)
        else:
            data[key] = value
    return data, lines
