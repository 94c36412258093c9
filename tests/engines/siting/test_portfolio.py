"""Portfolio MIP: optimal against brute force on small cases; infeasibility reasons."""

from __future__ import annotations

import itertools
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.engines.siting import PortfolioSite, SitingInputError, choose_portfolio

GROUPS = ("status_holder", "displaced_ukrainian", "urgent")


def feasible(sites: list[PortfolioSite], chosen: tuple[int, ...], targets: dict[str, int]) -> bool:
    """Gale's condition: every set of groups fits in the chosen sites that serve any of them."""
    for size in range(1, len(targets) + 1):
        for subset in itertools.combinations(targets, size):
            need = sum(targets[g] for g in subset)
            offered = sum(
                sites[i].capacity
                for i in chosen
                if (groups := sites[i].groups) is None or set(subset) & groups
            )
            if need > offered:
                return False
    return True


def brute_force(
    sites: list[PortfolioSite],
    targets: dict[str, int],
    budget: Decimal | None = None,
    max_sites: int | None = None,
    max_places: int | None = None,
    objective: str = "min_cost",
) -> tuple[Decimal, float] | None:
    """(cost, score) of the best subset by enumeration; None when none is feasible."""
    best: tuple[Decimal, float] | None = None
    for size in range(len(sites) + 1):
        for chosen in itertools.combinations(range(len(sites)), size):
            cost = sum((sites[i].cost for i in chosen), Decimal(0))
            score = sum(sites[i].score for i in chosen)
            if budget is not None and cost > budget:
                continue
            by_area: dict[str | None, list[int]] = {}
            for i in chosen:
                by_area.setdefault(sites[i].neighbourhood, []).append(i)
            if max_sites is not None and any(len(v) > max_sites for v in by_area.values()):
                continue
            if max_places is not None and any(
                sum(sites[i].capacity for i in v) > max_places for v in by_area.values()
            ):
                continue
            if not feasible(sites, chosen, targets):
                continue
            key = (cost, -score) if objective == "min_cost" else (-score, cost)
            if best is None or key < (
                (best[0], -best[1]) if objective == "min_cost" else (-best[1], best[0])
            ):
                best = (cost, score)
    return best


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[PortfolioSite], dict[str, int]]:
    count = draw(st.integers(1, 7))
    sites = []
    for i in range(count):
        groups = draw(
            st.one_of(st.none(), st.sets(st.sampled_from(GROUPS), min_size=1).map(frozenset))
        )
        sites.append(
            PortfolioSite(
                id=f"s{i}",
                capacity=draw(st.integers(0, 60)),
                cost=Decimal(draw(st.integers(0, 500_000))) / 100,
                score=draw(st.floats(0, 1, allow_nan=False).map(lambda x: round(x, 3))),
                neighbourhood=draw(st.sampled_from(["north", "south"])),
                groups=groups,
            )
        )
    targets = {g: draw(st.integers(0, 60)) for g in GROUPS[: draw(st.integers(1, 3))]}
    sites = [
        PortfolioSite(s.id, s.capacity, s.cost, s.score, s.neighbourhood, None)
        if s.groups is not None and not (s.groups & set(targets))
        else s
        if s.groups is None
        else PortfolioSite(
            s.id, s.capacity, s.cost, s.score, s.neighbourhood, frozenset(s.groups & set(targets))
        )
        for s in sites
    ]
    return sites, targets


def check_solution(sites: list[PortfolioSite], targets: dict[str, int], result: object) -> None:
    from onderdak.engines.siting import Portfolio

    assert isinstance(result, Portfolio)
    by_id = {s.id: s for s in sites}
    assert result.places_by_group == targets
    used: dict[str, int] = {}
    for placement in result.placements:
        site = by_id[placement.site]
        assert placement.site in result.selected
        assert site.groups is None or placement.group in site.groups
        used[placement.site] = used.get(placement.site, 0) + placement.places
    for site_id, places in used.items():
        assert places <= by_id[site_id].capacity
    assert result.total_cost == sum((by_id[s].cost for s in result.selected), Decimal(0))


@given(problem=instances(), budget_share=st.one_of(st.none(), st.floats(0.2, 1.0)))
@settings(max_examples=60, deadline=None)
def test_min_cost_equals_brute_force(
    problem: tuple[list[PortfolioSite], dict[str, int]], budget_share: float | None
) -> None:
    sites, targets = problem
    total = sum((s.cost for s in sites), Decimal(0))
    budget = (
        None if budget_share is None else (total * Decimal(budget_share)).quantize(Decimal("0.01"))
    )
    expected = brute_force(sites, targets, budget=budget)
    result = choose_portfolio(sites, targets, budget=budget)
    if expected is None:
        assert result.status == "infeasible"
        assert result.reason
        return
    assert result.status == "optimal", result.reason
    assert result.total_cost == expected[0]
    assert result.total_score == pytest.approx(expected[1])  # ties on cost: best score
    check_solution(sites, targets, result)


@given(problem=instances(), limit=st.integers(1, 3))
@settings(max_examples=40, deadline=None)
def test_max_score_with_spread_equals_brute_force(
    problem: tuple[list[PortfolioSite], dict[str, int]], limit: int
) -> None:
    sites, targets = problem
    expected = brute_force(sites, targets, max_sites=limit, objective="max_score")
    result = choose_portfolio(
        sites, targets, objective="max_score", max_sites_per_neighbourhood=limit
    )
    if expected is None:
        assert result.status == "infeasible"
        return
    assert result.status == "optimal", result.reason
    assert result.total_score == pytest.approx(expected[1])
    assert result.total_cost == expected[0]  # ties on score: cheapest
    check_solution(sites, targets, result)


