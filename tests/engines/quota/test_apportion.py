"""Worked and published examples for :func:`onderdak.engines.quota.apportion`."""

from __future__ import annotations

import math

import numpy as np
import pytest

from onderdak.engines.quota import Method, QuotaInputError, apportion

# US census 1790, apportionment population per state (sum 3,615,920). COMAP, For All
# Practical Purposes, ch. 14, table 14.5 prints their quotas and Hamilton seats for a House of
# 120: the bill President Washington vetoed in 1792 (Balinski & Young, Fair Representation).
CENSUS_1790 = {
    "CT": 236_841,
    "DE": 55_540,
    "GA": 70_835,
    "KY": 68_705,
    "MD": 278_514,
    "MA": 475_327,
    "NH": 141_822,
    "NJ": 179_570,
    "NY": 331_589,
    "NC": 353_523,
    "PA": 432_879,
    "RI": 68_446,
    "SC": 206_236,
    "VT": 85_533,
    "VA": 630_560,
}


def test_1790_census_quotas_match_the_published_table() -> None:
    result = apportion(CENSUS_1790, 120)
    published_quotas = {
        "NJ": 5.959, "VA": 20.926, "CT": 7.860, "SC": 6.844, "DE": 1.843,
        "VT": 2.839, "MA": 15.774, "NC": 11.732, "NH": 4.707, "PA": 14.366,
        "GA": 2.351, "KY": 2.280, "RI": 2.271, "MD": 9.243, "NY": 11.004,
    }  # fmt: skip
    assert sum(CENSUS_1790.values()) == 3_615_920
    for unit in result.units:
        assert round(unit.exact, 3) == published_quotas[unit.code]


def test_hamilton_1790_house_of_120_gives_the_vetoed_bill() -> None:
    # Table 14.5: the 9 largest fractional parts (NJ .959 ... NH .707) get the 9 seats left.
    expected = {
        "NJ": 6, "VA": 21, "CT": 8, "SC": 7, "DE": 2, "VT": 3, "MA": 16, "NC": 12,
        "NH": 5, "PA": 14, "GA": 2, "KY": 2, "RI": 2, "MD": 9, "NY": 11,
    }  # fmt: skip
    assert apportion(CENSUS_1790, 120, method="hamilton").as_dict() == expected


def test_jefferson_1792_house_of_105_gives_the_enacted_apportionment() -> None:
    # Jefferson's method (D'Hondt) with divisor 33,000 for 105 seats (Balinski & Young 2001).
    expected = {
        "VA": 19, "MA": 14, "PA": 13, "NC": 10, "NY": 10, "MD": 8, "CT": 7, "SC": 6,
        "NJ": 5, "NH": 4, "VT": 2, "GA": 2, "KY": 2, "RI": 2, "DE": 1,
    }  # fmt: skip
    result = apportion(CENSUS_1790, 105, method=Method.DHONDT)
    assert result.as_dict() == expected
    assert {code: w // 33_000 for code, w in CENSUS_1790.items()} == expected
    assert result.divisor is not None
    assert np.array_equal(np.floor(result.weights / result.divisor), result.quotas)


# Four parties, 8 seats: the standard highest-averages illustration, worked by hand.
# D'Hondt averages (divisors 1, 2, 3, 4): A 100 50 33.3 25 | B 80 40 26.7 | C 30 15 | D 20 10
#   eight largest: 100 80 50 40 33.3 30 26.7 25 -> A 4, B 3, C 1, D 0.
# Sainte-Lague (divisors 1, 3, 5, 7): A 100 33.3 20 14.3 | B 80 26.7 16 | C 30 10 | D 20 6.7
#   eight largest: 100 80 33.3 30 26.7 20 20 16 -> A 3, B 3, C 1, D 1.
# Huntington-Hill (s = 0, 1.41, 2.45, 3.46): every party first (infinite averages), then
#   A 70.7, B 56.6, A 40.8, B 32.7 (C 21.2, D 14.1 too small) -> A 3, B 3, C 1, D 1.
# Hamilton: quotas 3.478 2.783 1.043 0.696, floors 3 2 1 0, two seats to B and D -> 3 3 1 1.
PARTIES = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("hamilton", [3, 3, 1, 1]),
        ("dhondt", [4, 3, 1, 0]),
        ("sainte-lague", [3, 3, 1, 1]),
        ("huntington-hill", [3, 3, 1, 1]),
    ],
)
def test_four_parties_eight_seats(method: str, expected: list[int]) -> None:
    assert apportion(PARTIES, 8, method=method).quotas.tolist() == expected


