"""Stochastic multicriteria acceptability analysis (SMAA-2) and rank correlation.

SMAA-2 (Lahdelma & Salminen, "SMAA-2: Stochastic multicriteria acceptability analysis for
group decision making", *Operations Research* 49 (2001) 444-454) asks which ranks each site
can get when the weights are uncertain. Weight vectors are sampled uniformly from the simplex
{w >= 0, sum w = 1} (a Dirichlet(1, ..., 1) sample: normalised standard exponentials), or from
the part of it allowed by

* per-criterion intervals lower_j <= w_j <= upper_j: lower bounds by the exact affine shift
  w = lower + (1 - sum lower) v with v uniform on the simplex, upper bounds by rejection (the
  sample stays uniform; a sampler that accepts less than 1 in 10,000 draws is refused), or
* an ordering of the criteria (most important first, groups of equally ranked criteria):
  each uniform sample is sorted and its values assigned in that order, within a group in a
  random order (uniform on the ordered region by symmetry; Lahdelma & Salminen 2001, s. 4).

For every sample the sites are ranked by the chosen method, vectorised over a chunk of samples
(a matrix product of the chunk's weights with a per-method basis: the oriented normalised
matrix for WSM, the single-criterion net flows for PROMETHEE II, the squared distances per
criterion for TOPSIS, whose closeness is sqrt(Q w^2) / (sqrt(P w^2) + sqrt(Q w^2))); chunks
bound the memory to about ``chunk_bytes``. Sites with identical rows tie in every sample and
share their ranks equally (each of k such sites gets 1/k of each of the k ranks); other ties
have probability zero. The result does not depend on ``workers`` or the chunk size.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from onderdak.engines.siting.methods import promethee, rank_sites, topsis_factors
from onderdak.engines.siting.model import (
    Criterion,
    FloatArray,
    IntArray,
    Method,
    Normalization,
    RankCorrelation,
    SitingInputError,
    SmaaResult,
    readonly,
)
from onderdak.engines.siting.normalise import normalise
from onderdak.engines.siting.ranking import tie_keys
from onderdak.engines.siting.validate import (
    Problem,
    WeightsLike,
    parse_method,
    parse_normalization,
    prepare,
)

#: Refuse interval samplers that accept fewer draws than this.
MIN_ACCEPTANCE = 1e-4
#: Default memory budget of one chunk of sample scores.
CHUNK_BYTES = 32 * 2**20

Ordering = Sequence[str | Sequence[str]]


# --------------------------------------------------------------------------------------------
# Public entry points (validate)
# --------------------------------------------------------------------------------------------


def smaa(
    matrix: npt.ArrayLike,
    criteria: Sequence[Criterion],
    *,
    samples: int,
    seed: int | np.random.Generator,
    sites: Sequence[str] | None = None,
    method: Method | str = Method.WSM,
    normalization: Normalization | str = Normalization.VECTOR,
    weight_bounds: Mapping[str, tuple[float, float]] | None = None,
    ordering: Ordering | None = None,
    max_rank: int | None = None,
    workers: int = 1,
    chunk_bytes: int = CHUNK_BYTES,
) -> SmaaResult:
    """Rank acceptability indices, central weights and confidence factors (SMAA-2).

    The criteria give names, directions and PROMETHEE preference functions; their weights are
    not used (the weights are what is sampled). ``weight_bounds`` maps criteria to (lower,
    upper) bounds on the normalised weight; ``ordering`` lists criteria (or groups of equally
    important criteria) from most to least important. ``max_rank`` keeps ranks 1..max_rank
    (default all). ``seed`` is an int or a ``numpy.random.Generator``; the same seed gives the
    same result.
    """
    chosen = parse_method(method)
    norm = parse_normalization(normalization)
    count = _positive_int(samples, "samples")
    workers = _positive_int(workers, "workers")
    chunk_bytes = _positive_int(chunk_bytes, "chunk_bytes")
    problem = prepare(matrix, criteria, sites, None, check_preferences=chosen is Method.PROMETHEE2)
    names = problem.names
    sites_count = len(problem.sites)
    ranks = sites_count if max_rank is None else _positive_int(max_rank, "max_rank")
    if ranks > sites_count:
        raise SitingInputError(
            f"must be at most the number of sites ({sites_count}), not {ranks}", field="max_rank"
        )
    lower, upper = _bounds(weight_bounds, names)
    groups = _ordering(ordering, names)
    generator = _generator(seed)
    weights = sample_weights(
        generator, count, len(names), lower=lower, upper=upper, ordering=groups
    )
    basis = Basis.build(problem, chosen, norm)
    counts, central_sum, first = _accumulate(basis, weights, ranks, workers, chunk_bytes)
    counts /= count  # in place: the matrix can be large (sites x ranks)
    acceptability = counts
    with np.errstate(invalid="ignore", divide="ignore"):
        central = central_sum / first[:, np.newaxis]
    central[first == 0] = np.nan
    confidence = _confidence(basis, central, first)
    return SmaaResult(
        method=chosen,
        normalization=None if chosen is Method.PROMETHEE2 else norm,
        sites=tuple(problem.sites),
        criteria=names,
        samples=count,
        acceptability=readonly(acceptability),
        central_weights=readonly(central),
        confidence=readonly(confidence),
        weight_mean=readonly(weights.mean(axis=0)),
    )


def rank_correlation(
    matrix: npt.ArrayLike,
    criteria: Sequence[Criterion],
    weight_sets: Mapping[str, WeightsLike],
    *,
    sites: Sequence[str] | None = None,
    method: Method | str = Method.WSM,
    normalization: Normalization | str = Normalization.VECTOR,
) -> RankCorrelation:
    """Kendall's tau-b between the rankings under each pair of named weight sets."""
    from scipy import stats as scipy_stats  # imported here: scipy.stats takes 1.5 s to load

    if len(weight_sets) < 2:
        raise SitingInputError("give at least two named weight sets", field="weight_sets")
    names = tuple(str(name) for name in weight_sets)
    rankings = tuple(
        rank_sites(
            matrix,
            criteria,
            sites=sites,
            method=method,
            normalization=normalization,
            weights=weights,
        )
        for weights in weight_sets.values()
    )
    size = len(names)
    tau = np.eye(size)
    p_value = np.zeros((size, size))
    for a in range(size):
        for b in range(a + 1, size):
            result = scipy_stats.kendalltau(rankings[a].scores, rankings[b].scores)
            tau[a, b] = tau[b, a] = float(result.statistic)
            p_value[a, b] = p_value[b, a] = float(result.pvalue)
    return RankCorrelation(
        names=names, rankings=rankings, tau=readonly(tau), p_value=readonly(p_value)
    )


