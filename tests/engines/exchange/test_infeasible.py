"""Infeasible scenarios: the reason names the municipality, the group and the numbers."""

from __future__ import annotations

from typing import Any

from onderdak.engines.exchange import (
    ConflictKind,
    Fairness,
    Group,
    Municipality,
    Scenario,
    Status,
    optimise,
    result_to_mapping,
    scenario_from_mapping,
)
from tests.engines.exchange.test_worked_example import duo_plus


def _municipality(data: dict[str, Any], code: str) -> dict[str, Any]:
    found: dict[str, Any] = next(m for m in data["municipalities"] if m["code"] == code)
    return found


def test_a_group_lacks_capacity() -> None:
    """Regional asylum capacity 100 + 90 + 200 = 390 < 422 owed: short by 32. Diemen's
    obligation (175) is above its capacity, so the baseline is infeasible too."""
    data = duo_plus("compensation")
    _municipality(data, "GM0384")["capacity"]["asylum_seeker"] = 100
    result = optimise(scenario_from_mapping(data))
    assert result.status is Status.INFEASIBLE
    assert result.reason == (
        "The region lacks capacity for asylum_seeker: it owes 422 places but the "
        "municipalities can provide at most 390 (short by 32)."
    )
    (conflict,) = result.conflicts
    assert (conflict.kind, conflict.group, conflict.amount) == (
        ConflictKind.GROUP_CAPACITY,
        "asylum_seeker",
        32,
    )
    assert result.baseline_cost is None
    document = result_to_mapping(result)
    assert document["provided"] == document["prices"] == document["compensation"] == {}
    assert document["transfers"] == []
    assert document["total_cost"] is None


def test_a_municipality_cannot_balance_its_points_in_swap_mode() -> None:
    """Diemen owes 215 points; with 180 asylum and 30 status-holder places it reaches 210."""
    data = duo_plus("swap")
    _municipality(data, "GM0384")["capacity"]["status_holder"] = 30
    result = optimise(scenario_from_mapping(data))
    assert result.status is Status.INFEASIBLE
    assert result.reason == (
        "In swap mode GM0384 cannot balance its points: it owes 215 points but capacity and "
        "caps allow at most 210."
    )
    assert result.conflicts[0].kind is ConflictKind.SWAP_BALANCE
    assert result.conflicts[0].municipality == "GM0384"
    # the same capacities are fine when points need not balance
    data["mode"] = "compensation"
    assert optimise(scenario_from_mapping(data)).status is Status.OPTIMAL


def test_a_hand_off_cap_binds_against_capacity() -> None:
    """max_hand_off 50 leaves Diemen at least 125 asylum places, capacity 100."""
    data = duo_plus("compensation")
    diemen = _municipality(data, "GM0384")
    diemen["capacity"]["asylum_seeker"] = 100
    diemen["max_hand_off"] = {"asylum_seeker": 50}
    result = optimise(scenario_from_mapping(data))
    assert result.conflicts[0].kind is ConflictKind.HAND_OFF_ABOVE_CAPACITY
    assert result.reason.startswith(
        "GM0384 must provide at least 125 asylum_seeker places (obligation 175 minus "
        "max_hand_off 50) but has capacity for only 100."
    )


def test_take_over_caps_leave_too_little_room() -> None:
    """Diemen's asylum capacity is 100; Ouder-Amstel may take over at most 5 (82 places) and
    Uithoorn, with capacity 260, at most 20 (190): 100 + 82 + 190 = 372 < 422, although
    capacity alone (100 + 90 + 260 = 450) would suffice."""
    data = duo_plus("compensation")
    _municipality(data, "GM0384")["capacity"]["asylum_seeker"] = 100
    _municipality(data, "GM0437")["max_take_over"] = {"asylum_seeker": 5}
    uithoorn = _municipality(data, "GM0451")
    uithoorn["capacity"]["asylum_seeker"] = 260
    uithoorn["max_take_over"] = {"asylum_seeker": 20}
    result = optimise(scenario_from_mapping(data))
    assert result.reason == (
        "The max_take_over caps leave too little room for asylum_seeker: the region owes 422 "
        "places but capacity and caps allow at most 372 (short by 50); capped: GM0437, GM0451."
    )
    assert result.conflicts[0].kind is ConflictKind.TAKE_OVER_CAPS