def site(
    name: str,
    capacity: int,
    cost: str,
    area: str = "centre",
    groups: set[str] | None = None,
    score: float = 0.0,
) -> PortfolioSite:
    return PortfolioSite(
        name, capacity, Decimal(cost), score, area, None if groups is None else frozenset(groups)
    )


CANDIDATES = [
    site("Bergwijkdreef", 60, "900000", "Bergwijk", {"displaced_ukrainian", "status_holder"}),
    site("Diemerdreef", 60, "1300000", "Centrum"),
    site("Maalderij", 40, "500000", "Centrum", {"status_holder"}),
    site("Sportpark", 120, "2500000", "Noord"),
]


def test_a_worked_selection_with_binding_constraints() -> None:
    targets = {"status_holder": 50, "displaced_ukrainian": 60}
    result = choose_portfolio(CANDIDATES, targets, budget=Decimal("2700000"))
    # cheapest: Bergwijkdreef (60) + Diemerdreef (60) = 2.2 million for 110 places; Maalderij
    # cannot take displaced persons, so Bergwijkdreef + Maalderij (1.4 million) is too small
    assert result.status == "optimal"
    assert result.selected == ("Bergwijkdreef", "Diemerdreef")
    assert result.total_cost == Decimal("2200000.00")
    assert result.capacity == 120
    assert result.places_by_group == targets
    assert result.binding == ()
    tight = choose_portfolio(CANDIDATES, targets, budget=Decimal("2200000"))
    assert tight.binding == ("budget",)


def test_infeasible_group_capacity_is_named() -> None:
    result = choose_portfolio(CANDIDATES[:3], {"urgent": 130})
    assert result.status == "infeasible"
    assert result.reason == (
        "target group 'urgent' needs 130 places; the sites that may house it offer 60 in total"
    )
    assert not result.feasible


def test_infeasible_shared_capacity_names_the_groups() -> None:
    sites = [site("a", 50, "1", groups={"status_holder", "urgent"}), site("b", 10, "1")]
    result = choose_portfolio(sites, {"status_holder": 40, "urgent": 30})
    assert result.reason == (
        "target groups 'status_holder', 'urgent' together need 70 places; the sites that may "
        "house any of them offer 60 in total"
    )


def test_infeasible_spread_and_budget() -> None:
    sites = [
        site("a", 30, "100", "north"),
        site("b", 30, "100", "north"),
        site("c", 30, "500", "south"),
    ]
    spread = choose_portfolio(sites, {"urgent": 70}, max_sites_per_neighbourhood=1)
    assert spread.status == "infeasible"
    assert spread.reason is not None
    assert "spread limits (at most 1 sites per neighbourhood)" in spread.reason
    budget = choose_portfolio(sites, {"urgent": 50}, budget=Decimal("150"))
    assert budget.reason == (
        "the budget of EUR 150.00 is too small: the cheapest selection that meets the targets "
        "costs EUR 200.00"
    )
    assert budget.cheapest_cost == Decimal("200.00")
    places = choose_portfolio(sites, {"urgent": 50}, max_places_per_neighbourhood=30)
    assert places.selected == ("a", "c")
    assert set(places.binding) == {"places:north", "places:south"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"sites": []}, "no candidate sites"),
        ({"targets": {}}, "no target groups"),
        ({"targets": {"urgent": -1}}, "must be a whole number >= 0"),
        ({"sites": [site("a", 1, "0.001")]}, "cost, site 'a': must be a whole number of cents"),
        ({"sites": [site("a", 1, "-1")]}, "cost, site 'a': must not be negative"),
        ({"sites": [site("a", 1, "1"), site("a", 1, "1")]}, "duplicate site id"),
        ({"sites": [PortfolioSite("a", 1, 1.5)]}, "must be a Decimal amount"),  # type: ignore[arg-type]
        ({"sites": [PortfolioSite("a", -1, Decimal(1))]}, "capacity, site 'a'"),
        ({"objective": "max_fun"}, "objective"),
        (
            {"max_sites_per_neighbourhood": 1, "sites": [PortfolioSite("a", 1, Decimal(1))]},
            "needs a neighbourhood",
        ),
    ],
)
def test_portfolio_input_errors(arguments: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "sites": [site("a", 10, "1")],
        "targets": {"urgent": 1},
        **arguments,
    }
    with pytest.raises(SitingInputError) as raised:
        choose_portfolio(values.pop("sites"), values.pop("targets"), **values)  # type: ignore[arg-type]
    assert message in str(raised.value)


def test_groups_without_a_target_are_not_served() -> None:
    sites = [site("a", 10, "1", groups={"student"}), site("b", 10, "5")]
    result = choose_portfolio(sites, {"urgent": 5})
    assert result.selected == ("b",)


def test_zero_targets_choose_nothing() -> None:
    result = choose_portfolio(CANDIDATES, {"urgent": 0})
    assert result.status == "optimal"
    assert result.selected == ()
    assert result.total_cost == Decimal(0)
    assert np.isclose(result.total_score, 0.0)
