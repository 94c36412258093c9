"""ORM <-> siting engine: the decision matrix of an organisation's sites, exclusions, rankings,
uncertainty, weight-set comparison and the portfolio. No writes here."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from onderdak.common.geometry import usable_shape
from onderdak.common.memo import Memo, array_key

from . import catalogue
from .models import Amenity, Criterion, Site, Stage, WeightSet

if TYPE_CHECKING:
    import numpy as np

    from onderdak.engines import siting

#: Stages whose sites count as reception already there (for the concentration criterion).
OCCUPIED = (Stage.REALISATION, Stage.IN_USE)
CONCENTRATION_RADIUS_M = 1000.0
#: Stages that take part in a ranking (rejected and closed sites do not).
RANKED_STAGES = (Stage.LONGLIST, Stage.SHORTLIST, Stage.FEASIBILITY, Stage.DECISION)
#: SMAA results of this process, keyed by every input of the engine call (issue 11: the
#: ranking page ran 2,000 weight samples on every request; the same inputs, the same result).
SMAA_RESULTS: Memo[siting.SmaaResult] = Memo("smaa", entries=64)


@dataclass
class Matrix:
    """The organisation's candidate sites on its active weighted criteria."""

    sites: list[Site]
    criteria: list[Criterion]
    values: np.ndarray[Any, Any]  # sites x criteria, NaN where unknown
    exclusions: dict[int, list[str]] = field(default_factory=dict)  # site pk -> reasons
    incomplete: dict[int, list[str]] = field(default_factory=dict)  # site pk -> missing criteria

    @property
    def eligible(self) -> list[int]:
        """Row indices of sites that are neither excluded nor incomplete."""
        return [
            i
            for i, s in enumerate(self.sites)
            if s.pk not in self.exclusions and s.pk not in self.incomplete
        ]


def _years(site: Site, today: date) -> float | None:
    if site.available_until is None:
        return None
    start = max(today, site.available_from or today)
    return max(0.0, (site.available_until - start).days / 365.25)


def _point(site: Site) -> tuple[float, float] | None:
    """The site's centroid (WGS84), ``None`` for a stored geometry that is not usable."""
    geometry = usable_shape(site.geometry)
    if geometry is None:
        return None
    centroid = geometry.centroid
    return (float(centroid.x), float(centroid.y))


def build_matrix(
    *, organisation: Any, sites: Sequence[Site], criteria: Sequence[Criterion], today: date
) -> Matrix:
    """Compute every criterion per site and apply the organisation's hard criteria."""
    import numpy as np

    from onderdak.engines import siting

    candidates = [s for s in sites if s.stage in RANKED_STAGES]
    weighted = [c for c in criteria if c.kind == "weighted" and c.active]
    hard = [c for c in criteria if c.kind == "hard" and c.active]
    values = np.full((len(candidates), len(weighted)), np.nan)
    if not candidates:
        return Matrix(candidates, weighted, values)
    # a stored geometry that is not usable leaves the site unranked ("location" missing)
    centroids = [_point(s) for s in candidates]
    located = {i: k for k, i in enumerate(i for i, p in enumerate(centroids) if p is not None)}
    points = np.array([p for p in centroids if p is not None]).reshape(-1, 2)
    amenities: dict[str, list[tuple[float, float]]] = {}
    for amenity in Amenity.objects.filter(organisation=organisation):
        amenities.setdefault(amenity.kind, []).append((amenity.longitude, amenity.latitude))
    wanted = {catalogue.DISTANCES[c.key] for c in weighted if c.key in catalogue.DISTANCES}
    present = {k: np.array(v) for k, v in amenities.items() if k in wanted and v}
    table = siting.nearest_distances(points, present) if present and located else None
    occupied_points = [
        (s, p)
        for s in sites
        if s.stage in OCCUPIED and s.capacity_places and (p := _point(s)) is not None
    ]
    occupied = [s for s, _ in occupied_points]
    occupied_rd = (
        siting.to_rd(np.array([p for _, p in occupied_points]), siting.WGS84) if occupied else None
    )
    candidate_rd = siting.to_rd(points, siting.WGS84) if located else None
    for i, site in enumerate(candidates):
        if i not in located:
            continue
        for j, criterion in enumerate(weighted):
            values[i, j] = _value(
                site, criterion.key, today, table, located[i], occupied, occupied_rd, candidate_rd
            )
    matrix = Matrix(candidates, weighted, values)
    for i, site in enumerate(candidates):
        missing = [c.label for j, c in enumerate(weighted) if math.isnan(values[i, j])]
        if i not in located:
            missing.insert(0, _("a valid location (geometry)"))
        if missing:
            matrix.incomplete[site.pk] = missing
        reasons = _exclusion_reasons(site, hard, today)
        if reasons:
            matrix.exclusions[site.pk] = reasons
    return matrix


