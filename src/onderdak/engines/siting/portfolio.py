"""Portfolio of sites: the set that meets every target group's capacity at least cost.

Formulation (a capacitated selection MIP; in the spirit of PROMETHEE V, Brans & Mareschal,
"PROMETHEE V: MCDM problems with segmentation constraints", *INFOR* 30 (1992) 85-96):

    x_i in {0, 1}                      site i is chosen
    y_ig in {0, 1, ..., cap_i}         places of target group g at site i (only where allowed)
    sum_g y_ig - cap_i x_i <= 0        capacity of each site
    sum_i y_ig = target_g              each group's target, exactly (spare places stay free)
    sum_i cost_i x_i <= budget         optional budget (euro cents, exact integers)
    sum_{i in N} x_i <= max_sites      optional spread: chosen sites per neighbourhood N
    sum_{i in N} cap_i x_i <= max_places   optional spread: places per neighbourhood N

Objective ``min_cost``: minimise sum cost_i x_i, then (second stage, cost fixed at its
optimum) maximise the total score. ``max_score``: maximise sum score_i x_i, then minimise cost.
A last stage prefers the sites earliest in the input, so equal selections are always chosen
the same way. All stages are solved to proven optimality by HiGHS (Huangfu & Hall, *Math. Prog. Comp.* 10
(2018) 119-142), the model passed in one call as column-wise arrays.

When no selection exists the engine says why, checking in this order: a group whose suitable
sites together offer fewer places than its target; a set of groups that must share sites
(Gale's supply-demand theorem: every set of groups needs at most the capacity of the sites that
serve any of them); the spread limits; the budget (with the cost of the cheapest selection
that meets the targets).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from onderdak.engines.highs import new_highs
from onderdak.engines.siting.model import (
    FloatArray,
    IntArray,
    Objective,
    Placement,
    Portfolio,
    PortfolioSite,
    SitingInputError,
)

_CENT = Decimal("0.01")
#: HiGHS treats bounds at or beyond 1e30 as infinite (``highspy.kHighsInf`` is inf).
_INF = float("inf")
#: Groups up to this many are checked subset by subset for a shared-capacity shortage.
_MAX_SUBSET_GROUPS = 12


def choose_portfolio(
    sites: Sequence[PortfolioSite],
    targets: Mapping[str, int],
    *,
    budget: Decimal | None = None,
    objective: Objective = "min_cost",
    max_sites_per_neighbourhood: int | None = None,
    max_places_per_neighbourhood: int | None = None,
) -> Portfolio:
    """Choose sites that together house every target group's target (places, whole numbers).

    Raises :class:`SitingInputError` for invalid input (negative capacity or target, a cost
    that is not a whole number of cents, duplicate ids, an unknown group, a spread limit
    without neighbourhoods). An infeasible problem is not an error: the result has status
    ``"infeasible"`` and a ``reason``.
    """
    model = _Model.build(
        sites, targets, budget, max_sites_per_neighbourhood, max_places_per_neighbourhood
    )
    if objective not in ("min_cost", "max_score"):
        raise SitingInputError(
            f"must be 'min_cost' or 'max_score', not {objective!r}", field="objective"
        )
    solution = model.solve(objective, with_budget=True, with_spread=True)
    if solution is None:
        reason, cheapest, code, params = _diagnose(model)
        return Portfolio(
            status="infeasible",
            objective=objective,
            selected=(),
            placements=(),
            places_by_group=dict.fromkeys(model.groups, 0),
            capacity=0,
            total_cost=Decimal(0),
            total_score=0.0,
            budget=budget,
            binding=(),
            reason=reason,
            cheapest_cost=cheapest,
            reason_code=code,
            reason_params=params,
        )
    return model.result(solution, objective, budget)


@dataclass(frozen=True, slots=True, eq=False)
class _Model:
    ids: tuple[str, ...]
    capacity: IntArray
    cents: IntArray
    scores: FloatArray
    neighbourhoods: tuple[str | None, ...]
    groups: tuple[str, ...]
    targets: IntArray
    #: (site, group) index of each y column.
    pairs: IntArray
    budget_cents: int | None
    max_sites: int | None
    max_places: int | None

    @classmethod
    def build(
        cls,
        sites: Sequence[PortfolioSite],
        targets: Mapping[str, int],
        budget: Decimal | None,
        max_sites: int | None,
        max_places: int | None,
    ) -> _Model:
        if not sites:
            raise SitingInputError("no candidate sites", field="sites")
        groups = tuple(str(g) for g in targets)
        if not groups:
            raise SitingInputError("no target groups", field="targets")
        target_values = np.array([_whole(targets[g], f"target of {g}") for g in groups], np.int64)
        ids: list[str] = []
        pairs: list[tuple[int, int]] = []
        for index, site in enumerate(sites):
            if site.id in ids:
                raise SitingInputError("duplicate site id", site=site.id, field="id")
            ids.append(site.id)
            _whole(site.capacity, "capacity", site.id)
            # groups without a target in this run are simply not served
            allowed = groups if site.groups is None else tuple(site.groups)
            pairs.extend((index, groups.index(g)) for g in groups if g in allowed)
        cents = np.array([_cents(s.cost, "cost", s.id) for s in sites], dtype=np.int64)
        if np.any(cents < 0):
            bad = sites[int(np.flatnonzero(cents < 0)[0])].id
            raise SitingInputError("must not be negative", site=bad, field="cost")
        scores = np.array([float(s.score) for s in sites], dtype=np.float64)
        if not np.all(np.isfinite(scores)):
            bad = sites[int(np.flatnonzero(~np.isfinite(scores))[0])].id
            raise SitingInputError("must be a finite number", site=bad, field="score")
        neighbourhoods = tuple(s.neighbourhood for s in sites)
        if (max_sites is not None or max_places is not None) and None in neighbourhoods:
            bad = sites[neighbourhoods.index(None)].id
            raise SitingInputError(
                "a spread limit needs a neighbourhood for every site",
                code="spread_needs_neighbourhood",
                params={"site": bad},
                site=bad,
                field="neighbourhood",
            )
        return cls(
            ids=tuple(ids),
            capacity=np.array([s.capacity for s in sites], dtype=np.int64),
            cents=cents,
            scores=scores,
            neighbourhoods=neighbourhoods,
            groups=groups,
            targets=target_values,
            pairs=np.array(pairs, dtype=np.int64).reshape(-1, 2),
            budget_cents=None if budget is None else _cents(budget, "budget"),
            max_sites=None
            if max_sites is None
            else _whole(max_sites, "max_sites_per_neighbourhood"),
            max_places=None
            if max_places is None
            else _whole(max_places, "max_places_per_neighbourhood"),
        )

    # ---------------------------------------------------------------------------- the MIP

    def solve(
        self, objective: Objective, *, with_budget: bool, with_spread: bool
    ) -> FloatArray | None:
        """Column values of the lexicographic optimum, ``None`` when infeasible.

        Stages: the objective, then the other one (score or cost), then the earliest sites in
        input order (so that equal selections are chosen the same way every time).
        """
        cost = self.cents.astype(np.float64)
        stages = [cost, -self.scores] if objective == "min_cost" else [-self.scores, cost]
        stages.append(np.arange(1.0, len(self.ids) + 1.0))
        fixed: list[tuple[FloatArray, float]] = []
        values: FloatArray | None = None
        for stage, coefficients in enumerate(stages):
            found = self._run(coefficients, fixed, with_budget=with_budget, with_spread=with_spread)
            if found is None:
                if stage == 0:
                    return None
                break  # pragma: no cover - a later stage only adds a satisfied bound
            values = found
            optimum = float(coefficients @ found[: len(self.ids)])
            integral = coefficients is cost or stage == len(stages) - 1
            slack = 0.5 if integral else 1e-9 * max(1.0, abs(optimum))
            fixed.append((coefficients, optimum + slack))
        return values

    def _run(
        self,
        site_cost: FloatArray,
        fixed: list[tuple[FloatArray, float]],
        *,
        with_budget: bool,
        with_spread: bool,
    ) -> FloatArray | None:
        n = len(self.ids)
        pairs = self.pairs.shape[0]
        rows: list[tuple[IntArray, FloatArray, float, float]] = []  # (columns, values, lo, hi)
        inf = _INF
        y_columns = n + np.arange(pairs)
        for i in range(n):  # capacity: sum_g y_ig - cap_i x_i <= 0
            mine = y_columns[self.pairs[:, 0] == i]
            rows.append(
                (
                    np.concatenate(([i], mine)),
                    np.concatenate(([-float(self.capacity[i])], np.ones(mine.size))),
                    -inf,
                    0.0,
                )
            )
        for g, target in enumerate(self.targets.tolist()):  # targets, exactly
            mine = y_columns[self.pairs[:, 1] == g]
            rows.append((mine, np.ones(mine.size), float(target), float(target)))
        sites = np.arange(n)
        if with_budget and self.budget_cents is not None:
            rows.append((sites, self.cents.astype(np.float64), -inf, float(self.budget_cents)))
        if with_spread:
            for members in self._neighbourhood_members().values():
                if self.max_sites is not None:
                    rows.append((members, np.ones(members.size), -inf, float(self.max_sites)))
                if self.max_places is not None:
                    rows.append(
                        (
                            members,
                            self.capacity[members].astype(np.float64),
                            -inf,
                            float(self.max_places),
                        )
                    )
        rows.extend((sites, coefficients, -inf, bound) for coefficients, bound in fixed)
        cost = np.concatenate((site_cost, np.zeros(pairs)))
        upper = np.concatenate((np.ones(n), self.capacity[self.pairs[:, 0]].astype(np.float64)))
        return _solve_mip(cost, np.zeros(n + pairs), upper, rows)

    def _neighbourhood_members(self) -> dict[str, IntArray]:
        members: dict[str, list[int]] = {}
        for index, name in enumerate(self.neighbourhoods):
            if name is not None:
                members.setdefault(name, []).append(index)
        return {name: np.array(m, dtype=np.int64) for name, m in members.items()}

    # ---------------------------------------------------------------------------- result

    def result(self, values: FloatArray, objective: Objective, budget: Decimal | None) -> Portfolio:
        n = len(self.ids)
        chosen = np.rint(values[:n]).astype(np.int64) == 1
        places = np.rint(values[n:]).astype(np.int64)
        placements = tuple(
            Placement(self.ids[int(i)], self.groups[int(g)], int(k))
            for (i, g), k in zip(self.pairs.tolist(), places.tolist(), strict=True)
            if k > 0
        )
        by_group = dict.fromkeys(self.groups, 0)
        for placement in placements:
            by_group[placement.group] += placement.places
        total_cents = int(self.cents[chosen].sum())
        binding = []
        if self.budget_cents is not None and total_cents == self.budget_cents:
            binding.append("budget")
        for name, members in self._neighbourhood_members().items():
            picked = members[chosen[members]]
            if self.max_sites is not None and picked.size == self.max_sites:
                binding.append(f"sites:{name}")
            if self.max_places is not None and int(self.capacity[picked].sum()) == self.max_places:
                binding.append(f"places:{name}")
        return Portfolio(
            status="optimal",
            objective=objective,
            selected=tuple(self.ids[i] for i in np.flatnonzero(chosen).tolist()),
            placements=placements,
            places_by_group=by_group,
            capacity=int(self.capacity[chosen].sum()),
            total_cost=Decimal(total_cents) * _CENT,
            total_score=float(self.scores[chosen].sum()),
            budget=budget,
            binding=tuple(binding),
            reason=None,
        )


def _solve_mip(
    cost: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    rows: list[tuple[IntArray, FloatArray, float, float]],
) -> FloatArray | None:
    """Minimise cost @ v over integer v in [lower, upper] with the given row ranges."""
    import highspy

    status_type = highspy.HighsModelStatus
    columns = cost.size
    entries: list[list[tuple[int, float]]] = [[] for _ in range(columns)]
    for r, (index, value, _, _) in enumerate(rows):
        for c, v in zip(index.tolist(), value.tolist(), strict=True):
            entries[c].append((r, v))
    start = np.zeros(columns + 1, dtype=np.int32)
    start[1:] = np.cumsum([len(e) for e in entries])
    model = highspy.HighsLp()
    model.num_col_ = columns
    model.num_row_ = len(rows)
    model.col_cost_ = cost
    model.col_lower_ = lower
    model.col_upper_ = upper
    model.row_lower_ = np.array([r[2] for r in rows], dtype=np.float64)
    model.row_upper_ = np.array([r[3] for r in rows], dtype=np.float64)
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.num_col_ = columns
    model.a_matrix_.num_row_ = len(rows)
    model.a_matrix_.start_ = start
    model.a_matrix_.index_ = np.array([r for e in entries for r, _ in e], dtype=np.int32)
    model.a_matrix_.value_ = np.array([v for e in entries for _, v in e], dtype=np.float64)
    model.integrality_ = [highspy.HighsVarType.kInteger] * columns
    highs = new_highs()
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("mip_abs_gap", 1e-9)
    highs.passModel(model)
    highs.run()
    status = highs.getModelStatus()
    if status in (status_type.kInfeasible, status_type.kUnboundedOrInfeasible):
        return None
    if status != status_type.kOptimal:
        raise SitingInputError(
            f"the portfolio MIP ended with {highs.modelStatusToString(status)}",
            code="solver_failed",
            params={"status": highs.modelStatusToString(status)},
        )
    values: FloatArray = np.asarray(highs.getSolution().col_value, dtype=np.float64)
    return values


def _diagnose(model: _Model) -> tuple[str, Decimal | None, str, dict[str, Any]]:
    """Why no portfolio exists: (reason, cheapest cost when only the budget is too small, the
    reason's code and parameters; see :attr:`Portfolio.reason_code`)."""
    site_count = len(model.ids)
    serves = np.zeros((site_count, len(model.groups)), dtype=np.bool_)
    serves[model.pairs[:, 0], model.pairs[:, 1]] = True
    for g, group in enumerate(model.groups):
        offered = int(model.capacity[serves[:, g]].sum())
        target = int(model.targets[g])
        if offered < target:
            return (
                f"target group '{group}' needs {target} places; the sites that may house it "
                f"offer {offered} in total",
                None,
                "group_capacity",
                {"group": group, "target": target, "offered": offered},
            )
    if len(model.groups) <= _MAX_SUBSET_GROUPS:
        worst: tuple[int, tuple[int, ...], int] | None = None
        for size in range(2, len(model.groups) + 1):
            for subset in itertools.combinations(range(len(model.groups)), size):
                need = int(model.targets[list(subset)].sum())
                offered = int(model.capacity[serves[:, list(subset)].any(axis=1)].sum())
                if need > offered and (worst is None or need - offered > worst[0] - worst[2]):
                    worst = (need, subset, offered)
        if worst is not None:
            names = ", ".join(f"'{model.groups[g]}'" for g in worst[1])
            return (
                f"target groups {names} together need {worst[0]} places; the sites that may "
                f"house any of them offer {worst[2]} in total",
                None,
                "groups_capacity",
                {
                    "groups": tuple(model.groups[g] for g in worst[1]),
                    "target": worst[0],
                    "offered": worst[2],
                },
            )
    if model.solve("min_cost", with_budget=False, with_spread=False) is None:  # pragma: no cover
        return "the targets cannot be met with the sites' capacities", None, "capacity", {}
    unlimited = model.solve("min_cost", with_budget=False, with_spread=True)
    if unlimited is None:
        limits = []
        if model.max_sites is not None:
            limits.append(f"at most {model.max_sites} sites")
        if model.max_places is not None:
            limits.append(f"at most {model.max_places} places")
        return (
            f"the spread limits ({' and '.join(limits)} per neighbourhood) leave too few places "
            "to meet the targets",
            None,
            "spread",
            {"max_sites": model.max_sites, "max_places": model.max_places},
        )
    cheapest = Decimal(int(model.cents @ np.rint(unlimited[:site_count]).astype(np.int64))) * _CENT
    budget = Decimal(model.budget_cents or 0) * _CENT
    return (
        f"the budget of EUR {budget:,.2f} is too small: the cheapest selection that meets the "
        f"targets costs EUR {cheapest:,.2f}",
        cheapest,
        "budget",
        {"budget": budget, "cheapest": cheapest},
    )


def _whole(value: object, field: str, site: str | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or int(value) < 0:
        raise SitingInputError(
            f"must be a whole number >= 0, not {value!r}", site=site, field=field
        )
    return int(value)


def _cents(value: object, field: str, site: str | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise SitingInputError(
            f"must be a Decimal amount in euros, not {value!r}", site=site, field=field
        )
    amount = Decimal(value)
    if not amount.is_finite():
        raise SitingInputError(f"must be finite, not {value!r}", site=site, field=field)
    cents = amount / _CENT
    if cents != cents.to_integral_value():
        raise SitingInputError(
            f"must be a whole number of cents, not {value!r}", site=site, field=field
        )
    return int(cents)
