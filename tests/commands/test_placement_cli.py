"""The ``onderdak placement solve`` / ``optimise`` contract: golden outputs and every error
path (exit code 2 with file, row and column; never a traceback)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from onderdak.commands.placement import main
from tests.engines.placement import reference

HOUSEHOLDS = """\
id,target_group,adults,minors,needs_accessible,needs_ground_floor,waiting_days,urgency,tie_x,tie_y,reunification_persons
H1,status_holder,2,2,0,0,730,1,121000,487000,1
H2,status_holder,1,0,ja,nee,500,,,,
H3,displaced_ukrainian,2,0,FALSE,yes,100,0,,,0
H4,status_holder,2,6,no,no,900,0,,,0
H5,status_holder,1,0,,,30,0,122000,484000,
"""
UNITS = """\
id,complex,max_occupants,rooms,area_m2,accessible,floor,x,y,target_groups
U1,Diemerdreef,6,4,65,1,0,121000,484000,
U2,Diemerdreef,2,2,30,0,1,121500,484000,
U3,Maalderij,4,3,50,0,0,122000,484000,status_holder
U4,Maalderij,2,2,28,true,0,,,displaced_ukrainian;urgent
"""
#: H1 (5 persons with the reunification person) fits only U1: 1 + 730/365 + urgency 1 + space
#: 13 m2 (1) + rooms 4 of 4 (1) + 5000/(5000 + 3000) + neutral preference 0.25 = 6.875.
#: H2 needs the accessible U1 too (4.350632) and loses; H3 needs the ground floor: U4
#: (U3 is for status holders); H4 (8 persons) fits nowhere; H5 takes U2, 500 m from its tie:
#: 1 + 30/365 + 15/30 + 1 + 5000/5500 + 0.25 = 3.741283 (U3: 3.632192).
GOLDEN_SOLVE = """\
household,unit,score
H1,U1,6.875
H3,U4,4.023973
H5,U2,3.741283
objective=14.640256 placed=3
"""
GOLDEN_SOLVE_STDERR = """\
unplaced: H2: outcompeted; its best feasible unit: U1 (4.350632, taken by H1). Not feasible: \
1 unit not open to target group status_holder, 2 units not accessible
unplaced: H4: no feasible unit (1 unit not open to target group status_holder, 3 units too \
small (max occupants < 8))
"""

SIZES = "id,persons\nH1,2\nH2,1\nH3,3\nH4,1\nH5,4\nH6,2\n"
CAPACITIES = "id,capacity,max_households\nU1,4,2\nU2,2,1\nU3,5,1\n"
PAIRS = """\
household,unit,score
H1,U1,3.5
H1,U2,2.0
H2,U1,1.25
H2,U2,1.5
H3,U1,2.0
H3,U3,2.5
H4,U1,0.75
H5,U3,3
H5,U1,-1
H4,U2,0
H6,U2,0.1
"""
#: U1 takes two households with together 4 persons: H1 (2) and H4 (1) for 3.5 + 0.75; H3 (3
#: persons) would need U1 alone or U3, where H5 scores more; H2 takes U2 (1.5 beats H6's 0.1).
#: Pairs with score <= 0 (H5-U1, H4-U2) are never placed. Checked against brute force below.
GOLDEN_OPTIMISE = """\
household,unit,score
H1,U1,3.5
H2,U2,1.5
H4,U1,0.75
H5,U3,3.0
objective=8.75 placed=4
"""
GOLDEN_OPTIMISE_STDERR = """\
unplaced: H3: outcompeted: its 2 units with a score > 0 went to others (a higher total score)
unplaced: H6: outcompeted: its 1 unit with a score > 0 went to others (a higher total score)
"""


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def solve_args(
    tmp_path: Path, households: str = HOUSEHOLDS, units: str = UNITS, weights: str | None = None
) -> list[str]:
    argv = [
        "solve",
        "--households",
        str(write(tmp_path / "H.csv", households)),
        "--units",
        str(write(tmp_path / "U.csv", units)),
    ]
    if weights is not None:
        argv += ["--weights", str(write(tmp_path / "W.yaml", weights))]
    return argv


def optimise_args(
    tmp_path: Path, pairs: str = PAIRS, households: str = SIZES, units: str = CAPACITIES
) -> list[str]:
    return [
        "optimise",
        "--pairs",
        str(write(tmp_path / "PAIRS.csv", pairs)),
        "--households",
        str(write(tmp_path / "H.csv", households)),
        "--units",
        str(write(tmp_path / "U.csv", units)),
    ]


def table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --------------------------------------------------------------------------------------------
# Golden outputs
# --------------------------------------------------------------------------------------------


def test_solve_golden(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(solve_args(tmp_path), capsys)
    assert code == 0
    assert out == GOLDEN_SOLVE
    assert err == GOLDEN_SOLVE_STDERR


def test_solve_to_files_with_explanation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target, explain = tmp_path / "P.csv", tmp_path / "E.json"
    argv = [*solve_args(tmp_path), "--out", str(target), "--explain", str(explain)]
    code, out, _ = run(argv, capsys)
    assert (code, out) == (0, "objective=14.640256 placed=3\n")
    assert target.read_text(encoding="utf-8") == GOLDEN_SOLVE.rsplit("objective", 1)[0]
    document = json.loads(explain.read_text(encoding="utf-8"))
    assert (document["status"], document["method"], document["objective"]) == (
        "optimal",
        "min_cost_flow",
        14.640256,
    )
    lines = {line["id"]: line for line in document["households"]}
    assert lines["H1"]["parts"] == {
        "base": 1.0,
        "waiting": 2.0,
        "urgency": 1.0,
        "space": 1.0,
        "rooms": 1.0,
        "distance": 0.625,
        "preference": 0.25,
    }
    assert lines["H5"]["alternatives"][0] == {
        "unit": "U3",
        "score": 3.632192,
        "parts": {
            "base": 1.0,
            "waiting": 0.082192,
            "urgency": 0.0,
            "space": 0.3,
            "rooms": 1.0,
            "distance": 1.0,
            "preference": 0.25,
        },
        "taken_by": [],
    }
    assert lines["H4"]["infeasible"] == [
        {
            "reason": "target_group",
            "count": 1,
            "message": "1 unit not open to target group status_holder",
            "examples": ["U4"],
        },
        {
            "reason": "too_small",
            "count": 3,
            "message": "3 units too small (max occupants < 8)",
            "examples": ["U1", "U2", "U3"],
        },
    ]
    assert [u["id"] for u in document["unplaced"]] == ["H2", "H4"]
    fairness = document["fairness"]
    assert fairness["optimal"]["overall"]["placed"] == 3
    assert fairness["objective_ratio"] == 1.0
    assert document["weights"]["distance_scale_m"] == 5000.0


def test_solve_with_weights(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Only the base counts (every placement scores 1), so the optimum places the most
    households; without the reunification person H1 (4 persons) also fits U3, which frees
    U1 for H2: all four households that fit somewhere are placed."""
    weights = (
        "# only the placement itself counts\n"
        "waiting: 0\nurgency: 0\nspace: 0\nrooms: 0\ndistance: 0\npreference: 0\n"
        "count_reunification: false\n"
    )
    code, out, _ = run(solve_args(tmp_path, weights=weights), capsys)
    assert code == 0
    rows = table(out.rsplit("objective", 1)[0])
    assert [r["score"] for r in rows] == ["1.0", "1.0", "1.0", "1.0"]
    assert out.endswith("objective=4.0 placed=4\n")
    assert {r["household"] for r in rows} == {"H1", "H2", "H3", "H5"}


