"""The ``onderdak care integration-term`` contract (art. 11 Wet inburgering 2021): every clause,
the legal example, leap days, extensions across year ends, and the error paths."""

from __future__ import annotations

import subprocess
import sys

import pytest

from onderdak import cli
from onderdak.commands.care import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["integration-term", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_legal_example(capsys: pytest.CaptureFixture[str]) -> None:
    # DOMAIN.md 4b: PIP dated 15 May 2024 -> starts 16 May 2024, last day 15 May 2027
    assert run(["--pip-dated", "2024-05-15"], capsys) == (
        0,
        "start=2024-05-16 last_day=2027-05-15\n",
        "",
    )


def test_a_revision_never_moves_the_start(capsys: pytest.CaptureFixture[str]) -> None:
    expected = (0, "start=2024-05-16 last_day=2027-05-15\n", "")
    assert run(["--pip-dated", "2024-05-15", "--pip-revised", "2024-09-01"], capsys) == expected
    repeated = ["--pip-revised", "2024-09-01", "--pip-revised", "2025-01-06"]
    assert run(["--pip-dated", "2024-05-15", *repeated], capsys) == expected
    # a revision dated before the first PIP is accepted and moves nothing either
    assert run(["--pip-revised", "2024-01-02", "--pip-dated", "2024-05-15"], capsys) == expected


@pytest.mark.parametrize(
    ("pip", "months", "expected"),
    [
        # start 29 Feb 2024: 29 Feb 2027 does not exist -> 28 Feb 2027, minus one day
        ("2024-02-28", "0", "start=2024-02-29 last_day=2027-02-27"),
        # start 1 March 2024 (2024 is a leap year): 1 March 2027 minus one day
        ("2024-02-29", "0", "start=2024-03-01 last_day=2027-02-28"),
        # start 29 Feb 2024 plus 12 months: 29 Feb 2028 exists, minus one day
        ("2024-02-28", "12", "start=2024-02-29 last_day=2028-02-28"),
        # the turn of the year: PIP on 31 December, start on 1 January
        ("2023-12-31", "0", "start=2024-01-01 last_day=2026-12-31"),
        # extensions crossing a year end
        ("2024-05-15", "8", "start=2024-05-16 last_day=2028-01-15"),
        ("2024-10-30", "3", "start=2024-10-31 last_day=2028-01-30"),
        # start 31 October + 36 + 4 months: 31 February 2028 -> 29 February, minus one day
        ("2024-10-30", "4", "start=2024-10-31 last_day=2028-02-28"),
        ("2024-05-15", "0", "start=2024-05-16 last_day=2027-05-15"),  # N = 0
        ("2024-05-15", "24", "start=2024-05-16 last_day=2029-05-15"),
    ],
)
def test_start_and_last_day(
    pip: str, months: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--pip-dated", pip, "--extension-months", months], capsys) == (
        0,
        expected + "\n",
        "",
    )


def test_the_extension_defaults_to_none(capsys: pytest.CaptureFixture[str]) -> None:
    without = run(["--pip-dated", "2024-11-29"], capsys)
    assert without == run(["--pip-dated", "2024-11-29", "--extension-months", "0"], capsys)
    assert without[1] == "start=2024-11-30 last_day=2027-11-29\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--pip-dated", "2024-02-30"], "'2024-02-30' is not a calendar date"),
        (["--pip-dated", "2023-02-29"], "'2023-02-29' is not a calendar date"),
        (["--pip-dated", "15-05-2024"], "'15-05-2024' is not a date of the form YYYY-MM-DD"),
        (["--pip-dated", "20240515"], "not a date of the form YYYY-MM-DD"),
        (["--pip-dated", "2024-5-15"], "not a date of the form YYYY-MM-DD"),
        (["--pip-dated", "2024-05-15T00:00"], "not a date of the form YYYY-MM-DD"),
        (["--pip-dated", ""], "not a date of the form YYYY-MM-DD"),
        (["--pip-dated", "2024-05-15", "--pip-revised", "2024-13-01"], "not a calendar date"),
        (["--pip-dated", "2024-05-15", "--pip-revised", "1-9-2024"], "of the form YYYY-MM-DD"),
        (["--pip-dated", "2024-05-15", "--extension-months", "-1"], ">= 0, not -1"),
        (["--pip-dated", "2024-05-15", "--extension-months", "1.5"], "not a whole number"),
        (["--pip-dated", "2024-05-15", "--extension-months", "twee"], "not a whole number"),
        (["--pip-revised", "2024-09-01"], "required: --pip-dated"),
        ([], "required: --pip-dated"),
        (["--pip-dated", "2024-05-15", "--term", "36"], "unrecognized arguments"),
        (["--pip-dated", "9999-12-31"], "outside years 1-9999"),
        (["--pip-dated", "9997-01-01"], "outside years 1-9999"),
    ],
)
def test_malformed_input_exits_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, capsys)
    assert (code, out) == (2, "")
    assert message in err
    assert err.endswith("\n")
    assert err.count("\n") == 1


def test_an_unknown_sub_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["term"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    assert "--pip-dated YYYY-MM-DD" in out
    assert "--extension-months N" in out


def test_the_onderdak_command_routes_care_integration_term_without_a_database() -> None:
    assert ("care", "integration-term") in cli.ENGINE_SUBCOMMANDS
    command = [sys.executable, "-m", "onderdak.cli", "care", "integration-term"]
    done = subprocess.run(
        [*command, "--pip-dated", "2024-05-15", "--pip-revised", "2024-09-01"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},  # no settings, no database
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "start=2024-05-16 last_day=2027-05-15\n",
        "",
    )
    failed = subprocess.run(
        [*command, "--pip-dated", "2024-02-30"], capture_output=True, text=True, check=False
    )
    assert failed.returncode == 2
    assert failed.stderr.count("\n") == 1
