"""The ``onderdak exchange solve`` contract: golden output, error paths, exit codes."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from onderdak.commands.exchange import main
from onderdak.engines.exchange import ExchangeSolverError
from tests.engines.exchange.test_worked_example import duo_plus

KEYS = [
    "status",
    "reason",
    "total_cost",
    "baseline_cost",
    "provided",
    "prices",
    "compensation",
    "transfers",
]

#: The compensation example of tests/engines/exchange/test_worked_example.py, byte for byte.
GOLDEN_COMPENSATION = """\
{
  "status": "optimal",
  "reason": "",
  "total_cost": 12824000,
  "baseline_cost": 13230000,
  "provided": {
    "GM0384": {
      "asylum_seeker": 132,
      "status_holder": 94
    },
    "GM0437": {
      "asylum_seeker": 90,
      "status_holder": 0
    },
    "GM0451": {
      "asylum_seeker": 200,
      "status_holder": 2
    }
  },
  "prices": {
    "asylum_seeker": 32000,
    "status_holder": 22000
  },
  "compensation": {
    "GM0384": 188000,
    "GM0437": -20000,
    "GM0451": -168000
  },
  "transfers": [
    {
      "from": "GM0384",
      "to": "GM0437",
      "group": "asylum_seeker",
      "places": 13
    },
    {
      "from": "GM0384",
      "to": "GM0451",
      "group": "asylum_seeker",
      "places": 30
    },
    {
      "from": "GM0437",
      "to": "GM0384",
      "group": "status_holder",
      "places": 18
    },
    {
      "from": "GM0451",
      "to": "GM0384",
      "group": "status_holder",
      "places": 36
    }
  ]
}
"""


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, data: object) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_golden_output_of_the_compensation_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = write(tmp_path / "scenario.json", duo_plus("compensation"))
    code, out, err = run(["solve", "--input", str(scenario)], capsys)
    assert (code, err) == (0, "")
    assert out == GOLDEN_COMPENSATION


def test_swap_example_to_an_out_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = write(tmp_path / "scenario.json", duo_plus("swap"))
    target = tmp_path / "result.json"
    code, out, err = run(["solve", "--input", str(scenario), "--out", str(target)], capsys)
    assert (code, out, err) == (0, "", "")
    document = json.loads(target.read_text(encoding="utf-8"))
    assert list(document) == KEYS
    assert document["status"] == "optimal"
    assert document["total_cost"] == 12_856_000
    assert document["provided"] == {
        "GM0384": {"asylum_seeker": 132, "status_holder": 83},
        "GM0437": {"asylum_seeker": 90, "status_holder": 5},
        "GM0451": {"asylum_seeker": 200, "status_holder": 8},
    }
    assert document["prices"] == {"asylum_seeker": 0, "status_holder": 0}
    assert document["compensation"] == {"GM0384": 0, "GM0437": 0, "GM0451": 0}
    assert [t["places"] for t in document["transfers"]] == [13, 30, 13, 30]


def test_infeasible_is_an_answer_with_exit_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = duo_plus("swap")
    data["municipalities"][0]["capacity"]["asylum_seeker"] = 100
    scenario = write(tmp_path / "scenario.json", data)
    code, out, err = run(["solve", "--input", str(scenario)], capsys)
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert list(document) == KEYS
    assert document == {
        "status": "infeasible",
        "reason": (
            "The region lacks capacity for asylum_seeker: it owes 422 places but the "
            "municipalities can provide at most 390 (short by 32)."
        ),
        "total_cost": None,
        "baseline_cost": None,
        "provided": {},
        "prices": {},
        "compensation": {},
        "transfers": [],
    }


def test_decimal_costs_give_float_costs_and_cents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = duo_plus("compensation")
    data["municipalities"][2]["cost_per_place"]["status_holder"] = 22000.5
    scenario = write(tmp_path / "scenario.json", data)
    code, out, _ = run(["solve", "--input", str(scenario)], capsys)
    assert code == 0
    document = json.loads(out)
    assert document["total_cost"] == 12_824_001.0
    assert document["baseline_cost"] == 13_230_019.0
    assert '"total_cost": 12824001.0,' in out
    assert document["prices"] == {"asylum_seeker": 32000.5, "status_holder": 22000.5}


def test_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(duo_plus("compensation")).encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, _ = run(["solve", "--input", "-"], capsys)
    assert (code, out) == (0, GOLDEN_COMPENSATION)


# --------------------------------------------------------------------------------------------
# Errors: one line on stderr naming the field, exit code 2, never a traceback
# --------------------------------------------------------------------------------------------


def _changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(duo_plus("swap"))
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DELETE = object()

ERRORS: dict[str, tuple[object, str]] = {
    "invalid JSON": (
        '{"mode": "swap",',
        "invalid JSON: Expecting property name enclosed in double quotes (line 1, column 17)",
    ),
    "empty file": ("", "invalid JSON: Expecting value (line 1, column 1)"),
    "NaN": ('{"mode": NaN}', "invalid JSON: NaN is not a JSON number"),
    "duplicate key": ('{"mode": "swap", "mode": "swap"}', 'invalid JSON: duplicate key "mode"'),
    "not an object": ("[]", "error: the input must be a JSON object, not []"),
    "unknown mode": (
        _changed(("mode",), "barter"),
        'error: mode: must be "swap" or "compensation", not "barter"',
    ),
    "unknown group": (
        _changed(("municipalities", 1, "obligation", "uam"), 3),
        "error: municipalities[1].obligation.uam: unknown group (groups: asylum_seeker, status_holder)",
    ),
    "negative capacity": (
        _changed(("municipalities", 0, "capacity", "asylum_seeker"), -3),
        "error: municipalities[0].capacity.asylum_seeker: must be a whole number >= 0, not -3",
    ),
    "negative cost": (
        _changed(("municipalities", 2, "cost_per_place", "status_holder"), -0.5),
        "error: municipalities[2].cost_per_place.status_holder: must be a number >= 0, not -0.5",
    ),
    "non-integer places": (
        _changed(("municipalities", 1, "capacity", "status_holder"), 7.5),
        "error: municipalities[1].capacity.status_holder: must be a whole number >= 0, not 7.5",
    ),
    "missing mode": (_changed(("mode",), _DELETE), "error: mode: required field is missing"),
    "missing groups": (_changed(("groups",), _DELETE), "error: groups: required field is missing"),
    "missing code": (
        _changed(("municipalities", 2, "code"), _DELETE),
        "error: municipalities[2].code: required field is missing",
    ),
    "missing cost": (
        _changed(("municipalities", 0, "cost_per_place"), _DELETE),
        "error: municipalities[0].cost_per_place: required field is missing",
    ),
    "missing group value": (
        _changed(("municipalities", 0, "capacity", "status_holder"), _DELETE),
        "error: municipalities[0].capacity.status_holder: missing (every group needs a value)",
    ),
    "duplicate codes": (
        _changed(("municipalities", 1, "code"), "GM0384"),
        'error: municipalities[1].code: duplicate code "GM0384" (also municipalities[0])',
    ),
    "zero population": (
        _changed(("municipalities", 0, "population"), 0),
        "error: municipalities[0].population: must be a whole number > 0, not 0",
    ),
    "negative population": (
        _changed(("municipalities", 0, "population"), -5),
        "error: municipalities[0].population: must be a whole number > 0, not -5",
    ),
    "min above max": (
        _changed(("fairness",), {"min_ratio": 1.5, "max_ratio": 1.2}),
        "error: fairness.min_ratio: must not be above max_ratio (1.5 > 1.2)",
    ),
    "negative max_take_over": (
        _changed(("municipalities", 0, "max_take_over"), {"status_holder": -80}),
        "error: municipalities[0].max_take_over.status_holder: must be a whole number >= 0, not -80",
    ),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_exit_2_naming_the_field(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, message = ERRORS[case]
    scenario = write(tmp_path / "scenario.json", data)
    code, out, err = run(["solve", "--input", str(scenario)], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["solve", "--input", "missing.json"], "error: missing.json: file not found"),
        (["solve"], "the following arguments are required: --input"),
        (["trade", "--input", "x.json"], "invalid choice: 'trade'"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1


def test_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "scenario.json"
    scenario.write_bytes(b'{"mode": "\xff"}')
    code, _, err = run(["solve", "--input", str(scenario)], capsys)
    assert code == 2
    assert "not UTF-8 text" in err


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["solve", "--help"], capsys)
    assert code == 0
    assert "--input FILE" in out


def test_the_onderdak_command_routes_to_exchange(tmp_path: Path) -> None:
    """A fresh process: stdout holds exactly the JSON (no solver banner), stderr nothing."""
    scenario = write(tmp_path / "scenario.json", duo_plus("compensation"))
    command = [sys.executable, "-m", "onderdak.cli", "exchange", "solve", "--input"]
    done = subprocess.run([*command, str(scenario)], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == GOLDEN_COMPENSATION
    failed = subprocess.run(
        [*command, str(write(tmp_path / "bad.json", _changed(("mode",), "x")))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 2
    assert failed.stdout == ""
    assert failed.stderr == 'error: mode: must be "swap" or "compensation", not "x"\n'


def test_an_unwritable_out_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = write(tmp_path / "scenario.json", duo_plus("swap"))
    target = tmp_path / "missing" / "result.json"
    code, out, err = run(["solve", "--input", str(scenario), "--out", str(target)], capsys)
    assert (code, out) == (2, "")
    assert err == f"error: {target}: No such file or directory\n"


def test_a_solver_failure_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(scenario: object) -> object:
        raise ExchangeSolverError("allocation MIP: Time limit reached")

    monkeypatch.setattr("onderdak.commands.exchange.optimise", fail)
    scenario = write(tmp_path / "scenario.json", duo_plus("swap"))
    code, out, err = run(["solve", "--input", str(scenario)], capsys)
    assert (code, out) == (1, "")
    assert err == "error: solver: allocation MIP: Time limit reached\n"


# --------------------------------------------------------------------------------------------
# within_province (issue 12 §3): asylum places stay within their province
# --------------------------------------------------------------------------------------------

GOLDEN_BORDER = """{
  "status": "optimal",
  "reason": "",
  "total_cost": 35650000,
  "baseline_cost": 36050000,
  "provided": {
    "GM0384": {
      "asylum_seeker": 175,
      "status_holder": 120
    },
    "GM0344": {
      "asylum_seeker": 1000,
      "status_holder": 320
    }
  },
  "prices": {
    "asylum_seeker": 30000,
    "status_holder": 25000
  },
  "compensation": {
    "GM0384": -2000000,
    "GM0344": 2000000
  },
  "transfers": [
    {
      "from": "GM0344",
      "to": "GM0384",
      "group": "status_holder",
      "places": 80
    }
  ]
}
"""


def test_golden_output_with_asylum_places_within_their_province(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Diemen's asylum places do not go to Utrecht; status holders still cross the border."""
    from tests.engines.exchange.test_provinces import border

    scenario = write(tmp_path / "scenario.json", border("compensation", within=True))
    code, out, err = run(["solve", "--input", str(scenario)], capsys)
    assert (code, err) == (0, "")
    assert out == GOLDEN_BORDER


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["groups"]["asylum_seeker"].update(within_province="yes"),
            'error: groups.asylum_seeker.within_province: must be true or false, not "yes"\n',
        ),
        (
            lambda d: d["municipalities"][1].pop("province"),
            'error: municipalities[1].province: required because group "asylum_seeker" is '
            "within_province\n",
        ),
    ],
)
def test_within_province_errors_exit_2(
    change: Any, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.engines.exchange.test_provinces import border

    data = border("compensation", within=True)
    change(data)
    code, out, err = run(["solve", "--input", str(write(tmp_path / "s.json", data))], capsys)
    assert (code, out, err) == (2, "", message)