def test_fairness_bound_out_of_reach() -> None:
    """min_ratio 0.9: Ouder-Amstel must provide at least 0.9 x 518 x 14,447 / 79,109 = 85.14
    points, but with its status-holder capacity at 0 and at most 80 asylum places it reaches
    80."""
    data = duo_plus("compensation")
    data["fairness"] = {"min_ratio": 0.9, "max_ratio": 2}
    ouder_amstel = _municipality(data, "GM0437")
    ouder_amstel["capacity"] = {"asylum_seeker": 80, "status_holder": 0}
    result = optimise(scenario_from_mapping(data))
    assert result.reason == (
        "GM0437 cannot reach its fairness minimum of 85.14 points: capacity and caps allow at "
        "most 80 points."
    )


def test_fairness_bounds_that_cannot_hold_together() -> None:
    """1.2 x the average for everyone is 1.2 x 518 = 621.6 points; each minimum is rounded
    up to whole points (194.3 -> 195 ... ), together 623."""
    data = duo_plus("compensation")
    data["fairness"] = {"min_ratio": 1.2}
    result = optimise(scenario_from_mapping(data))
    assert result.conflicts[0].kind is ConflictKind.FAIRNESS_REGION
    assert result.reason.startswith(
        "The fairness minimums cannot all hold: together they ask at least 623 points, more "
        "than the 518 points the region owes (min_ratio 1.2 x the regional average)."
    )


def test_swap_mode_with_an_owed_load_outside_the_band() -> None:
    """Every owed load is within 1% of the average (ratios 0.9957, 1.0043, 1.0025), so a
    maximum of 0.99 x average is below each of them."""
    data = duo_plus("swap")
    data["fairness"] = {"min_ratio": 0.5, "max_ratio": 0.99}
    result = optimise(scenario_from_mapping(data))
    assert [c.municipality for c in result.conflicts] == ["GM0384", "GM0437", "GM0451"]
    assert result.conflicts[1].message == (
        "In swap mode GM0437 provides exactly the 95 points it owes, above its fairness "
        "maximum of 93.65 points (max_ratio 0.99 x the regional average)."
    )


def _member(code: str, obligation: tuple[int, int], capacity: tuple[int, int]) -> Municipality:
    groups = ("asylum_seeker", "status_holder")
    return Municipality(
        code,
        1000,
        dict(zip(groups, obligation, strict=True)),
        dict(zip(groups, capacity, strict=True)),
        {"asylum_seeker": 10, "status_holder": 10},
    )


def test_the_elastic_lp_names_what_must_give() -> None:
    """Every pre-check passes, yet: Diemen must hand off 2 asylum places (capacity 2 of 4),
    Ouder-Amstel has no asylum capacity, so only Uithoorn can take them, and Uithoorn owes
    nothing and has no status holders to give back. In swap mode Uithoorn's balance must give
    way by 2 points (and a second balance by 2, Diemen's or Ouder-Amstel's: either is a
    smallest relaxation)."""
    scenario = Scenario(
        "swap",
        (Group("asylum_seeker"), Group("status_holder")),
        (
            _member("GM0384", (4, 0), (2, 4)),
            _member("GM0437", (0, 4), (0, 4)),
            _member("GM0451", (0, 0), (4, 0)),
        ),
    )
    result = optimise(scenario)
    assert result.status is Status.INFEASIBLE
    assert {c.kind for c in result.conflicts} == {ConflictKind.SWAP_BALANCE}
    assert {c.source for c in result.conflicts} == {"relaxation"}
    assert result.reason.startswith(
        "No allocation meets all constraints together. A smallest relaxation (counted in points):"
    )
    assert "GM0451 would provide 2 points more than the 0 it owes." in result.reason
    assert sum(c.amount for c in result.conflicts) == 4


