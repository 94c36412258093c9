"""``onderdak quota``: distribute a quota over municipalities or provinces, without a database.

    onderdak quota distribute --total N [--year 2022|2023|2024]
        [--key population | --weights FILE]
        [--method hamilton|dhondt|sainte-lague|huntington-hill]
        [--level municipality|province] [--within PROVINCE_OR_REGION]
        [--carry-over FILE] [--out FILE]
    onderdak quota statutory --national N --half-year YYYY-H1|YYYY-H2 [--out FILE]

Reference data (municipalities, provinces, populations on 1 January, regions) comes from the
CBS files shipped in :mod:`onderdak.data` ("Bron: CBS"). The output is CSV with the header
``code,name,province,weight,share,exact,quota`` (plus ``carry_over,corrected`` with
``--carry-over``), one row per unit, sorted by code; floats are printed in Python's shortest
round-trip form, whole numbers as integers. Errors print one line on stderr and exit with 2.
``statutory`` computes the status-holder taakstelling of Huisvestingswet 2014 art. 29(1)
(ceil(N x population / national population) per municipality, CBS populations on 1 January of
the year before the half-year's year) and writes ``code,name,population,quota`` followed by the
line ``total=... national=... reference_date=...``.
The full contract is in ``docs/engines/quota.md``.
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from onderdak.commands.common import (
    WHOLE,
    CommandError,
    CsvWording,
    Parser,
    csv_rows,
    run,
    write_csv,
)
from onderdak.data.reference import (
    MunicipalityRecord,
    ProvinceRecord,
    ReferenceDataError,
    read_municipalities,
    read_regions,
)
from onderdak.engines.quota import (
    HalfYear,
    Method,
    QuotaInputError,
    apportion,
    population_key,
    statutory_quotas,
    statutory_reference_date,
)

YEARS = (2022, 2023, 2024)
HEADER = ("code", "name", "province", "weight", "share", "exact", "quota")
CARRY_HEADER = ("carry_over", "corrected")
#: The words of this command's CSV errors (``docs/engines/quota.md``).
_CSV_WORDING = CsvWording(
    empty="{path}: empty file, expected header {expected}",
    missing="{path}, row 1: column '{column}' missing",
    twice="{path}, row 1: column '{column}' appears twice",
    more_values="{path}, row {row}: more values than columns",
    header="first",
    twice_first="alphabetical",
    unreadable_row="header only",
)


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    name: str
    province: str
    weight: int | float
    floor: int | None = None
    cap: int | None = None


def main(argv: list[str]) -> int:
    """Run ``onderdak quota ...``; returns the exit code (0 success, 2 user error)."""
    return run(_parser(), argv, _dispatch, input_errors=(QuotaInputError, ReferenceDataError))


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "statutory":
        return _statutory(args)
    return _distribute(args)


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="onderdak quota",
        description="Distribute a quota (taakstelling) over municipalities or provinces.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    distribute = commands.add_parser(
        "distribute",
        help="apportion a whole number by population or by given weights",
        description=(
            "Apportion a whole number over the municipalities (or provinces) by population on "
            "1 January of --year, or by the weights in a CSV file (code,weight). Writes CSV: "
            + ",".join(HEADER)
            + ". Reference data: Bron: CBS."
        ),
    )
    distribute.add_argument("--total", required=True, metavar="N", help="whole number >= 0")
    distribute.add_argument(
        "--year",
        type=int,
        choices=YEARS,
        default=2024,
        help="population reference date: 1 January of this year (default 2024)",
    )
    source = distribute.add_mutually_exclusive_group()
    source.add_argument(
        "--key", choices=("population",), default=None, help="distribution key (default)"
    )
    source.add_argument(
        "--weights",
        type=Path,
        metavar="FILE",
        help="CSV with columns code,weight (optional floor,cap); units are its codes",
    )
    distribute.add_argument(
        "--method",
        choices=[m.value for m in Method],
        default=Method.HAMILTON.value,
        help="rounding method (default hamilton = largest remainder)",
    )
    distribute.add_argument("--level", choices=("municipality", "province"), default="municipality")
    distribute.add_argument(
        "--within",
        metavar="NAME",
        help="only the municipalities of this province or region (name or code)",
    )
    distribute.add_argument(
        "--carry-over",
        type=Path,
        metavar="FILE",
        help="CSV code,carry_over (backlog +, surplus -); adds carry_over,corrected",
    )
    distribute.add_argument("--out", type=Path, metavar="FILE", help="write here, not stdout")
    _add_statutory(commands)
    return parser


def _distribute(args: argparse.Namespace) -> int:
    total = _total(args.total)
    provinces, municipalities = read_municipalities()
    selected = _within(args.within, provinces, municipalities) if args.within else None
    if args.level == "province":
        units = _province_units(args, provinces, municipalities, selected)
    else:
        units = _municipality_units(args, provinces, municipalities, selected)
    if not units:
        raise CommandError("no units to distribute over" + _where(args.within))
    units.sort(key=lambda unit: unit.code)
    floors = {u.code: u.floor for u in units if u.floor is not None}
    caps = {u.code: u.cap for u in units if u.cap is not None}
    result = apportion(
        {u.code: u.weight for u in units},
        total,
        method=args.method,
        floors=floors or None,
        caps=caps or None,
    )
    carry = None
    if args.carry_over is not None:
        known = (
            {p.code for p in provinces}
            if args.level == "province"
            else {m.code for m in municipalities}
        )
        carry = _read_carry_over(args.carry_over, known)
    rows = []
    for unit, share, exact, quota in zip(
        units,
        result.shares.tolist(),
        result.exact.tolist(),
        result.quotas.tolist(),
        strict=True,
    ):
        row: list[object] = [unit.code, unit.name, unit.province, unit.weight, share, exact, quota]
        if carry is not None:
            carried = carry.get(unit.code, 0)
            row += [carried, quota + carried]
        rows.append([_format(value) for value in row])
    header = list(HEADER) + (list(CARRY_HEADER) if carry is not None else [])
    write_csv(args.out, header, rows)
    return 0


def _where(within: str | None) -> str:
    return f" within '{within}'" if within else ""


def _format(value: object) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _total(text: str) -> int:
    value = text.strip()
    if not WHOLE.fullmatch(value):
        raise CommandError(f"--total: not a whole number: '{text}'")
    total = int(value)
    if total < 0:
        raise CommandError(f"--total: must not be negative: {total}")
    return total


def _within(
    name: str,
    provinces: Sequence[ProvinceRecord],
    municipalities: Sequence[MunicipalityRecord],
) -> set[str]:
    """Municipality codes of the province (first) or region named or coded ``name``."""
    wanted = name.strip().casefold()
    for province in provinces:
        if wanted in {province.code.casefold(), province.name.casefold()}:
            return {m.code for m in municipalities if m.province_code == province.code}
    regions = read_regions({m.code: m for m in municipalities}, {p.code: p for p in provinces})
    by_code = [r for r in regions if r.code.casefold() == wanted]
    matches = by_code or [r for r in regions if r.name.casefold() == wanted]
    if not matches:
        raise CommandError(f"--within: no province or region '{name}'")
    if len(matches) > 1:
        listed = ", ".join(f"{r.code} ({r.region_type})" for r in matches)
        raise CommandError(
            f"--within: '{name}' matches several regions: {listed}; give the code instead"
        )
    return {member.municipality_code for member in matches[0].members}


def _municipality_units(
    args: argparse.Namespace,
    provinces: Sequence[ProvinceRecord],
    municipalities: Sequence[MunicipalityRecord],
    selected: set[str] | None,
) -> list[Unit]:
    province_names = {p.code: p.name for p in provinces}
    by_code = {m.code: m for m in municipalities}
    if args.weights is not None:
        weights = _read_weights(args.weights, set(by_code), "municipality")
        return [
            Unit(
                code,
                by_code[code].name,
                province_names[by_code[code].province_code],
                weight,
                floor,
                cap,
            )
            for code, (weight, floor, cap) in weights.items()
            if selected is None or code in selected
        ]
    key = population_key(
        {m.code: m.population for m in municipalities if selected is None or m.code in selected},
        date(args.year, 1, 1),
    )
    return [
        Unit(
            code,
            by_code[code].name,
            province_names[by_code[code].province_code],
            int(weight),
        )
        for code, weight in key.weights.items()
    ]


def _province_units(
    args: argparse.Namespace,
    provinces: Sequence[ProvinceRecord],
    municipalities: Sequence[MunicipalityRecord],
    selected: set[str] | None,
) -> list[Unit]:
    members = [m for m in municipalities if selected is None or m.code in selected]
    present = {m.province_code for m in members}
    if args.weights is not None:
        names = {p.code: p.name for p in provinces}
        weights = _read_weights(args.weights, set(names), "province")
        return [
            Unit(code, names[code], names[code], weight, floor, cap)
            for code, (weight, floor, cap) in weights.items()
            if code in present
        ]
    key = population_key({m.code: m.population for m in members}, date(args.year, 1, 1))
    summed: dict[str, int] = {}
    for m in members:
        summed[m.province_code] = summed.get(m.province_code, 0) + int(key.weights[m.code])
    return [Unit(p.code, p.name, p.name, summed[p.code]) for p in provinces if p.code in summed]


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, row) per data row; the header is row 1. Checks the required columns."""
    return csv_rows(path, required, _CSV_WORDING)


