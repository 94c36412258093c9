"""Siting engine: multi-criteria analysis of candidate sites for temporary housing.

Pure computation (no Django, no I/O, no settings, no clock). The public API:

* hard criteria: :func:`apply_exclusions` with :func:`standard_rules`, :func:`flag_rule`,
  :func:`minimum_rule`, :func:`maximum_rule` (every reason per excluded site);
* ranking: :func:`rank_sites` by weighted sum (WSM), TOPSIS or PROMETHEE II, with vector or
  min-max normalisation; :func:`competition_ranks` for ranks with the documented tie rule;
* weights: given directly (normalised to sum 1) or :func:`ahp_weights` from pairwise
  comparisons (principal eigenvector, Saaty's consistency ratio, CR > 0.1 refused);
* uncertainty: :func:`smaa` (SMAA-2 rank acceptabilities, central weights, confidence
  factors) with :func:`sample_weights`; :func:`rank_correlation` (Kendall's tau between
  named weight sets);
* :func:`choose_portfolio`: the cheapest (or best-scoring) set of sites that meets every
  target group's capacity within a budget and spread limits (a MIP solved by HiGHS);
* :func:`nearest_distances`: metres in RD New from sites (points or polygons, WGS84 or RD) to
  the nearest amenity per category; :func:`to_rd` and :func:`to_wgs84` transform geometries.

Invalid input raises :class:`SitingInputError` (an ``engines.errors.RecordInputError``) naming
the criterion, site or field, with a ``code`` from :data:`ERROR_CODES` and its ``params``. Methods,
conventions and the command-line contract are described in ``docs/engines/siting.md``.
"""

from onderdak.engines.siting.ahp import RANDOM_INDEX, ahp_weights
from onderdak.engines.siting.distance import (
    RD_NEW,
    WGS84,
    nearest_distances,
    to_rd,
    to_wgs84,
)
from onderdak.engines.siting.exclusions import (
    STANDARD_FLAGS,
    apply_exclusions,
    flag_rule,
    maximum_rule,
    minimum_rule,
    standard_rules,
)
from onderdak.engines.siting.methods import rank_sites
from onderdak.engines.siting.model import (
    ERROR_CODES,
    AhpWeights,
    Criterion,
    Direction,
    DistanceTable,
    ExclusionReason,
    ExclusionRule,
    Exclusions,
    Method,
    Normalization,
    Placement,
    Portfolio,
    PortfolioSite,
    Preference,
    PreferenceFunction,
    RankCorrelation,
    Ranking,
    SitingInputError,
    SmaaResult,
)
from onderdak.engines.siting.portfolio import choose_portfolio
from onderdak.engines.siting.ranking import SIGNIFICANT_DIGITS, competition_ranks
from onderdak.engines.siting.smaa import rank_correlation, sample_weights, smaa

__all__ = [
    "ERROR_CODES",
    "RANDOM_INDEX",
    "RD_NEW",
    "SIGNIFICANT_DIGITS",
    "STANDARD_FLAGS",
    "WGS84",
    "AhpWeights",
    "Criterion",
    "Direction",
    "DistanceTable",
    "ExclusionReason",
    "ExclusionRule",
    "Exclusions",
    "Method",
    "Normalization",
    "Placement",
    "Portfolio",
    "PortfolioSite",
    "Preference",
    "PreferenceFunction",
    "RankCorrelation",
    "Ranking",
    "SitingInputError",
    "SmaaResult",
    "ahp_weights",
    "apply_exclusions",
    "choose_portfolio",
    "competition_ranks",
    "flag_rule",
    "maximum_rule",
    "minimum_rule",
    "nearest_distances",
    "rank_correlation",
    "rank_sites",
    "sample_weights",
    "smaa",
    "standard_rules",
    "to_rd",
    "to_wgs84",
]
