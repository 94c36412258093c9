"""WSM, TOPSIS and PROMETHEE II: published worked examples, hand-worked cases, pymcdm.

pymcdm (Kizielewicz, Shekhovtsov & Salabun, "pymcdm - The universal library for solving
multi-criteria decision-making problems", SoftwareX 22 (2023) 101368) serves as an independent
implementation: same conventions for cost criteria (1 - r for vector normalisation,
(max - x) / (max - min) for min-max), so scores must agree to rounding.
"""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm.methods import PROMETHEE_II, TOPSIS, WSM  # type: ignore[import-untyped]
from pymcdm.normalizations import (  # type: ignore[import-untyped]
    minmax_normalization,
    vector_normalization,
)

from onderdak.engines.siting import (
    Criterion,
    Direction,
    Preference,
    PreferenceFunction,
    SitingInputError,
    rank_sites,
)
from onderdak.engines.siting.model import SiteIds
from onderdak.engines.siting.promethee import criterion_flows

PYMCDM_NORMALIZATION = {"vector": vector_normalization, "minmax": minmax_normalization}
PYMCDM_FUNCTION = {
    PreferenceFunction.USUAL: "usual",
    PreferenceFunction.U_SHAPE: "ushape",
    PreferenceFunction.V_SHAPE: "vshape",
    PreferenceFunction.LEVEL: "level",
    PreferenceFunction.LINEAR: "vshape_2",
}


def criteria(weights: list[float], directions: str) -> list[Criterion]:
    """Criteria c0, c1, ... with the given weights; directions as a string of b/c."""
    return [
        Criterion(f"c{j}", Direction.COST if d == "c" else Direction.BENEFIT, w)
        for j, (w, d) in enumerate(zip(weights, directions, strict=True))
    ]


def random_problem(
    seed: int, sites: int, columns: int = 6
) -> tuple[np.ndarray, list[Criterion], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    matrix = rng.uniform(-5, 100, (sites, columns))
    matrix[:, 1] = np.round(matrix[:, 1])  # ties
    weights = rng.uniform(0.1, 1.0, columns)
    directions = "".join("c" if j % 2 else "b" for j in range(columns))
    types = np.array([-1 if d == "c" else 1 for d in directions])
    return matrix, criteria(weights.tolist(), directions), weights / weights.sum(), types


# --------------------------------------------------------------------------------------------
# Published worked examples
# --------------------------------------------------------------------------------------------


def test_topsis_tzeng_and_huang_2011() -> None:
    """Tzeng & Huang, *Multiple Attribute Decision Making: Methods and Applications*, CRC
    Press 2011 (the TOPSIS example scikit-criteria also tests): 4 alternatives, 3 benefit
    criteria, weights 0.3 / 0.4 / 0.3, vector normalisation; published closeness coefficients
    0.5037, 0.6581, 0.7482, 0.3340 (ranking A3, A2, A1, A4)."""
    matrix = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]
    result = rank_sites(
        matrix, criteria([0.3, 0.4, 0.3], "bbb"), method="topsis", normalization="vector"
    )
    assert np.round(result.scores, 4).tolist() == [0.5037, 0.6581, 0.7482, 0.3340]
    assert result.ranks().tolist() == [3, 2, 1, 4]
    assert result.order().tolist() == [2, 1, 0, 3]


def test_topsis_ideal_and_distances_in_the_textbook_steps() -> None:
    # the same example step by step: v = w x / ||x||; the ideal is the column maximum
    matrix = np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], dtype=float)
    weights = np.array([0.3, 0.4, 0.3])
    v = weights * matrix / np.linalg.norm(matrix, axis=0)
    plus = np.linalg.norm(v - v.max(axis=0), axis=1)
    minus = np.linalg.norm(v - v.min(axis=0), axis=1)
    result = rank_sites(matrix, criteria(weights.tolist(), "bbb"), method="topsis")
    assert result.ideal is not None
    assert result.anti_ideal is not None
    assert result.distance_to_ideal is not None
    assert result.distance_to_anti_ideal is not None
    assert result.ideal.tolist() == [8, 8, 8]
    assert result.anti_ideal.tolist() == [5, 4, 4]
    np.testing.assert_allclose(result.distance_to_ideal, plus, rtol=1e-14)
    np.testing.assert_allclose(result.distance_to_anti_ideal, minus, rtol=1e-14)
    np.testing.assert_allclose(result.scores, minus / (plus + minus), rtol=1e-14)