def sample_weights(
    generator: np.random.Generator,
    count: int,
    criteria: int,
    *,
    lower: FloatArray | None = None,
    upper: FloatArray | None = None,
    ordering: Sequence[Sequence[int]] | None = None,
) -> FloatArray:
    """``count`` weight vectors uniform on the simplex, within bounds and/or an ordering.

    ``lower``/``upper`` bound each weight; ``ordering`` lists groups of criterion indices from
    most to least important (every criterion in exactly one group).
    """
    low = np.zeros(criteria) if lower is None else np.asarray(lower, dtype=np.float64)
    high = np.ones(criteria) if upper is None else np.asarray(upper, dtype=np.float64)
    shift = ordering is None and bool(low.any())
    free = 1.0 - float(low.sum()) if shift else 1.0
    bounded = bool((high < 1.0).any()) or (bool(low.any()) and not shift)
    parts: list[FloatArray] = []
    accepted = 0
    drawn = 0
    while accepted < count:
        batch = max(1024, 2 * (count - accepted)) if bounded else count - accepted
        draws = _simplex(generator, batch, criteria)
        if ordering is not None:
            draws = _order(generator, draws, ordering)
        if shift:
            draws = low + free * draws
        drawn += batch
        if bounded:
            keep = np.all((draws >= low) & (draws <= high), axis=1)
            draws = draws[keep]
            if drawn >= 100_000 and (accepted + draws.shape[0]) < MIN_ACCEPTANCE * drawn:
                raise SitingInputError(
                    f"the weight bounds leave too small a part of the simplex: "
                    f"{accepted + draws.shape[0]} of {drawn} uniform draws accepted; "
                    "widen the intervals",
                    code="weight_bounds_too_narrow",
                    field="weight_bounds",
                )
        parts.append(draws)
        accepted += draws.shape[0]
    result: FloatArray = np.concatenate(parts)[:count]
    return result


