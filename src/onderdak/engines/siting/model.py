"""Input and result types of the siting engine: frozen dataclasses, NumPy arrays read-only.

The siting engine compares candidate sites for temporary housing (flex homes, reception
locations) on several criteria at once: hard criteria exclude sites, weighted criteria rank the
rest, SMAA shows how robust a ranking is when the weights are uncertain, and a portfolio model
picks the set of sites that together meet the capacity targets. Every result carries the
figures needed to explain it (scores, distances to the ideal, flows, reasons, binding
constraints).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal, TypeAlias, TypeVar, overload

import numpy as np
import numpy.typing as npt

from onderdak.engines.errors import RecordInputError

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]


class SitingInputError(RecordInputError):
    """The input of a siting computation is invalid.

    ``criterion`` names the criterion, ``site`` the site and ``field`` the input field
    (``weight``, ``direction``, ``value``, ``q``, ...) when the problem is local to one of them.
    ``code`` (one of :data:`ERROR_CODES`) and ``params`` let an application say the same in its
    own language; ``str(error)`` is the English text (what the command line prints).
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid_input",
        params: Mapping[str, Any] | None = None,
        criterion: str | None = None,
        site: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.code = code
        self.params: dict[str, Any] = dict(params or {})
        self.criterion = criterion
        self.site = site
        self.field = field
        # RecordInputError's record: the site, else the criterion, else the input as a whole
        self.kind = (
            "site" if site is not None else "criterion" if criterion is not None else "input"
        )
        self.id = site if site is not None else criterion
        parts = []
        if field is not None:
            parts.append(field)
        if criterion is not None:
            parts.append(f"criterion '{criterion}'")
        if site is not None:
            parts.append(f"site '{site}'")
        where = ", ".join(parts)
        ValueError.__init__(self, f"{where}: {message}" if where else message)


#: The codes of :class:`SitingInputError` an application can meet with valid-looking data; every
#: other invalid input is ``invalid_input`` (a programming error in the caller).
ERROR_CODES = (
    "invalid_input",
    "too_few_sites",  # params: count
    "all_weights_zero",
    "weight_bounds_too_narrow",
    "lower_bounds_above_one",  # params: total
    "upper_bounds_below_one",  # params: total
    "spread_needs_neighbourhood",  # params: site
    "solver_failed",  # params: status
)


class SiteIds(Sequence[str]):
    """The default site ids "0", "1", ..., "n-1", made on demand (no million strings up front)."""

    __slots__ = ("_count",)

    def __init__(self, count: int) -> None:
        self._count = count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [str(i) for i in range(self._count)[index]]
        return str(range(self._count)[index])

    def __iter__(self) -> Iterator[str]:
        return (str(i) for i in range(self._count))

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and self._position(value) is not None

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        position = self._position(value) if isinstance(value, str) else None
        end = self._count if stop is None else stop
        if position is None or not start <= position < end:
            raise ValueError(f"{value!r} is not a site id")
        return position

    def _position(self, value: str) -> int | None:
        if not value.isdigit() or (len(value) > 1 and value[0] == "0"):
            return None
        number = int(value)
        return number if number < self._count else None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SiteIds):
            return self._count == other._count
        if isinstance(other, tuple | list):
            return list(self) == list(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("SiteIds", self._count))

    def __repr__(self) -> str:
        return f"SiteIds({self._count})"


class Direction(StrEnum):
    """Whether more is better (``benefit``: capacity, years available) or worse (``cost``:
    price, distance to the school)."""

    BENEFIT = "benefit"
    COST = "cost"


class Method(StrEnum):
    """Aggregation methods.

    ``WSM``: weighted sum of normalised values (Fishburn 1967). ``TOPSIS``: closeness to the
    ideal site (Hwang & Yoon 1981). ``PROMETHEE2``: net outranking flow (Brans & Vincke 1985).
    """

    WSM = "wsm"
    TOPSIS = "topsis"
    PROMETHEE2 = "promethee2"


class Normalization(StrEnum):
    """Column normalisation for WSM and TOPSIS (PROMETHEE II works on the raw values).

    ``VECTOR``: x / ||x||_2 per criterion; ``MINMAX``: (x - min) / (max - min).
    """

    VECTOR = "vector"
    MINMAX = "minmax"