def test_alabama_paradox_hamilton_loses_a_seat_when_the_house_grows() -> None:
    # The paradox found in 1880 (Alabama: 8 seats in a House of 299, 7 in one of 300;
    # Balinski & Young 2001), hand-worked on three units of 6, 6 and 2:
    # 10 seats: quotas 4.286 4.286 1.429 -> 4 4 1 + the last seat to C (.429) -> 4 4 2.
    # 11 seats: quotas 4.714 4.714 1.571 -> 4 4 1 + two seats to A, B (.714) -> 5 5 1.
    weights = {"A": 6, "B": 6, "C": 2}
    assert apportion(weights, 10).quotas.tolist() == [4, 4, 2]
    assert apportion(weights, 11).quotas.tolist() == [5, 5, 1]
    for method in ("dhondt", "sainte-lague", "huntington-hill"):  # house monotone
        smaller = apportion(weights, 10, method=method).quotas
        larger = apportion(weights, 11, method=method).quotas
        assert np.all(larger >= smaller)


def test_hamilton_compares_remainders_exactly() -> None:
    # 2 seats over 1,000 / 2,000 / 7,000: quotas 0.2 0.4 1.4, floors 0 0 1, one seat left.
    # B and C tie at remainder .4, so the tie rule gives it to the larger C. In floating point
    # 1.4 - 1 = 0.3999999999999999 < 0.4 would have given it to B.
    weights = {"A": 1_000, "B": 2_000, "C": 7_000}
    result = apportion(weights, 2)
    assert result.quotas.tolist() == [0, 0, 2]
    assert set(result.tied) == {"B", "C"}
    assert result.exact[2] - 1 < 0.4  # the floating-point trap the engine avoids
    # 10 seats over 8,000 / 9,000 / 24,000 / 59,000: quotas 0.8 0.9 2.4 5.9, three seats
    # left: B and D (.9) and A (.8); no tie at the cut.
    weights = {"A": 8_000, "B": 9_000, "C": 24_000, "D": 59_000}
    result = apportion(weights, 10)
    assert result.quotas.tolist() == [1, 1, 2, 6]
    assert result.tied == ()


@pytest.mark.parametrize("method", [m.value for m in Method])
def test_tie_goes_to_the_larger_weight_then_the_first_unit(method: str) -> None:
    # 1 seat over equal weights: the first unit; 3 seats over 1 and 3: exact 0.75 / 2.25.
    assert apportion({"X": 5, "Y": 5, "Z": 5}, 1, method=method).quotas.tolist() == [1, 0, 0]
    result = apportion({"Y": 5, "X": 5}, 1, method=method)
    assert result.quotas.tolist() == [1, 0]
    assert set(result.tied) == {"X", "Y"}


def test_hamilton_tie_between_different_weights_goes_to_the_larger() -> None:
    # 2 seats over 1 and 3: exact 0.5 and 1.5, remainders tie at .5 -> the larger unit.
    assert apportion({"small": 1, "large": 3}, 2).quotas.tolist() == [0, 2]
    # Sainte-Lague, 2 seats over 1 and 3: averages 1/0.5 = 2, 3/0.5 = 6, 3/1.5 = 2: tie at 2.
    assert apportion({"small": 1, "large": 3}, 2, method="sainte-lague").quotas.tolist() == [
        0,
        2,
    ]


def test_huntington_hill_gives_every_unit_a_seat_and_the_largest_when_short() -> None:
    weights = {"A": 1_000, "B": 10, "C": 1, "D": 0}
    assert apportion(weights, 3, method="huntington-hill").quotas.tolist() == [1, 1, 1, 0]
    # Fewer seats than units with weight: the largest units get one each (tie rule).
    result = apportion(weights, 2, method="huntington-hill")
    assert result.quotas.tolist() == [1, 1, 0, 0]
    assert result.divisor is None
    assert apportion(weights, 2, method="dhondt").quotas.tolist() == [2, 0, 0, 0]


def test_result_lines_explain_the_quota() -> None:
    result = apportion({"A": 3, "B": 1, "C": 1}, 7)
    a, b, c = result.units
    assert (a.weight, a.share, a.exact, a.quota) == (3.0, 0.6, 7 * 0.6, 4)
    assert (b.quota, c.quota) == (2, 1)  # remainders .4 and .4: equal weights, B first
    assert b.adjustment == pytest.approx(0.6)
    assert c.adjustment == pytest.approx(-0.4)
    assert result.adjustments.sum() == pytest.approx(0.0, abs=1e-12)
    assert set(result.tied) == {"B", "C"}
    assert result.quota_of("B") == 2
    with pytest.raises(KeyError):
        result.quota_of("Z")


def test_divisor_reproduces_the_divisor_method_result() -> None:
    weights = np.array([5_000.0, 3_100.0, 1_200.0, 700.0, 50.0])
    for method, rounding in (
        ("dhondt", np.floor),
        ("sainte-lague", lambda q: np.floor(q + 0.5)),
    ):
        result = apportion(weights, 23, method=method)
        assert result.divisor is not None
        assert np.array_equal(rounding(weights / result.divisor), result.quotas)
        assert np.array_equal(result.rounded, weights / result.divisor)
    result = apportion(weights, 23, method="huntington-hill")
    assert result.divisor is not None
    quotients = weights / result.divisor
    lower = np.floor(quotients)
    geometric = np.sqrt(lower * (lower + 1))
    assert np.array_equal(np.where(quotients > geometric, lower + 1, lower), result.quotas)


