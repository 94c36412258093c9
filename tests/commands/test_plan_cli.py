"""The ``onderdak plan cpm`` contract: exact outputs and every error path (exit code 2 with
file, row and column, or the cycle; never a traceback)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from onderdak.commands.plan import main

# the hand-worked network of tests/engines/planning/test_cpm.py, with an extra column and
# values with spaces and signs
TASKS = """\
id,duration,name
A,5,site research
B, 3 ,longlist
C,+4,shortlist
D,2,
E,0,decision
"""
LINKS = """\
predecessor,successor,type,lag
A,B,FS,2
A,C,SS,+1
C,D,FF,3
B,E,SF,-1
D,E,FS,0
"""
GOLDEN = """\
id,es,ef,ls,lf,total_float,free_float,critical
A,0,5,0,5,0,0,1
B,7,10,7,10,0,0,1
C,1,5,3,7,2,0,0
D,6,8,8,10,2,0,0
E,8,8,10,10,2,2,0
finish=10 critical=2
"""
GOLDEN_DEADLINE_8 = """\
id,es,ef,ls,lf,total_float,free_float,critical
A,0,5,-2,3,-2,-2,1
B,7,10,5,8,-2,-2,1
C,1,5,1,5,0,0,1
D,6,8,6,8,0,0,1
E,8,8,8,8,0,0,1
finish=8 critical=5
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def run(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    tasks: str = TASKS,
    links: str = LINKS,
    extra: tuple[str, ...] = (),
) -> tuple[int, str, str]:
    argv = [
        "cpm",
        "--tasks",
        str(write(tmp_path / "TASKS.csv", tasks)),
        "--links",
        str(write(tmp_path / "LINKS.csv", links)),
        *extra,
    ]
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_golden(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, capsys) == (0, GOLDEN, "")


def test_deadline_before_the_finish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, capsys, extra=("--deadline", "8")) == (0, GOLDEN_DEADLINE_8, "")


def test_out_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "OUT.csv"
    code, out, err = run(tmp_path, capsys, extra=("--out", str(target)))
    assert (code, out, err) == (0, "finish=10 critical=2\n", "")
    assert target.read_text(encoding="utf-8") == GOLDEN.rsplit("finish=", 1)[0]


def test_header_only_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = "id,es,ef,ls,lf,total_float,free_float,critical\n"
    empty_links = "predecessor,successor,type,lag\n"
    assert run(tmp_path, capsys, "id,duration\n", empty_links) == (
        0,
        header + "finish=0 critical=0\n",
        "",
    )
    code, out, _ = run(tmp_path, capsys, "id,duration\n", empty_links, ("--deadline", "4"))
    assert (code, out.splitlines()[-1]) == (0, "finish=4 critical=0")


def test_no_links(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        tmp_path, capsys, "id,duration\nA,3\nB,1\n", "predecessor,successor,type,lag\n"
    )
    assert code == 0
    assert out == (
        "id,es,ef,ls,lf,total_float,free_float,critical\n"
        "A,0,3,0,3,0,0,1\nB,0,1,2,3,2,2,0\nfinish=3 critical=1\n"
    )


def test_duplicate_links_and_negative_lag_before_the_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    links = "predecessor,successor,type,lag\nA,B,SS,-9\nA,B,SS,-9\nA,B,FF,-1\n"
    code, out, _ = run(tmp_path, capsys, "id,duration\nA,3\nB,1\n", links)
    assert code == 0
    # SS-9 would start B at -9: clamped at 0; FF-1: EF(B) >= 2, so ES(B) 1
    assert out.splitlines()[1:] == ["A,0,3,0,3,0,0,1", "B,1,2,2,3,1,1,0", "finish=3 critical=1"]


def test_blank_rows_are_skipped_but_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tasks = "id,duration\n\nA,1\n,\nA,2\n"
    code, out, err = run(tmp_path, capsys, tasks)
    assert (code, out) == (2, "")
    assert (
        err
        == f"error: {tmp_path / 'TASKS.csv'}, row 5, column 'id': duplicate id 'A' (also in row 3)\n"
    )


