"""Duo+ (Diemen, Ouder-Amstel, Uithoorn) worked by hand, once per mode.

Populations are CBS 1 January 2024 (32,977 / 14,447 / 31,685; together 79,109). Diemen's 175
asylum places are its published indicative Spreidingswet figure; the other obligations,
the capacities and the costs per place are made up for the example:

    code    population  obligation (asylum, status)  capacity (asylum, status)  cost per place
    GM0384  32,977      175, 40                      180, 120                   30,000  20,000
    GM0437  14,447       77, 18                       90,  30                   26,000  24,000
    GM0451  31,685      170, 38                      200,  45                   23,000  22,000

Both groups count 1 point per place. Regional totals: 422 asylum places, 96 status holders,
518 points; the regional average is 518 / 79,109 = 0.0065479 points per inhabitant. Fairness
bounds 0.5 and 1.05 x average give Diemen at most 1.05 x 518 x 32,977 / 79,109 = 226.73 points,
so at most 226 whole points (Ouder-Amstel 99.33 -> 99, Uithoorn 217.84 -> 217; the minimums,
108 / 48 / 104, never bind here).

Baseline (everyone its own obligation): every obligation fits its capacity and every owed load
lies in its band, so it is feasible and costs 175 x 30,000 + 40 x 20,000 (Diemen 6,050,000)
+ 77 x 26,000 + 18 x 24,000 (Ouder-Amstel 2,434,000) + 170 x 23,000 + 38 x 22,000 (Uithoorn
4,746,000) = 13,230,000.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from onderdak.engines.exchange import (
    Binding,
    BindingKind,
    Mode,
    Status,
    Transfer,
    explanation_to_mapping,
    optimise,
    result_to_mapping,
    scenario_from_mapping,
)

CODES = ("GM0384", "GM0437", "GM0451")


def duo_plus(mode: str) -> dict[str, Any]:
    """The example as the JSON input of ``onderdak exchange solve``."""

    def municipality(
        code: str,
        population: int,
        owed: tuple[int, int],
        room: tuple[int, int],
        cost: tuple[int, int],
    ) -> dict[str, Any]:
        return {
            "code": code,
            "population": population,
            "obligation": {"asylum_seeker": owed[0], "status_holder": owed[1]},
            "capacity": {"asylum_seeker": room[0], "status_holder": room[1]},
            "cost_per_place": {"asylum_seeker": cost[0], "status_holder": cost[1]},
        }

    return {
        "mode": mode,
        "groups": {"asylum_seeker": {"points": 1}, "status_holder": {"points": 1}},
        "municipalities": [
            municipality("GM0384", 32977, (175, 40), (180, 120), (30000, 20000)),
            municipality("GM0437", 14447, (77, 18), (90, 30), (26000, 24000)),
            municipality("GM0451", 31685, (170, 38), (200, 45), (23000, 22000)),
        ],
        "fairness": {"min_ratio": 0.5, "max_ratio": 1.05},
    }


def test_swap_mode() -> None:
    """Swap: each municipality keeps its points, x_asylum + x_status = owed points.

    With x_status = owed - x_asylum the cost is a constant plus (c_asylum - c_status) x
    x_asylum: +10,000 per asylum place for Diemen, +2,000 for Ouder-Amstel, +1,000 for Uithoorn.
    So Diemen should provide as few asylum places as possible, the others as many as possible.
    Ouder-Amstel: x_asylum <= capacity 90 (and <= its 95 points); Uithoorn <= 200. The 422
    asylum places then leave 422 - 90 - 200 = 132 for Diemen (within its range: at least
    215 - 120 = 95 so that its status holders fit, at most 180). Status holders follow:
    Diemen 215 - 132 = 83, Ouder-Amstel 95 - 90 = 5, Uithoorn 208 - 200 = 8 (sum 96).

    Cost: Diemen 132 x 30,000 + 83 x 20,000 = 5,620,000; Ouder-Amstel 90 x 26,000 + 5 x 24,000
    = 2,460,000; Uithoorn 200 x 23,000 + 8 x 22,000 = 4,776,000; total 12,856,000, saving
    374,000 on the baseline (43 asylum places leave Diemen: 430,000, minus 13 x 2,000 and
    30 x 1,000 for the extra asylum places elsewhere). Unique optimum.

    Transfers: asylum seekers Diemen -> Ouder-Amstel 13 and Diemen -> Uithoorn 30; status
    holders back the other way, 13 and 30: four deals between the same two pairs. No money.
    """
    result = optimise(scenario_from_mapping(duo_plus("swap")))
    assert result.status is Status.OPTIMAL
    assert result.mode is Mode.SWAP
    assert result.reason == ""
    assert result.provided is not None
    assert result.provided.tolist() == [[132, 83], [90, 5], [200, 8]]
    assert result.total_cost == Decimal(12_856_000)
    assert result.baseline_cost == Decimal(13_230_000)
    assert result.prices == (Decimal("0.00"), Decimal("0.00"))
    assert result.compensation == (Decimal("0.00"),) * 3
    assert result.transfers == (
        Transfer("GM0384", "GM0437", "asylum_seeker", 13),
        Transfer("GM0384", "GM0451", "asylum_seeker", 30),
        Transfer("GM0437", "GM0384", "status_holder", 13),
        Transfer("GM0451", "GM0384", "status_holder", 30),
    )
    diemen = result.explanation_of("GM0384")
    assert (diemen.owed_points, diemen.provided_points) == (Fraction(215), Fraction(215))
    assert diemen.handed_off == (43, 0)
    assert diemen.taken_over == (0, 43)
    assert (diemen.cost, diemen.baseline_cost) == (Decimal(5_620_000), Decimal(6_050_000))
    assert diemen.bindings == ()
    assert result.explanation_of("GM0437").bindings == (
        Binding(BindingKind.CAPACITY, "asylum_seeker"),
    )
    assert result.stats is not None
    assert (result.stats.moved_places, result.stats.deals) == (43 + 43, 4)


def test_compensation_mode() -> None:
    """Compensation: points may differ, so each group is filled from its cheapest capacity,
    until a fairness bound binds.

    Asylum seekers (422): Uithoorn 23,000 up to its capacity 200, Ouder-Amstel 26,000 up to
    90, the remaining 132 to Diemen (30,000). Status holders (96): Diemen is cheapest (20,000)
    but its points may not exceed 226, so it takes 226 - 132 = 94; the last 2 go to the next
    cheapest, Uithoorn (22,000). Ouder-Amstel provides 90 points, Uithoorn 202: within bounds.

    Cost: asylum 200 x 23,000 + 90 x 26,000 + 132 x 30,000 = 10,900,000; status holders
    94 x 20,000 + 2 x 22,000 = 1,924,000; total 12,824,000 (32,000 below the swap optimum:
    points need not balance).

    Prices (cost of one more place in the LP relaxation):
    * status holder: Uithoorn takes one more at 22,000 (Diemen is at its fairness maximum,
      Ouder-Amstel costs 24,000) -> 22,000;
    * asylum seeker: Uithoorn and Ouder-Amstel are full, so Diemen takes it (30,000); Diemen is
      at its fairness maximum, so it gives up one status holder (-20,000) that Uithoorn takes
      (+22,000) -> 32,000. The fairness bound makes the asylum place dearer than any single
      municipality's cost.

    Compensation = sum over groups of price x (obligation - provided):
    Diemen 32,000 x (175 - 132) + 22,000 x (40 - 94) = 1,376,000 - 1,188,000 = 188,000 (pays);
    Ouder-Amstel 32,000 x (77 - 90) + 22,000 x (18 - 0) = -416,000 + 396,000 = -20,000;
    Uithoorn 32,000 x (170 - 200) + 22,000 x (38 - 2) = -960,000 + 792,000 = -168,000;
    sum 0.
    """
    result = optimise(scenario_from_mapping(duo_plus("compensation")))
    assert result.status is Status.OPTIMAL
    assert result.provided is not None
    assert result.provided.tolist() == [[132, 94], [90, 0], [200, 2]]
    assert result.total_cost == Decimal(12_824_000)
    assert result.baseline_cost == Decimal(13_230_000)
    assert result.prices == (Decimal("32000.00"), Decimal("22000.00"))
    assert result.compensation == (
        Decimal("188000.00"),
        Decimal("-20000.00"),
        Decimal("-168000.00"),
    )
    assert sum(result.compensation) == 0
    assert result.transfers == (
        Transfer("GM0384", "GM0437", "asylum_seeker", 13),
        Transfer("GM0384", "GM0451", "asylum_seeker", 30),
        Transfer("GM0437", "GM0384", "status_holder", 18),
        Transfer("GM0451", "GM0384", "status_holder", 36),
    )
    diemen = result.explanation_of("GM0384")
    assert diemen.provided_points == 226
    assert diemen.bindings == (Binding(BindingKind.FAIRNESS_MAX, None),)
    # load ratio: (226 / 32,977) / (518 / 79,109)
    assert diemen.load_ratio == pytest.approx(226 / 32977 / (518 / 79109))
    assert result.regional_average == Fraction(518, 79109)


def test_contract_documents_of_the_example() -> None:
    result = optimise(scenario_from_mapping(duo_plus("compensation")))
    document = result_to_mapping(result)
    assert list(document) == [
        "status",
        "reason",
        "total_cost",
        "baseline_cost",
        "provided",
        "prices",
        "compensation",
        "transfers",
    ]
    assert document["total_cost"] == 12_824_000
    assert isinstance(document["total_cost"], int)
    assert document["prices"] == {"asylum_seeker": 32000, "status_holder": 22000}
    lines = explanation_to_mapping(result)
    assert lines[1] == {
        "code": "GM0437",
        "population": 14447,
        "obligation": {"asylum_seeker": 77, "status_holder": 18},
        "provided": {"asylum_seeker": 90, "status_holder": 0},
        "handed_off": {"asylum_seeker": 0, "status_holder": 18},
        "taken_over": {"asylum_seeker": 13, "status_holder": 0},
        "owed_points": 95,
        "provided_points": 90,
        "load_ratio": pytest.approx(90 / 14447 / (518 / 79109)),
        "cost": 2_340_000,
        "baseline_cost": 2_434_000,
        "compensation": -20000,
        "bindings": [{"kind": "capacity", "group": "asylum_seeker"}],
    }


def test_without_fairness_diemen_takes_every_status_holder() -> None:
    """Without the fairness band Diemen (20,000) takes all 96 status holders; both prices are
    then the cost of the marginal municipality, Diemen: 30,000 and 20,000.

    Compensation: Diemen 30,000 x 43 - 20,000 x 56 = 170,000; Ouder-Amstel -390,000 + 360,000
    = -30,000; Uithoorn -900,000 + 760,000 = -140,000.
    """
    data = duo_plus("compensation")
    del data["fairness"]
    result = optimise(scenario_from_mapping(data))
    assert result.provided is not None
    assert result.provided.tolist() == [[132, 96], [90, 0], [200, 0]]
    assert result.total_cost == Decimal(12_820_000)
    assert result.prices == (Decimal("30000.00"), Decimal("20000.00"))
    assert result.compensation == (
        Decimal("170000.00"),
        Decimal("-30000.00"),
        Decimal("-140000.00"),
    )


def test_decimal_costs_stay_exact() -> None:
    """A cost with cents: total = exact sum of cost x places, printed as a float."""
    data = duo_plus("swap")
    data["municipalities"][0]["cost_per_place"]["status_holder"] = 20000.25
    result = optimise(scenario_from_mapping(data))
    assert result.total_cost == Decimal("12856000") + Decimal("0.25") * 83
    document = result_to_mapping(result)
    assert document["total_cost"] == 12_856_020.75
    assert isinstance(document["total_cost"], float)


def test_the_input_is_not_modified_and_the_result_repeats() -> None:
    data = duo_plus("compensation")
    scenario = scenario_from_mapping(data)
    before_data, before_scenario = copy.deepcopy(data), copy.deepcopy(scenario)
    first = optimise(scenario)
    second = optimise(scenario)
    assert data == before_data
    assert scenario == before_scenario
    assert result_to_mapping(first) == result_to_mapping(second)
    assert explanation_to_mapping(first) == explanation_to_mapping(second)
    assert first.provided is not None
    assert not first.provided.flags.writeable
    assert np.array_equal(first.obligation, [[175, 40], [77, 18], [170, 38]])
    assert first.codes == CODES


def test_result_accessors() -> None:
    result = optimise(scenario_from_mapping(duo_plus("swap")))
    assert result.is_optimal
    assert result.provided_of("GM0451") == (200, 8)
    with pytest.raises(KeyError):
        result.explanation_of("GM0363")