def _read_weights(
    path: Path, known: set[str], kind: str
) -> dict[str, tuple[int | float, int | None, int | None]]:
    """code -> (weight, floor, cap) from a CSV ``code,weight[,floor][,cap]``."""
    result: dict[str, tuple[int | float, int | None, int | None]] = {}
    for number, row in _rows(path, ("code", "weight")):
        where = f"{path}, row {number}"
        code = _code(row["code"], where, known, result, f"unknown {kind} code")
        weight = _weight(row["weight"], f"{where}, column 'weight'")
        floor = _bound(row.get("floor", ""), f"{where}, column 'floor'")
        cap = _bound(row.get("cap", ""), f"{where}, column 'cap'")
        if floor is not None and cap is not None and floor > cap:
            raise CommandError(f"{where}, column 'floor': floor {floor} is above cap {cap}")
        result[code] = (weight, floor, cap)
    if not result:
        raise CommandError(f"{path}: no rows")
    return result


def _code(text: str, where: str, known: set[str], seen: Container[str], unknown: str) -> str:
    """The code of a row (upper case): given, ``known`` and not ``seen`` before."""
    code = text.upper()
    if not code:
        raise CommandError(f"{where}, column 'code': value missing")
    if code not in known:
        raise CommandError(f"{where}, column 'code': {unknown} '{text}'")
    if code in seen:
        raise CommandError(f"{where}, column 'code': duplicate code {code}")
    return code


