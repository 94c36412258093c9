"""``onderdak sites``: rank candidate sites by multi-criteria analysis, without a database.

    onderdak sites rank --matrix M.csv --weights W.csv
        [--method wsm|topsis|promethee2] [--normalization vector|minmax] [--out R.csv]
    onderdak sites smaa --matrix M.csv --weights W.csv --samples N --seed S
        [--method wsm|topsis|promethee2] [--normalization vector|minmax] [--ordering]
        [--out A.csv]

``M.csv`` has a column ``id`` and one column per criterion; ``W.csv`` has the columns
``criterion,weight,direction`` (direction ``benefit`` or ``cost``). ``rank`` writes
``id,score,rank`` (rank 1 best, ties share the best rank: "1,2,2,4"), ``smaa`` writes
``id,rank_1,...,rank_n`` (rank acceptability indices), one row per site in the order of
``M.csv``; floats in Python's shortest round-trip form. Defaults: ``--method wsm``,
``--normalization vector``. Errors print one line on stderr naming file, row and column, and
exit with 2. The full contract is in ``docs/engines/siting.md``.
"""

from __future__ import annotations

import argparse
import math
import re
from dataclasses import dataclass
from pathlib import Path

from onderdak.commands.common import (
    DECIMAL,
    CommandError,
    CsvWording,
    Parser,
    csv_header,
    csv_records,
    csv_rows,
    format_float,
    is_blank,
    run,
    write_csv,
)
from onderdak.engines.siting import (
    Criterion,
    Direction,
    Method,
    Normalization,
    SitingInputError,
    rank_sites,
    smaa,
)

RANK_HEADER = ("id", "score", "rank")
WEIGHT_COLUMNS = ("criterion", "weight", "direction")
#: The words of this command's CSV errors (``docs/engines/siting.md``).
_CSV_WORDING = CsvWording(
    empty="{path}, row 1, column '{first}': empty file, expected the header {expected}",
    missing="{path}, row 1, column '{column}': column missing",
    twice="{path}, row 1, column '{column}': column appears twice",
    more_values="{path}, row {row}, column {column}: more values than columns",
    separator="{path}, row 1, column '{first}': the file uses ';' as separator; use ',' "
    "(header {expected})",
    first_row="{path}, row 1, column '{first}': the header must be the first row, not row {row}",
    header="first non-blank",
    twice_first="alphabetical",
    unreadable_row="line",
)
_WHOLE = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Matrix:
    ids: list[str]
    criteria: list[str]
    values: list[list[float]]


@dataclass(frozen=True, slots=True)
class WeightRow:
    row: int
    weight: float
    direction: Direction
    lower: float | None
    upper: float | None


def main(argv: list[str]) -> int:
    """Run ``onderdak sites ...``; returns the exit code (0 success, 2 user error)."""
    return run(_parser(), argv, _run, input_errors=(SitingInputError,))


def _run(args: argparse.Namespace) -> int:
    header, rows = _rank(args) if args.command == "rank" else _smaa(args)
    write_csv(args.out, header, rows)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="onderdak sites",
        description="Rank candidate sites for temporary housing by multi-criteria analysis.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    rank = commands.add_parser(
        "rank",
        help="score and rank the sites with one weight vector",
        description="Score and rank the sites. Writes CSV: " + ",".join(RANK_HEADER) + ".",
    )
    _common(rank)
    samples = commands.add_parser(
        "smaa",
        help="rank acceptability indices under uncertain weights (SMAA-2)",
        description=(
            "Sample weight vectors uniformly from the simplex (within the optional weight_min/"
            "weight_max columns of the weights file, or respecting its order with --ordering), "
            "rank the sites for each and write CSV: id,rank_1,...,rank_n."
        ),
    )
    _common(samples)
    samples.add_argument("--samples", required=True, metavar="N", help="number of weight samples")
    samples.add_argument("--seed", required=True, metavar="S", help="random seed (whole number)")
    samples.add_argument(
        "--ordering",
        action="store_true",
        help="only weights that rank the criteria as the weight column does (higher first)",
    )
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--matrix",
        required=True,
        type=Path,
        metavar="M.csv",
        help="CSV: a column id and one column per criterion",
    )
    parser.add_argument(
        "--weights",
        required=True,
        type=Path,
        metavar="W.csv",
        help="CSV: criterion,weight,direction (benefit or cost)",
    )
    parser.add_argument(
        "--method",
        choices=[m.value for m in Method],
        default=Method.WSM.value,
        help="aggregation method (default wsm)",
    )
    parser.add_argument(
        "--normalization",
        choices=[n.value for n in Normalization],
        default=Normalization.VECTOR.value,
        help="for wsm and topsis (default vector); promethee2 uses the raw values",
    )
    parser.add_argument("--out", type=Path, metavar="FILE", help="write here, not stdout")


