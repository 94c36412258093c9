"""The engine speaks codes with parameters (issue 11): an application translates them, the
command line keeps its English text (``str(error)``, unchanged)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from onderdak.engines.errors import RecordInputError
from onderdak.engines.siting import (
    ERROR_CODES,
    Criterion,
    Direction,
    PortfolioSite,
    SitingInputError,
    choose_portfolio,
    rank_sites,
    smaa,
)

CRITERIA = [Criterion("a", Direction.BENEFIT, 1.0), Criterion("b", Direction.COST, 1.0)]
MATRIX = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]])


def test_every_input_error_is_a_record_input_error_with_a_known_code() -> None:
    with pytest.raises(RecordInputError) as raised:
        rank_sites(MATRIX[:1], CRITERIA)
    error = raised.value
    assert isinstance(error, SitingInputError)
    assert error.code == "too_few_sites"
    assert error.params == {"count": 1}
    assert error.code in ERROR_CODES
    assert str(error) == "matrix: at least 2 sites are needed to compare, not 1"  # the CLI text


def test_all_weights_zero() -> None:
    zero = [Criterion("a", Direction.BENEFIT, 0.0), Criterion("b", Direction.COST, 0.0)]
    with pytest.raises(SitingInputError) as raised:
        rank_sites(MATRIX, zero)
    assert raised.value.code == "all_weights_zero"
    assert raised.value.field == "weight"


def test_weight_bound_codes_carry_the_totals() -> None:
    with pytest.raises(SitingInputError) as raised:
        smaa(MATRIX, CRITERIA, samples=10, seed=1, weight_bounds={"a": (0.6, 1), "b": (0.6, 1)})
    assert raised.value.code == "lower_bounds_above_one"
    assert raised.value.params["total"] == pytest.approx(1.2)
    with pytest.raises(SitingInputError) as raised:
        smaa(MATRIX, CRITERIA, samples=10, seed=1, weight_bounds={"a": (0, 0.4), "b": (0, 0.4)})
    assert raised.value.code == "upper_bounds_below_one"


def test_a_record_names_its_site_or_criterion() -> None:
    with pytest.raises(SitingInputError) as raised:
        rank_sites(np.array([[1.0, np.nan], [2.0, 1.0]]), CRITERIA, sites=["x", "y"])
    error = raised.value
    assert (error.kind, error.id, error.code) == ("site", "x", "invalid_input")
    assert error.criterion == "b"


def test_spread_without_neighbourhood_has_a_code() -> None:
    with pytest.raises(SitingInputError) as raised:
        choose_portfolio(
            [PortfolioSite("a", 1, Decimal(1))], {"urgent": 1}, max_sites_per_neighbourhood=1
        )
    assert raised.value.code == "spread_needs_neighbourhood"
    assert raised.value.params == {"site": "a"}


def test_infeasible_portfolio_reasons_have_codes_and_parameters() -> None:
    sites = [
        PortfolioSite("a", 30, Decimal(100), neighbourhood="north"),
        PortfolioSite("b", 30, Decimal(100), neighbourhood="north"),
        PortfolioSite("c", 30, Decimal(500), neighbourhood="south"),
    ]
    capacity = choose_portfolio(sites, {"urgent": 1000})
    assert capacity.reason_code == "group_capacity"
    assert capacity.reason_params == {"group": "urgent", "target": 1000, "offered": 90}
    spread = choose_portfolio(sites, {"urgent": 70}, max_sites_per_neighbourhood=1)
    assert spread.reason_code == "spread"
    assert spread.reason_params == {"max_sites": 1, "max_places": None}
    budget = choose_portfolio(sites, {"urgent": 50}, budget=Decimal(150))
    assert budget.reason_code == "budget"
    assert budget.reason_params == {"budget": Decimal("150.00"), "cheapest": Decimal("200.00")}
    feasible = choose_portfolio(sites, {"urgent": 50})
    assert feasible.reason_code is None