def test_the_elastic_lp_names_a_cap() -> None:
    """Fairness 1.0-1.0 x average: each of three equal municipalities provides exactly 4
    points. Diemen can provide 2 of its 4 asylum places and takes 2 status holders instead;
    the 2 asylum places must go to Ouder-Amstel (max_take_over 1) or Uithoorn, which may hand
    off no status holder (max_hand_off 0) and so would exceed its 4 points. Every pre-check
    passes; the smallest relaxation exceeds one cap by one place (Ouder-Amstel's take-over or
    Uithoorn's hand-off: both are smallest)."""
    groups = ("asylum_seeker", "status_holder")
    costs = dict.fromkeys(groups, 10)
    scenario = Scenario(
        "compensation",
        (Group("asylum_seeker"), Group("status_holder")),
        (
            _member("GM0384", (4, 0), (2, 4)),
            Municipality(
                "GM0437",
                1000,
                {"asylum_seeker": 0, "status_holder": 4},
                {"asylum_seeker": 4, "status_holder": 4},
                costs,
                max_take_over={"asylum_seeker": 1},
            ),
            Municipality(
                "GM0451",
                1000,
                {"asylum_seeker": 0, "status_holder": 4},
                {"asylum_seeker": 4, "status_holder": 4},
                costs,
                max_hand_off={"status_holder": 0},
            ),
        ),
        Fairness(1, 1),
    )
    result = optimise(scenario)
    assert result.status is Status.INFEASIBLE
    (conflict,) = result.conflicts
    assert conflict.source == "relaxation"
    assert conflict.amount == 1
    assert (conflict.kind, conflict.municipality) in {
        (ConflictKind.MAX_TAKE_OVER, "GM0437"),
        (ConflictKind.MAX_HAND_OFF, "GM0451"),
    }
    assert conflict.message in {
        "GM0437 would take over 1 asylum_seeker place more than its max_take_over of 1 allows.",
        "GM0451 would hand off 1 status_holder place more than its max_hand_off of 0 allows.",
    }


def test_whole_places_cannot_make_up_the_points() -> None:
    """uam counts 1.5 points. Diemen owes one uam place (1.5 points) and has no uam capacity;
    in swap mode it must make up 1.5 points with asylum places of 1 point: fractions would do
    (1.5 places), whole places cannot. Stage 3 names the balances that must give by half a
    point."""
    groups = ("asylum_seeker", "uam")
    scenario = Scenario(
        "swap",
        (Group("asylum_seeker", 1), Group("uam", 1.5)),
        (
            Municipality(
                "GM0384",
                100,
                {"asylum_seeker": 0, "uam": 1},
                {"asylum_seeker": 10, "uam": 0},
                dict.fromkeys(groups, 1),
            ),
            Municipality(
                "GM0437",
                100,
                {"asylum_seeker": 2, "uam": 0},
                {"asylum_seeker": 2, "uam": 1},
                dict.fromkeys(groups, 1),
            ),
        ),
    )
    result = optimise(scenario)
    assert result.status is Status.INFEASIBLE
    assert result.conflicts[0].kind is ConflictKind.INTEGRALITY
    assert result.reason.startswith(
        "A fractional allocation meets every constraint, but no allocation in whole places "
        "does: the points per place (asylum_seeker 1, uam 1.5) cannot make up the required "
        "points of every municipality exactly. In whole places, a smallest relaxation (counted "
        "in points):"
    )
    named = {c.municipality for c in result.conflicts[1:]}
    assert named == {"GM0384", "GM0437"}
    assert all(c.amount == 0.5 for c in result.conflicts[1:])