def _rank(args: argparse.Namespace) -> tuple[list[str], list[list[str]]]:
    matrix, criteria, _ = _problem(args.matrix, args.weights)
    result = rank_sites(
        matrix.values,
        criteria,
        sites=matrix.ids,
        method=args.method,
        normalization=args.normalization,
    )
    rows = [
        [site, format_float(score), str(rank)]
        for site, score, rank in zip(
            matrix.ids, result.scores.tolist(), result.ranks().tolist(), strict=True
        )
    ]
    return list(RANK_HEADER), rows


def _smaa(args: argparse.Namespace) -> tuple[list[str], list[list[str]]]:
    samples = _whole(args.samples, "--samples", minimum=1)
    seed = _whole(args.seed, "--seed", minimum=0)
    matrix, criteria, weights = _problem(args.matrix, args.weights)
    bounds = _bounds(args.weights, criteria, weights)
    ordering = _ordering(criteria) if args.ordering else None
    result = smaa(
        matrix.values,
        criteria,
        samples=samples,
        seed=seed,
        sites=matrix.ids,
        method=args.method,
        normalization=args.normalization,
        weight_bounds=bounds,
        ordering=ordering,
    )
    header = ["id"] + [f"rank_{r}" for r in range(1, len(matrix.ids) + 1)]
    rows = [
        [site, *(format_float(value) for value in line)]
        for site, line in zip(matrix.ids, result.acceptability.tolist(), strict=True)
    ]
    return header, rows


def _problem(
    matrix_path: Path, weights_path: Path
) -> tuple[Matrix, list[Criterion], dict[str, WeightRow]]:
    """The matrix, its criteria in column order (weights, directions) and the weight rows."""
    header_row = _matrix_header(matrix_path)
    weights = _read_weights(weights_path)
    columns = set(header_row[1])
    for name, entry in weights.items():
        if name not in columns:
            raise CommandError(
                f"{weights_path}, row {entry.row}, column 'criterion': criterion '{name}' is not "
                f"a column of {matrix_path}"
            )
    for name in header_row[1]:
        if name not in weights:
            raise CommandError(
                f"{matrix_path}, row 1, column '{name}': criterion '{name}' is not in "
                f"{weights_path}"
            )
    matrix = _read_matrix(matrix_path, header_row)
    criteria = [
        Criterion(name, direction=weights[name].direction, weight=weights[name].weight)
        for name in matrix.criteria
    ]
    return matrix, criteria, weights


# --------------------------------------------------------------------------------------------
# Reading the files
# --------------------------------------------------------------------------------------------


def _matrix_header(path: Path) -> tuple[int, list[str]]:
    """(index of the id column, criterion names in column order)."""
    header = csv_header(path, csv_records(path, _CSV_WORDING), _CSV_WORDING, "id,<criterion>,...")
    ids = [i for i, name in enumerate(header) if name.casefold() == "id"]
    if not ids:
        raise CommandError(f"{path}, row 1, column 'id': column missing")
    if len(ids) > 1:
        raise CommandError(f"{path}, row 1, column 'id': column appears twice")
    criteria = []
    for index, name in enumerate(header):
        if index == ids[0]:
            continue
        if not name:
            raise CommandError(f"{path}, row 1, column {index + 1}: empty column name")
        if name in criteria:
            raise CommandError(f"{path}, row 1, column '{name}': column appears twice")
        criteria.append(name)
    if not criteria:
        raise CommandError(f"{path}, row 1, column 'id': no criterion columns next to 'id'")
    return ids[0], criteria


def _read_matrix(path: Path, header_row: tuple[int, list[str]]) -> Matrix:
    id_index, criteria = header_row
    columns = list(criteria)
    positions = [i for i in range(len(columns) + 1) if i != id_index]
    width = len(columns) + 1
    ids: list[str] = []
    seen: dict[str, int] = {}
    values: list[list[float]] = []
    records = csv_records(path, _CSV_WORDING)
    next(records)  # the header, checked by _matrix_header
    last = 1
    for number, cells in records:
        if is_blank(cells):
            continue
        last = number
        if len(cells) > width:
            raise CommandError(
                f"{path}, row {number}, column {width + 1}: more values than columns"
            )
        padded = cells + [""] * (width - len(cells))
        site = padded[id_index]
        if not site:
            raise CommandError(f"{path}, row {number}, column 'id': value missing")
        if site in seen:
            raise CommandError(
                f"{path}, row {number}, column 'id': duplicate id '{site}' (also in row "
                f"{seen[site]})"
            )
        seen[site] = number
        ids.append(site)
        values.append(
            [
                _number(padded[position], f"{path}, row {number}, column '{name}'")
                for name, position in zip(columns, positions, strict=True)
            ]
        )
    if len(ids) < 2:
        found = "no sites" if not ids else "only 1 site"
        raise CommandError(
            f"{path}, row {last + 1 if not ids else last}, column 'id': {found}; at least 2 "
            "are needed to rank"
        )
    return Matrix(ids=ids, criteria=columns, values=values)