def test_optimise_golden(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(optimise_args(tmp_path), capsys)
    assert code == 0
    assert out == GOLDEN_OPTIMISE
    assert err == GOLDEN_OPTIMISE_STDERR


def test_optimise_golden_is_the_brute_force_optimum() -> None:
    from onderdak.engines.placement import HouseholdSize, Pair, UnitCapacity

    households = [HouseholdSize(r["id"], int(r["persons"])) for r in table(SIZES)]
    units = [
        UnitCapacity(r["id"], int(r["capacity"]), int(r["max_households"]))
        for r in table(CAPACITIES)
    ]
    pairs = [Pair(r["household"], r["unit"], float(r["score"])) for r in table(PAIRS)]
    best = reference.brute_force(households, units, pairs)
    assert best is not None and (float(best[0]), best[1]) == (8.75, 4)


def test_optimise_to_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "P.csv"
    code, out, _ = run([*optimise_args(tmp_path), "--out", str(target)], capsys)
    assert (code, out) == (0, "objective=8.75 placed=4\n")
    assert target.read_text(encoding="utf-8") + out == GOLDEN_OPTIMISE


def test_nothing_to_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(optimise_args(tmp_path, pairs="household,unit,score\n"), capsys)
    assert code == 0
    assert out == "household,unit,score\nobjective=0.0 placed=0\n"
    assert err.splitlines()[0] == "unplaced: H1: no pair lists this household"


def test_objective_is_the_exact_sum_of_the_printed_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pairs = "household,unit,score\nH1,U1,0.1\nH2,U2,0.2\nH3,U3,0.3\n"
    code, out, _ = run(optimise_args(tmp_path, pairs=pairs), capsys)
    assert code == 0
    # 0.1 + 0.2 + 0.3 is 0.6000000000000001 in float addition; math.fsum gives 0.6
    assert out.splitlines()[-1] == "objective=0.6 placed=3"


def test_ties_are_resolved_deterministically(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two optima of total 4: H1 alone in U1, or H1 in U2 and H2 in U1; the one placing more
    households is chosen, every time."""
    pairs = "household,unit,score\nH1,U1,4\nH1,U2,2\nH2,U1,2\n"
    sizes = "id,persons\nH1,1\nH2,1\n"
    units = "id,capacity,max_households\nU1,1,1\nU2,1,1\n"
    outputs = {run(optimise_args(tmp_path, pairs, sizes, units), capsys)[1] for _ in range(3)}
    assert outputs == {"household,unit,score\nH1,U2,2.0\nH2,U1,2.0\nobjective=4.0 placed=2\n"}


# --------------------------------------------------------------------------------------------
# Error paths: exit code 2, one line naming file, row and column
# --------------------------------------------------------------------------------------------


def _replace(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("households", "units", "message"),
    [
        (
            _replace(HOUSEHOLDS, ",urgency", ",urgent"),
            UNITS,
            "H.csv, row 1, column 'urgency': column missing",
        ),
        (
            _replace(HOUSEHOLDS, "H2,status", "H1,status"),
            UNITS,
            "H.csv, row 3, column 'id': duplicate id 'H1' (also in row 2)",
        ),
        (
            _replace(HOUSEHOLDS, "H3,displaced_ukrainian,2", "H3,displaced_ukrainian,two"),
            UNITS,
            "H.csv, row 4, column 'adults': not a whole number: 'two'",
        ),
        (
            _replace(HOUSEHOLDS, "H4,status_holder,2,6", "H4,status_holder,2,-6"),
            UNITS,
            "H.csv, row 5, column 'minors': must not be negative: -6",
        ),
        (
            _replace(HOUSEHOLDS, "H4,status_holder,2,6", "H4,status_holder,0,0"),
            UNITS,
            "H.csv, row 5, column 'adults': the household has no persons (adults + minors is 0)",
        ),
        (
            _replace(HOUSEHOLDS, "ja,nee", "maybe,nee"),
            UNITS,
            "H.csv, row 3, column 'needs_accessible': not a yes/no value: 'maybe' (use 1/0, "
            "true/false, yes/no or ja/nee)",
        ),
        (
            _replace(HOUSEHOLDS, "500,,,,", "500,,125000,,"),
            UNITS,
            "H.csv, row 3, column 'tie_y': value missing (tie_x and tie_y are given together "
            "or both left empty)",
        ),
        (
            _replace(HOUSEHOLDS, "730,1,", "730,high,"),
            UNITS,
            "H.csv, row 2, column 'urgency': not a number: 'high'",
        ),
        (
            _replace(HOUSEHOLDS, "500,,", ",,"),
            UNITS,
            "H.csv, row 3, column 'waiting_days': value missing",
        ),
        (
            _replace(HOUSEHOLDS, "H5,status_holder", ",status_holder"),
            UNITS,
            "H.csv, row 6, column 'id': value missing",
        ),
        (
            _replace(HOUSEHOLDS, "H5,status_holder,1,0,,,30,0", "H5,,1,0,,,30,0"),
            UNITS,
            "H.csv, row 6, column 'target_group': value missing",
        ),
        (
            HOUSEHOLDS,
            _replace(UNITS, "U2,Diemerdreef,2", "U2,Diemerdreef,-2"),
            "U.csv, row 3, column 'max_occupants': must not be negative: -2",
        ),
        (
            HOUSEHOLDS,
            _replace(UNITS, ",65,", ",big,"),
            "U.csv, row 2, column 'area_m2': not a number: 'big'",
        ),
        (
            HOUSEHOLDS,
            _replace(UNITS, ",28,true,", ",28,sometimes,"),
            "U.csv, row 5, column 'accessible': not a yes/no value: 'sometimes' (use 1/0, "
            "true/false, yes/no or ja/nee)",
        ),
        (
            HOUSEHOLDS,
            _replace(UNITS, "0,1,121500", "0,first,121500"),
            "U.csv, row 3, column 'floor': not a whole number: 'first'",
        ),
        (
            HOUSEHOLDS,
            _replace(UNITS, "U3,Maalderij", "U1,Maalderij"),
            "U.csv, row 4, column 'id': duplicate id 'U1' (also in row 2)",
        ),
        (
            HOUSEHOLDS,
            _replace(UNITS, ",target_groups", ""),
            "U.csv, row 1, column 'target_groups': column missing",
        ),
        (
            HOUSEHOLDS,
            _replace(UNITS, "484000,status_holder", "484000,status_holder,extra"),
            "U.csv, row 4, column 11: more values than columns",
        ),
        (
            HOUSEHOLDS,
            UNITS.replace(",", ";"),
            "U.csv, row 1: the file uses ';' as separator; use ',' (expected id,complex,"
            "max_occupants,rooms,area_m2,accessible,floor,x,y,target_groups)",
        ),
        (
            "",
            UNITS,
            "H.csv, row 1: empty file, expected the header id,target_group,adults,minors,"
            "needs_accessible,needs_ground_floor,waiting_days,urgency,tie_x,tie_y,"
            "reunification_persons",
        ),
        (
            _replace(HOUSEHOLDS, "id,target_group", "id,id,target_group"),
            UNITS,
            "H.csv, row 1, column 'id': column appears twice",
        ),
    ],
)
def test_solve_input_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    households: str,
    units: str,
    message: str,
) -> None:
    code, out, err = run(solve_args(tmp_path, households, units), capsys)
    assert (code, out) == (2, "")
    assert err == f"error: {tmp_path}/{message}\n"


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (
            "speed: 2\n",
            "line 1, key 'speed': unknown weight (known: base, waiting, urgency, "
            "space, rooms, distance, preference, waiting_unit_days, space_min_m2, space_max_m2, "
            "distance_scale_m, neutral, count_reunification)",
        ),
        ("base: 1\nspace: lots\n", "line 2, key 'space': must be a number, not 'lots'"),
        ("space: -1\n", "line 1, key 'space': must be a number >= 0, not -1.0"),
        ("base: 1\nbase: 2\n", "line 2, key 'base': duplicate key (also on line 1)"),
        ("base: [1\n", "line 2: invalid YAML: expected ',' or ']', but got '<stream end>'"),
        ("- 1\n- 2\n", "must be a mapping of weight names to numbers"),
        (
            "space_min_m2: 20\n",
            "line 1, key 'space_min_m2': must not be above space_max_m2 (20 > 15)",
        ),
    ],
)
def test_weights_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], weights: str, message: str
) -> None:
    code, out, err = run(solve_args(tmp_path, weights=weights), capsys)
    assert (code, out) == (2, "")
    separator = ", " if message.startswith("line") else ": "
    assert err == f"error: {tmp_path}/W.yaml{separator}{message}\n"


def test_empty_weights_file_means_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(solve_args(tmp_path, weights="# defaults\n"), capsys)
    assert (code, out) == (0, GOLDEN_SOLVE)


@pytest.mark.parametrize(
    ("pairs", "households", "units", "message"),
    [
        (
            _replace(PAIRS, "H6,U2", "H9,U2"),
            SIZES,
            CAPACITIES,
            "PAIRS.csv, row 12, column 'household': unknown household 'H9' (not in {dir}/H.csv)",
        ),
        (
            _replace(PAIRS, "H3,U3", "H3,U7"),
            SIZES,
            CAPACITIES,
            "PAIRS.csv, row 7, column 'unit': unknown unit 'U7' (not in {dir}/U.csv)",
        ),
        (
            PAIRS + "H1,U1,9\n",
            SIZES,
            CAPACITIES,
            "PAIRS.csv, row 13, column 'unit': duplicate pair H1,U1 (also in row 2)",
        ),
        (
            _replace(PAIRS, "H1,U1,3.5", "H1,U1,high"),
            SIZES,
            CAPACITIES,
            "PAIRS.csv, row 2, column 'score': not a number: 'high'",
        ),
        (
            _replace(PAIRS, "H1,U1,3.5", "H1,U1,nan"),
            SIZES,
            CAPACITIES,
            "PAIRS.csv, row 2, column 'score': not a number: 'nan'",
        ),
        (
            _replace(PAIRS, "H1,U1,3.5", "H1,U1,"),
            SIZES,
            CAPACITIES,
            "PAIRS.csv, row 2, column 'score': value missing",
        ),
        (
            _replace(PAIRS, "household,unit,score", "household,unit"),
            SIZES,
            CAPACITIES,
            "PAIRS.csv, row 1, column 'score': column missing",
        ),
        (
            PAIRS,
            _replace(SIZES, "H2,1", "H2,-1"),
            CAPACITIES,
            "H.csv, row 3, column 'persons': must not be negative: -1",
        ),
        (
            PAIRS,
            _replace(SIZES, "H2,1", "H2,1.5"),
            CAPACITIES,
            "H.csv, row 3, column 'persons': not a whole number: '1.5'",
        ),
        (
            PAIRS,
            _replace(SIZES, "H3,3", "H1,3"),
            CAPACITIES,
            "H.csv, row 4, column 'id': duplicate id 'H1' (also in row 2)",
        ),
        (
            PAIRS,
            SIZES,
            _replace(CAPACITIES, "U2,2,1", "U2,-2,1"),
            "U.csv, row 3, column 'capacity': must not be negative: -2",
        ),
        (
            PAIRS,
            SIZES,
            _replace(CAPACITIES, "U2,2,1", "U2,2,one"),
            "U.csv, row 3, column 'max_households': not a whole number: 'one'",
        ),
        (
            PAIRS,
            SIZES,
            _replace(CAPACITIES, ",max_households", ""),
            "U.csv, row 1, column 'max_households': column missing",
        ),
        (
            PAIRS,
            SIZES,
            _replace(CAPACITIES, "U3,5", "U1,5"),
            "U.csv, row 4, column 'id': duplicate id 'U1' (also in row 2)",
        ),
    ],
)
def test_optimise_input_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    pairs: str,
    households: str,
    units: str,
    message: str,
) -> None:
    code, out, err = run(optimise_args(tmp_path, pairs, households, units), capsys)
    assert (code, out) == (2, "")
    assert err == f"error: {tmp_path}/{message.format(dir=tmp_path)}\n"


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = optimise_args(tmp_path)
    argv[argv.index("--pairs") + 1] = str(tmp_path / "nope.csv")
    code, out, err = run(argv, capsys)
    assert (code, out, err) == (2, "", f"error: {tmp_path}/nope.csv: file not found\n")
    code, _, err = run([*solve_args(tmp_path), "--weights", str(tmp_path / "W.yaml")], capsys)
    assert (code, err) == (2, f"error: {tmp_path}/W.yaml: file not found\n")


def test_unreadable_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = optimise_args(tmp_path)
    (tmp_path / "H.csv").write_bytes(b"id,persons\nH1,\xff\n")
    code, out, err = run(argv, capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {tmp_path}/H.csv, row ") and "unreadable CSV" in err


def test_unwritable_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*optimise_args(tmp_path), "--out", str(tmp_path / "missing" / "P.csv")]
    code, out, err = run(argv, capsys)
    assert (code, out) == (2, "")
    assert err == f"error: {tmp_path}/missing/P.csv: No such file or directory\n"


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["place"],
        ["optimise", "--households", "H.csv", "--units", "U.csv"],
        ["solve", "--units", "U.csv"],
    ],
)
def test_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert (code, out) == (2, "")
    assert err.startswith("onderdak placement") and err.endswith("(see --help)\n")
    assert len(err.splitlines()) == 1


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["optimise", "--help"], capsys)
    assert code == 0 and "--pairs PAIRS.csv" in out


def test_through_the_onderdak_command(tmp_path: Path) -> None:
    """The installed entry point: the same output, and an error is one line, no traceback."""
    argv = optimise_args(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "onderdak.cli", "placement", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, GOLDEN_OPTIMISE)
    write(tmp_path / "U.csv", _replace(CAPACITIES, "U2,2,1", "U2,-2,1"))
    failed = subprocess.run(
        [sys.executable, "-m", "onderdak.cli", "placement", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 2 and failed.stdout == ""
    assert failed.stderr == (
        f"error: {tmp_path}/U.csv, row 3, column 'capacity': must not be negative: -2\n"
    )


def test_engine_errors_are_located_in_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    households = _replace(HOUSEHOLDS, "121000,487000", "1e12,487000")
    code, out, err = run(solve_args(tmp_path, households), capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"error: {tmp_path}/H.csv, row 2, column 'tie_x': must be at most 1e+09 in size, not "
        "1000000000000.0\n"
    )
    pairs = _replace(PAIRS, "H1,U1,3.5", "H1,U1,1e16")
    code, _, err = run(optimise_args(tmp_path, pairs), capsys)
    assert code == 2
    assert err == (
        f"error: {tmp_path}/PAIRS.csv, row 2, column 'score': must be at most 1e+15 in size, "
        "not 1e16\n"
    )


def test_flat_weights_parser_without_pyyaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml raises ImportError
    weights = (
        "# comment\nwaiting: 0  # no priority\nurgency: 0\nbase: 1.5\ncount_reunification: true\n"
    )
    code, out, _ = run(solve_args(tmp_path, weights=weights), capsys)
    assert code == 0 and out.endswith("placed=3\n")
    code, _, err = run(solve_args(tmp_path, weights="waiting 2\n"), capsys)
    assert (code, err) == (2, f"error: {tmp_path}/W.yaml, line 1: expected 'name: number'\n")
    code, _, err = run(solve_args(tmp_path, weights="base: 1\nbase: 2\n"), capsys)
    assert err == f"error: {tmp_path}/W.yaml, line 2, key 'base': duplicate key (also on line 1)\n"
    code, _, err = run(solve_args(tmp_path, weights="base: high\n"), capsys)
    assert err == f"error: {tmp_path}/W.yaml, line 1, key 'base': must be a number, not 'high'\n"


def test_solver_failure_exits_with_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from onderdak.commands import placement as command
    from onderdak.engines.placement import PlacementSolverError

    def broken(*args: object, **kwargs: object) -> None:
        raise PlacementSolverError("min-cost flow: BAD_RESULT")

    monkeypatch.setattr(command, "optimise", broken)
    code, out, err = run(optimise_args(tmp_path), capsys)
    assert (code, out, err) == (1, "", "error: solver: min-cost flow: BAD_RESULT\n")
