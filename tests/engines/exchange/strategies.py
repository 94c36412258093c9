"""Hypothesis strategies: small random exchange scenarios (feasible and infeasible)."""

from __future__ import annotations

from hypothesis import strategies as st

from onderdak.engines.exchange import Fairness, Group, Municipality, Scenario

POINTS = st.sampled_from([1, 1, 1, 2, 1.5])
COSTS = st.one_of(st.integers(0, 60), st.sampled_from([0.5, 12.25, 30.1]))


@st.composite
def scenarios(
    draw: st.DrawFn,
    *,
    municipalities: tuple[int, int] = (2, 6),
    groups: tuple[int, int] = (1, 3),
    places: int = 8,
    mode: str | None = None,
    whole_points: bool = False,
) -> Scenario:
    """A scenario with capacities mostly near the obligations, optional caps and fairness."""
    group_count = draw(st.integers(*groups))
    codes = [f"g{g}" for g in range(group_count)]
    points = st.just(1) if whole_points else POINTS
    group_list = [Group(code, draw(points)) for code in codes]
    members = []
    for i in range(draw(st.integers(*municipalities))):
        obligation = {g: draw(st.integers(0, places)) for g in codes}
        capacity = {
            g: max(0, obligation[g] + draw(st.integers(-2, 4)))
            if draw(st.booleans()) or draw(st.booleans())
            else draw(st.integers(0, places))
            for g in codes
        }
        cost = {g: draw(COSTS) for g in codes}
        take_over = {g: draw(st.integers(0, 3)) for g in codes if draw(st.integers(0, 3)) == 0}
        hand_off = {g: draw(st.integers(0, 3)) for g in codes if draw(st.integers(0, 3)) == 0}
        population = draw(st.integers(1, 60))
        members.append(
            Municipality(f"GM{i:04d}", population, obligation, capacity, cost, take_over, hand_off)
        )
    fairness = None
    if draw(st.integers(0, 2)) == 0:
        low = draw(st.sampled_from([0, 0.25, 0.5, 0.8]))
        high = draw(st.sampled_from([None, 1.25, 1.5, 2, 4]))
        fairness = Fairness(low, high)
    chosen = mode if mode is not None else draw(st.sampled_from(["swap", "compensation"]))
    return Scenario(chosen, tuple(group_list), tuple(members), fairness)
