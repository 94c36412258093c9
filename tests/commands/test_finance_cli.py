"""The ``onderdak finance cost`` contract: golden outputs and every error path (exit code 2
with file, row and column; never a traceback)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from onderdak.commands.finance import main

RATES = """\
scheme,valid_from,amount,unit
goo,2022-03-01,100,place_day
goo,2022-10-15,83,place_day
goo,2024-01-01,61.00,place_day
poo,2022-03-01,210,person_month
poo,2022-10-15,92.5,person_month
"""
OCCUPANCY = """\
scheme,from,until,count
goo,2022-10-01,2022-11-03,3
poo,2022-10-01,2022-11-01,2
goo,2023-12-20,2024-01-10,1
poo,2022-11-01,2022-11-16,1
goo,2022-10-31,2022-11-01,0
"""
#: goo 2022-10: 3 x (14 x 100 + 17 x 83) = 3 x 2,811 = 8,433.00 (93 place-days);
#: poo 2022-10: 2 x (14 x 210 + 17 x 92.50) / 31 = 2 x 4,512.50 / 31 = 291.129... -> 291.13;
#: goo 2022-11: 3 x 2 days x 83 = 498.00; poo 2022-11: 15 x 92.50 / 30 = 46.25;
#: goo 2023-12: 12 x 83 = 996.00; goo 2024-01: 9 x 61 = 549.00. The count-0 row adds nothing.
#: total = 8,433.00 + 291.13 + 498.00 + 46.25 + 996.00 + 549.00 = 10,813.38.
GOLDEN = """\
month,scheme,quantity,amount
2022-10,goo,93,8433.00
2022-10,poo,62,291.13
2022-11,goo,6,498.00
2022-11,poo,15,46.25
2023-12,goo,12,996.00
2024-01,goo,9,549.00
total=10813.38
"""


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def cost_args(tmp_path: Path, rates: str = RATES, occupancy: str = OCCUPANCY) -> list[str]:
    return [
        "cost",
        "--rates",
        str(write(tmp_path / "RATES.csv", rates)),
        "--occupancy",
        str(write(tmp_path / "OCC.csv", occupancy)),
    ]


# --------------------------------------------------------------------------------------------
# Golden outputs
# --------------------------------------------------------------------------------------------


def test_golden(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cost_args(tmp_path), capsys) == (0, GOLDEN, "")


def test_out_writes_the_csv_and_stdout_has_only_the_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "COST.csv"
    code, out, err = run([*cost_args(tmp_path), "--out", str(target)], capsys)
    assert (code, out, err) == (0, "total=10813.38\n", "")
    assert target.read_text(encoding="utf-8") == GOLDEN.rsplit("total=", 1)[0]


def test_header_only_occupancy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(cost_args(tmp_path, occupancy="scheme,from,until,count\n"), capsys)
    assert (code, out) == (0, "month,scheme,quantity,amount\ntotal=0.00\n")


def test_a_month_with_only_count_zero_has_no_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    occupancy = (
        "scheme,from,until,count\ngoo,2024-01-01,2024-03-01,0\ngoo,2024-02-01,2024-02-02,1\n"
    )
    code, out, _ = run(cost_args(tmp_path, occupancy=occupancy), capsys)
    assert (code, out) == (0, "month,scheme,quantity,amount\n2024-02,goo,1,61.00\ntotal=61.00\n")


def test_extra_columns_any_order_and_case_blank_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rates = "Unit,note,AMOUNT,valid_from,scheme\nplace_day,x,61,2024-01-01,goo\n"
    occupancy = "\ufeffcount,until,from,scheme,source\n\n 2 ,2024-01-03,2024-01-01,goo,unit 17\n"
    code, out, _ = run(cost_args(tmp_path, rates, occupancy), capsys)
    assert (code, out) == (0, "month,scheme,quantity,amount\n2024-01,goo,4,244.00\ntotal=244.00\n")


@pytest.mark.parametrize(
    ("amount", "total"),
    [
        ("83", "166.00"),
        ("83.", "166.00"),
        ("83.5", "167.00"),
        ("83.50", "167.00"),
        ("+83.5", "167.00"),
        ("083.50", "167.00"),
        (".5", "1.00"),
        ("0", "0.00"),
    ],
)
def test_amount_forms(
    amount: str, total: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 1 place for 2 days at the amount
    rates = f"scheme,valid_from,amount,unit\ngoo,2024-01-01,{amount},place_day\n"
    occupancy = "scheme,from,until,count\ngoo,2024-01-01,2024-01-03,1\n"
    code, out, _ = run(cost_args(tmp_path, rates, occupancy), capsys)
    assert (code, out) == (
        0,
        f"month,scheme,quantity,amount\n2024-01,goo,2,{total}\ntotal={total}\n",
    )


def test_rounding_half_up_and_total_of_rounded_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 0.05 per person-month, 15 of 30 days of November: 0.025 -> 0.03 (half up); the same in
    # September (30 days) under scheme b: 0.03. Total of the rounded lines: 0.06 (the exact
    # sum 0.05 would round to 0.05).
    rates = "scheme,valid_from,amount,unit\na,2024-01-01,0.05,person_month\nb,2024-01-01,0.05,person_month\n"
    occupancy = "scheme,from,until,count\na,2024-11-01,2024-11-16,1\nb,2024-09-01,2024-09-16,1\n"
    code, out, _ = run(cost_args(tmp_path, rates, occupancy), capsys)
    assert (code, out) == (
        0,
        "month,scheme,quantity,amount\n2024-09,b,15,0.03\n2024-11,a,15,0.03\ntotal=0.06\n",
    )


def test_exact_repetition_of_a_rate_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rates = RATES + "goo,2022-10-15,83.00,place_day\n"
    assert run(cost_args(tmp_path, rates), capsys) == (0, GOLDEN, "")


# --------------------------------------------------------------------------------------------
# Errors: exit code 2, one line naming file, row and column
# --------------------------------------------------------------------------------------------

RATE_ROW = "goo,2022-03-01,100,place_day"
OCC_ROW = "goo,2022-10-01,2022-11-03,3"


@pytest.mark.parametrize(
    ("rates", "message"),
    [
        (
            RATES.replace(RATE_ROW, "goo,2022-03-01,100.005,place_day"),
            "RATES.csv, row 2, column 'amount': more than 2 decimals: 100.005",
        ),
        (
            RATES.replace(RATE_ROW, "goo,2022-03-01,100.000,place_day"),
            "RATES.csv, row 2, column 'amount': more than 2 decimals: 100.000",
        ),
        (
            RATES.replace(RATE_ROW, "goo,2022-03-01,1e2,place_day"),
            "RATES.csv, row 2, column 'amount': not an amount in euros: '1e2'",
        ),
        (
            RATES.replace(RATE_ROW, 'goo,2022-03-01,"83,50",place_day'),
            "RATES.csv, row 2, column 'amount': not an amount in euros: '83,50'",
        ),
        (
            RATES.replace(RATE_ROW, "goo,2022-03-01,ten,place_day"),
            "RATES.csv, row 2, column 'amount': not an amount in euros: 'ten'",
        ),
        (
            RATES.replace(RATE_ROW, "goo,2022-03-01,-5,place_day"),
            "RATES.csv, row 2, column 'amount': must not be negative: -5",
        ),
        (
            RATES.replace(RATE_ROW, "goo,2022-03-01,,place_day"),
            "RATES.csv, row 2, column 'amount': value missing",
        ),
        (
            RATES.replace(RATE_ROW, "goo,2022-03-01,100,per_day"),
            "RATES.csv, row 2, column 'unit': unknown unit 'per_day' (use place_day or "
            "person_month)",
        ),
        (
            RATES.replace(RATE_ROW, "goo,2022-3-1,100,place_day"),
            "RATES.csv, row 2, column 'valid_from': not a date of the form YYYY-MM-DD: '2022-3-1'",
        ),
        (
            RATES.replace(RATE_ROW, "goo,2022-02-30,100,place_day"),
            "RATES.csv, row 2, column 'valid_from': not a calendar date: '2022-02-30'",
        ),
        (
            RATES.replace(RATE_ROW, ",2022-03-01,100,place_day"),
            "RATES.csv, row 2, column 'scheme': value missing",
        ),
        (
            RATES + "goo,2022-10-15,84,place_day\n",
            "RATES.csv, row 7, column 'amount': scheme 'goo' already has the amount 83 from "
            "2022-10-15 in an earlier row, not 84",
        ),
        (
            RATES + "goo,2025-01-01,44,person_month\n",
            "RATES.csv, row 7, column 'unit': scheme 'goo' has unit place_day in an earlier "
            "row, not person_month (one unit per scheme)",
        ),
        (
            "scheme,valid_from,unit\ngoo,2022-03-01,place_day\n",
            "RATES.csv, row 1, column 'amount': column missing",
        ),
        (
            "scheme,valid_from,amount,unit,Scheme\n",
            "RATES.csv, row 1, column 'scheme': column appears twice",
        ),
        ("", "RATES.csv, row 1: empty file, expected the header scheme,valid_from,amount,unit"),
        (
            RATES + "poo,2022-03-01,210,person_month,extra\n",
            "RATES.csv, row 7, column 5: more values than columns",
        ),
        (
            "scheme;valid_from;amount;unit\n",
            "RATES.csv, row 1: the file uses ';' as separator; use ',' (expected "
            "scheme,valid_from,amount,unit)",
        ),
    ],
)
def test_rate_errors(
    rates: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(cost_args(tmp_path, rates=rates), capsys)
    assert (code, out) == (2, "")
    assert err == f"error: {tmp_path}/{message}\n"


@pytest.mark.parametrize(
    ("occupancy", "message"),
    [
        (
            OCCUPANCY.replace(OCC_ROW, "xyz,2022-10-01,2022-11-03,3"),
            "OCC.csv, row 2, column 'scheme': unknown scheme 'xyz' (not in {dir}/RATES.csv)",
        ),
        (
            OCCUPANCY + "GOO,2022-10-01,2022-10-02,0\n",
            "OCC.csv, row 7, column 'scheme': unknown scheme 'GOO' (not in {dir}/RATES.csv)",
        ),
        (
            OCCUPANCY.replace(OCC_ROW, "goo,2022-02-28,2022-11-03,3"),
            "OCC.csv, row 2, column 'from': 2022-02-28 is before the first rate of scheme "
            "'goo' (valid from 2022-03-01 in {dir}/RATES.csv)",
        ),
        (
            OCCUPANCY.replace(OCC_ROW, "goo,2022-02-28,2022-11-03,0"),
            "OCC.csv, row 2, column 'from': 2022-02-28 is before the first rate of scheme "
            "'goo' (valid from 2022-03-01 in {dir}/RATES.csv)",
        ),
        (
            OCCUPANCY.replace(OCC_ROW, "goo,2022-10-01,2022-10-01,3"),
            "OCC.csv, row 2, column 'until': until is not after from",
        ),
        (
            OCCUPANCY.replace(OCC_ROW, "goo,2022-10-01,2022-09-01,3"),
            "OCC.csv, row 2, column 'until': until is not after from",
        ),
        (
            OCCUPANCY.replace(OCC_ROW, "goo,2022-10-01,2022-11-03,-3"),
            "OCC.csv, row 2, column 'count': must not be negative: -3",
        ),
        (
            OCCUPANCY.replace(OCC_ROW, "goo,2022-10-01,2022-11-03,2.5"),
            "OCC.csv, row 2, column 'count': not a whole number: '2.5'",
        ),
        (
            OCCUPANCY.replace(OCC_ROW, "goo,2022-10-01,2022-11-03,"),
            "OCC.csv, row 2, column 'count': value missing",
        ),
        (
            OCCUPANCY.replace(OCC_ROW, "goo,01-10-2022,2022-11-03,3"),
            "OCC.csv, row 2, column 'from': not a date of the form YYYY-MM-DD: '01-10-2022'",
        ),
        (
            OCCUPANCY.replace(OCC_ROW, "goo,2022-10-01,2022-11-31,3"),
            "OCC.csv, row 2, column 'until': not a calendar date: '2022-11-31'",
        ),
        (
            "scheme,from,count\n",
            "OCC.csv, row 1, column 'until': column missing",
        ),
        (
            "\nscheme,from,until,count\n",
            "OCC.csv, row 1: empty file, expected the header scheme,from,until,count",
        ),
    ],
)
def test_occupancy_errors(
    occupancy: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(cost_args(tmp_path, occupancy=occupancy), capsys)
    assert (code, out) == (2, "")
    assert err == f"error: {tmp_path}/{message.format(dir=tmp_path)}\n"


def test_the_first_error_in_file_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    occupancy = "scheme,from,until,count\ngoo,2022-10-01,2022-10-01,1\ngoo,2022-10-01,x,1\n"
    _, _, err = run(cost_args(tmp_path, occupancy=occupancy), capsys)
    assert err == f"error: {tmp_path}/OCC.csv, row 2, column 'until': until is not after from\n"


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = cost_args(tmp_path)
    argv[argv.index("--occupancy") + 1] = str(tmp_path / "nope.csv")
    assert run(argv, capsys) == (2, "", f"error: {tmp_path}/nope.csv: file not found\n")


def test_unreadable_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = cost_args(tmp_path)
    (tmp_path / "OCC.csv").write_bytes(b"scheme,from,until,count\ngoo,\xff\n")
    code, out, err = run(argv, capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {tmp_path}/OCC.csv, row ") and "unreadable CSV" in err


def test_unwritable_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*cost_args(tmp_path), "--out", str(tmp_path / "missing" / "COST.csv")]
    code, out, err = run(argv, capsys)
    assert (code, out) == (2, "")
    assert err == f"error: {tmp_path}/missing/COST.csv: No such file or directory\n"


@pytest.mark.parametrize(
    "argv",
    [[], ["price"], ["cost", "--rates", "R.csv"], ["cost", "--occupancy", "O.csv"]],
)
def test_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert (code, out) == (2, "")
    assert err.startswith("onderdak finance") and err.endswith("(see --help)\n")
    assert len(err.splitlines()) == 1


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["cost", "--help"], capsys)
    assert code == 0 and "--occupancy OCC.csv" in out


def test_through_the_onderdak_command(tmp_path: Path) -> None:
    """The installed entry point: the same output, and an error is one line, no traceback."""
    argv = cost_args(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "onderdak.cli", "finance", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, GOLDEN, "")
    write(tmp_path / "OCC.csv", OCCUPANCY.replace(OCC_ROW, "goo,2022-10-01,2022-11-03,-1"))
    failed = subprocess.run(
        [sys.executable, "-m", "onderdak.cli", "finance", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (failed.returncode, failed.stdout) == (2, "")
    assert failed.stderr == (
        f"error: {tmp_path}/OCC.csv, row 2, column 'count': must not be negative: -1\n"
    )


def test_amounts_beyond_the_decimal_context_stay_exact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rates = "scheme,valid_from,amount,unit\ng,2024-01-01,1234567890123456789012345678901234567.89,place_day\n"
    occupancy = "scheme,from,until,count\ng,2024-01-01,2024-01-03,3\n"
    code, out, _ = run(cost_args(tmp_path, rates, occupancy), capsys)
    amount = "7407407340740740734074074073407407407.34"  # x 3 places x 2 days
    assert (code, out) == (
        0,
        f"month,scheme,quantity,amount\n2024-01,g,6,{amount}\ntotal={amount}\n",
    )