def _cost_per_place(site: Site) -> float:
    if site.cost_one_off is None or not site.capacity_places:
        return math.nan
    return float(site.cost_one_off) / site.capacity_places


def _optional(value: Any) -> float:
    return math.nan if value is None else float(value)


#: Criteria read straight from the site (the distances and concentration need the others).
_SITE_VALUES = {
    "size": lambda site, today: _optional(site.plot_area_m2),
    "years_available": lambda site, today: _optional(_years(site, today)),
    "cost_per_place": lambda site, today: _cost_per_place(site),
    "municipal_ownership": lambda site, today: 1.0 if site.owner == "municipality" else 0.0,
    "local_support": lambda site, today: _optional(site.local_support),
}


def _value(
    site: Site,
    key: str,
    today: date,
    table: Any,
    row: int,
    occupied: list[Site],
    occupied_rd: Any,
    candidate_rd: Any,
) -> float:
    if key in _SITE_VALUES:
        return float(_SITE_VALUES[key](site, today))
    if key in catalogue.DISTANCES:
        kind = catalogue.DISTANCES[key]
        if table is None or kind not in table.categories:
            return math.nan
        return float(table.column(kind)[row])
    if key == "concentration":
        return float(
            sum(
                other.capacity_places or 0
                for k, other in enumerate(occupied)
                if other.pk != site.pk
                and candidate_rd[row].distance(occupied_rd[k]) <= CONCENTRATION_RADIUS_M
            )
        )
    return math.nan


def _exclusion_reasons(site: Site, hard: Sequence[Criterion], today: date) -> list[str]:
    """Every active hard criterion that excludes the site, via the engine's rules."""
    from onderdak.engines import siting

    rules = []
    facts: dict[str, list[Any]] = {}
    labels: dict[str, str] = {}
    for criterion in hard:
        if criterion.key in catalogue.FLAGS:
            rules.append(siting.flag_rule(criterion.key))
            facts[criterion.key] = [bool(getattr(site, criterion.key))]
            labels[criterion.key] = criterion.label
        elif criterion.key == "min_size" and criterion.threshold is not None:
            rules.append(siting.minimum_rule("area_m2", criterion.threshold, name="min_size"))
            facts["area_m2"] = [site.plot_area_m2]
            labels["min_size"] = criterion.label
        elif criterion.key == "min_years" and criterion.threshold is not None:
            rules.append(
                siting.minimum_rule("years_available", criterion.threshold, name="min_years")
            )
            facts["years_available"] = [_years(site, today)]
            labels["min_years"] = criterion.label
    if not rules:
        return []
    result = siting.apply_exclusions(facts, rules, sites=[str(site.pk)])
    reasons = []
    for reason in result.reasons[0]:
        text = labels.get(reason.rule, reason.rule)
        if reason.limit is not None:
            text += f" ({_number(reason.value)} < {_number(reason.limit)})"
        reasons.append(text)
    return reasons


def _number(value: Any) -> str:
    """Round down, so that a value just below a minimum never prints as the minimum; in the
    reader's number format (4,24 in Dutch)."""
    number = float(value)
    if number.is_integer() or abs(number) >= 100:
        return number_format(math.floor(number), force_grouping=True)
    return number_format(math.floor(number * 100) / 100, decimal_pos=2)


def engine_criteria(
    matrix: Matrix, weights: dict[str, float] | None = None
) -> list[siting.Criterion]:
    """The engine's criteria; without ``weights`` all weigh 1 (for SMAA and the comparison the
    weights come from elsewhere)."""
    from onderdak.engines import siting

    return [
        siting.Criterion(
            name=c.key,
            direction=siting.Direction(c.direction),
            weight=1.0 if weights is None else float(weights.get(c.key, 0.0)),
        )
        for c in matrix.criteria
    ]


def weights_of(weight_set: WeightSet | None) -> dict[str, float]:
    if weight_set is None:
        return {}
    return {w.criterion.key: w.weight for w in weight_set.weights.all()}


