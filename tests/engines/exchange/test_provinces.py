"""Asylum places stay within their province; status-holder quotas may cross (issue 12 §3).

The Spreidingswet (Wet gemeentelijke taak mogelijk maken asielopvangvoorzieningen,
Kamerstukken 36333) distributes asylum places per province under the Commissaris van de Koning:
municipalities may exchange them within their province as long as its total holds. Status-
holder quotas may be changed jointly by any municipalities as long as their sum stays the same
(art. 29(2) Huisvestingswet 2014). A group with ``within_province`` keeps every province's
total; one without keeps only the regional total.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onderdak.engines.exchange import (
    ConflictKind,
    ExchangeInputError,
    Group,
    Municipality,
    Scenario,
    Status,
    optimise,
    result_to_mapping,
    scenario_from_mapping,
    scenario_to_mapping,
)
from tests.engines.exchange import reference
from tests.engines.exchange.strategies import scenarios


def border(mode: str, *, within: bool) -> dict[str, Any]:
    """Diemen (Noord-Holland) next to Utrecht: Utrecht can realise asylum places for 20,000,
    Diemen for 30,000; Diemen can house status holders for 20,000, Utrecht for 25,000.

    Without the flag the cheapest exchange hands 56 of Diemen's asylum places to Utrecht (the
    room Utrecht has above its obligation), which the Spreidingswet does not allow.
    """
    asylum: dict[str, Any] = {"points": 1}
    if within:
        asylum["within_province"] = True
    return {
        "mode": mode,
        "groups": {"asylum_seeker": asylum, "status_holder": {"points": 1}},
        "municipalities": [
            {
                "code": "GM0384",
                "province": "Noord-Holland",
                "population": 32977,
                "obligation": {"asylum_seeker": 175, "status_holder": 40},
                "capacity": {"asylum_seeker": 180, "status_holder": 120},
                "cost_per_place": {"asylum_seeker": 30000, "status_holder": 20000},
            },
            {
                "code": "GM0344",
                "province": "Utrecht",
                "population": 361924,
                "obligation": {"asylum_seeker": 1000, "status_holder": 400},
                "capacity": {"asylum_seeker": 1056, "status_holder": 400},
                "cost_per_place": {"asylum_seeker": 20000, "status_holder": 25000},
            },
        ],
    }


def _solve(data: dict[str, Any]) -> dict[str, Any]:
    return result_to_mapping(optimise(scenario_from_mapping(data)), per_province_prices=True)


def _transfers(output: dict[str, Any]) -> list[tuple[str, str, str, int]]:
    return [(t["from"], t["to"], t["group"], t["places"]) for t in output["transfers"]]


def test_without_the_flag_asylum_places_cross_the_border() -> None:
    """The behaviour the issue reports (and groups without the flag keep): 56 asylum places
    from Diemen to Utrecht."""
    output = _solve(border("compensation", within=False))
    assert ("GM0384", "GM0344", "asylum_seeker", 56) in _transfers(output)


def test_cross_province_asylum_transfer_refused_status_holders_still_move() -> None:
    """With ``within_province`` Diemen keeps its 175 asylum places (Noord-Holland's total) and
    Utrecht its 1,000, while 80 status holders still move from Utrecht to Diemen (art. 29(2)
    Huisvestingswet 2014: no provincial limit). Prices: one more asylum place costs 30,000 in
    Noord-Holland (Diemen's next place) and 20,000 in Utrecht; one more status holder 25,000
    (Diemen is full, Utrecht's next place)."""
    output = _solve(border("compensation", within=True))
    assert output["status"] == "optimal"
    assert output["provided"] == {
        "GM0384": {"asylum_seeker": 175, "status_holder": 120},
        "GM0344": {"asylum_seeker": 1000, "status_holder": 320},
    }
    assert _transfers(output) == [("GM0344", "GM0384", "status_holder", 80)]
    assert output["prices"] == {
        "asylum_seeker": {"Noord-Holland": 30000, "Utrecht": 20000},
        "status_holder": 25000,
    }
    # Diemen receives 80 x 25,000 for the status holders it takes over; Utrecht pays
    assert output["compensation"] == {"GM0384": -2000000, "GM0344": 2000000}
    assert output["total_cost"] == 30000 * 175 + 20000 * 120 + 20000 * 1000 + 25000 * 320


def test_swap_across_the_border_refused_within_the_province_allowed() -> None:
    """Swap mode: Diemen would swap 56 asylum places for 56 status holders with Utrecht; with
    the flag that swap is refused, and the same swap with Ouder-Amstel (also Noord-Holland,
    asylum places at 26,000) goes ahead instead."""
    free = _solve(border("swap", within=False))
    assert _transfers(free) == [
        ("GM0384", "GM0344", "asylum_seeker", 56),
        ("GM0344", "GM0384", "status_holder", 56),
    ]
    data = border("swap", within=True)
    assert _transfers(_solve(data)) == []
    ouder_amstel = {
        "code": "GM0437",
        "province": "Noord-Holland",
        "population": 14447,
        "obligation": {"asylum_seeker": 77, "status_holder": 18},
        "capacity": {"asylum_seeker": 90, "status_holder": 30},
        "cost_per_place": {"asylum_seeker": 26000, "status_holder": 24000},
    }
    data["municipalities"].append(ouder_amstel)
    output = _solve(data)
    moves = _transfers(output)
    assert moves == [
        ("GM0384", "GM0437", "asylum_seeker", 13),
        ("GM0437", "GM0384", "status_holder", 13),
    ]
    assert output["prices"]["asylum_seeker"] == {"Noord-Holland": 0, "Utrecht": 0}


def test_a_province_that_cannot_hold_its_total_is_named() -> None:
    """Utrecht has room for 56 extra asylum places, but Noord-Holland's 175 cannot go there:
    with Diemen's capacity cut to 150 the scenario is infeasible, naming the province."""
    data = border("compensation", within=True)
    data["municipalities"][0]["capacity"]["asylum_seeker"] = 150
    result = optimise(scenario_from_mapping(data))
    assert result.status is Status.INFEASIBLE
    assert result.reason == (
        "Province Noord-Holland lacks capacity for asylum_seeker: its municipalities owe 175 "
        "places but can provide at most 150 (short by 25); asylum_seeker places stay within "
        "their province."
    )
    assert [c.kind for c in result.conflicts] == [ConflictKind.PROVINCE_CAPACITY]
    assert result.conflicts[0].province == "Noord-Holland"
    assert result.conflicts[0].group == "asylum_seeker"
    # without the flag the region as a whole has room (150 + 1,056 >= 1,175)
    data["groups"]["asylum_seeker"].pop("within_province")
    assert optimise(scenario_from_mapping(data)).status is Status.OPTIMAL


def test_take_over_caps_of_a_province_are_named() -> None:
    data = border("compensation", within=True)
    extra = copy.deepcopy(data["municipalities"][0])
    extra.update(code="GM0437", population=14447)
    extra["obligation"] = {"asylum_seeker": 0, "status_holder": 0}
    extra["capacity"] = {"asylum_seeker": 90, "status_holder": 0}
    extra["max_take_over"] = {"asylum_seeker": 10}
    data["municipalities"].append(extra)
    data["municipalities"][0]["capacity"]["asylum_seeker"] = 150
    result = optimise(scenario_from_mapping(data))
    assert result.reason == (
        "The max_take_over caps leave too little room for asylum_seeker in province "
        "Noord-Holland: the province owes 175 places but capacity and caps allow at most 160 "
        "(short by 15); capped: GM0437."
    )
    assert result.conflicts[0].kind is ConflictKind.PROVINCE_TAKE_OVER_CAPS


def test_one_province_gives_the_regional_answer() -> None:
    """When every municipality lies in one province the flag changes nothing but the form of
    the price (one entry, that province)."""
    from tests.engines.exchange.test_worked_example import duo_plus

    for mode in ("swap", "compensation"):
        plain = duo_plus(mode)
        flagged = copy.deepcopy(plain)
        flagged["groups"]["asylum_seeker"]["within_province"] = True
        for municipality in flagged["municipalities"]:
            municipality["province"] = "PV27"
        a, b = _solve(plain), _solve(flagged)
        assert b["prices"]["asylum_seeker"] == {"PV27": a["prices"]["asylum_seeker"]}
        b["prices"]["asylum_seeker"] = a["prices"]["asylum_seeker"]
        assert a == b


def test_province_labels_are_compared_exactly() -> None:
    """A code and a name are two provinces: "Noord-Holland" and "PV27" do not meet."""
    data = border("compensation", within=True)
    data["municipalities"][1]["province"] = "Noord-Holland "
    output = _solve(data)
    assert list(output["prices"]["asylum_seeker"]) == ["Noord-Holland", "Noord-Holland "]
    data["municipalities"][1]["province"] = "Noord-Holland"
    assert list(_solve(data)["prices"]["asylum_seeker"]) == ["Noord-Holland"]


def test_round_trip_keeps_flag_and_provinces() -> None:
    data = border("compensation", within=True)
    scenario = scenario_from_mapping(data)
    assert scenario.groups[0].within_province is True
    assert scenario.municipalities[1].province == "Utrecht"
    document = scenario_to_mapping(scenario)
    assert document["groups"] == {
        "asylum_seeker": {"points": 1, "within_province": True},
        "status_holder": {"points": 1},
    }
    assert scenario_from_mapping(document) == scenario
    # without a flagged group the province is an ignored key, as before
    plain = scenario_to_mapping(scenario_from_mapping(border("swap", within=False)))
    assert "province" not in plain["municipalities"][0]  # type: ignore[index]


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------

ERRORS: dict[str, tuple[tuple[Any, ...], Any, str, str]] = {
    "flag as text": (
        ("groups", "asylum_seeker", "within_province"),
        "yes",
        "groups.asylum_seeker.within_province",
        'must be true or false, not "yes"',
    ),
    "flag as number": (
        ("groups", "asylum_seeker", "within_province"),
        1,
        "groups.asylum_seeker.within_province",
        "must be true or false, not 1",
    ),
    "flag null": (
        ("groups", "asylum_seeker", "within_province"),
        None,
        "groups.asylum_seeker.within_province",
        "must be true or false, not null",
    ),
    "province missing": (
        ("municipalities", 1, "province"),
        None,
        "municipalities[1].province",
        'required because group "asylum_seeker" is within_province',
    ),
    "province empty": (
        ("municipalities", 0, "province"),
        " ",
        "municipalities[0].province",
        'must be a non-empty string, not " "',
    ),
    "province a number": (
        ("municipalities", 0, "province"),
        27,
        "municipalities[0].province",
        "must be a non-empty string, not 27",
    ),
}


@pytest.mark.parametrize("case", ERRORS)
def test_input_errors_name_the_field(case: str) -> None:
    path, value, field, message = ERRORS[case]
    data = border("compensation", within=True)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if case == "province missing":
        del target[path[-1]]
    else:
        target[path[-1]] = value
    with pytest.raises(ExchangeInputError) as caught:
        scenario_from_mapping(data)
    assert caught.value.field == field
    assert str(caught.value) == f"{field}: {message}"


def test_python_callers_get_the_same_errors() -> None:
    groups = (Group("asylum_seeker", 1, within_province=True), Group("status_holder", 1))
    one = {"asylum_seeker": 1, "status_holder": 1}
    members = (
        Municipality("GM0384", 10, one, one, one, province="Noord-Holland"),
        Municipality("GM0344", 10, one, one, one),
    )
    with pytest.raises(ExchangeInputError) as caught:
        optimise(Scenario("swap", groups, members))
    assert str(caught.value) == (
        'municipalities[1].province: required because group "asylum_seeker" is within_province'
    )
    bad = (Group("asylum_seeker", 1, within_province="yes"), Group("status_holder", 1))  # type: ignore[arg-type]
    with pytest.raises(ExchangeInputError, match=r"groups\.asylum_seeker\.within_province"):
        optimise(Scenario("swap", bad, members))


def test_province_is_not_checked_without_a_flagged_group() -> None:
    """Existing files may carry any ``province`` (other keys are ignored): unchanged."""
    data = border("compensation", within=False)
    data["municipalities"][0]["province"] = 27
    assert _solve(data) == _solve(border("compensation", within=False))


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


@st.composite
def provincial(draw: st.DrawFn) -> Scenario:
    """A random scenario whose municipalities lie in two or three provinces, with some groups
    within_province."""
    scenario = draw(scenarios(municipalities=(2, 7)))
    provinces = draw(
        st.lists(
            st.sampled_from(["NH", "UT", "ZH"]),
            min_size=len(scenario.municipalities),
            max_size=len(scenario.municipalities),
        )
    )
    flags = draw(
        st.lists(st.booleans(), min_size=len(scenario.groups), max_size=len(scenario.groups))
    )
    if not any(flags):
        flags[0] = True
    groups = tuple(
        Group(g.code, g.points, within_province=f)
        for g, f in zip(scenario.groups, flags, strict=True)
    )
    members = tuple(
        Municipality(
            m.code,
            m.population,
            m.obligation,
            m.capacity,
            m.cost_per_place,
            m.max_take_over,
            m.max_hand_off,
            province=p,
        )
        for m, p in zip(scenario.municipalities, provinces, strict=True)
    )
    return Scenario(scenario.mode, groups, members, scenario.fairness)


@given(scenario=provincial())
@settings(max_examples=120, deadline=None)
def test_every_province_total_holds_for_within_province_groups(scenario: Scenario) -> None:
    """Per-province totals hold for within_province groups (regional totals for the others),
    transfers of such groups stay within a province, and compensation sums to zero in every
    province and follows from that province's price."""
    result = optimise(scenario)
    if result.status is Status.INFEASIBLE:
        assert result.reason and result.conflicts
        return
    assert result.provided is not None and result.compensation is not None
    provided = result.provided.tolist()
    province = {m.code: m.province for m in scenario.municipalities}
    for g, group in enumerate(scenario.groups):
        owed = sum(m.obligation[group.code] for m in scenario.municipalities)
        assert sum(row[g] for row in provided) == owed
        if not group.within_province:
            assert group.code not in result.province_prices
            continue
        prices = dict(result.province_prices[group.code])
        assert set(prices) == set(province.values())
        for label in set(province.values()):
            members = [i for i, m in enumerate(scenario.municipalities) if m.province == label]
            assert sum(provided[i][g] for i in members) == sum(
                scenario.municipalities[i].obligation[group.code] for i in members
            )
        for transfer in result.transfers:
            if transfer.group == group.code:
                assert province[transfer.from_code] == province[transfer.to_code]
    for i, m in enumerate(scenario.municipalities):
        expected = Decimal(0)
        for g, group in enumerate(scenario.groups):
            if group.within_province:
                price = dict(result.province_prices[group.code])[str(m.province)]
            else:
                assert result.prices is not None
                price = result.prices[g]
            expected += price * (m.obligation[group.code] - provided[i][g])
        assert result.compensation[i] == expected
    assert sum(result.compensation, Decimal(0)) == 0


@st.composite
def provincial_whole(draw: st.DrawFn) -> Scenario:
    """Compensation mode, whole points: the LP value is linear between whole totals."""
    base = draw(provincial())
    groups = tuple(Group(g.code, 1, within_province=g.within_province) for g in base.groups)
    return Scenario("compensation", groups, base.municipalities, base.fairness)


@given(scenario=provincial_whole())
@settings(max_examples=60, deadline=None)
def test_province_prices_are_the_cost_of_one_more_place_in_the_province(
    scenario: Scenario,
) -> None:
    """Each province's price of a within_province group equals the LP difference of one more
    place in that province, computed by an independent LP (scipy) with per-province rows."""
    result = optimise(scenario)
    if result.status is Status.INFEASIBLE:
        return
    assert result.prices is not None
    for b, (g, province, _) in enumerate(reference.province_blocks(scenario)):
        code = scenario.groups[g].code
        if province is None:
            price = result.prices[g]
        else:
            price = dict(result.province_prices[code])[province]
        expected = reference.marginal_block_price(scenario, b)
        assert abs(float(price) - expected) <= 0.0051, (code, province, price, expected)