def test_promethee_ii_pymcdm_documentation_example() -> None:
    """The PROMETHEE II example of the pymcdm documentation (SoftwareX 2023): usual function,
    weights 0.5 / 0.3 / 0.2, three benefit criteria; net flows 0.1, -0.3, 0.2. By hand:
    pi(A1, A2) = 0.5 + 0.3 = 0.8, pi(A2, A1) = 0.2; pi(A1, A3) = 0.3, pi(A3, A1) = 0.7;
    pi(A2, A3) = 0.3 + 0.2 = 0.5, pi(A3, A2) = 0.5; phi(A1) = (0.8 + 0.3 - 0.2 - 0.7) / 2."""
    matrix = [[4, 3, 2], [3, 2, 4], [5, 1, 3]]
    result = rank_sites(matrix, criteria([0.5, 0.3, 0.2], "bbb"), method="promethee2")
    np.testing.assert_allclose(result.scores, [0.1, -0.3, 0.2], atol=1e-15)
    assert result.ranks().tolist() == [2, 3, 1]
    assert result.positive_flow is not None
    assert result.negative_flow is not None
    np.testing.assert_allclose(result.positive_flow, [0.55, 0.35, 0.6], atol=1e-15)
    np.testing.assert_allclose(result.negative_flow, [0.45, 0.65, 0.4], atol=1e-15)
    assert result.normalization is None


def test_promethee_ii_hand_worked_with_a_cost_criterion_and_a_tie() -> None:
    # c0 benefit 3 > 2 > 1; c1 cost 5 (B) better than 10 (A) better than 20 (C); weights 1:1.
    # pi(A,B) = .5, pi(B,A) = .5, pi(A,C) = pi(B,C) = 1, pi(C,.) = 0:
    # phi(A) = (1.5 - .5) / 2 = .5, phi(B) = .5, phi(C) = -1 -> ranks 1, 1, 3
    result = rank_sites([[3, 10], [2, 5], [1, 20]], criteria([1, 1], "bc"), method="promethee2")
    assert result.scores.tolist() == [0.5, 0.5, -1.0]
    assert result.ranks().tolist() == [1, 1, 3]
    assert result.contributions is not None
    assert result.contributions.sum(axis=1).tolist() == [0.5, 0.5, -1.0]


def test_wsm_minmax_hand_worked() -> None:
    # price (cost) 100/200/300 -> 1, .5, 0; size (benefit) 10/30/20 -> 0, 1, .5; weights 1:1
    result = rank_sites(
        [[100, 10], [200, 30], [300, 20]], criteria([1, 1], "cb"), normalization="minmax"
    )
    assert result.scores.tolist() == [0.5, 0.75, 0.25]
    assert result.contributions is not None
    assert result.contributions.tolist() == [[0.5, 0.0], [0.25, 0.5], [0.0, 0.25]]


def test_wsm_vector_uses_one_minus_r_for_cost_criteria() -> None:
    # column norms 5 and 5: r = (.6, .8) and (.8, .6); cost: 1 - r
    result = rank_sites([[3, 4], [4, 3]], criteria([1, 1], "bc"), normalization="vector")
    np.testing.assert_allclose(result.scores, [0.5 * 0.6 + 0.5 * 0.2, 0.5 * 0.8 + 0.5 * 0.4])