@dataclass(frozen=True)
class RankedSite:
    site: Site
    score: float
    rank: int
    values: tuple[float, ...]
    contributions: tuple[float, ...] | None


def rank(
    matrix: Matrix, weights: dict[str, float], *, method: str, normalization: str
) -> list[RankedSite]:
    """Rank the eligible sites; raises ``SitingInputError`` (e.g. all weights zero)."""
    from onderdak.engines import siting

    rows = matrix.eligible
    if len(rows) < 2:
        raise siting.SitingInputError(
            "at least two sites without exclusions and missing values are needed",
            code="too_few_sites",
            params={"count": len(rows)},
            field="sites",
        )
    result = siting.rank_sites(
        matrix.values[rows],
        engine_criteria(matrix, weights),
        sites=[str(matrix.sites[i].pk) for i in rows],
        method=method,
        normalization=normalization,
    )
    ranks = result.ranks().tolist()
    ranked = [
        RankedSite(
            site=matrix.sites[i],
            score=float(result.scores[k]),
            rank=int(ranks[k]),
            values=tuple(float(v) for v in matrix.values[i]),
            contributions=tuple(float(v) for v in result.contributions[k])
            if result.contributions is not None
            else None,
        )
        for k, i in enumerate(rows)
    ]
    return sorted(ranked, key=lambda r: (r.rank, r.site.name))


def uncertainty(
    matrix: Matrix,
    weight_set: WeightSet | None,
    *,
    method: str,
    normalization: str,
    samples: int,
    seed: int,
) -> siting.SmaaResult:
    """SMAA-2 with the weight set's plausible ranges as bounds (normalised), else uniform."""
    from onderdak.engines import siting

    rows = matrix.eligible
    bounds: dict[str, tuple[float, float]] = {}
    if weight_set is not None:
        entries = list(weight_set.weights.all())
        total = sum(w.weight for w in entries) or 1.0
        for w in entries:
            if w.low is not None or w.high is not None:
                bounds[w.criterion.key] = (
                    (w.low or 0.0) / total,
                    (w.high if w.high is not None else total) / total,
                )
    values = matrix.values[rows]
    criteria = engine_criteria(matrix)
    sites = [str(matrix.sites[i].pk) for i in rows]
    keys = {c.key for c in matrix.criteria}
    weight_bounds = {k: v for k, v in bounds.items() if k in keys} or None
    key = (
        array_key(values),
        tuple(criteria),
        tuple(sites),
        samples,
        seed,
        method,
        normalization,
        tuple(sorted(weight_bounds.items())) if weight_bounds else None,
    )
    return SMAA_RESULTS.get_or_compute(
        key,
        lambda: siting.smaa(
            values,
            criteria,
            samples=samples,
            seed=seed,
            sites=sites,
            method=method,
            normalization=normalization,
            weight_bounds=weight_bounds,
        ),
    )


def compare(
    matrix: Matrix, weight_sets: Sequence[WeightSet], *, method: str, normalization: str
) -> siting.RankCorrelation:
    from onderdak.engines import siting

    rows = matrix.eligible
    return siting.rank_correlation(
        matrix.values[rows],
        engine_criteria(matrix),
        {ws.name: [weights_of(ws).get(c.key, 0.0) for c in matrix.criteria] for ws in weight_sets},
        sites=[str(matrix.sites[i].pk) for i in rows],
        method=method,
        normalization=normalization,
    )


def portfolio(
    ranked: Sequence[RankedSite],
    targets: dict[str, int],
    *,
    budget: Decimal | None,
    objective: str,
    max_sites_per_neighbourhood: int | None,
) -> siting.Portfolio:
    from onderdak.engines import siting

    candidates = [
        siting.PortfolioSite(
            id=str(r.site.pk),
            capacity=r.site.capacity_places or 0,
            cost=(r.site.cost_one_off or Decimal(0)).quantize(Decimal("0.01")),
            score=r.score,
            neighbourhood=r.site.neighbourhood or None,
            groups=frozenset(r.site.target_groups) if r.site.target_groups else None,
        )
        for r in ranked
    ]
    return siting.choose_portfolio(
        candidates,
        targets,
        budget=budget,
        objective=objective,  # type: ignore[arg-type]
        max_sites_per_neighbourhood=max_sites_per_neighbourhood,
    )
