"""Reads for sites, limited to what the user may see (accounts.selectors.scope).

:func:`ranking` is the one read model of a ranking: the ranking page, the portfolio page, both
council reports and the rankings API render the :class:`Analysis` it returns. Nothing here
writes: the standard criteria an organisation has not stored yet are shown as unsaved defaults
(:func:`criteria_of`); they are stored by the first write that needs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from onderdak.apps.accounts.selectors import primary_organisation, scope

from . import adapters, catalogue
from .messages import siting_error
from .models import Amenity, Criterion, Site, StageChange, WeightSet

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation
    from onderdak.engines import siting


def site_list(*, user: Any) -> QuerySet[Site]:
    return scope(Site.objects.select_related("organisation"), user)


def site_get(*, user: Any, pk: int) -> Site:
    return site_list(user=user).get(pk=pk)


def site_organisations(*, user: Any) -> list[Organisation]:
    """The organisations whose sites the user sees (their own; for a regional coordinator the
    member municipalities that share sites), by name."""
    found = {site.organisation_id: site.organisation for site in site_list(user=user)}
    return sorted(found.values(), key=lambda o: o.name)


def ranked_organisation(*, user: Any, asked: str = "") -> Organisation | None:
    """The organisation whose sites a ranking covers: ``asked`` (an id among
    :func:`site_organisations` or the user's own; else ``LookupError``), otherwise the user's
    own organisation, or, for a regional coordinator whose own organisation has no sites, the
    first member municipality that shares sites."""
    own = primary_organisation(user)
    visible = site_organisations(user=user)
    if asked:
        chosen = next((o for o in [*visible, own] if o is not None and str(o.pk) == asked), None)
        if chosen is None:
            raise LookupError(asked)
        return chosen
    if own is not None and (own in visible or not visible):
        return own
    return visible[0] if visible else own


def stage_history(*, site: Site) -> QuerySet[StageChange]:
    return site.stage_changes.select_related("user")


def amenity_list(*, user: Any, organisation: Organisation) -> QuerySet[Amenity]:
    return scope(Amenity.objects.filter(organisation=organisation), user)


def criteria_of(*, organisation: Organisation) -> list[Criterion]:
    """The organisation's criteria: the stored ones, and the standard catalogue's defaults for
    keys it has not stored yet (unsaved, without a primary key). Ordered by kind and order."""
    existing = {c.key: c for c in Criterion.objects.filter(organisation=organisation)}
    for order, spec in enumerate(catalogue.ALL):
        if spec.key not in existing:
            existing[spec.key] = Criterion(
                organisation=organisation,
                key=spec.key,
                label=str(spec.label),
                kind=spec.kind,
                direction=spec.direction,
                threshold=spec.threshold,
                order=order,
            )
    return sorted(existing.values(), key=lambda c: (c.kind, c.order))


def weight_sets(*, user: Any, organisation: Organisation) -> QuerySet[WeightSet]:
    return scope(WeightSet.objects.filter(organisation=organisation), user).prefetch_related(
        "weights__criterion"
    )


def stage_counts(*, sites: QuerySet[Site]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for stage in sites.values_list("stage", flat=True):
        counts[stage] = counts.get(stage, 0) + 1
    return counts


# --- the ranking read model ------------------------------------------------------------------

METHODS = ("topsis", "wsm", "promethee2")
NORMALIZATIONS = ("vector", "minmax")
SMAA_SAMPLES = 2000
SMAA_SEED = 2026


@dataclass(frozen=True)
class RankingQuery:
    """What to rank: a weight set (``None``: the first), weights that override it, the method,
    normalisation and shortlist size; the uncertainty and the comparison are optional (the API
    leaves them out)."""

    weight_set: str | None = None
    weights: Mapping[str, float] = field(default_factory=dict)
    method: str = "topsis"
    normalization: str = "vector"
    shortlist_size: int = 5
    uncertainty: bool = True
    comparison: bool = True


@dataclass
class Analysis:
    """Everything the ranking page, the portfolio, the council reports and the API show."""

    organisation: Organisation
    matrix: adapters.Matrix
    weight_set: WeightSet | None
    weights: dict[str, float]
    method: str
    normalization: str
    shortlist_size: int
    weight_sets: list[WeightSet] = field(default_factory=list)
    #: a weight set was asked for that the user may not see or that does not exist
    weight_set_missing: bool = False
    ranked: list[adapters.RankedSite] = field(default_factory=list)
    smaa: siting.SmaaResult | None = None
    shortlist_probability: dict[int, float] = field(default_factory=dict)
    comparison: siting.RankCorrelation | None = None
    comparison_ranks: list[tuple[Site, list[int]]] = field(default_factory=list)
    #: why no ranking was possible (translated), and the engine's error behind it
    error: str = ""
    error_field: str | None = None

    @property
    def excluded(self) -> list[tuple[Site, list[str]]]:
        return [
            (s, self.matrix.exclusions[s.pk])
            for s in self.matrix.sites
            if s.pk in self.matrix.exclusions
        ]

    @property
    def incomplete(self) -> list[tuple[Site, list[str]]]:
        return [
            (s, self.matrix.incomplete[s.pk])
            for s in self.matrix.sites
            if s.pk in self.matrix.incomplete and s.pk not in self.matrix.exclusions
        ]


def ranking(*, user: Any, organisation: Organisation, query: RankingQuery, today: date) -> Analysis:
    """Rank the organisation's sites the user may see; an input the engine refuses (too few
    sites, all weights zero, too narrow ranges) is :attr:`Analysis.error`, never an exception."""
    from onderdak.engines import siting

    criteria = criteria_of(organisation=organisation)
    sets = list(weight_sets(user=user, organisation=organisation))
    chosen = next((s for s in sets if str(s.pk) == query.weight_set), None)
    weight_set = chosen if query.weight_set else (sets[0] if sets else None)
    weights = adapters.weights_of(weight_set)
    if weight_set is None:
        # without a weight set every criterion weighs the same until the user moves a slider
        weights = {c.key: 1.0 for c in criteria if c.kind == "weighted"}
    keys = {c.key for c in criteria}
    weights |= {k: max(0.0, float(v)) for k, v in query.weights.items() if k in keys}
    method = query.method if query.method in METHODS else "topsis"
    normalization = query.normalization if query.normalization in NORMALIZATIONS else "vector"
    sites = list(site_list(user=user).filter(organisation=organisation))
    matrix = adapters.build_matrix(
        organisation=organisation, sites=sites, criteria=criteria, today=today
    )
    analysis = Analysis(
        organisation,
        matrix,
        weight_set,
        weights,
        method,
        normalization,
        max(1, query.shortlist_size),
        weight_sets=sets,
        weight_set_missing=bool(query.weight_set) and chosen is None,
    )
    try:
        analysis.ranked = adapters.rank(matrix, weights, method=method, normalization=normalization)
        if query.uncertainty:
            _uncertainty(analysis)
        if query.comparison and len(sets) >= 2:
            _comparison(analysis)
    except siting.SitingInputError as error:
        analysis.error = siting_error(error)
        analysis.error_field = error.field
    return analysis


def _uncertainty(analysis: Analysis) -> None:
    smaa = adapters.uncertainty(
        analysis.matrix,
        analysis.weight_set,
        method=analysis.method,
        normalization=analysis.normalization,
        samples=SMAA_SAMPLES,
        seed=SMAA_SEED,
    )
    analysis.smaa = smaa
    analysis.shortlist_size = min(analysis.shortlist_size, smaa.max_rank)
    probability = smaa.shortlist_probability(analysis.shortlist_size).tolist()
    analysis.shortlist_probability = {
        int(pk): p for pk, p in zip(smaa.sites, probability, strict=True)
    }


def _comparison(analysis: Analysis) -> None:
    matrix = analysis.matrix
    comparison = adapters.compare(
        matrix,
        analysis.weight_sets,
        method=analysis.method,
        normalization=analysis.normalization,
    )
    analysis.comparison = comparison
    ranks = [r.ranks().tolist() for r in comparison.rankings]
    analysis.comparison_ranks = sorted(
        ((matrix.sites[i], [column[k] for column in ranks]) for k, i in enumerate(matrix.eligible)),
        key=lambda item: item[1][0],
    )


# --- reads for finance (issue 13) ----------------------------------------------------------

#: Stages whose costs the finance app counts: on the shortlist or later, not rejected/closed.
COSTED_STAGES = ("shortlist", "feasibility", "decision", "realisation", "in_use")


def finance_sites(*, user: Any, organisation_id: int) -> list[Site]:
    """The sites of one organisation that ``user`` reads as a member, on the shortlist or
    later (not rejected or closed), with a one-off or yearly cost. No personal data."""
    return list(
        scope(Site.objects.all(), user)
        .filter(organisation_id=organisation_id, stage__in=COSTED_STAGES)
        .exclude(cost_one_off__isnull=True, cost_yearly__isnull=True)
        .order_by("name", "pk")
    )