class PreferenceFunction(StrEnum):
    """The six generalised criteria of PROMETHEE (Brans & Vincke 1985, types I-VI).

    For a difference d = g(a) - g(b) (benefit criterion):

    * ``USUAL`` (I): 1 if d > 0;
    * ``U_SHAPE`` (II, quasi-criterion): 1 if d > q;
    * ``V_SHAPE`` (III): d / p between 0 and p, 1 above p;
    * ``LEVEL`` (IV): 1/2 if q < d <= p, 1 above p;
    * ``LINEAR`` (V, V-shape with indifference): (d - q) / (p - q) if q < d <= p, 1 above p;
    * ``GAUSSIAN`` (VI): 1 - exp(-d^2 / (2 s^2)) if d > 0.

    All are 0 for d <= 0 (and for d <= q where q applies).
    """

    USUAL = "usual"
    U_SHAPE = "u-shape"
    V_SHAPE = "v-shape"
    LEVEL = "level"
    LINEAR = "linear"
    GAUSSIAN = "gaussian"


@dataclass(frozen=True, slots=True)
class Preference:
    """A PROMETHEE preference function with its thresholds, in the criterion's own unit.

    ``q`` is the indifference threshold (``U_SHAPE``, ``LEVEL``, ``LINEAR``), ``p`` the
    preference threshold (``V_SHAPE``, ``LEVEL``, ``LINEAR``) and ``s`` the Gaussian parameter.
    Thresholds a function does not use are ignored.
    """

    function: PreferenceFunction = PreferenceFunction.USUAL
    q: float = 0.0
    p: float = 0.0
    s: float = 0.0


@dataclass(frozen=True, slots=True)
class Criterion:
    """A weighted criterion: its name, direction, weight (any scale; normalised to sum 1 over
    the criteria) and, for PROMETHEE II, its preference function."""

    name: str
    direction: Direction = Direction.BENEFIT
    weight: float = 1.0
    preference: Preference = Preference()


@dataclass(frozen=True, slots=True, eq=False)
class Ranking:
    """Result of :func:`onderdak.engines.siting.rank_sites`; arrays read-only, in input order.

    ``scores`` are the method's scores (WSM: weighted sum in [0, 1]; TOPSIS: closeness
    coefficient in [0, 1]; PROMETHEE II: net flow in [-1, 1]); higher is better.
    ``weights`` are the criterion weights normalised to sum 1.

    Explanations per site: ``contributions`` (sites x criteria) is each criterion's part of the
    score for WSM (w_j r_ij) and PROMETHEE II (w_j phi_j(a), the weighted single-criterion net
    flows); for TOPSIS ``distance_to_ideal`` and ``distance_to_anti_ideal`` (weighted Euclidean)
    and ``ideal`` / ``anti_ideal`` (per criterion, in the criterion's own unit); for PROMETHEE II
    also ``positive_flow`` and ``negative_flow``. Attributes a method does not produce are
    ``None``.
    """

    method: Method
    #: ``None`` for PROMETHEE II (it uses the raw values).
    normalization: Normalization | None
    #: Site ids in input order (a tuple, or :class:`SiteIds` for the default "0".."n-1").
    sites: Sequence[str]
    criteria: tuple[Criterion, ...]
    weights: FloatArray
    scores: FloatArray
    contributions: FloatArray | None = None
    distance_to_ideal: FloatArray | None = None
    distance_to_anti_ideal: FloatArray | None = None
    ideal: FloatArray | None = None
    anti_ideal: FloatArray | None = None
    positive_flow: FloatArray | None = None
    negative_flow: FloatArray | None = None

    def ranks(self) -> IntArray:
        """Competition ranks ("1, 2, 2, 4"), rank 1 best, in input order; equal means equal
        when rounded to 12 significant digits (see :func:`competition_ranks`)."""
        from onderdak.engines.siting.ranking import competition_ranks

        return competition_ranks(self.scores)

    def order(self) -> IntArray:
        """Site indices from best to worst; ties (12 significant digits) in input order."""
        from onderdak.engines.siting.ranking import best_first

        return best_first(self.scores)

    def top(self, count: int) -> tuple[str, ...]:
        """The ids of the ``count`` best sites, best first."""
        return tuple(self.sites[i] for i in self.order()[:count].tolist())

    def score_of(self, site: str) -> float:
        """The score of the site with this id; ``KeyError`` when unknown."""
        try:
            return float(self.scores[self.sites.index(site)])
        except ValueError:
            raise KeyError(site) from None

    def as_dict(self) -> dict[str, float]:
        """site id -> score, in input order."""
        return dict(zip(self.sites, self.scores.tolist(), strict=True))