# --------------------------------------------------------------------------------------------
# Sampling helpers
# --------------------------------------------------------------------------------------------


def _simplex(generator: np.random.Generator, count: int, criteria: int) -> FloatArray:
    draws = generator.standard_exponential((count, criteria))
    draws /= draws.sum(axis=1, keepdims=True)
    return draws


def _order(
    generator: np.random.Generator, draws: FloatArray, ordering: Sequence[Sequence[int]]
) -> FloatArray:
    """Sorted samples assigned to the criteria in order; within a group in random order."""
    ordered = -np.sort(-draws, axis=1)
    result = np.empty_like(draws)
    position = 0
    for group in ordering:
        block = ordered[:, position : position + len(group)]
        if len(group) > 1:
            block = generator.permuted(block, axis=1)
        result[:, list(group)] = block
        position += len(group)
    return result


def _generator(seed: object) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or int(seed) < 0:
        raise SitingInputError(
            f"must be a whole number >= 0 or a numpy Generator, not {seed!r}", field="seed"
        )
    return np.random.default_rng(int(seed))


def _positive_int(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or int(value) < 1:
        raise SitingInputError(f"must be a whole number >= 1, not {value!r}", field=field)
    return int(value)


def _bounds(
    bounds: Mapping[str, tuple[float, float]] | None, names: tuple[str, ...]
) -> tuple[FloatArray | None, FloatArray | None]:
    if not bounds:
        return None, None
    lower = np.zeros(len(names))
    upper = np.ones(len(names))
    for name, pair in bounds.items():
        if name not in names:
            raise SitingInputError(
                "not one of the criteria", criterion=str(name), field="weight_bounds"
            )
        try:
            low, high = (float(v) for v in pair)
        except (TypeError, ValueError):
            raise SitingInputError(
                f"must be a pair (lower, upper), not {pair!r}",
                criterion=name,
                field="weight_bounds",
            ) from None
        if not (math.isfinite(low) and math.isfinite(high) and 0 <= low <= high <= 1):
            raise SitingInputError(
                f"need 0 <= lower <= upper <= 1, not ({low!r}, {high!r})",
                criterion=name,
                field="weight_bounds",
            )
        index = names.index(name)
        lower[index], upper[index] = low, high
    if lower.sum() > 1 + 1e-12:
        raise SitingInputError(
            f"the lower bounds sum to {lower.sum():g}, more than 1",
            code="lower_bounds_above_one",
            params={"total": float(lower.sum())},
            field="weight_bounds",
        )
    if upper.sum() < 1 - 1e-12:
        raise SitingInputError(
            f"the upper bounds sum to {upper.sum():g}, less than 1",
            code="upper_bounds_below_one",
            params={"total": float(upper.sum())},
            field="weight_bounds",
        )
    return lower, upper


def _ordering(ordering: Ordering | None, names: tuple[str, ...]) -> list[list[int]] | None:
    if ordering is None:
        return None
    groups: list[list[int]] = []
    seen: set[str] = set()
    for entry in ordering:
        members = [entry] if isinstance(entry, str) else list(entry)
        group = []
        for name in members:
            if name not in names:
                raise SitingInputError(
                    "not one of the criteria", criterion=str(name), field="ordering"
                )
            if name in seen:
                raise SitingInputError("listed twice", criterion=name, field="ordering")
            seen.add(name)
            group.append(names.index(name))
        if group:
            groups.append(group)
    missing = [name for name in names if name not in seen]
    if missing:
        raise SitingInputError("missing from the ordering", criterion=missing[0], field="ordering")
    return groups


# --------------------------------------------------------------------------------------------
# Scoring basis and accumulation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class Basis:
    """Per unique site row what the method needs to score any weight vector.

    ``linear``: scores = linear @ w (WSM, PROMETHEE II). TOPSIS: scores from ``plus @ w^2`` and
    ``minus @ w^2``. ``members`` lists the sites of each unique row, ``site_row`` the unique row
    of each site, ``sizes`` the group sizes.
    """

    method: Method
    linear: FloatArray | None
    plus: FloatArray | None
    minus: FloatArray | None
    site_row: IntArray
    sizes: IntArray
    first_member: IntArray
    groups: tuple[IntArray, ...]
    group_rows: IntArray

    @property
    def rows(self) -> int:
        return int(self.sizes.size)

    @classmethod
    def build(cls, problem: Problem, method: Method, normalization: Normalization) -> Basis:
        x, cost = problem.matrix, problem.cost
        if method is Method.TOPSIS:
            scale, ideal, anti = topsis_factors(x, cost, normalization, problem.stats)
            plus = ((x - ideal) * scale) ** 2
            minus = ((x - anti) * scale) ** 2
            rows, index = _unique_rows(np.hstack((plus, minus)))
            return cls._grouped(method, None, plus[rows], minus[rows], index)
        if method is Method.WSM:
            linear = normalise(x, cost, normalization, problem.stats)
        else:
            linear = promethee(x, cost, [c.preference for c in problem.criteria]).net
        rows, index = _unique_rows(linear)
        return cls._grouped(method, linear[rows], None, None, index)

    @classmethod
    def _grouped(
        cls,
        method: Method,
        linear: FloatArray | None,
        plus: FloatArray | None,
        minus: FloatArray | None,
        site_row: IntArray,
    ) -> Basis:
        sizes = np.bincount(site_row).astype(np.int64)
        first_member = np.full(sizes.size, -1, dtype=np.int64)
        first_member[site_row[::-1]] = np.arange(site_row.size - 1, -1, -1)
        multi = np.flatnonzero(sizes > 1)
        groups = tuple(np.flatnonzero(site_row == row).astype(np.int64) for row in multi.tolist())
        return cls(
            method=method,
            linear=linear,
            plus=plus,
            minus=minus,
            site_row=site_row,
            sizes=sizes,
            first_member=first_member,
            groups=groups,
            group_rows=multi.astype(np.int64),
        )

    def scores(self, weights: FloatArray) -> FloatArray:
        """Scores (samples x unique rows) for a block of weight vectors (samples x criteria)."""
        if self.linear is not None:
            result: FloatArray = weights @ self.linear.T
            return result
        assert self.plus is not None
        assert self.minus is not None
        squared = weights * weights
        plus = np.sqrt(squared @ self.plus.T)
        minus = np.sqrt(squared @ self.minus.T)
        total = plus + minus
        closeness: FloatArray = np.divide(
            minus, total, out=np.full_like(total, 0.5), where=total > 0
        )
        return closeness


def _unique_rows(values: FloatArray) -> tuple[IntArray, IntArray]:
    """(first index of each unique row, in order of first appearance; unique row per site)."""
    _, first, inverse = np.unique(values, axis=0, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return first[order].astype(np.int64), rank[inverse.ravel()].astype(np.int64)


def _chunks(total: int, rows: int, budget: int) -> Iterator[tuple[int, int]]:
    size = max(1, min(total, budget // max(1, 8 * rows * 3)))
    for start in range(0, total, size):
        yield start, min(start + size, total)


def _accumulate(
    basis: Basis, weights: FloatArray, ranks: int, workers: int, budget: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(rank counts sites x ranks, sum of weights when first, times first) over all samples.

    Worker threads score and sort chunks of samples; the calling thread adds them in sample
    order, with at most 2 x ``workers`` chunks in flight so that the memory stays bounded.
    """
    tally = _Tally(basis, weights, ranks)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[tuple[tuple[int, int], Future[IntArray]]] = deque()
        for bounds in _chunks(weights.shape[0], basis.rows, budget):
            pending.append((bounds, pool.submit(tally.start_ranks, bounds)))
            if len(pending) > 2 * workers:
                done, future = pending.popleft()
                tally.add(done, future.result())
        while pending:
            done, future = pending.popleft()
            tally.add(done, future.result())
    return tally.finish()


class _Tally:
    """Rank counts, central weight sums and first places, added chunk by chunk.

    Singleton rows count whole ranks per site; tied groups (identical rows) count whole ranks
    per group and are shared among their sites at the end, so every sum is exact or added in
    sample order and the result does not depend on the chunks.
    """

    def __init__(self, basis: Basis, weights: FloatArray, ranks: int) -> None:
        sites = basis.site_row.size
        criteria = weights.shape[1]
        self.basis = basis
        self.weights = weights
        self.ranks = ranks
        self.counts = np.zeros((sites, ranks))
        self.central = np.zeros((sites, criteria))
        self.first = np.zeros(sites)
        groups = len(basis.groups)
        self.group_counts = np.zeros((groups, ranks), dtype=np.int64)
        self.group_central = np.zeros((groups, criteria))
        self.group_first = np.zeros(groups, dtype=np.int64)
        self.group_of_row = np.full(basis.rows, -1, dtype=np.int64)
        self.group_of_row[basis.group_rows] = np.arange(groups)
        self.single_rows = np.flatnonzero(basis.sizes == 1)
        self.offsets = basis.first_member[self.single_rows] * ranks

    def start_ranks(self, bounds: tuple[int, int]) -> IntArray:
        """Per sample and unique row the 0-based first rank the row's sites take."""
        block = self.basis.scores(self.weights[bounds[0] : bounds[1]])
        np.negative(block, out=block)
        order = np.argsort(block, axis=1)
        result = np.empty_like(order)
        if self.single_rows.size == self.basis.rows:
            positions = np.broadcast_to(np.arange(order.shape[1]), order.shape)
        else:
            sized = self.basis.sizes[order]
            positions = np.cumsum(sized, axis=1) - sized
        np.put_along_axis(result, order, positions, axis=1)
        return result.astype(np.int64)

    def add(self, bounds: tuple[int, int], start: IntArray) -> None:
        """Add one chunk of samples (their first ranks per unique row)."""
        basis, ranks = self.basis, self.ranks
        flat = self.counts.reshape(-1)
        full = ranks == basis.site_row.size
        for sample_start in start[:, self.single_rows]:
            # (site, rank) pairs are distinct within one sample: plain fancy indexing
            if full:
                flat[self.offsets + sample_start] += 1.0
            else:
                keep = sample_start < ranks
                flat[self.offsets[keep] + sample_start[keep]] += 1.0
        for g, row in enumerate(basis.group_rows.tolist()):
            for step in range(int(basis.sizes[row])):
                rank = start[:, row] + step
                self.group_counts[g] += np.bincount(rank[rank < ranks], minlength=ranks)[:ranks]
        # first places: np.add.at adds in sample order
        block_weights = self.weights[bounds[0] : bounds[1]]
        leaders = np.argmin(start, axis=1)
        solo = basis.sizes[leaders] == 1
        leader_sites = basis.first_member[leaders[solo]]
        np.add.at(self.central, leader_sites, block_weights[solo])
        np.add.at(self.first, leader_sites, 1.0)
        if basis.groups:
            shared = self.group_of_row[leaders[~solo]]
            np.add.at(self.group_central, shared, block_weights[~solo])
            np.add.at(self.group_first, shared, 1)

    def finish(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        for g, members in enumerate(self.basis.groups):
            self.counts[members] = self.group_counts[g] / members.size
            self.central[members] = self.group_central[g] / members.size
            self.first[members] = self.group_first[g] / members.size
        return self.counts, self.central, self.first


def _confidence(basis: Basis, central: FloatArray, first: FloatArray) -> FloatArray:
    """Share of the first rank each site gets with its own central weight vector."""
    confidence = np.full(first.size, np.nan)
    for site in np.flatnonzero(first > 0).tolist():
        scores = basis.scores(central[site][np.newaxis, :])[0]
        keys = tie_keys(scores)
        best = keys == keys.max()
        row = int(basis.site_row[site])
        if best[row]:
            sharing = int(basis.sizes[best].sum())
            confidence[site] = 1.0 / sharing
        else:
            confidence[site] = 0.0
    return confidence