# --------------------------------------------------------------------------------------------
# pymcdm as an independent implementation
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
@pytest.mark.parametrize("seed", range(4))
def test_wsm_and_topsis_equal_pymcdm(normalization: str, seed: int) -> None:
    matrix, crits, weights, types = random_problem(seed, sites=60)
    matrix[:, 3] = 7.0  # a constant column
    norm = PYMCDM_NORMALIZATION[normalization]
    wsm = rank_sites(matrix, crits, method="wsm", normalization=normalization)
    topsis = rank_sites(matrix, crits, method="topsis", normalization=normalization)
    np.testing.assert_allclose(wsm.scores, WSM(norm)(matrix, weights, types), atol=1e-12)
    np.testing.assert_allclose(topsis.scores, TOPSIS(norm)(matrix, weights, types), atol=1e-12)


@pytest.mark.parametrize("function", sorted(PYMCDM_FUNCTION, key=str))
@pytest.mark.parametrize("seed", range(3))
def test_promethee_ii_equals_pymcdm(function: PreferenceFunction, seed: int) -> None:
    matrix, crits, weights, types = random_problem(seed, sites=80)
    q, p = 2.0, 15.0
    crits = [
        Criterion(c.name, c.direction, c.weight, Preference(function, q=q, p=p)) for c in crits
    ]
    thresholds: dict[str, list[float]] = {}
    if function in (
        PreferenceFunction.U_SHAPE,
        PreferenceFunction.LEVEL,
        PreferenceFunction.LINEAR,
    ):
        thresholds["q"] = [q] * len(crits)
    if function is not PreferenceFunction.USUAL and function is not PreferenceFunction.U_SHAPE:
        thresholds["p"] = [p] * len(crits)
    expected = PROMETHEE_II(PYMCDM_FUNCTION[function], **thresholds)(matrix, weights, types)
    result = rank_sites(matrix, crits, method="promethee2")
    np.testing.assert_allclose(result.scores, expected, atol=1e-12)


# --------------------------------------------------------------------------------------------
# PROMETHEE II: the fast flows equal the pairwise definition
# --------------------------------------------------------------------------------------------


def pairwise_flows(values: np.ndarray, preference: Preference) -> tuple[np.ndarray, np.ndarray]:
    """phi+ and phi- straight from the definition (Brans & Vincke 1985), O(n^2)."""
    d = values[:, np.newaxis] - values[np.newaxis, :]
    q, p, s = preference.q, preference.p, preference.s
    function = preference.function
    if function is PreferenceFunction.USUAL:
        table = (d > 0).astype(float)
    elif function is PreferenceFunction.U_SHAPE:
        table = (d > q).astype(float)
    elif function is PreferenceFunction.V_SHAPE:
        table = np.where(d > p, 1.0, np.where(d > 0, d / p, 0.0))
    elif function is PreferenceFunction.LEVEL:
        table = np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    elif function is PreferenceFunction.LINEAR:
        table = np.where(d > p, 1.0, np.where(d > q, (d - q) / (p - q), 0.0))
    else:
        table = np.where(d > 0, 1.0 - np.exp(-(d * d) / (2 * s * s)), 0.0)
    n = values.size
    return table.sum(axis=1) / (n - 1), table.sum(axis=0) / (n - 1)