@dataclass(frozen=True, slots=True, eq=False)
class AhpWeights:
    """Criterion weights from a pairwise comparison matrix (Saaty's AHP).

    ``weights`` is the principal right eigenvector normalised to sum 1; ``lambda_max`` its
    eigenvalue; ``consistency_index`` CI = (lambda_max - n) / (n - 1); ``random_index`` Saaty's
    RI for n; ``consistency_ratio`` CR = CI / RI (0 for n <= 2, always consistent).
    """

    criteria: tuple[str, ...]
    matrix: FloatArray
    weights: FloatArray
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float

    def as_dict(self) -> dict[str, float]:
        """criterion -> weight."""
        return dict(zip(self.criteria, self.weights.tolist(), strict=True))


@dataclass(frozen=True, slots=True, eq=False)
class SmaaResult:
    """Result of :func:`onderdak.engines.siting.smaa` (SMAA-2, Lahdelma & Salminen 2001).

    ``acceptability[i, r]`` is the rank acceptability index b_i^(r+1): the share of the weight
    samples in which site i gets rank r + 1 (sites x ranks, ranks 1..``max_rank``). Every row
    sums to 1 when all ranks are kept and every column sums to 1. ``central_weights[i]`` is the
    mean weight vector of the samples that put site i first (NaN when it is never first);
    ``confidence[i]`` the confidence factor: the share of rank 1 that site i gets with its own
    central weights (0 or 1, 1/k when k identical sites share the first place; NaN when never
    first). ``weight_mean`` is the mean of the sampled weights (a check on the sampler).
    """

    method: Method
    normalization: Normalization | None
    sites: tuple[str, ...]
    criteria: tuple[str, ...]
    samples: int
    acceptability: FloatArray
    central_weights: FloatArray
    confidence: FloatArray
    weight_mean: FloatArray

    @property
    def max_rank(self) -> int:
        return int(self.acceptability.shape[1])

    def shortlist_probability(self, size: int) -> FloatArray:
        """Per site the probability of ranking among the best ``size`` (sum of b^1..b^size)."""
        if not 1 <= size <= self.max_rank:
            raise SitingInputError(
                f"must be between 1 and {self.max_rank}, not {size}", field="shortlist size"
            )
        result: FloatArray = self.acceptability[:, :size].sum(axis=1)
        return result

    def holistic(self, meta_weights: FloatArray | None = None) -> FloatArray:
        """Holistic acceptability sum_r alpha_r b_i^r (Lahdelma & Salminen 2001); default
        meta-weights alpha_r = (m - r) / (m - 1) with m = ``max_rank`` (linear, alpha_1 = 1)."""
        ranks = self.max_rank
        if meta_weights is None:
            alpha = np.linspace(1.0, 0.0, ranks) if ranks > 1 else np.ones(1, dtype=np.float64)
        else:
            alpha = np.asarray(meta_weights, dtype=np.float64)
            if alpha.shape != (ranks,):
                raise SitingInputError(f"need {ranks} meta-weights", field="meta_weights")
        result: FloatArray = self.acceptability @ alpha
        return result


@dataclass(frozen=True, slots=True, eq=False)
class RankCorrelation:
    """Kendall's tau-b between the rankings of the same sites under named weight sets.

    ``tau[a, b]`` and ``p_value[a, b]`` compare weight sets ``names[a]`` and ``names[b]``
    (scipy.stats.kendalltau on the scores; 1 on the diagonal).
    """

    names: tuple[str, ...]
    rankings: tuple[Ranking, ...]
    tau: FloatArray
    p_value: FloatArray


# --------------------------------------------------------------------------------------------
# Exclusions (hard criteria)
# --------------------------------------------------------------------------------------------

RuleKind: TypeAlias = Literal["flag", "minimum", "maximum"]


@dataclass(frozen=True, slots=True)
class ExclusionRule:
    """A hard criterion on one site fact.

    ``flag``: exclude when the fact is true (flood risk zone, Natura 2000, zoning conflict,
    soil contamination); ``minimum``: exclude when the value is below ``limit`` (area, years
    available); ``maximum``: exclude when the value is above ``limit`` (noise in dB Lden).
    """

    name: str
    kind: RuleKind
    fact: str
    limit: float | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class ExclusionReason:
    """Why one rule excludes one site: the rule, the site's value and the limit."""

    rule: str
    fact: str
    value: float | bool
    limit: float | None
    message: str


