"""Relocation cost of flex homes (DOMAIN.md section 5: moving about 30% of new build, the new
site about half of that again), hand-worked."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onderdak.engines.placement import PlacementInputError, relocation_cost


def test_primer_shares_hand_worked() -> None:
    # 18 units (the Maalderij) at 123,000: move 18 x 123,000 x 0.30 = 664,200;
    # site 664,200 x 0.5 = 332,100; total 996,300; new build 2,214,000.
    cost = relocation_cost(18, cost_per_unit=Decimal("123000"))
    assert (cost.move, cost.site, cost.total, cost.new_build) == (
        Decimal("664200"),
        Decimal("332100"),
        Decimal("996300"),
        Decimal("2214000"),
    )


def test_shares_are_parameters_and_round_half_up() -> None:
    cost = relocation_cost(
        1,
        cost_per_unit=Decimal("1001"),
        relocation_share=Decimal("0.25"),
        site_preparation_share=Decimal("0.5"),
    )
    # 1001 x 0.25 = 250.25 -> 250; 250 x 0.5 = 125
    assert (cost.move, cost.site, cost.total) == (Decimal("250"), Decimal("125"), Decimal("375"))
    half = relocation_cost(1, cost_per_unit=Decimal("5"), relocation_share=Decimal("0.5"))
    assert half.move == Decimal("3")  # 2.5 rounds half up


def test_no_units_cost_nothing() -> None:
    cost = relocation_cost(0, cost_per_unit=Decimal("123000"))
    assert cost.total == Decimal("0") and cost.new_build == Decimal("0")


@pytest.mark.parametrize(
    ("units", "cost", "field"),
    [
        (-1, Decimal("1"), "units"),
        (True, Decimal("1"), "units"),
        (1, Decimal("-1"), "cost_per_unit"),
        (1, Decimal("NaN"), "cost_per_unit"),
    ],
)
def test_bad_input_names_the_field(units: int, cost: Decimal, field: str) -> None:
    with pytest.raises(PlacementInputError) as error:
        relocation_cost(units, cost_per_unit=cost)
    assert error.value.field == field