def _read_weights(path: Path) -> dict[str, WeightRow]:
    result: dict[str, WeightRow] = {}
    last = 1
    for number, row in csv_rows(path, WEIGHT_COLUMNS, _CSV_WORDING):
        last = number
        where = f"{path}, row {number}"
        name = row["criterion"]
        if not name:
            raise CommandError(f"{where}, column 'criterion': value missing")
        if name in result:
            raise CommandError(
                f"{where}, column 'criterion': duplicate criterion '{name}' (also in row "
                f"{result[name].row})"
            )
        weight = _number(row["weight"], f"{where}, column 'weight'")
        if weight < 0:
            raise CommandError(f"{where}, column 'weight': negative weight {row['weight']}")
        text = row["direction"].casefold()
        if text not in (Direction.BENEFIT.value, Direction.COST.value):
            shown = row["direction"]
            raise CommandError(
                f"{where}, column 'direction': "
                + (f"unknown direction '{shown}'" if shown else "value missing")
                + " (benefit or cost)"
            )
        result[name] = WeightRow(
            row=number,
            weight=weight,
            direction=Direction(text),
            lower=_share(row.get("weight_min", ""), f"{where}, column 'weight_min'"),
            upper=_share(row.get("weight_max", ""), f"{where}, column 'weight_max'"),
        )
    if not result:
        raise CommandError(f"{path}, row {last + 1}, column 'criterion': no criteria")
    if all(entry.weight == 0 for entry in result.values()):
        first = min(entry.row for entry in result.values())
        raise CommandError(
            f"{path}, row {first}, column 'weight': all weights are zero; at least one must be "
            "positive"
        )
    return result


def _number(text: str, where: str) -> float:
    if not text:
        raise CommandError(f"{where}: value missing")
    if DECIMAL.fullmatch(text):
        value = float(text)
        if math.isfinite(value):
            return value
        raise CommandError(f"{where}: number out of range: '{text}'")
    try:
        value = float(text)
    except ValueError:
        raise CommandError(f"{where}: not a number: '{text}'") from None
    if not math.isfinite(value):
        raise CommandError(f"{where}: not a finite number: '{text}'")
    raise CommandError(f"{where}: not a number: '{text}'")


def _share(text: str, where: str) -> float | None:
    if not text:
        return None
    value = _number(text, where)
    if not 0 <= value <= 1:
        raise CommandError(f"{where}: must be between 0 and 1, not {text}")
    return value


def _whole(text: str, option: str, *, minimum: int) -> int:
    value = text.strip()
    if not _WHOLE.fullmatch(value.removeprefix("+")):
        raise CommandError(f"{option}: not a whole number >= {minimum}: '{text}'")
    number = int(value)
    if number < minimum:
        raise CommandError(f"{option}: must be at least {minimum}, not {number}")
    return number


def _bounds(
    path: Path, criteria: list[Criterion], weights: dict[str, WeightRow]
) -> dict[str, tuple[float, float]] | None:
    """weight_min/weight_max per criterion (empty: 0 and 1), checked for a non-empty range."""
    if all(w.lower is None and w.upper is None for w in weights.values()):
        return None
    bounds = {}
    for criterion in criteria:
        entry = weights[criterion.name]
        low = 0.0 if entry.lower is None else entry.lower
        high = 1.0 if entry.upper is None else entry.upper
        if low > high:
            raise CommandError(
                f"{path}, row {entry.row}, column 'weight_min': {low:g} is above weight_max "
                f"{high:g}"
            )
        bounds[criterion.name] = (low, high)
    last = max(w.row for w in weights.values())
    low_sum = math.fsum(b[0] for b in bounds.values())
    high_sum = math.fsum(b[1] for b in bounds.values())
    if low_sum > 1:
        raise CommandError(
            f"{path}, row {last}, column 'weight_min': the minimum weights sum to {low_sum:g}, "
            "more than 1"
        )
    if high_sum < 1:
        raise CommandError(
            f"{path}, row {last}, column 'weight_max': the maximum weights sum to {high_sum:g}, "
            "less than 1"
        )
    return bounds


def _ordering(criteria: list[Criterion]) -> list[list[str]]:
    """Groups of criteria with equal weight, highest weight first."""
    groups: dict[float, list[str]] = {}
    for criterion in criteria:
        groups.setdefault(criterion.weight, []).append(criterion.name)
    return [groups[weight] for weight in sorted(groups, reverse=True)]