@dataclass(frozen=True, slots=True, eq=False)
class Exclusions:
    """Result of :func:`onderdak.engines.siting.apply_exclusions`.

    ``excluded[i]`` is true when at least one rule excludes site i; ``reasons[i]`` lists every
    rule that does (in rule order), ``unknown[i]`` the rules that could not be checked because
    the fact is missing for site i (such a site is not excluded by that rule).
    """

    sites: tuple[str, ...]
    rules: tuple[ExclusionRule, ...]
    excluded: BoolArray
    reasons: tuple[tuple[ExclusionReason, ...], ...]
    unknown: tuple[tuple[str, ...], ...]

    @property
    def kept(self) -> tuple[str, ...]:
        """Ids of the sites no rule excludes, in input order."""
        return tuple(
            s for s, out in zip(self.sites, self.excluded.tolist(), strict=True) if not out
        )

    @property
    def removed(self) -> tuple[str, ...]:
        """Ids of the excluded sites, in input order."""
        return tuple(s for s, out in zip(self.sites, self.excluded.tolist(), strict=True) if out)

    def reasons_for(self, site: str) -> tuple[ExclusionReason, ...]:
        """All reasons that exclude this site (empty when kept); ``KeyError`` when unknown."""
        try:
            return self.reasons[self.sites.index(site)]
        except ValueError:
            raise KeyError(site) from None

    def counts(self) -> dict[str, int]:
        """rule name -> number of sites it excludes (a site can count for several rules)."""
        result = {rule.name: 0 for rule in self.rules}
        for reasons in self.reasons:
            for reason in reasons:
                result[reason.rule] += 1
        return result


# --------------------------------------------------------------------------------------------
# Portfolio
# --------------------------------------------------------------------------------------------

PortfolioStatus: TypeAlias = Literal["optimal", "infeasible"]
Objective: TypeAlias = Literal["min_cost", "max_score"]


@dataclass(frozen=True, slots=True)
class PortfolioSite:
    """A candidate site for the portfolio: capacity in places, cost in euros (exact, cents),
    score (e.g. from :func:`rank_sites`; used by ``max_score``), neighbourhood (for spread
    limits) and the target groups it may house (``None``: every group)."""

    id: str
    capacity: int
    cost: Decimal
    score: float = 0.0
    neighbourhood: str | None = None
    groups: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Placement:
    """Places of one target group at one chosen site."""

    site: str
    group: str
    places: int


@dataclass(frozen=True, slots=True, eq=False)
class Portfolio:
    """Result of :func:`onderdak.engines.siting.choose_portfolio`.

    ``status`` is ``"optimal"`` (proven optimal, relative gap 0) or ``"infeasible"`` with a
    ``reason`` naming what cannot be met (a target group's capacity, the spread limits, or the
    budget, with the cheapest cost that would meet the targets). ``binding`` names the
    constraints that hold with equality at the optimum (``budget``, ``target:<group>``,
    ``sites:<neighbourhood>``, ``places:<neighbourhood>``).
    """

    status: PortfolioStatus
    objective: Objective
    selected: tuple[str, ...]
    placements: tuple[Placement, ...]
    places_by_group: dict[str, int]
    capacity: int
    total_cost: Decimal
    total_score: float
    budget: Decimal | None
    binding: tuple[str, ...]
    reason: str | None
    #: For an infeasible budget: the cost of the cheapest selection that meets the targets.
    cheapest_cost: Decimal | None = None
    #: ``reason`` as a code for translation: ``group_capacity`` (group, target, offered),
    #: ``groups_capacity`` (groups, target, offered), ``capacity``, ``spread`` (max_sites,
    #: max_places) or ``budget`` (budget, cheapest); ``None`` when feasible.
    reason_code: str | None = None
    reason_params: Mapping[str, Any] | None = None

    @property
    def feasible(self) -> bool:
        return self.status == "optimal"


# --------------------------------------------------------------------------------------------
# Distances
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class DistanceTable:
    """Result of :func:`onderdak.engines.siting.nearest_distances`.

    ``distances[i, k]`` is the distance in metres (RD New, EPSG:28992) from site i (point or
    polygon; 0 when the amenity lies inside it) to the nearest amenity of category k; ``inf``
    when none lies within ``max_distance``. ``nearest[i, k]`` is that amenity's index in its
    category (-1 when none).
    """

    sites: tuple[str, ...]
    categories: tuple[str, ...]
    distances: FloatArray
    nearest: IntArray

    def column(self, category: str) -> FloatArray:
        """Distances of all sites to the nearest amenity of ``category``."""
        try:
            index = self.categories.index(category)
        except ValueError:
            raise KeyError(category) from None
        result: FloatArray = self.distances[:, index]
        return result


ArrayT = TypeVar("ArrayT", bound="np.ndarray[Any, Any]")


def readonly(array: ArrayT) -> ArrayT:
    """Mark an array read-only (results are immutable) and return it."""
    array.flags.writeable = False
    return array