def test_floors_and_caps_hand_worked() -> None:
    # D'Hondt, 10 seats over 60/30/10: averages A 60 30 20 15 12 10, B 30 15 10 7.5 6,
    # C 10 5 -> 6 3 1. Cap A at 4: the ten largest without A's 12 and 10 are
    # A 60 30 20 15, B 30 15 10 7.5 6, C 10 -> 4 5 1. Floor C at 3: seven seats on top of the
    # floor go to A 60 30 20 15 12, B 30 15 -> 5 2 3.
    weights = {"A": 60, "B": 30, "C": 10}
    assert apportion(weights, 10, method="dhondt").quotas.tolist() == [6, 3, 1]
    capped = apportion(weights, 10, method="dhondt", caps={"A": 4})
    assert capped.quotas.tolist() == [4, 5, 1]
    assert capped.units[0].bound == "cap"
    floored = apportion(weights, 10, method="dhondt", floors={"C": 3})
    assert floored.quotas.tolist() == [5, 2, 3]
    assert floored.units[2].bound == "floor"
    # Hamilton with a cap: A's bounded exact quota is its cap 4; B and C share the other 6 in
    # proportion 30:10 -> 4.5 and 1.5, remainders tie at .5 -> the larger B: 4 5 1.
    hamilton = apportion(weights, 10, caps=[4, 10, 10])
    assert hamilton.quotas.tolist() == [4, 5, 1]
    assert hamilton.rounded.tolist() == [4.0, 4.5, 1.5]
    assert hamilton.caps is not None
    assert hamilton.caps.tolist() == [4, 10, 10]


def test_zero_weight_units_keep_their_floor() -> None:
    result = apportion({"A": 2, "B": 0, "C": 1}, 6, floors={"B": 1}, method="sainte-lague")
    assert result.quotas.tolist() == [3, 1, 2]
    assert apportion({"A": 0, "B": 0}, 0).quotas.tolist() == [0, 0]
    assert apportion({"A": 0, "B": 0}, 0).shares.tolist() == [0.0, 0.0]


def test_result_is_read_only() -> None:
    result = apportion([1, 2, 3], 6)
    with pytest.raises(ValueError, match="read-only"):
        result.quotas[0] = 9


def test_large_totals_and_real_weights() -> None:
    weights = [931_298.0, 32_977.0, 24_605.0, 0.5, 1e-9]
    for method in Method:
        result = apportion(weights, 1_000_000, method=method)
        assert int(result.quotas.sum()) == 1_000_000
        assert abs(result.quotas[0] - result.exact[0]) < 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": {"A": -1, "B": 2}, "total": 3}, "weight of A: must be a finite number >= 0"),
        ({"weights": {"A": math.nan}, "total": 3}, "weight of A"),
        ({"weights": [1, math.inf], "total": 3}, "weight of 1"),
        ({"weights": [1, 2], "total": -1}, "total: must not be negative"),
        ({"weights": [1, 2], "total": 2.5}, "total: must be a whole number"),
        ({"weights": [1, 2], "total": True}, "total: must be a whole number"),
        ({"weights": [0, 0], "total": 3}, "all weights are zero"),
        ({"weights": [1, 2], "total": 3, "codes": ["A", "A"]}, "code of A: duplicate"),
        ({"weights": [1, 2], "total": 3, "codes": ["A"]}, "codes: 1 codes for 2 weights"),
        ({"weights": {"A": 1, "B": 1}, "total": 3, "floors": {"A": 4}}, "floors sum to 4"),
        ({"weights": {"A": 1, "B": 1}, "total": 3, "caps": {"A": 1, "B": 1}}, "caps sum to 2"),
        (
            {"weights": {"A": 1, "B": 1}, "total": 3, "floors": {"A": 2}, "caps": {"A": 1}},
            "floor of A: floor 2 is above cap 1",
        ),
        ({"weights": {"A": 1}, "total": 3, "floors": {"X": 1}}, "floor of X: not one of"),
        ({"weights": {"A": 1}, "total": 3, "floors": {"A": -1}}, "floor of A: must be a whole"),
        ({"weights": {"A": 1}, "total": 3, "caps": [2.5]}, "cap of A: must be a whole"),
        (
            {"weights": {"A": 1, "B": 0}, "total": 3, "caps": {"A": 1, "B": 5}},
            "units with a positive weight can take at most 1",
        ),
        ({"weights": [1, 2], "total": 3, "method": "borda"}, "unknown method 'borda'"),
        ({"weights": [[1, 2]], "total": 3}, "weights must be one number per unit"),
        ({"weights": ["x"], "total": 3}, "weights must be numbers"),
    ],
)
def test_invalid_input_is_reported(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(QuotaInputError, match=message.replace("(", r"\(")):
        apportion(**kwargs)  # type: ignore[arg-type]


def test_input_error_is_a_value_error_with_unit_and_field() -> None:
    with pytest.raises(ValueError, match="weight of B") as caught:
        apportion({"A": 1, "B": -2}, 1)
    assert isinstance(caught.value, QuotaInputError)
    assert (caught.value.unit, caught.value.field) == ("B", "weight")