def _weight(text: str, where: str) -> int | float:
    if not text:
        raise CommandError(f"{where}: value missing")
    if WHOLE.fullmatch(text):
        value: int | float = int(text)
    else:
        try:
            value = float(text)
        except ValueError:
            raise CommandError(f"{where}: not a number: '{text}'") from None
        if not math.isfinite(value):
            raise CommandError(f"{where}: not a finite number: '{text}'")
    if value < 0:
        raise CommandError(f"{where}: negative weight {text}")
    return value


def _bound(text: str, where: str) -> int | None:
    if not text:
        return None
    if not WHOLE.fullmatch(text):
        raise CommandError(f"{where}: not a whole number: '{text}'")
    value = int(text)
    if value < 0:
        raise CommandError(f"{where}: must not be negative: {value}")
    return value


def _read_carry_over(path: Path, known: set[str]) -> dict[str, int]:
    """code -> carry-over (backlog +, surplus -) from a CSV ``code,carry_over``."""
    result: dict[str, int] = {}
    for number, row in _rows(path, ("code", "carry_over")):
        where = f"{path}, row {number}"
        code = _code(row["code"], where, known, result, "unknown code")
        text = row["carry_over"]
        if not text:
            raise CommandError(f"{where}, column 'carry_over': value missing")
        if not WHOLE.fullmatch(text):
            raise CommandError(f"{where}, column 'carry_over': not a whole number: '{text}'")
        result[code] = int(text)
    return result


