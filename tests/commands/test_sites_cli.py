"""The ``onderdak sites rank`` / ``smaa`` contract: golden outputs and every error path."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from onderdak.commands.sites import main

MATRIX = "id,price,size\nA,100,10\nB,200,30\nC,300,20\nD,100,10\n"
WEIGHTS = "criterion,weight,direction\nprice,1,cost\nsize,1,benefit\n"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def files(tmp_path: Path, matrix: str = MATRIX, weights: str = WEIGHTS) -> list[str]:
    m = write(tmp_path / "M.csv", matrix)
    w = write(tmp_path / "W.csv", weights)
    return ["--matrix", str(m), "--weights", str(w)]


def table(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


# --------------------------------------------------------------------------------------------
# Golden outputs (hand-worked)
# --------------------------------------------------------------------------------------------


def test_wsm_minmax_golden_with_competition_ranks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # price (cost) 100/200/300/100 -> 1, .5, 0, 1; size 10/30/20/10 -> 0, 1, .5, 0; weights 1:1
    # scores .5, .75, .25, .5: A and D tie and share rank 2, C gets 4 ("1, 2, 2, 4")
    argv = ["rank", *files(tmp_path), "--method", "wsm", "--normalization", "minmax"]
    code, out, err = run(argv, capsys)
    assert (code, err) == (0, "")
    assert out == "id,score,rank\nA,0.5,2\nB,0.75,1\nC,0.25,4\nD,0.5,2\n"


def test_defaults_are_wsm_with_vector_normalisation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # ||price|| = sqrt(150000), ||size|| = sqrt(1500): r_A = (100, 10) / norms = (.2582, .2582);
    # cost: 1 - r. A: .5 (1 - .2582) + .5 (.2582) = .5 exactly; B: .5 (1 - .5164) + .5 (.7746)
    code, out, _ = run(["rank", *files(tmp_path)], capsys)
    assert code == 0
    explicit = run(
        ["rank", *files(tmp_path), "--method", "wsm", "--normalization", "vector"], capsys
    )[1]
    assert out == explicit
    assert out == (
        "id,score,rank\nA,0.5,2\nB,0.6290994448735805,1\nC,0.37090055512641945,4\nD,0.5,2\n"
    )


def test_topsis_tzeng_and_huang_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Tzeng & Huang (2011): published closeness .5037, .6581, .7482, .3340
    matrix = "id,c1,c2,c3\nA1,5,8,4\nA2,7,6,8\nA3,8,8,6\nA4,7,4,6\n"
    weights = "criterion,weight,direction\nc1,0.3,benefit\nc2,0.4,benefit\nc3,0.3,benefit\n"
    code, out, _ = run(["rank", *files(tmp_path, matrix, weights), "--method", "topsis"], capsys)
    assert code == 0
    rows = table(out)
    assert [round(float(r["score"]), 4) for r in rows] == [0.5037, 0.6581, 0.7482, 0.334]
    assert [r["rank"] for r in rows] == ["3", "2", "1", "4"]
    assert out.splitlines()[3] == "A3,0.7482486599406238,1"


def test_promethee2_usual_function_golden(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # pi(A,B) = pi(B,A) = .5, pi(A,C) = pi(B,C) = 1: phi = .5, .5, -1 -> ranks 1, 1, 3.
    # The normalisation does not apply to PROMETHEE II.
    matrix = "id,beds,cost\nA,3,10\nB,2,5\nC,1,20\n"
    weights = "criterion,weight,direction\nbeds,1,benefit\ncost,1,cost\n"
    argv = ["rank", *files(tmp_path, matrix, weights), "--method", "promethee2"]
    code, out, _ = run(argv, capsys)
    assert code == 0
    assert out == "id,score,rank\nA,0.5,1\nB,0.5,1\nC,-1.0,3\n"
    assert run([*argv, "--normalization", "minmax"], capsys)[1] == out


def test_layout_freedom_and_out_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # id not first, criteria in another order in W.csv, header case, BOM, blank lines, extra
    # columns in W.csv, upper-case direction: same result
    matrix = "\ufeffSize,ID,price\n\n10,A,100\n30,B,200\n20,C,300\n10,D,100\n"
    weights = "Criterion,Weight,Direction,note\nsize,1,Benefit,more room\nprice,1,COST,\n"
    out_file = tmp_path / "R.csv"
    matrix = matrix.replace("Size", "size")
    argv = ["rank", *files(tmp_path, matrix, weights), "--normalization", "minmax"]
    code, out, err = run([*argv, "--out", str(out_file)], capsys)
    assert (code, out, err) == (0, "", "")
    assert out_file.read_text(encoding="utf-8") == (
        "id,score,rank\nA,0.5,2\nB,0.75,1\nC,0.25,4\nD,0.5,2\n"
    )


def test_weights_are_normalised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scaled = "criterion,weight,direction\nprice,250,cost\nsize,250,benefit\n"
    a = run(["rank", *files(tmp_path), "--normalization", "minmax"], capsys)[1]
    b = run(["rank", *files(tmp_path, weights=scaled), "--normalization", "minmax"], capsys)[1]
    assert a == b


def test_smaa_dominating_site_is_always_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = "id,price,size\nbest,100,30\nworst,300,10\n"
    argv = ["smaa", *files(tmp_path, matrix), "--samples", "50", "--seed", "1"]
    code, out, err = run(argv, capsys)
    assert (code, err) == (0, "")
    assert out == "id,rank_1,rank_2\nbest,1.0,0.0\nworst,0.0,1.0\n"


@pytest.mark.parametrize("method", ["wsm", "topsis", "promethee2"])
def test_smaa_rows_and_columns_sum_to_one_and_repeat(
    method: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["smaa", *files(tmp_path), "--samples", "400", "--seed", "7", "--method", method]
    code, out, _ = run(argv, capsys)
    assert code == 0
    assert out.splitlines()[0] == "id,rank_1,rank_2,rank_3,rank_4"
    rows = table(out)
    assert [r["id"] for r in rows] == ["A", "B", "C", "D"]
    values = [[float(r[f"rank_{k}"]) for k in range(1, 5)] for r in rows]
    for line in values:
        assert sum(line) == pytest.approx(1.0)
    for k in range(4):
        assert sum(line[k] for line in values) == pytest.approx(1.0)
    assert values[0] == values[3]  # identical sites share their ranks
    assert run(argv, capsys)[1] == out


def test_smaa_golden_for_a_fixed_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["smaa", *files(tmp_path), "--samples", "10", "--seed", "3", "--method", "topsis"]
    code, out, _ = run(argv, capsys)
    assert code == 0
    assert out == (
        "id,rank_1,rank_2,rank_3,rank_4\n"
        "A,0.15,0.25,0.35,0.25\n"
        "B,0.7,0.0,0.3,0.0\n"
        "C,0.0,0.5,0.0,0.5\n"
        "D,0.15,0.25,0.35,0.25\n"
    )


def test_smaa_weight_ranges_and_ordering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # price at least 90% of the weight: the cheapest sites (A, D) lead every sample
    ranged = (
        "criterion,weight,direction,weight_min,weight_max\nprice,1,cost,0.9,\nsize,1,benefit,,\n"
    )
    argv = ["smaa", *files(tmp_path, weights=ranged), "--samples", "200", "--seed", "1"]
    code, out, _ = run(argv, capsys)
    assert code == 0
    rows = {r["id"]: r for r in table(out)}
    assert float(rows["A"]["rank_1"]) == 0.5
    assert float(rows["D"]["rank_1"]) == 0.5
    # --ordering: size (weight 3) counts more than price (weight 1): B leads every sample
    ordered = "criterion,weight,direction\nprice,1,cost\nsize,3,benefit\n"
    argv = ["smaa", *files(tmp_path, weights=ordered), "--samples", "200", "--seed", "1"]
    code, out, _ = run([*argv, "--ordering"], capsys)
    assert code == 0
    assert {r["id"]: float(r["rank_1"]) for r in table(out)}["B"] == 1.0


# --------------------------------------------------------------------------------------------
# Errors: one line on stderr naming file, row and column; exit code 2; never a traceback
# --------------------------------------------------------------------------------------------

MATRIX_ERRORS = {
    "empty file": ("", "M.csv, row 1, column 'id': empty file"),
    "blank first row": (
        "\nid,price,size\nA,1,2\nB,2,3\n",
        "M.csv, row 1, column 'id': the header must be",
    ),
    "no sites": ("id,price,size\n", "M.csv, row 2, column 'id': no sites; at least 2"),
    "one site": ("id,price,size\nA,1,2\n", "M.csv, row 2, column 'id': only 1 site"),
    "duplicate id": (
        "id,price,size\nA,1,2\nB,2,3\nA,3,4\n",
        "M.csv, row 4, column 'id': duplicate id 'A' (also in row 2)",
    ),
    "missing id": ("id,price,size\nA,1,2\n,2,3\n", "M.csv, row 3, column 'id': value missing"),
    "non-numeric": (
        "id,price,size\nA,1,2\nB,cheap,3\n",
        "M.csv, row 3, column 'price': not a number: 'cheap'",
    ),
    "missing value": (
        "id,price,size\nA,1,2\nB,,3\n",
        "M.csv, row 3, column 'price': value missing",
    ),
    "short row": ("id,price,size\nA,1,2\nB,2\n", "M.csv, row 3, column 'size': value missing"),
    "nan": ("id,price,size\nA,1,2\nB,nan,3\n", "M.csv, row 3, column 'price': not a finite number"),
    "inf": ("id,price,size\nA,1,2\nB,2,-inf\n", "M.csv, row 3, column 'size': not a finite number"),
    "too big": ("id,price,size\nA,1,2\nB,2,1e999\n", "row 3, column 'size': number out of range"),
    "comma decimal": (
        'id,price,size\nA,1,2\nB,"2,5",3\n',
        "row 3, column 'price': not a number: '2,5'",
    ),
    "too many values": ("id,price,size\nA,1,2,3\nB,2,3\n", "M.csv, row 2, column 4: more values"),
    "no id column": ("site,price,size\nA,1,2\n", "M.csv, row 1, column 'id': column missing"),
    "two id columns": ("id,price,ID\nA,1,2\n", "M.csv, row 1, column 'id': column appears twice"),
    "duplicate criterion": (
        "id,price,price\nA,1,2\n",
        "M.csv, row 1, column 'price': column appears twice",
    ),
    "empty column name": ("id,price,\nA,1,2\n", "M.csv, row 1, column 3: empty column name"),
    "semicolons": ("id;price;size\nA;1;2\n", "M.csv, row 1, column 'id': the file uses ';'"),
    "criterion missing in W.csv": (
        "id,price,size,noise\nA,1,2,3\nB,2,3,4\n",
        "M.csv, row 1, column 'noise': criterion 'noise' is not in",
    ),
    "only id": ("id\nA\nB\n", "M.csv, row 1, column 'id': no criterion columns"),
}


@pytest.mark.parametrize("case", sorted(MATRIX_ERRORS))
def test_matrix_errors(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text, message = MATRIX_ERRORS[case]
    for command in (["rank"], ["smaa", "--samples", "5", "--seed", "1"]):
        code, out, err = run([*command, *files(tmp_path, matrix=text)], capsys)
        assert code == 2
        assert out == ""
        assert err.startswith("error: ")
        assert message in err, err
        assert err.count("\n") == 1
        assert "Traceback" not in err


WEIGHT_ERRORS = {
    "empty file": ("", "W.csv, row 1, column 'criterion': empty file"),
    "no rows": ("criterion,weight,direction\n", "W.csv, row 2, column 'criterion': no criteria"),
    "missing column": (
        "criterion,weight\nprice,1\n",
        "W.csv, row 1, column 'direction': column missing",
    ),
    "duplicate column": (
        "criterion,weight,direction,weight\nprice,1,cost,2\n",
        "W.csv, row 1, column 'weight': column appears twice",
    ),
    "duplicate criterion": (
        "criterion,weight,direction\nprice,1,cost\nsize,1,benefit\nprice,2,cost\n",
        "W.csv, row 4, column 'criterion': duplicate criterion 'price' (also in row 2)",
    ),
    "missing criterion": (
        "criterion,weight,direction\n,1,cost\n",
        "W.csv, row 2, column 'criterion': value missing",
    ),
    "negative weight": (
        "criterion,weight,direction\nprice,-1,cost\nsize,1,benefit\n",
        "W.csv, row 2, column 'weight': negative weight -1",
    ),
    "non-numeric weight": (
        "criterion,weight,direction\nprice,high,cost\nsize,1,benefit\n",
        "W.csv, row 2, column 'weight': not a number: 'high'",
    ),
    "missing weight": (
        "criterion,weight,direction\nprice,,cost\nsize,1,benefit\n",
        "W.csv, row 2, column 'weight': value missing",
    ),
    "unknown direction": (
        "criterion,weight,direction\nprice,1,lower\nsize,1,benefit\n",
        "W.csv, row 2, column 'direction': unknown direction 'lower' (benefit or cost)",
    ),
    "missing direction": (
        "criterion,weight,direction\nprice,1,\nsize,1,benefit\n",
        "W.csv, row 2, column 'direction': value missing (benefit or cost)",
    ),
    "criterion missing in M.csv": (
        "criterion,weight,direction\nprice,1,cost\nsize,1,benefit\nnoise,1,cost\n",
        "W.csv, row 4, column 'criterion': criterion 'noise' is not a column of",
    ),
    "all zero": (
        "criterion,weight,direction\nprice,0,cost\nsize,0,benefit\n",
        "W.csv, row 2, column 'weight': all weights are zero",
    ),
    "too many values": (
        "criterion,weight,direction\nprice,1,cost,extra\n",
        "W.csv, row 2, column 4: more values than columns",
    ),
}


@pytest.mark.parametrize("case", sorted(WEIGHT_ERRORS))
def test_weight_errors(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text, message = WEIGHT_ERRORS[case]
    code, out, err = run(["rank", *files(tmp_path, weights=text)], capsys)
    assert code == 2
    assert out == ""
    assert message in err, err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("extra", "weights", "message"),
    [
        (["--samples", "0", "--seed", "1"], WEIGHTS, "--samples: must be at least 1, not 0"),
        (["--samples", "many", "--seed", "1"], WEIGHTS, "--samples: not a whole number"),
        (["--samples", "5", "--seed", "-1"], WEIGHTS, "--seed: not a whole number >= 0"),
        (["--samples", "5", "--seed", "1.5"], WEIGHTS, "--seed: not a whole number >= 0"),
        (["--samples", "++5", "--seed", "1"], WEIGHTS, "--samples: not a whole number"),
        (
            ["--samples", "5", "--seed", "1"],
            "criterion,weight,direction,weight_min,weight_max\nprice,1,cost,0.6,0.5\nsize,1,benefit,,\n",
            "W.csv, row 2, column 'weight_min': 0.6 is above weight_max 0.5",
        ),
        (
            ["--samples", "5", "--seed", "1"],
            "criterion,weight,direction,weight_min\nprice,1,cost,0.6\nsize,1,benefit,0.7\n",
            "W.csv, row 3, column 'weight_min': the minimum weights sum to 1.3, more than 1",
        ),
        (
            ["--samples", "5", "--seed", "1"],
            "criterion,weight,direction,weight_max\nprice,1,cost,0.3\nsize,1,benefit,0.3\n",
            "W.csv, row 3, column 'weight_max': the maximum weights sum to 0.6, less than 1",
        ),
        (
            ["--samples", "5", "--seed", "1"],
            "criterion,weight,direction,weight_max\nprice,1,cost,1.5\nsize,1,benefit,\n",
            "W.csv, row 2, column 'weight_max': must be between 0 and 1, not 1.5",
        ),
    ],
)
def test_smaa_errors(
    extra: list[str], weights: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["smaa", *files(tmp_path, weights=weights), *extra], capsys)
    assert code == 2
    assert out == ""
    assert message in err, err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["rank", "--method", "electre"], "invalid choice: 'electre'"),
        (["rank", "--normalization", "sum"], "invalid choice: 'sum'"),
        (["smaa", "--seed", "1"], "required: --samples"),
        (["rank", "--matrix", "nowhere.csv"], "nowhere.csv: file not found"),
    ],
)
def test_argument_errors(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = [argv[0], *files(tmp_path), *argv[1:]]
    code, out, err = run(full, capsys)
    assert code == 2
    assert out == ""
    assert message in err, err
    assert err.count("\n") == 1


def test_missing_required_file_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["rank", "--weights", "W.csv"], capsys)
    assert code == 2
    assert "required: --matrix" in err


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rank", "--help"], capsys)
    assert code == 0
    assert "--normalization" in out


def test_the_onderdak_command_routes_to_sites(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "onderdak.cli", "sites", "rank", *files(tmp_path)]
    done = subprocess.run(
        [*argv, "--normalization", "minmax"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == ["id,score,rank", "A,0.5,2"]
    bad = write(tmp_path / "W.csv", "criterion,weight,direction\nprice,-2,cost\nsize,1,benefit\n")
    failed = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert failed.returncode == 2
    assert failed.stderr == f"error: {bad}, row 2, column 'weight': negative weight -2\n"
