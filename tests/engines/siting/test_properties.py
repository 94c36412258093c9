"""Hypothesis properties of the siting engine: scale invariance, dominance, SMAA sums,
determinism and no mutation of the inputs."""

from __future__ import annotations

import copy

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from onderdak.engines.siting import Criterion, Direction, competition_ranks, rank_sites, smaa
from onderdak.engines.siting.ranking import tie_keys

METHODS = st.sampled_from(["wsm", "topsis", "promethee2"])
NORMALIZATIONS = st.sampled_from(["vector", "minmax"])
values = st.floats(0, 1000, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 2))


@st.composite
def problems(draw: st.DrawFn, max_sites: int = 12) -> tuple[np.ndarray, list[Criterion]]:
    sites = draw(st.integers(2, max_sites))
    columns = draw(st.integers(1, 5))
    matrix = draw(hnp.arrays(np.float64, (sites, columns), elements=values))
    weights = draw(st.lists(st.integers(0, 10), min_size=columns, max_size=columns).filter(any))
    directions = draw(
        st.lists(st.sampled_from(list(Direction)), min_size=columns, max_size=columns)
    )
    criteria = [
        Criterion(f"c{j}", d, float(w))
        for j, (d, w) in enumerate(zip(directions, weights, strict=True))
    ]
    return matrix, criteria


@given(
    problem=problems(),
    factor=st.sampled_from([0.001, 3.0, 7.5, 1000.0]),
    method=METHODS,
    normalization=NORMALIZATIONS,
)
def test_scaling_all_weights_changes_no_ranking(
    problem: tuple[np.ndarray, list[Criterion]], factor: float, method: str, normalization: str
) -> None:
    matrix, criteria = problem
    scaled = [Criterion(c.name, c.direction, c.weight * factor) for c in criteria]
    first = rank_sites(matrix, criteria, method=method, normalization=normalization)
    second = rank_sites(matrix, scaled, method=method, normalization=normalization)
    np.testing.assert_allclose(first.weights, second.weights, rtol=1e-15)
    np.testing.assert_allclose(first.scores, second.scores, rtol=1e-12, atol=1e-15)
    # The documented tie rule (12 significant digits) is relative, so it cannot absorb the
    # last-bit noise of a score that is mathematically 0 (a PROMETHEE net flow of +-1e-17, found
    # by Hypothesis): the property is claimed where no two scores are that close yet not tied.
    assume(not _noise_apart(first.scores) and not _noise_apart(second.scores))
    assert first.ranks().tolist() == second.ranks().tolist()


def _noise_apart(scores: np.ndarray) -> bool:
    """Two scores within floating-point noise of each other that the tie rule keeps apart."""
    keys = tie_keys(scores)
    noise = 1e-12 * max(1.0, float(np.max(np.abs(scores))))
    close = np.abs(scores[:, None] - scores[None, :]) <= noise
    return bool(np.any(close & (keys[:, None] != keys[None, :])))


@given(
    problem=problems(),
    method=st.sampled_from(["wsm", "topsis"]),
    normalization=NORMALIZATIONS,
    gains=st.data(),
)
def test_a_dominated_site_never_outranks_its_dominator(
    problem: tuple[np.ndarray, list[Criterion]],
    method: str,
    normalization: str,
    gains: st.DataObject,
) -> None:
    matrix, criteria = problem
    # make site 1 dominate site 0: at least as good everywhere, with given steps
    better = matrix.copy()
    steps = gains.draw(
        hnp.arrays(np.float64, matrix.shape[1], elements=st.sampled_from([0.0, 1.0, 25.0]))
    )
    for j, criterion in enumerate(criteria):
        sign = -1.0 if criterion.direction is Direction.COST else 1.0
        better[1, j] = better[0, j] + sign * steps[j]
    result = rank_sites(better, criteria, method=method, normalization=normalization)
    assert result.scores[1] >= result.scores[0] - 1e-12
    ranks = result.ranks()
    assert ranks[1] <= ranks[0]


@given(problem=problems(max_sites=8), method=METHODS, seed=st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None)
def test_smaa_acceptabilities_sum_to_one_and_repeat(
    problem: tuple[np.ndarray, list[Criterion]], method: str, seed: int
) -> None:
    matrix, criteria = problem
    result = smaa(matrix, criteria, samples=200, seed=seed, method=method)
    np.testing.assert_allclose(result.acceptability.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(result.acceptability.sum(axis=0), 1.0, atol=1e-12)
    again = smaa(matrix, criteria, samples=200, seed=seed, method=method, chunk_bytes=1000)
    assert np.array_equal(result.acceptability, again.acceptability)
    first = result.acceptability[:, 0]
    assert np.isnan(result.central_weights[first == 0]).all()
    np.testing.assert_allclose(result.central_weights[first > 0].sum(axis=1), 1.0)


@given(problem=problems(), method=METHODS, normalization=NORMALIZATIONS)
def test_deterministic_and_inputs_not_mutated(
    problem: tuple[np.ndarray, list[Criterion]], method: str, normalization: str
) -> None:
    matrix, criteria = problem
    matrix_before = matrix.copy()
    criteria_before = copy.deepcopy(criteria)
    first = rank_sites(matrix, criteria, method=method, normalization=normalization)
    second = rank_sites(matrix, criteria, method=method, normalization=normalization)
    assert np.array_equal(first.scores, second.scores)
    assert np.array_equal(matrix, matrix_before)
    assert criteria == criteria_before
    assert not first.scores.flags.writeable


@given(
    scores=hnp.arrays(
        np.float64, st.integers(1, 30), elements=st.sampled_from([0.1, 0.5, 0.9, -1.0])
    )
)
def test_competition_ranks_count_the_better_sites(scores: np.ndarray) -> None:
    ranks = competition_ranks(scores)
    for i, score in enumerate(scores.tolist()):
        assert ranks[i] == 1 + int((scores > score).sum())


@given(problem=problems())
def test_promethee_net_flows_sum_to_zero(problem: tuple[np.ndarray, list[Criterion]]) -> None:
    matrix, criteria = problem
    assume(matrix.shape[0] >= 2)
    result = rank_sites(matrix, criteria, method="promethee2")
    assert abs(float(result.scores.sum())) < 1e-9
    assert (np.abs(result.scores) <= 1 + 1e-12).all()