@pytest.mark.parametrize("function", list(PreferenceFunction))
@pytest.mark.parametrize(("sites", "spread"), [(7, 10.0), (300, 100.0), (2500, 100.0)])
def test_flows_equal_the_pairwise_definition(
    function: PreferenceFunction, sites: int, spread: float
) -> None:
    rng = np.random.default_rng(sites)
    values = rng.uniform(0, spread, sites)
    values[: sites // 3] = np.round(values[: sites // 3])  # repeated values
    for preference in (
        Preference(function, q=1.0, p=6.0, s=0.7),
        Preference(function, q=0.5, p=30.0, s=12.0),  # wide Gaussian: the Taylor expansion
    ):
        fast = criterion_flows(values, preference)
        slow = pairwise_flows(values, preference)
        np.testing.assert_allclose(fast[0], slow[0], atol=1e-12)
        np.testing.assert_allclose(fast[1], slow[1], atol=1e-12)


def test_thresholds_compare_the_floating_point_difference_exactly() -> None:
    # fl(1.1 - 1.0) = 0.10000000000000009 > 0.1 although 1.0 < fl(1.1 - 0.1) = 1.0 is false: a
    # plain binary search for a - q would miss the pair; the pairwise definition (and pymcdm)
    # compares the floating-point difference, and so must the sorted algorithm
    values = np.array([1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6])
    assert 1.1 - 1.0 > 0.1
    assert not 1.0 < 1.1 - 0.1
    for function in (PreferenceFunction.U_SHAPE, PreferenceFunction.LEVEL):
        preference = Preference(function, q=0.1, p=0.3)
        fast = criterion_flows(values, preference)
        slow = pairwise_flows(values, preference)
        # one pair counted differently would move a flow by 1/12 or more
        np.testing.assert_allclose(fast[0], slow[0], atol=1e-15)
        np.testing.assert_allclose(fast[1], slow[1], atol=1e-15)


# --------------------------------------------------------------------------------------------
# Conventions and edge cases
# --------------------------------------------------------------------------------------------


def test_constant_column_minmax_is_one_for_both_directions() -> None:
    result = rank_sites(
        [[5, 1], [5, 2]], criteria([1, 1], "cb"), method="wsm", normalization="minmax"
    )
    assert result.contributions is not None
    assert result.contributions[:, 0].tolist() == [0.5, 0.5]
    assert result.scores.tolist() == [0.5, 1.0]


def test_zero_column_vector_is_zero_for_benefit_and_one_for_cost() -> None:
    benefit = rank_sites([[0, 1], [0, 3]], criteria([1, 1], "bb"))
    cost = rank_sites([[0, 1], [0, 3]], criteria([1, 1], "cb"))
    assert benefit.contributions is not None
    assert cost.contributions is not None
    assert benefit.contributions[:, 0].tolist() == [0.0, 0.0]
    assert cost.contributions[:, 0].tolist() == [0.5, 0.5]


def test_huge_values_do_not_overflow_the_vector_norm() -> None:
    # the sum of squares of 1e200 overflows; the norm is recomputed with scaling
    matrix = np.array([[3e200, 1.0], [4e200, 2.0]])
    result = rank_sites(matrix, criteria([1, 1], "bb"), method="wsm")
    assert result.contributions is not None
    np.testing.assert_allclose(result.contributions[:, 0], [0.5 * 0.6, 0.5 * 0.8])
    topsis = rank_sites(matrix, criteria([1, 1], "bb"), method="topsis")
    assert topsis.scores.tolist() == [0.0, 1.0]


def test_topsis_identical_sites_get_one_half() -> None:
    result = rank_sites([[1, 2], [1, 2], [1, 2]], criteria([1, 1], "bc"), method="topsis")
    assert result.scores.tolist() == [0.5, 0.5, 0.5]
    assert result.ranks().tolist() == [1, 1, 1]


def test_weights_are_normalised_and_can_be_overridden() -> None:
    crits = criteria([2, 6], "bb")
    result = rank_sites([[1, 0], [0, 1]], crits)
    assert result.weights.tolist() == [0.25, 0.75]
    overridden = rank_sites([[1, 0], [0, 1]], crits, weights={"c0": 1, "c1": 1})
    assert overridden.weights.tolist() == [0.5, 0.5]
    by_position = rank_sites([[1, 0], [0, 1]], crits, weights=[3, 1])
    assert by_position.weights.tolist() == [0.75, 0.25]


def test_sites_and_lookups() -> None:
    result = rank_sites([[1.0], [3.0], [2.0]], criteria([1], "b"), sites=["x", "y", "z"])
    assert result.top(2) == ("y", "z")
    assert result.score_of("y") == result.scores[1]
    assert list(result.as_dict()) == ["x", "y", "z"]
    with pytest.raises(KeyError):
        result.score_of("nope")
    default = rank_sites([[1.0], [3.0]], criteria([1], "b"))
    assert isinstance(default.sites, SiteIds)
    assert list(default.sites) == ["0", "1"]
    assert default.top(1) == ("1",)
    assert default.sites.index("1") == 1
    assert "2" not in default.sites
    assert "01" not in default.sites


def test_results_are_read_only_and_inputs_untouched() -> None:
    matrix = np.array([[1.0, 5.0], [2.0, 4.0], [3.0, 9.0]])
    before = matrix.copy()
    for method in ("wsm", "topsis", "promethee2"):
        result = rank_sites(matrix, criteria([1, 2], "bc"), method=method)
        assert not result.scores.flags.writeable
        assert np.array_equal(matrix, before)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"matrix": [[1.0, 2.0]]}, "at least 2 sites"),
        (
            {"matrix": [[1.0, np.nan], [1.0, 2.0]]},
            "value, criterion 'c1', site '0': must be a finite",
        ),
        ({"matrix": [[1.0], [2.0]]}, "1 columns for 2 criteria"),
        ({"matrix": [["a", 1], [2, 3]]}, "numbers only"),
        ({"weights": [1.0, -1.0]}, "weight, criterion 'c1': must not be negative"),
        ({"weights": [0.0, 0.0]}, "all weights are zero"),
        ({"weights": [1.0, float("inf")]}, "weight, criterion 'c1': must be a finite number"),
        ({"weights": {"c0": 1.0}}, "weight, criterion 'c1': no weight given"),
        ({"weights": {"c0": 1.0, "c1": 1.0, "x": 2}}, "criterion 'x': not one of the criteria"),
        ({"sites": ["a", "a"]}, "site 'a'"),
        ({"sites": ["a"]}, "1 site ids for 2 matrix rows"),
        ({"method": "electre"}, "unknown method 'electre'"),
        ({"normalization": "sum"}, "unknown normalization 'sum'"),
    ],
)
def test_input_errors_name_the_culprit(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"matrix": [[1.0, 2.0], [3.0, 4.0]], **kwargs}
    with pytest.raises(SitingInputError, match=None) as raised:
        rank_sites(arguments.pop("matrix"), criteria([1, 1], "bc"), **arguments)  # type: ignore[arg-type]
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("criterion", "message"),
    [
        (Criterion("a", "up"), "direction, criterion 'a': must be 'benefit' or 'cost'"),  # type: ignore[arg-type]
        (Criterion("a", preference=Preference("step")), "unknown preference function"),  # type: ignore[arg-type]
        (Criterion("a", preference=Preference(PreferenceFunction.V_SHAPE)), "p > 0"),
        (Criterion("a", preference=Preference(PreferenceFunction.LINEAR, q=2, p=1)), "q < p"),
        (Criterion("a", preference=Preference(PreferenceFunction.LEVEL, q=2, p=1)), "q <= p"),
        (Criterion("a", preference=Preference(PreferenceFunction.GAUSSIAN)), "s > 0"),
        (
            Criterion("a", preference=Preference(PreferenceFunction.U_SHAPE, q=-1)),
            "q, criterion 'a'",
        ),
    ],
)
def test_criterion_errors(criterion: Criterion, message: str) -> None:
    with pytest.raises(SitingInputError) as raised:
        rank_sites([[1.0, 2.0], [2.0, 1.0]], [criterion, Criterion("b")], method="promethee2")
    assert message in str(raised.value)
    assert raised.value.criterion == "a"


def test_duplicate_criteria() -> None:
    with pytest.raises(SitingInputError, match="duplicate criterion name"):
        rank_sites([[1.0, 2.0], [2.0, 1.0]], [Criterion("a"), Criterion("a")])
