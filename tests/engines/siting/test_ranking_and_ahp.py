"""Competition ranks with the 12-significant-digit tie rule; AHP weights and consistency."""

from __future__ import annotations

import numpy as np
import pytest

from onderdak.engines.siting import SitingInputError, ahp_weights, competition_ranks
from onderdak.engines.siting.ranking import best_first, tie_keys

# --------------------------------------------------------------------------------------------
# Ranks
# --------------------------------------------------------------------------------------------


def test_competition_ranking_1_2_2_4() -> None:
    assert competition_ranks(np.array([0.9, 0.5, 0.5, 0.1])).tolist() == [1, 2, 2, 4]
    assert competition_ranks(np.array([0.1, 0.5, 0.9, 0.5])).tolist() == [4, 2, 1, 2]
    assert best_first(np.array([0.1, 0.5, 0.9, 0.5])).tolist() == [2, 1, 3, 0]


def test_scores_equal_to_12_significant_digits_tie() -> None:
    # 0.1 + 0.2 and 0.3 differ in the last bit; -1e-13 relative is below the 12th digit
    scores = np.array([0.1 + 0.2, 0.3, 0.3 * (1 - 1e-13), 0.3 * (1 - 1e-11)])
    assert scores[0] != scores[1]
    assert competition_ranks(scores).tolist() == [1, 1, 1, 4]


def test_tie_keys_round_to_12_significant_digits() -> None:
    values = np.array([0.0, 1.0, 123456.7890123456, -0.5, 9.9999999999996, 10.0, 1e-300, -0.0])
    keys = tie_keys(values)
    assert keys.tolist()[:4] == [0.0, 1.0, 123456.789012, -0.5]
    assert keys[4] == keys[5] == 10.0
    assert keys[6] == pytest.approx(1e-300)
    assert keys[7] == 0.0


def test_negative_scores_rank_below_positive_ones() -> None:
    assert competition_ranks(np.array([-1.0, 0.0, 0.5, -0.5])).tolist() == [4, 2, 1, 3]


# --------------------------------------------------------------------------------------------
# AHP
# --------------------------------------------------------------------------------------------

#: Saaty (1990), "How to make a decision: the analytic hierarchy process", EJOR 48, 9-26:
#: the criteria of buying a house (size, transportation, neighbourhood, age, yard, modern
#: facilities, general condition, financing). Published: lambda_max = 9.669, CI = 0.238,
#: CR = 0.169.
SAATY_HOUSE: list[list[float]] = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]
HOUSE = ["size", "transport", "neighbourhood", "age", "yard", "modern", "condition", "finance"]


def test_saaty_house_example_has_the_published_consistency() -> None:
    result = ahp_weights(SAATY_HOUSE, HOUSE, max_consistency_ratio=1.0)
    assert round(result.lambda_max, 3) == 9.669
    assert round(result.consistency_index, 3) == 0.238
    assert result.random_index == 1.41
    assert round(result.consistency_ratio, 3) == 0.169
    assert result.weights.sum() == pytest.approx(1.0)
    # financing is the most important criterion, age the least
    assert result.criteria[int(np.argmax(result.weights))] == "finance"
    assert result.criteria[int(np.argmin(result.weights))] == "age"


def test_saaty_house_example_is_refused_at_cr_above_one_tenth() -> None:
    with pytest.raises(SitingInputError) as raised:
        ahp_weights(SAATY_HOUSE, HOUSE)
    message = str(raised.value)
    assert "consistency ratio CR = 0.169 exceeds 0.1" in message
    assert "lambda_max = 9.669" in message
    assert "revise the comparisons, starting with" in message


def test_three_criteria_closed_form() -> None:
    # for a 3 x 3 reciprocal matrix lambda_max = 1 + r^(1/3) + r^(-1/3), r = a12 a23 / a13:
    # a12 = 3, a13 = 5, a23 = 3: r = 1.8, lambda_max = 3.0385, CI = 0.0193, CR = 0.0332
    result = ahp_weights([[1.0, 3.0, 5.0], [1 / 3, 1.0, 3.0], [1 / 5, 1 / 3, 1.0]], ["a", "b", "c"])
    ratio = 1.8
    expected = 1 + ratio ** (1 / 3) + ratio ** (-1 / 3)
    assert result.lambda_max == pytest.approx(expected, rel=1e-12)
    assert result.consistency_index == pytest.approx((expected - 3) / 2, rel=1e-10)
    assert result.consistency_ratio == pytest.approx((expected - 3) / 2 / 0.58, rel=1e-10)
    assert round(result.consistency_ratio, 4) == 0.0332
    assert result.as_dict()["a"] > result.as_dict()["b"] > result.as_dict()["c"]


def test_consistent_matrix_gives_back_the_weights() -> None:
    weights = np.array([0.5, 0.25, 0.15, 0.1])
    matrix = weights[:, np.newaxis] / weights[np.newaxis, :]
    result = ahp_weights(matrix)
    np.testing.assert_allclose(result.weights, weights, rtol=1e-12)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-12)
    assert result.criteria == ("c1", "c2", "c3", "c4")


def test_typed_reciprocals_pass_and_two_criteria_are_always_consistent() -> None:
    result = ahp_weights([[1.0, 3.0, 7.0], [0.33, 1.0, 3.0], [0.14, 0.33, 1.0]])
    assert result.consistency_ratio < 0.1
    two = ahp_weights([[1.0, 4.0], [0.25, 1.0]])
    assert two.consistency_ratio == 0.0
    np.testing.assert_allclose(two.weights, [0.8, 0.2])


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1, 2], [0.5, 1], [1, 1]], "must be square"),
        ([[1, -2], [-0.5, 1]], "entry (1, 2) must be a positive number"),
        ([[1, 0], [0, 1]], "must be a positive number"),
        ([[2, 2], [0.5, 1]], "entry (1, 1) must be 1"),
        ([[1, 3], [0.5, 1]], "are not reciprocal"),
        ([[1, 3, 5], [0.2, 1, 3], [0.2, 0.33, 1]], "are not reciprocal"),
        ([["a"]], "must be numbers"),
        (np.ones((16, 16)), "between 1 and 15"),
    ],
)
def test_ahp_errors(matrix: object, message: str) -> None:
    with pytest.raises(SitingInputError) as raised:
        ahp_weights(matrix)  # type: ignore[arg-type]
    assert message in str(raised.value)


def test_ahp_weights_feed_rank_sites() -> None:
    from onderdak.engines.siting import Criterion, Direction, rank_sites

    ahp = ahp_weights([[1.0, 3.0], [1 / 3, 1.0]], ["price", "size"])
    result = rank_sites(
        [[100.0, 50.0], [80.0, 40.0]],
        [Criterion("price", Direction.COST), Criterion("size")],
        weights=ahp,
    )
    np.testing.assert_allclose(result.weights, [0.75, 0.25])
