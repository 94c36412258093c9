"""One quiet HiGHS factory for every engine (issue 11: three copies of ``_QuietHighs``)."""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from onderdak.engines import highs

# the packages export functions of the same names as some modules: import the modules by path
solver, diagnose, transfers, placement_optimise, portfolio = (
    importlib.import_module(f"onderdak.engines.{name}")
    for name in (
        "exchange.solver",
        "exchange.diagnose",
        "exchange.transfers",
        "placement.optimise",
        "siting.portfolio",
    )
)


def test_every_engine_makes_its_solver_with_the_one_factory() -> None:
    for module in (solver, diagnose, transfers, placement_optimise, portfolio):
        assert module.new_highs is highs.new_highs, module.__name__
    for module in (solver, placement_optimise, portfolio):
        assert not hasattr(module, "_QuietHighs") and not hasattr(module, "_new_highs")


def test_a_new_solver_prints_nothing_and_takes_options(capfd: Any) -> None:
    import highspy

    model = highs.new_highs(mip_rel_gap=0.0, presolve="off")
    assert model.getOptionValue("mip_rel_gap")[1] == 0.0
    assert model.getOptionValue("presolve")[1] == "off"
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 1, 1
    lp.col_cost_ = np.array([1.0])
    lp.col_lower_, lp.col_upper_ = np.array([0.0]), np.array([10.0])
    lp.row_lower_, lp.row_upper_ = np.array([2.0]), np.array([highspy.kHighsInf])
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = [0, 1], [0], [1.0]
    model.passModel(lp)
    model.run()
    assert model.getInfo().objective_function_value == 2.0
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_engine_input_errors_are_record_input_errors_with_the_cli_text() -> None:
    from onderdak.engines.errors import RecordInputError
    from onderdak.engines.exchange import ExchangeInputError
    from onderdak.engines.quota import QuotaInputError

    error = ExchangeInputError("must be >= 0", field="municipalities[0].capacity.uam")
    assert isinstance(error, RecordInputError)
    assert str(error) == "municipalities[0].capacity.uam: must be >= 0"
    assert (error.kind, error.field) == ("scenario", "municipalities[0].capacity.uam")
    quota = QuotaInputError("negative weight", unit="GM0384", field="weight")
    assert isinstance(quota, RecordInputError)
    assert str(quota) == "weight of GM0384: negative weight"
    assert (quota.kind, quota.id, quota.field) == ("quota", "GM0384", "weight")
