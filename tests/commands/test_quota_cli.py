"""The ``onderdak quota distribute`` contract: output format, reference checks, error paths."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from onderdak.commands.quota import main

HEADER = "code,name,province,weight,share,exact,quota"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# Golden output on small weight files (hand-worked)
# --------------------------------------------------------------------------------------------


def test_golden_output_for_a_small_weights_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 7 over 3 / 1 / 1: shares 0.6 0.2 0.2, exact 4.2 1.4 1.4 -> 4 1 1, one seat left: tie at
    # .4 between two equal weights -> the lower code GM0437. 7 * 0.2 prints as Python's repr.
    weights = write(tmp_path / "w.csv", "code,weight\nGM0451,1\nGM0384,3\nGM0437,1\n")
    code, out, err = run(["distribute", "--total", "7", "--weights", str(weights)], capsys)
    assert (code, err) == (0, "")
    assert out == (
        f"{HEADER}\n"
        "GM0384,Diemen,Noord-Holland,3,0.6,4.2,4\n"
        "GM0437,Ouder-Amstel,Noord-Holland,1,0.2,1.4,2\n"
        "GM0451,Uithoorn,Noord-Holland,1,0.2,1.4,1\n"
    )


def test_golden_output_with_decimal_weights_carry_over_and_out_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 4 over 1.5 / 0.5: shares 0.75 0.25, exact 3.0 1.0; carry-over -1 for Diemen.
    weights = write(tmp_path / "w.csv", "code,weight\nGM0451,0.5\nGM0384,1.5\n")
    carry = write(tmp_path / "c.csv", "code,carry_over\nGM0384,-1\nGM1696,9\n")
    out_file = tmp_path / "out.csv"
    argv = ["distribute", "--total", "4", "--weights", str(weights)]
    argv += ["--carry-over", str(carry), "--out", str(out_file), "--method", "sainte-lague"]
    code, out, err = run(argv, capsys)
    assert (code, out, err) == (0, "", "")
    assert out_file.read_bytes().decode() == (
        f"{HEADER},carry_over,corrected\n"
        "GM0384,Diemen,Noord-Holland,1.5,0.75,3.0,3,-1,2\n"
        "GM0451,Uithoorn,Noord-Holland,0.5,0.25,1.0,1,0,1\n"
    )


def test_methods_differ_on_the_same_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 8 seats over 100,000 / 80,000 / 30,000 / 20,000: D'Hondt 4 3 1 0, the others 3 3 1 1.
    weights = write(
        tmp_path / "w.csv", "code,weight\nGM0363,100000\nGM0384,80000\nGM0437,30000\nGM0451,20000\n"
    )
    results = {}
    for method in ("hamilton", "dhondt", "sainte-lague", "huntington-hill"):
        argv = ["distribute", "--total", "8", "--weights", str(weights), "--method", method]
        code, out, _ = run(argv, capsys)
        assert code == 0
        results[method] = [int(row["quota"]) for row in rows(out)]
    assert results == {
        "hamilton": [3, 3, 1, 1],
        "dhondt": [4, 3, 1, 0],
        "sainte-lague": [3, 3, 1, 1],
        "huntington-hill": [3, 3, 1, 1],
    }


# --------------------------------------------------------------------------------------------
# Reference data checks
# --------------------------------------------------------------------------------------------


def test_96000_places_by_population_2024(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["distribute", "--total", "96000", "--year", "2024"], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == HEADER
    table = rows(out)
    assert len(table) == 342
    assert [row["code"] for row in table] == sorted(row["code"] for row in table)
    assert sum(int(row["quota"]) for row in table) == 96_000
    assert sum(int(row["weight"]) for row in table) == 17_942_942
    by_code = {row["code"]: row for row in table}
    # Population only: Diemen 176 and Wijdemeren 132 (published after the SES-WOA correction:
    # 175 and 163).
    assert by_code["GM0384"]["name"] == "Diemen"
    assert by_code["GM0384"]["province"] == "Noord-Holland"
    assert by_code["GM0384"]["weight"] == "32977"
    assert float(by_code["GM0384"]["exact"]) == pytest.approx(176.4366178)
    assert by_code["GM0384"]["quota"] == "176"
    assert by_code["GM1696"]["name"] == "Wijdemeren"
    assert by_code["GM1696"]["quota"] == "132"
    assert by_code["GM0363"]["quota"] == "4983"


def test_96000_over_provinces_gives_noord_holland_15925(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["distribute", "--total", "96000", "--level", "province"], capsys)
    assert code == 0
    table = rows(out)
    assert [row["code"] for row in table] == [f"PV{n}" for n in range(20, 32)]
    assert sum(int(row["quota"]) for row in table) == 96_000
    noord_holland = next(row for row in table if row["code"] == "PV27")
    assert noord_holland["name"] == noord_holland["province"] == "Noord-Holland"
    assert noord_holland["weight"] == "2976487"
    assert noord_holland["quota"] == "15925"


@pytest.mark.parametrize("within", ["Duo+", "duo+", "DUOPLUS"])
def test_within_duo_plus(within: str, capsys: pytest.CaptureFixture[str]) -> None:
    # 1,000 over 32,977 / 14,447 / 31,685: exact 416.86 182.62 400.52 -> 416 182 400, two left
    # to the remainders .86 and .62 -> 417 183 400.
    code, out, _ = run(["distribute", "--total", "1000", "--within", within], capsys)
    assert code == 0
    assert [(r["code"], r["name"], r["quota"]) for r in rows(out)] == [
        ("GM0384", "Diemen", "417"),
        ("GM0437", "Ouder-Amstel", "183"),
        ("GM0451", "Uithoorn", "400"),
    ]


def test_within_a_province_by_name_or_code(capsys: pytest.CaptureFixture[str]) -> None:
    _, by_name, _ = run(["distribute", "--total", "100", "--within", "noord-holland"], capsys)
    _, by_code, _ = run(["distribute", "--total", "100", "--within", "PV27"], capsys)
    assert by_name == by_code
    assert {row["province"] for row in rows(by_name)} == {"Noord-Holland"}
    assert len(rows(by_name)) == 44


def test_within_a_region_at_province_level_sums_its_members(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        ["distribute", "--total", "10", "--within", "MRA", "--level", "province"], capsys
    )
    assert code == 0
    assert [(r["code"], r["quota"]) for r in rows(out)] == [("PV24", "1"), ("PV27", "9")]


def test_year_selects_the_population(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["distribute", "--total", "10", "--within", "Duo+", "--year", "2022"], capsys)
    assert rows(out)[0]["weight"] == "31822"


def test_weights_file_with_within_keeps_only_members(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weights = write(tmp_path / "w.csv", "code,weight\nGM0384,1\nGM0363,5\n")
    code, out, _ = run(
        ["distribute", "--total", "3", "--weights", str(weights), "--within", "Duo+"], capsys
    )
    assert code == 0
    assert [(r["code"], r["quota"]) for r in rows(out)] == [("GM0384", "3")]


def test_floor_and_cap_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    weights = write(tmp_path / "w.csv", "code,weight,floor,cap\nGM0384,9,,2\nGM0437,1,1,\n")
    code, out, _ = run(["distribute", "--total", "5", "--weights", str(weights)], capsys)
    assert code == 0
    assert [r["quota"] for r in rows(out)] == ["2", "3"]


# --------------------------------------------------------------------------------------------
# Errors: one line on stderr, exit code 2, never a traceback
# --------------------------------------------------------------------------------------------

ERROR_FILES = {
    "unknown code": ("code,weight\nGM0384,1\nGM9999,2\n", "row 3, column 'code': unknown"),
    "duplicate code": ("code,weight\nGM0384,1\nGM0384,2\n", "row 3, column 'code': duplicate"),
    "negative weight": ("code,weight\nGM0384,-1\n", "row 2, column 'weight': negative weight"),
    "missing weight": ("code,weight\nGM0384,\n", "row 2, column 'weight': value missing"),
    "non-numeric weight": ("code,weight\nGM0384,abc\n", "column 'weight': not a number: 'abc'"),
    "nan weight": ("code,weight\nGM0384,nan\n", "not a finite number: 'nan'"),
    "missing column": ("code,gewicht\nGM0384,1\n", "row 1: column 'weight' missing"),
    "missing code": ("code,weight\n,1\n", "row 2, column 'code': value missing"),
    "too many values": ("code,weight\nGM0384,1,2\n", "row 2: more values than columns"),
    "empty file": ("", "empty file"),
    "no rows": ("code,weight\n", "no rows"),
    "floor above cap": ("code,weight,floor,cap\nGM0384,1,3,1\n", "floor 3 is above cap 1"),
    "bad floor": ("code,weight,floor\nGM0384,1,x\n", "column 'floor': not a whole number"),
    "floors above total": ("code,weight,floor\nGM0384,1,9\n", "floors sum to 9"),
    "all zero": ("code,weight\nGM0384,0\nGM0437,0\n", "all weights are zero"),
}


@pytest.mark.parametrize("case", sorted(ERROR_FILES))
def test_weights_file_errors(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text, message = ERROR_FILES[case]
    weights = write(tmp_path / "w.csv", text)
    code, out, err = run(["distribute", "--total", "5", "--weights", str(weights)], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--total", "-5"], "--total: must not be negative: -5"),
        (["--total", "1.5"], "--total: not a whole number: '1.5'"),
        (["--total", "lots"], "--total: not a whole number"),
        (["--total", "5", "--within", "Atlantis"], "no province or region 'Atlantis'"),
        (["--total", "5", "--within", "Twente"], "matches several regions: AM05"),
        (["--total", "5", "--method", "borda"], "invalid choice: 'borda'"),
        (["--total", "5", "--level", "country"], "invalid choice: 'country'"),
        (["--total", "5", "--year", "2021"], "invalid choice: 2021"),
        (["--year", "2024"], "required: --total"),
        (["--total", "5", "--weights", "missing.csv"], "missing.csv: file not found"),
        (["--total", "5", "--key", "population", "--weights", "w.csv"], "not allowed with"),
    ],
)
def test_argument_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["distribute", *argv], capsys)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1


def test_carry_over_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = {
        "code,carry_over\nGM0384,1.5\n": "row 2, column 'carry_over': not a whole number",
        "code,carry_over\nGM9999,1\n": "unknown code 'GM9999'",
        "code,carry_over\nGM0384,1\nGM0384,2\n": "duplicate code GM0384",
        "code,backlog\nGM0384,1\n": "column 'carry_over' missing",
    }
    for text, message in cases.items():
        carry = write(tmp_path / "c.csv", text)
        argv = ["distribute", "--total", "5", "--within", "Duo+", "--carry-over", str(carry)]
        code, _, err = run(argv, capsys)
        assert (code, message in err) == (2, True), err


def test_province_level_weights_need_province_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weights = write(tmp_path / "w.csv", "code,weight\nGM0384,1\n")
    argv = ["distribute", "--total", "5", "--weights", str(weights), "--level", "province"]
    code, _, err = run(argv, capsys)
    assert code == 2
    assert "unknown province code 'GM0384'" in err
    weights = write(tmp_path / "w.csv", "code,weight\nPV27,1\nPV28,3\n")
    code, out, _ = run(argv, capsys)
    assert code == 0
    assert [(r["code"], r["quota"]) for r in rows(out)] == [("PV27", "1"), ("PV28", "4")]


def test_no_units_within_the_region(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    weights = write(tmp_path / "w.csv", "code,weight\nGM0363,1\n")
    argv = ["distribute", "--total", "5", "--weights", str(weights), "--within", "Duo+"]
    code, _, err = run(argv, capsys)
    assert code == 2
    assert "no units to distribute over within 'Duo+'" in err


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["distribute", "--help"], capsys)
    assert code == 0
    assert "--total N" in out


def test_the_onderdak_command_routes_to_quota(tmp_path: Path) -> None:
    weights = write(tmp_path / "w.csv", "code,weight\nGM0384,3\nGM0437,1\n")
    command = [sys.executable, "-m", "onderdak.cli", "quota", "distribute", "--total", "4"]
    done = subprocess.run(
        [*command, "--weights", str(weights)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        HEADER,
        "GM0384,Diemen,Noord-Holland,3,0.75,3.0,3",
        "GM0437,Ouder-Amstel,Noord-Holland,1,0.25,1.0,1",
    ]
    failed = subprocess.run([*command[:-1], "-1"], capture_output=True, text=True, check=False)
    assert failed.returncode == 2
    assert failed.stderr == "error: --total: must not be negative: -1\n"


# --------------------------------------------------------------------------------------------
# onderdak quota statutory (Huisvestingswet 2014 art. 29(1))
# --------------------------------------------------------------------------------------------

STATUTORY_HEADER = "code,name,population,quota"


def statutory(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code, out, err = run(["statutory", *argv], capsys)
    return code, out.splitlines(), err


def test_statutory_diemen_2024_h1_is_35_total_18928(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = statutory(["--national", "18750", "--half-year", "2024-H1"], capsys)
    assert (code, err) == (0, "")
    assert lines[0] == STATUTORY_HEADER
    assert lines[-1] == "total=18928 national=18750 reference_date=2023-01-01"
    table = rows("\n".join(lines[:-1]))
    assert len(table) == 342
    diemen = next(r for r in table if r["code"] == "GM0384")
    assert diemen == {"code": "GM0384", "name": "Diemen", "population": "32785", "quota": "35"}
    assert sum(int(r["quota"]) for r in table) == 18_928
    assert sum(int(r["population"]) for r in table) == 17_811_291


def test_statutory_rows_are_in_code_order_and_exactly_rounded_up(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, lines, _ = statutory(["--national", "13000", "--half-year", "2025-H2"], capsys)
    assert code == 0
    table = rows("\n".join(lines[:-1]))
    codes = [r["code"] for r in table]
    assert codes == sorted(codes)
    national_population = 17_942_942  # 1 January 2024
    assert sum(int(r["population"]) for r in table) == national_population
    for r in table:
        quota, population = int(r["quota"]), int(r["population"])
        # the smallest whole number >= 13000 x population / iN
        assert quota * national_population >= 13_000 * population
        assert (quota - 1) * national_population < 13_000 * population
    assert lines[-1] == (
        f"total={sum(int(r['quota']) for r in table)} national=13000 reference_date=2024-01-01"
    )


def test_statutory_h2_uses_the_same_reference_date_as_h1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, first, _ = statutory(["--national", "18750", "--half-year", "2024-H1"], capsys)
    _, second, _ = statutory(["--national", "18750", "--half-year", "2024-H2"], capsys)
    assert first == second


def test_statutory_2023_uses_the_2022_column_on_the_2024_division(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, lines, _ = statutory(["--national", "21200", "--half-year", "2023-H1"], capsys)
    assert code == 0
    assert lines[-1].endswith(" national=21200 reference_date=2022-01-01")
    table = {r["code"]: r for r in rows("\n".join(lines[:-1]))}
    assert len(table) == 342
    assert table["GM0363"]["population"] == "903399"  # Amsterdam incl. Weesp
    assert table["GM0384"]["population"] == "31822"
    assert sum(int(r["population"]) for r in table.values()) == 17_590_672


def test_statutory_zero_gives_zero_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = statutory(["--national", "0", "--half-year", "2024-H2"], capsys)
    assert code == 0
    table = rows("\n".join(lines[:-1]))
    assert {r["quota"] for r in table} == {"0"}
    assert lines[-1] == "total=0 national=0 reference_date=2023-01-01"


def test_statutory_out_file_holds_the_csv_and_stdout_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "taakstelling.csv"
    code, lines, err = statutory(
        ["--national", "18750", "--half-year", "2024-H1", "--out", str(out_file)], capsys
    )
    assert (code, err) == (0, "")
    assert lines == ["total=18928 national=18750 reference_date=2023-01-01"]
    text = out_file.read_text(encoding="utf-8")
    assert text.startswith(STATUTORY_HEADER + "\n")
    assert "GM0384,Diemen,32785,35\n" in text
    assert "total=" not in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--national", "-1", "--half-year", "2024-H1"], "--national: must not be negative: -1"),
        (["--national", "1.5", "--half-year", "2024-H1"], "--national: not a whole number"),
        (["--national", "1e3", "--half-year", "2024-H1"], "--national: not a whole number"),
        (["--national", "", "--half-year", "2024-H1"], "--national: not a whole number"),
        (["--national", "10", "--half-year", "2024-H3"], "--half-year: not a half-year"),
        (["--national", "10", "--half-year", "2024H1"], "--half-year: not a half-year"),
        (["--national", "10", "--half-year", "24-H1"], "--half-year: not a half-year"),
        (["--national", "10", "--half-year", "2022-H2"], "no shipped population on 2021-01-01"),
        (["--national", "10", "--half-year", "2026-H1"], "no shipped population on 2025-01-01"),
        (["--national", "10", "--half-year", "0000-H1"], "no shipped population"),
    ],
)
def test_statutory_input_errors_exit_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, err = statutory(argv, capsys)
    assert code == 2
    assert lines == []
    assert err.count("\n") == 1
    assert message in err


@pytest.mark.parametrize("missing", ["--national", "--half-year"])
def test_statutory_requires_both_arguments(
    missing: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--national", "10", "--half-year", "2024-H1"]
    index = argv.index(missing)
    code, _, err = statutory(argv[:index] + argv[index + 2 :], capsys)
    assert code == 2
    assert missing in err


def test_statutory_runs_as_a_command_without_django_settings(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "onderdak.cli",
            "quota",
            "statutory",
            "--national",
            "18750",
            "--half-year",
            "2024-H1",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "total=18928 national=18750 reference_date=2023-01-01"
