"""SMAA-2: acceptabilities, sampling, central weights, confidence; Kendall's tau."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from onderdak.engines.siting import (
    Criterion,
    Direction,
    SitingInputError,
    rank_correlation,
    rank_sites,
    sample_weights,
    smaa,
)

CRITERIA = [
    Criterion("distance", Direction.COST),
    Criterion("places"),
    Criterion("years"),
]
MATRIX = np.array(
    [
        [1.2, 60, 10],
        [0.4, 40, 5],
        [2.5, 90, 15],
        [0.9, 50, 2],
        [3.0, 30, 1],  # dominated by site 0 (further, fewer places, shorter)
    ]
)


def naive_acceptability(
    matrix: np.ndarray, weights: np.ndarray, method: str, normalization: str = "vector"
) -> np.ndarray:
    """Rank each sample with rank_sites, one at a time (no ties in these data)."""
    n = matrix.shape[0]
    counts = np.zeros((n, n))
    for w in weights:
        ranking = rank_sites(
            matrix, CRITERIA, method=method, normalization=normalization, weights=w
        )
        order = np.argsort(-ranking.scores, kind="stable")
        counts[order, np.arange(n)] += 1
    result: np.ndarray = counts / weights.shape[0]
    return result


@pytest.mark.parametrize("method", ["wsm", "topsis", "promethee2"])
@pytest.mark.parametrize("normalization", ["vector", "minmax"])
def test_acceptability_equals_ranking_every_sample(method: str, normalization: str) -> None:
    result = smaa(MATRIX, CRITERIA, samples=300, seed=7, method=method, normalization=normalization)
    weights = sample_weights(np.random.default_rng(7), 300, 3)
    expected = naive_acceptability(MATRIX, weights, method, normalization)
    np.testing.assert_allclose(result.acceptability, expected, atol=1e-12)
    np.testing.assert_allclose(result.weight_mean, weights.mean(axis=0))


def test_rows_and_columns_sum_to_one_and_dominated_site_is_never_first() -> None:
    result = smaa(MATRIX, CRITERIA, samples=2000, seed=1)
    np.testing.assert_allclose(result.acceptability.sum(axis=0), 1.0, atol=1e-12)
    np.testing.assert_allclose(result.acceptability.sum(axis=1), 1.0, atol=1e-12)
    assert result.acceptability[4, 0] == 0.0
    assert np.isnan(result.central_weights[4]).all()
    assert np.isnan(result.confidence[4])
    shortlist = result.shortlist_probability(2)
    np.testing.assert_allclose(shortlist, result.acceptability[:, :2].sum(axis=1))
    assert result.holistic().shape == (5,)


def test_same_seed_same_result_whatever_the_chunks_and_workers() -> None:
    first = smaa(MATRIX, CRITERIA, samples=1000, seed=42, method="topsis")
    again = smaa(
        MATRIX,
        CRITERIA,
        samples=1000,
        seed=np.random.default_rng(42),
        method="topsis",
        workers=2,
        chunk_bytes=1,
    )
    assert np.array_equal(first.acceptability, again.acceptability)
    assert np.array_equal(first.central_weights, again.central_weights, equal_nan=True)
    other = smaa(MATRIX, CRITERIA, samples=1000, seed=43, method="topsis")
    assert not np.array_equal(first.acceptability, other.acceptability)


def test_identical_sites_share_their_ranks() -> None:
    matrix = np.vstack([MATRIX, MATRIX[1]])  # site 5 equals site 1
    result = smaa(matrix, CRITERIA, samples=500, seed=3)
    np.testing.assert_allclose(result.acceptability[1], result.acceptability[5])
    np.testing.assert_allclose(result.acceptability.sum(axis=0), 1.0, atol=1e-12)
    np.testing.assert_allclose(result.acceptability.sum(axis=1), 1.0, atol=1e-12)
    first = result.acceptability[:, 0]
    if first[1] > 0:
        assert result.confidence[1] == pytest.approx(0.5)


def test_central_weights_and_confidence() -> None:
    result = smaa(MATRIX, CRITERIA, samples=4000, seed=11)
    for site in np.flatnonzero(result.acceptability[:, 0] > 0).tolist():
        central = result.central_weights[site]
        assert central.sum() == pytest.approx(1.0)
        assert result.confidence[site] in (0.0, 1.0)
    # the site that is first most often is first at its own central weights
    leader = int(np.argmax(result.acceptability[:, 0]))
    assert result.confidence[leader] == 1.0


def test_max_rank_keeps_the_first_ranks() -> None:
    full = smaa(MATRIX, CRITERIA, samples=500, seed=5)
    top = smaa(MATRIX, CRITERIA, samples=500, seed=5, max_rank=2)
    assert top.acceptability.shape == (5, 2)
    np.testing.assert_allclose(top.acceptability, full.acceptability[:, :2])


def test_uniform_simplex_sample_has_the_dirichlet_moments() -> None:
    weights = sample_weights(np.random.default_rng(0), 200_000, 4)
    assert np.allclose(weights.sum(axis=1), 1.0)
    assert (weights >= 0).all()
    # Dirichlet(1,1,1,1): mean 1/4, variance (1/4)(3/4)/5 = 0.0375
    np.testing.assert_allclose(weights.mean(axis=0), 0.25, atol=0.002)
    np.testing.assert_allclose(weights.var(axis=0), 0.0375, atol=0.001)


def test_interval_sampling_stays_within_bounds_and_is_uniform() -> None:
    lower = np.array([0.1, 0.2, 0.0])
    upper = np.array([0.5, 1.0, 0.3])
    weights = sample_weights(np.random.default_rng(1), 50_000, 3, lower=lower, upper=upper)
    assert weights.shape == (50_000, 3)
    assert (weights >= lower - 1e-15).all()
    assert (weights <= upper + 1e-15).all()
    # uniform on the polygon: compare with rejection from the whole simplex
    plain = sample_weights(np.random.default_rng(2), 400_000, 3)
    kept = plain[np.all((plain >= lower) & (plain <= upper), axis=1)]
    np.testing.assert_allclose(weights.mean(axis=0), kept.mean(axis=0), atol=0.005)


def test_ordering_sampling_respects_the_order_and_groups() -> None:
    weights = sample_weights(np.random.default_rng(4), 20_000, 4, ordering=[[2], [0, 3], [1]])
    assert (weights[:, 2] >= weights[:, 0]).all()
    assert (weights[:, 2] >= weights[:, 3]).all()
    assert (weights[:, [0, 3]].min(axis=1) >= weights[:, 1]).all()
    # within the group both orders occur about equally often
    assert 0.45 < float((weights[:, 0] > weights[:, 3]).mean()) < 0.55
    # a complete order: expected values of the sorted uniform simplex, (1/n) sum_{k>=i} 1/k
    full = sample_weights(np.random.default_rng(5), 100_000, 3, ordering=[[0], [1], [2]])
    expected = [(1 / 3) * (1 + 1 / 2 + 1 / 3), (1 / 3) * (1 / 2 + 1 / 3), (1 / 3) * (1 / 3)]
    np.testing.assert_allclose(full.mean(axis=0), expected, atol=0.003)


def test_smaa_with_bounds_and_ordering_by_name() -> None:
    bounded = smaa(MATRIX, CRITERIA, samples=500, seed=2, weight_bounds={"distance": (0.5, 0.9)})
    assert 0.5 <= bounded.weight_mean[0] <= 0.9
    ordered = smaa(MATRIX, CRITERIA, samples=500, seed=2, ordering=["years", "distance", "places"])
    mean = ordered.weight_mean
    assert mean[2] > mean[0] > mean[1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"samples": 0}, "samples: must be a whole number >= 1"),
        ({"samples": 2.5}, "samples: must be a whole number >= 1"),
        ({"max_rank": 9}, "max_rank: must be at most the number of sites (5)"),
        ({"weight_bounds": {"nope": (0, 1)}}, "criterion 'nope': not one of the criteria"),
        ({"weight_bounds": {"years": (0.6, 0.5)}}, "need 0 <= lower <= upper <= 1"),
        ({"weight_bounds": {"years": (0.6, 1), "places": (0.6, 1)}}, "lower bounds sum to 1.2"),
        (
            {"weight_bounds": {"years": (0, 0.2), "places": (0, 0.2), "distance": (0, 0.2)}},
            "upper bounds sum to 0.6",
        ),
        (
            {"weight_bounds": {"years": (0.3, 0.300001), "places": (0.3, 0.300001)}},
            "too small a part",
        ),
        ({"ordering": ["years", "years", "places", "distance"]}, "listed twice"),
        ({"ordering": ["years", "places"]}, "criterion 'distance': missing from the ordering"),
        ({"ordering": ["years", "places", "x"]}, "criterion 'x': not one of the criteria"),
        ({"workers": 0}, "workers: must be a whole number >= 1"),
        ({"seed": -1}, "seed: must be a whole number >= 0"),
        ({"seed": "abc"}, "seed: must be a whole number >= 0"),
    ],
)
def test_smaa_errors(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"samples": 100, "seed": 1, **kwargs}
    with pytest.raises(SitingInputError) as raised:
        smaa(MATRIX, CRITERIA, **arguments)  # type: ignore[arg-type]
    assert message in str(raised.value)


def test_shortlist_size_is_checked() -> None:
    result = smaa(MATRIX, CRITERIA, samples=10, seed=1)
    with pytest.raises(SitingInputError, match="shortlist size"):
        result.shortlist_probability(6)


# --------------------------------------------------------------------------------------------
# Kendall's tau between named weight sets
# --------------------------------------------------------------------------------------------


def test_rank_correlation_between_weight_sets() -> None:
    sets = {
        "college": {"distance": 2, "places": 1, "years": 1},
        "same, scaled": {"distance": 20, "places": 10, "years": 10},
        "opposite focus": {"distance": 0, "places": 1, "years": 3},
    }
    result = rank_correlation(MATRIX, CRITERIA, sets)
    assert result.names == ("college", "same, scaled", "opposite focus")
    assert result.tau[0, 1] == pytest.approx(1.0)
    assert result.tau[0, 0] == 1.0
    assert result.tau[0, 2] == result.tau[2, 0]
    assert result.tau[0, 2] < 1.0
    # tau-b by definition on five sites without ties: (concordant - discordant) / 10
    a = result.rankings[0].scores
    b = result.rankings[2].scores
    concordant = sum(
        1 if (a[i] - a[j]) * (b[i] - b[j]) > 0 else -1
        for i, j in itertools.combinations(range(5), 2)
    )
    assert result.tau[0, 2] == pytest.approx(concordant / 10)


def test_rank_correlation_needs_two_sets() -> None:
    with pytest.raises(SitingInputError, match="at least two"):
        rank_correlation(MATRIX, CRITERIA, {"one": [1, 1, 1]})