# --------------------------------------------------------------------------------------------
# onderdak quota statutory: Huisvestingswet 2014 art. 29(1)
# --------------------------------------------------------------------------------------------

STATUTORY_HEADER = ("code", "name", "population", "quota")

#: The national population (iN) per shipped reference date, CBS, as in ``data/README.md``; the
#: municipal column must add up to it (2022: the column re-aggregated to the 2024 division).
NATIONAL_POPULATION: dict[date, int] = {
    date(2022, 1, 1): 17_590_672,
    date(2023, 1, 1): 17_811_291,
    date(2024, 1, 1): 17_942_942,
}
_HALF_YEAR = re.compile(r"(\d{4})-H([12])")


def _add_statutory(commands: argparse._SubParsersAction[Parser]) -> None:
    statutory = commands.add_parser(
        "statutory",
        help="the status-holder quota of Huisvestingswet 2014 art. 29 (rounded up)",
        description=(
            "The taakstelling huisvesting vergunninghouders per municipality (Huisvestingswet "
            "2014 art. 29(1)): ceil(N x population / national population), with the CBS "
            "populations on 1 January of the year before the half-year's year. Writes CSV: "
            + ",".join(STATUTORY_HEADER)
            + ", then the line total=... national=N reference_date=YYYY-01-01. "
            "Reference data: Bron: CBS."
        ),
    )
    statutory.add_argument(
        "--national", required=True, metavar="N", help="expected national number, whole >= 0"
    )
    statutory.add_argument(
        "--half-year", required=True, metavar="YYYY-H1|YYYY-H2", help="for example 2024-H1"
    )
    statutory.add_argument("--out", type=Path, metavar="FILE", help="write the CSV here")


def _statutory(args: argparse.Namespace) -> int:
    national = _national(args.national)
    match = _HALF_YEAR.fullmatch(args.half_year)
    if match is None:
        raise CommandError(f"--half-year: not a half-year like 2024-H1: '{args.half_year}'")
    year = int(match.group(1))
    shipped_years = {d.year for d in NATIONAL_POPULATION}
    on = (
        statutory_reference_date(HalfYear(year, int(match.group(2))))
        if year - 1 in shipped_years
        else None
    )
    if on is None:
        wanted = f"{year - 1:04d}-01-01" if year > 0 else "1 January of the year before"
        shipped = ", ".join(d.isoformat() for d in sorted(NATIONAL_POPULATION))
        raise CommandError(
            f"--half-year {args.half_year}: no shipped population on {wanted} "
            f"(art. 29: 1 January of the year before; shipped: {shipped})"
        )
    _, municipalities = read_municipalities()
    ordered = sorted(municipalities, key=lambda m: m.code)
    populations = {m.code: m.population[on] for m in ordered}
    if sum(populations.values()) != NATIONAL_POPULATION[on]:
        raise CommandError(
            f"reference data: the municipal populations on {on.isoformat()} add up to "
            f"{sum(populations.values())}, not the national {NATIONAL_POPULATION[on]}"
        )
    result = statutory_quotas(national, populations, national_population=NATIONAL_POPULATION[on])
    rows = [[m.code, m.name, str(populations[m.code]), str(result.quotas[m.code])] for m in ordered]
    summary = f"total={result.total} national={national} reference_date={on.isoformat()}"
    write_csv(args.out, STATUTORY_HEADER, rows)
    print(summary)
    return 0


def _national(text: str) -> int:
    value = text.strip()
    if not WHOLE.fullmatch(value):
        raise CommandError(f"--national: not a whole number: '{text}'")
    national = int(value)
    if national < 0:
        raise CommandError(f"--national: must not be negative: {national}")
    return national