@pytest.mark.parametrize(
    ("tasks", "links", "message"),
    [
        (
            "id,duration\nA,1\nA,2\n",
            LINKS,
            "TASKS.csv, row 3, column 'id': duplicate id 'A' (also in row 2)",
        ),
        (
            "id,duration\nA,-1\n",
            LINKS,
            "TASKS.csv, row 2, column 'duration': must not be negative: -1",
        ),
        (
            "id,duration\nA,3.0\n",
            LINKS,
            "TASKS.csv, row 2, column 'duration': not a whole number: '3.0'",
        ),
        (
            "id,duration\nA,three\n",
            LINKS,
            "TASKS.csv, row 2, column 'duration': not a whole number: 'three'",
        ),
        ("id,duration\nA,\n", LINKS, "TASKS.csv, row 2, column 'duration': value missing"),
        ("id,duration\n,1\n", LINKS, "TASKS.csv, row 2, column 'id': value missing"),
        ("id,name\nA,x\n", LINKS, "TASKS.csv, row 1, column 'duration': column missing"),
        ("", LINKS, "TASKS.csv, row 1: empty file, expected the header id,duration"),
        (
            "id;duration\nA;1\n",
            LINKS,
            "TASKS.csv, row 1: the file uses ';' as separator; use ',' (expected id,duration)",
        ),
        ("id,duration\nA,1,2\n", LINKS, "TASKS.csv, row 2, column 3: more values than columns"),
        (
            TASKS,
            "predecessor,successor,type,lag\nA,X,FS,0\n",
            "LINKS.csv, row 2, column 'successor': unknown task 'X'",
        ),
        (
            TASKS,
            "predecessor,successor,type,lag\nA,B,FS,0\nX,B,FS,0\n",
            "LINKS.csv, row 3, column 'predecessor': unknown task 'X'",
        ),
        (
            TASKS,
            "predecessor,successor,type,lag\nA,B,XX,0\n",
            "LINKS.csv, row 2, column 'type': unknown link type 'XX' (use FS, SS, FF or SF)",
        ),
        (
            TASKS,
            "predecessor,successor,type,lag\nA,B,fs,0\n",
            "LINKS.csv, row 2, column 'type': unknown link type 'fs' (use FS, SS, FF or SF)",
        ),
        (
            TASKS,
            "predecessor,successor,type,lag\nA,B,FS,1.5\n",
            "LINKS.csv, row 2, column 'lag': not a whole number: '1.5'",
        ),
        (
            TASKS,
            "predecessor,successor,type,lag\nA,B,FS,\n",
            "LINKS.csv, row 2, column 'lag': value missing",
        ),
        (
            TASKS,
            "predecessor,successor,type\nA,B,FS\n",
            "LINKS.csv, row 1, column 'lag': column missing",
        ),
    ],
)
def test_input_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tasks: str, links: str, message: str
) -> None:
    code, out, err = run(tmp_path, capsys, tasks, links)
    assert (code, out) == (2, "")
    assert err == f"error: {tmp_path}/{message}\n"


@pytest.mark.parametrize(
    ("links", "cycle"),
    [
        ("A,B,FS,0\nB,C,SS,-5\nC,A,FF,-10\n", "A -> B -> C -> A"),
        ("B,B,SS,0\n", "B -> B"),
        ("A,B,FS,0\nC,D,FS,0\nD,C,SF,-3\n", "C -> D -> C"),
    ],
)
def test_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str], links: str, cycle: str) -> None:
    code, out, err = run(tmp_path, capsys, links="predecessor,successor,type,lag\n" + links)
    assert (code, out, err) == (2, "", f"error: cycle: {cycle}\n")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("-1", "must not be negative: -1"),
        ("2.5", "not a whole number: '2.5'"),
        ("x", "not a whole number: 'x'"),
    ],
)
def test_deadline_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, reason: str
) -> None:
    code, out, err = run(tmp_path, capsys, extra=("--deadline", value))
    assert (code, out) == (2, "")
    assert err == f"onderdak plan cpm: error: argument --deadline: {reason} (see --help)\n"


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["cpm", "--tasks", str(tmp_path / "no.csv"), "--links", str(tmp_path / "no.csv")])
    assert (code, capsys.readouterr().err) == (2, f"error: {tmp_path / 'no.csv'}: file not found\n")


def test_through_the_onderdak_command(tmp_path: Path) -> None:
    argv = [
        "plan",
        "cpm",
        "--tasks",
        str(write(tmp_path / "TASKS.csv", TASKS)),
        "--links",
        str(write(tmp_path / "LINKS.csv", LINKS)),
    ]
    done = subprocess.run(
        [sys.executable, "-m", "onderdak.cli", *argv], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, GOLDEN, "")
    helped = subprocess.run(
        [sys.executable, "-m", "onderdak.cli", "plan", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert helped.returncode == 0
    assert "cpm" in helped.stdout
